import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { RouterOsClient } from "../../tools/routeros/index.ts";
import { legacyLoginResponse } from "../../tools/routeros/legacy-login.ts";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";
import { RawConnection } from "./raw-connection.ts";

/** Logs in with the pre-6.43 challenge: a bare `/login`, then the MD5 response. */
async function challengeLogin(port: number, password: string): Promise<string[][]> {
  const connection = await RawConnection.open(port);
  const [challenge] = await connection.request(["/login"]);
  assert.equal(challenge?.[0], "!done");
  const ret = challenge?.find((word) => word.startsWith("=ret="))?.slice("=ret=".length) ?? "";
  assert.match(ret, /^[0-9a-f]{32}$/);
  const replies = await connection.request(["/login", "=name=admin", `=response=${legacyLoginResponse(password, ret)}`]);
  connection.close();
  return replies;
}

describe("the pre-6.43 challenge login", () => {
  // MikroTik wiki, Manual:Security ("applies to RouterOS v6.45 and newer": passwords are kept
  // hashed), and MikroTik's API manual ("Initial login"): a router from 6.45.1 on still answers
  // a bare /login with a challenge but refuses every response to it.
  test("is refused on an emulated 7.x router, with RouterOS's login failure", async () => {
    const router = await startEmulator({ version: "7.19.6", users: [{ name: "admin", password: "s3cret" }] });
    try {
      assert.deepEqual(await challengeLogin(router.port, "s3cret"), [["!trap", "=message=invalid user name or password (6)"], ["!done"]]);
    } finally {
      await router.close();
    }
  });

  test("is accepted by an emulated version older than 6.45.1, and with --legacy-login", async () => {
    for (const options of [{ version: "6.44.6" }, { version: "7.19.6", legacyLogin: true }]) {
      const router = await startEmulator({ ...options, users: [{ name: "admin", password: "s3cret" }] });
      try {
        assert.deepEqual(await challengeLogin(router.port, "s3cret"), [["!done"]], JSON.stringify(options));
        assert.deepEqual(await challengeLogin(router.port, "wrong"), [["!trap", "=message=invalid user name or password (6)"], ["!done"]]);
      } finally {
        await router.close();
      }
    }
  });
});

describe("words are bytes", () => {
  // MikroTik's API manual ("API sentences"): a word is a length and that many bytes; RouterOS
  // stores them as given and never re-encodes. node-routeros writes Windows-1252 (iconv-lite),
  // our client and librouteros write UTF-8, and a DHCP client's host name may be in any encoding.
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => emulator.close());

  test("a Windows-1252 comment reads back as the same bytes", async () => {
    const connection = await RawConnection.open(emulator.port, "latin1");
    await connection.login();
    // "Café Peña" in Windows-1252: é is 0xE9 and ñ is 0xF1, neither of them valid UTF-8 alone.
    const windows1252 = "Caf\u00e9 Pe\u00f1a";
    const [added] = await connection.request(["/ip/hotspot/user/add", "=name=cafe", `=comment=${windows1252}`]);
    assert.equal(added?.[0], "!done");
    const replies = await connection.request(["/ip/hotspot/user/print", "?name=cafe", "=.proplist=comment"]);
    assert.deepEqual(replies, [["!re", `=comment=${windows1252}`], ["!done"]]);
    connection.close();
  });

  test("UTF-8 Spanish names round-trip unchanged through our client", async () => {
    const client = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "" });
    try {
      const name = "Pedro Muñoz Peña, cañón Ñ";
      await client.add("/ip/hotspot/user", { name: "munoz", comment: name });
      const [user] = await client.print("/ip/hotspot/user", { query: ["?name=munoz"], proplist: ["comment"] });
      assert.equal(user?.comment, name);
      assert.match(emulator.export(), /comment="Pedro Mu\u00c3\u00b1oz/);
    } finally {
      await client.close();
    }
  });

  test("a lease-script posts the host name's bytes as the client sent them", async () => {
    const received: Buffer[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push(Buffer.concat(chunks));
        response.end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const connection = await RawConnection.open(emulator.port, "latin1");
    try {
      await connection.login();
      const script = `/tool fetch url="http://127.0.0.1:${port}/" http-method=post http-data=("{\\"host\\":\\"" . $"lease-hostname" . "\\"}") output=none`;
      for (const words of [
        ["/ip/pool/add", "=name=bytes-pool", "=ranges=10.77.0.10-10.77.0.20"],
        ["/ip/dhcp-server/add", "=name=bytes", "=interface=ether4", "=address-pool=bytes-pool", `=lease-script=${script}`],
      ]) {
        assert.equal((await connection.request(words))[0]?.[0], "!done");
      }
      // One device names itself in Windows-1252, another in UTF-8 ("Peña" both times).
      for (const hostName of ["Pe\u00f1a", "Pe\u00c3\u00b1a"]) {
        const reply = await connection.request(["/simulator/dhcp/bind", "=server=bytes", "=mac-address=02:00:00:77:00:01", `=host-name=${hostName}`]);
        assert.equal(reply[0]?.[0], "!done", JSON.stringify(reply));
      }
      assert.deepEqual(received, [Buffer.from('{"host":"Pe\xf1a"}', "latin1"), Buffer.from('{"host":"Peña"}', "utf8")]);
    } finally {
      connection.close();
      server.close();
    }
  });
});
