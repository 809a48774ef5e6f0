import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { RouterOSAPI } from "node-routeros";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";

// node-routeros throws on `!empty`, which RouterOS sends from 7.18 on, so it talks to an older router.
describe("node-routeros against the emulator (RouterOS 7.12.2)", () => {
  let emulator: RunningEmulator;
  let api: RouterOSAPI;
  before(async () => {
    emulator = await startEmulator({ version: "7.12.2", users: [{ name: "ops", password: "pa$$ word" }] });
    api = new RouterOSAPI({ host: "127.0.0.1", port: emulator.port, user: "ops", password: "pa$$ word", timeout: 5 });
    await api.connect();
  });
  after(async () => {
    await api.close();
    await emulator.close();
  });

  test("logs in with its tagged login and sees its own session", async () => {
    const sessions = await api.write("/user/active/print");
    assert.deepEqual(
      sessions.map((session) => [session.name, session.address, session.via]),
      [["ops", "127.0.0.1", "api"]],
    );
  });

  test("prints with a query and .proplist", async () => {
    const items = await api.write("/interface/print", ["?#", "?name=ether2", "?name=sfp1", "?#|", "=.proplist=name,type"]);
    assert.deepEqual(items, [
      { name: "ether2", type: "ether" },
      { name: "sfp1", type: "ether" },
    ]);
  });

  test("adds, sets and removes an item", async () => {
    const [added] = await api.write("/ip/address/add", ["=address=10.5.0.1/24", "=interface=ether3"]);
    const id = String(added?.ret);
    assert.match(id, /^\*[0-9A-F]+$/);
    await api.write("/ip/address/set", [`=.id=${id}`, "=comment=uplink"]);
    const [printed] = await api.write("/ip/address/print", [`?.id=${id}`]);
    assert.equal(printed?.comment, "uplink");
    assert.equal(printed?.network, "10.5.0.0");
    await api.write("/ip/address/remove", [`=.id=${id}`]);
    assert.deepEqual(await api.write("/ip/address/print", [`?.id=${id}`]), []);
  });

  test("gets a trap for an interface that does not exist", async () => {
    await assert.rejects(api.write("/ip/address/add", ["=address=10.6.0.1/24", "=interface=ether42"]), {
      message: "input does not match any value of interface",
    });
  });

  test("runs commands concurrently, each on its own tag", async () => {
    const replies = await Promise.all(["ether1", "ether4", "ether5"].map((name) => api.write("/interface/print", [`?name=${name}`])));
    assert.deepEqual(
      replies.map(([item]) => item?.name),
      ["ether1", "ether4", "ether5"],
    );
  });
});
