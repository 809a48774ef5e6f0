/**
 * The RouterOS clients operators use from npm, each run through its usual calls against the
 * emulator, which must answer them as a RouterOS 7 router does: the older ones that know only
 * the pre-6.43 challenge login (mikronode, mikronode-ng) are refused by a 7.x router.
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, describe, test } from "node:test";
import { RouterOSAPI } from "node-routeros";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";

const require = createRequire(import.meta.url);

/** Fails instead of hanging when a client never answers. */
function within<T>(promise: Promise<T>, what: string, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe("node-routeros 1.6.9 (RouterOS 7.12.2, before !empty)", () => {
  let emulator: RunningEmulator;
  let api: RouterOSAPI;
  before(async () => {
    emulator = await startEmulator({ version: "7.12.2" });
    api = new RouterOSAPI({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "", timeout: 5 });
    await api.connect();
  });
  after(async () => {
    await api.close();
    await emulator.close();
  });

  // node-routeros writes and reads Windows-1252 (iconv-lite); the router keeps the bytes.
  test("accented text round-trips", async () => {
    await api.write("/ip/hotspot/user/add", ["=name=pena", "=comment=Señora Peña, cañón"]);
    const [user] = await api.write("/ip/hotspot/user/print", ["?name=pena"]);
    assert.equal(user?.comment, "Señora Peña, cañón");
  });

  test("listen streams a change, and stopping it cancels the command", async () => {
    const seen: Record<string, string>[] = [];
    const stream = api.stream(["/ip/firewall/address-list/listen"], (error: Error | null, packet: Record<string, string> | undefined) => {
      if (!error && packet) seen.push(packet);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await api.write("/ip/firewall/address-list/add", ["=list=isp_suspended", "=address=10.1.1.1"]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await within(stream.stop(), "stream.stop");
    assert.deepEqual(
      seen.map((item) => [item.list, item.address]),
      [["isp_suspended", "10.1.1.1"]],
    );
    assert.equal((await api.write("/system/identity/print"))[0]?.name, "MikroTik", "the connection stays usable");
  });

  test("monitor-traffic once, and an unknown menu's trap", async () => {
    const [reading] = await api.write("/interface/monitor-traffic", ["=interface=ether1", "=once="]);
    assert.equal(reading?.name, "ether1");
    await assert.rejects(api.write("/system/routerboard/print"), { message: "no such command or directory (routerboard)" });
  });
});

describe("routeros-api 1.0.2 (RouterOS 7.19.6)", () => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ version: "7.19.6" });
  });
  after(async () => emulator.close());

  test("logs in, reads, adds, updates, removes, and gets a trap", async () => {
    const { RouterOSClient } = require("routeros-api") as typeof import("routeros-api");
    const connection = new RouterOSClient({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "", timeout: 5 });
    const client = await within(connection.connect(), "connect");
    try {
      assert.equal(((await client.menu("/system identity").getOnly()) as Record<string, string>).name, "MikroTik");
      const users = client.menu("/ip hotspot user");
      await users.add({ name: "ana", comment: "Doña Ana" });
      const [ana] = (await users.where("name", "ana").get()) as Record<string, string>[];
      assert.equal(ana?.comment, "Doña Ana");
      await users.where("name", "ana").update({ comment: "moved" });
      assert.equal(((await users.where("name", "ana").get()) as Record<string, string>[])[0]?.comment, "moved");
      await users.where("name", "ana").remove();
      assert.deepEqual(await users.where("name", "ana").get(), []);
      await assert.rejects(client.menu("/ip address").add({ address: "10.0.0.1/24", interface: "ether42" }), {
        message: "input does not match any value of interface",
      });
    } finally {
      await connection.close();
    }
  });
});

