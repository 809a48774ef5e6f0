import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";
import { RawConnection } from "./raw-connection.ts";

describe("emulator wire behaviour", () => {
  let emulator: RunningEmulator;
  let legacy: RunningEmulator;
  before(async () => {
    emulator = await startEmulator();
    legacy = await startEmulator({ version: "7.12.2" });
  });
  after(async () => {
    await emulator.close();
    await legacy.close();
  });

  test("an untagged request gets untagged replies", async () => {
    const connection = await RawConnection.open(emulator.port);
    await connection.login();
    const replies = await connection.request(["/ip/service/print", "?name=api", "=.proplist=name,port"]);
    assert.deepEqual(replies, [["!re", "=name=api", "=port=8728"], ["!done"]]);
    connection.close();
  });

  test("every reply to a tagged request carries its tag, the login included", async () => {
    const connection = await RawConnection.open(emulator.port);
    assert.deepEqual(await connection.request(["/login", "=name=admin", "=password=", ".tag=a"]), [["!done", ".tag=a"]]);
    const replies = await connection.request(["/ip/address/add", "=interface=nope", "=address=10.0.0.1/24", ".tag=7"]);
    assert.deepEqual(replies, [
      ["!trap", ".tag=7", "=category=1", "=message=input does not match any value of interface"],
      ["!done", ".tag=7"],
    ]);
    connection.close();
  });

  test("an empty print answers !empty from 7.18 on, and only !done before", async () => {
    for (const [router, expected] of [
      [emulator, [["!empty"], ["!done"]]],
      [legacy, [["!done"]]],
    ] as const) {
      const connection = await RawConnection.open(router.port);
      await connection.login();
      assert.deepEqual(await connection.request(["/ip/address/print"]), expected);
      connection.close();
    }
  });

  test("a command before login gets !fatal and the connection closes", async () => {
    const connection = await RawConnection.open(emulator.port);
    assert.deepEqual(await connection.request(["/ip/address/print"]), [["!fatal", "not logged in"]]);
    connection.close();
  });

  test("a wrong password is refused with RouterOS's message", async () => {
    const connection = await RawConnection.open(emulator.port);
    const replies = await connection.request(["/login", "=name=admin", "=password=wrong"]);
    assert.deepEqual(replies, [["!trap", "=message=invalid user name or password (6)"], ["!done"]]);
    connection.close();
  });

  // Home Assistant issue home-assistant/core#68115 (RouterOS 7): "no such command or directory
  // (routerboard), no such command prefix", two traps that librouteros joins in a MultiTrapError.
  test("an unknown menu names the segment it does not know, then says no such command prefix", async () => {
    const connection = await RawConnection.open(emulator.port);
    await connection.login();
    assert.deepEqual(await connection.request(["/ip/adress/print"]), [
      ["!trap", "=category=0", "=message=no such command or directory (adress)"],
      ["!trap", "=category=0", "=message=no such command prefix"],
      ["!done"],
    ]);
    connection.close();
  });

  test("a print of 2000 items arrives whole", async () => {
    const connection = await RawConnection.open(emulator.port);
    await connection.login();
    for (let index = 0; index < 2000; index++) {
      connection.send(["/ip/firewall/address-list/add", "=list=bulk", `=address=10.1.${index >> 8}.${index & 255}`]);
    }
    await connection.collect(2000);
    const replies = await connection.request(["/ip/firewall/address-list/print", "?list=bulk"]);
    assert.equal(replies.filter(([type]) => type === "!re").length, 2000);
    connection.close();
  });
});