describe("routeros-client 1.1.2 (over node-routeros, RouterOS 7.12.2)", () => {
  test("adds, reads and removes", async () => {
    const emulator = await startEmulator({ version: "7.12.2" });
    const { RouterOSClient } = require("routeros-client") as typeof import("routeros-client");
    const connection = new RouterOSClient({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "", timeout: 5 });
    try {
      const client = await within(connection.connect(), "connect");
      const addresses = client.menu("/ip address");
      await addresses.add({ address: "10.4.0.1/24", interface: "ether4" });
      const [added] = (await addresses.where("address", "10.4.0.1/24").get()) as Record<string, string>[];
      assert.equal(added?.network, "10.4.0.0");
      await addresses.where("address", "10.4.0.1/24").remove();
      assert.deepEqual(await addresses.where("address", "10.4.0.1/24").get(), []);
    } finally {
      await connection.close();
      await emulator.close();
    }
  });
});

interface MikronodeNgConnection {
  getConnectPromise(): Promise<{
    getCommandPromise(command: string, parameters?: Record<string, string>): Promise<Record<string, string>[]>;
    close(): void;
  }>;
}

describe("mikronode-ng 1.0.11 (the pre-6.43 challenge login only)", () => {
  const connect = (port: number): MikronodeNgConnection => {
    const { getConnection } = require("mikronode-ng") as {
      getConnection(host: string, user: string, password: string, options: object): MikronodeNgConnection;
    };
    return getConnection("127.0.0.1", "admin", "", { port, timeout: 3 });
  };

  // RouterOS 6.45.1 and later refuse the challenge response (MikroTik wiki, Manual:Security).
  test("is refused by a RouterOS 7 router", async () => {
    const emulator = await startEmulator({ version: "7.19.6" });
    try {
      await assert.rejects(within(connect(emulator.port).getConnectPromise(), "login"));
    } finally {
      await emulator.close();
    }
  });

  test("works with --legacy-login: prints with an abbreviated path, and gets a trap", async () => {
    const emulator = await startEmulator({ version: "7.19.6", legacyLogin: true });
    try {
      const connection = await within(connect(emulator.port).getConnectPromise(), "login");
      const identity = await within(connection.getCommandPromise("/sys/ident/print"), "print");
      assert.equal(JSON.stringify(identity).includes("MikroTik"), true, JSON.stringify(identity));
      // mikronode-ng writes each parameter as given: the leading "=" is the caller's.
      await assert.rejects(within(connection.getCommandPromise("/ip/address/add", { "=address": "10.0.0.1/24", "=interface": "ether42" }), "add"));
      connection.close();
      // mikronode-ng has no handler for a reset socket: let its /quit finish before the router goes.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await emulator.close();
    }
  });
});

describe("mikronode 2.3.11 (the pre-6.43 challenge login only)", () => {
  type Login = (user: string, password: string) => Promise<{ openChannel(name?: string, closeOnDone?: boolean): MikronodeChannel; close(): void }>;
  interface MikronodeChannel {
    write(command: string, parameters?: Record<string, string>): Promise<{ data: { field: string; value: string }[][] }>;
  }
  const device = (port: number): { connect(): Promise<[Login]> } => {
    const MikroNode = require("mikronode") as new (host: string, port: number) => { connect(): Promise<[Login]>; setDebug?(level: number): void };
    return new MikroNode("127.0.0.1", port);
  };

  test("is refused by a RouterOS 7 router, and logs in to RouterOS 6.44", async () => {
    const modern = await startEmulator({ version: "7.19.6" });
    const old = await startEmulator({ version: "6.44.6" });
    try {
      const [refusedLogin] = await within(device(modern.port).connect(), "connect");
      await assert.rejects(within(refusedLogin("admin", ""), "login"));
      const [login] = await within(device(old.port).connect(), "connect");
      const connection = await within(login("admin", ""), "login");
      const result = await within(connection.openChannel("identity", true).write("/system/identity/print"), "print");
      assert.ok(JSON.stringify(result.data).includes("MikroTik"), JSON.stringify(result.data));
      connection.close();
    } finally {
      await modern.close();
      await old.close();
    }
  });
});
