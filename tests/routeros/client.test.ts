import assert from "node:assert/strict";
import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import {
  RouterOsClient,
  RouterOsConnectionError,
  RouterOsFatalError,
  RouterOsLoginError,
  RouterOsProtocolError,
  RouterOsTimeoutError,
  RouterOsTrapError,
} from "../../tools/routeros/index.ts";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";

function serve(onConnection: (socket: Socket) => void): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer(onConnection);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Forwards to the emulator, re-sending every byte the emulator writes as its own TCP chunk. */
function byteByByteProxy(targetPort: number): Promise<Server> {
  return serve((client) => {
    const upstream = connect({ host: "127.0.0.1", port: targetPort });
    client.setNoDelay(true);
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      for (const byte of chunk) client.write(Buffer.from([byte]));
    });
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
}

describe("RouterOsClient against the emulator", () => {
  let emulator: RunningEmulator;
  let client: RouterOsClient;
  before(async () => {
    emulator = await startEmulator({ tlsPort: 0, users: [{ name: "admin", password: "s3cret" }] });
    client = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "s3cret" });
  });
  after(async () => {
    await client.close();
    await emulator.close();
  });

  const connect = (options: { port?: number; password?: string; commandTimeoutMs?: number } = {}): Promise<RouterOsClient> =>
    RouterOsClient.connect({
      host: "127.0.0.1",
      port: options.port ?? emulator.port,
      user: "admin",
      password: options.password ?? "s3cret",
      ...(options.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.commandTimeoutMs }),
    });

  test("add, print with a query and .proplist, set and remove", async () => {
    const id = await client.add("/ip/address", { address: "192.168.50.1/24", interface: "ether2", comment: "lan" });
    assert.match(id, /^\*[0-9A-F]+$/);
    const [printed] = await client.print("/ip/address", { query: ["?comment=lan"], proplist: [".id", "address", "network"] });
    assert.deepEqual(printed, { ".id": id, address: "192.168.50.1/24", network: "192.168.50.0" });
    await client.set("/ip/address", id, { comment: "renamed" });
    assert.equal((await client.print("/ip/address", { query: ["?.id=" + id] }))[0]?.comment, "renamed");
    await client.remove("/ip/address", [id]);
    assert.deepEqual(await client.print("/ip/address", { query: ["?comment=renamed"] }), []);
  });

  test("a singleton is set without an .id and prints without one", async () => {
    await client.set("/system/identity", null, { name: "sector-7" });
    assert.deepEqual(await client.print("/system/identity"), [{ name: "sector-7" }]);
  });

  test("a trap becomes a RouterOsTrapError with category and message", async () => {
    await assert.rejects(client.add("/ip/address", { address: "10.9.9.1/24", interface: "ether9" }), (error: unknown) => {
      assert.ok(error instanceof RouterOsTrapError);
      assert.equal(error.category, 1);
      assert.equal(error.message, "input does not match any value of interface");
      return true;
    });
  });

  test("an empty print (!empty on 7.18+) resolves with no items", async () => {
    assert.deepEqual(await client.print("/queue/simple"), []);
  });

  test("many tagged commands run at once on one connection and each gets its own answer", async () => {
    const names = Array.from({ length: 40 }, (_, index) => `pool-${index}`);
    const ids = await Promise.all(names.map((name, index) => client.add("/ip/pool", { name, ranges: `10.20.${index}.2-10.20.${index}.254` })));
    assert.equal(new Set(ids).size, names.length);
    const printed = await Promise.all(names.map((name) => client.print("/ip/pool", { query: [`?name=${name}`], proplist: ["name"] })));
    assert.deepEqual(
      printed,
      names.map((name) => [{ name }]),
    );
  });

  test("replies cut into one-byte TCP chunks decode the same", async () => {
    const proxy = await byteByByteProxy(emulator.port);
    const chunked = await connect({ port: portOf(proxy) });
    // Not the traffic counters, which grow between the two reads.
    const options = { proplist: [".id", "name", "default-name", "type", "mtu", "mac-address", "running", "disabled"] };
    assert.deepEqual(await chunked.print("/interface", options), await client.print("/interface", options));
    await chunked.close();
    await closeServer(proxy);
  });

  test("a command that outlives its timeout fails with RouterOsTimeoutError and is cancelled", async () => {
    const impatient = await connect({ commandTimeoutMs: 50 });
    await assert.rejects(impatient.command("/simulator/hold"), RouterOsTimeoutError);
    assert.equal((await impatient.print("/system/identity")).length, 1);
    await impatient.close();
  });

  test("aborting a command sends /cancel and ends it with an interrupted trap", async () => {
    const controller = new AbortController();
    const held = client.command("/simulator/hold", {}, { signal: controller.signal });
    controller.abort();
    await assert.rejects(held, (error: unknown) => error instanceof RouterOsTrapError && error.category === 2);
  });

  test("a command with a word over the size limit is refused before sending, and the connection stays usable", async () => {
    await assert.rejects(client.set("/system/identity", null, { name: "x".repeat(17 * 1024 * 1024) }), RouterOsProtocolError);
    assert.equal((await client.print("/system/identity")).length, 1);
  });

  test("!fatal rejects the command and every later one", async () => {
    const doomed = await connect();
    await assert.rejects(
      doomed.command("/quit"),
      (error: unknown) => error instanceof RouterOsFatalError && error.message === "session terminated on request",
    );
    await assert.rejects(doomed.print("/interface"), RouterOsFatalError);
    await doomed.close();
  });

  test("close() fails the commands still running and resolves", async () => {
    const closing = await connect();
    const held = assert.rejects(closing.command("/simulator/hold"), RouterOsConnectionError);
    await closing.close();
    await held;
  });

  test("a wrong password is a RouterOsLoginError", async () => {
    await assert.rejects(connect({ password: "nope" }), RouterOsLoginError);
  });

  test("the legacy MD5 challenge login is used when the router asks for it", async () => {
    const old = await startEmulator({ legacyLogin: true, users: [{ name: "admin", password: "s3cret" }] });
    const legacyClient = await connect({ port: old.port });
    assert.equal((await legacyClient.print("/user/active"))[0]?.name, "admin");
    await legacyClient.close();
    await assert.rejects(connect({ port: old.port, password: "nope" }), RouterOsLoginError);
    await old.close();
  });

  test("a router that never answers the login hits the connect timeout", async () => {
    // Reads and discards, so the socket closes when the client gives up.
    const silent = await serve((socket) => socket.resume());
    await assert.rejects(
      RouterOsClient.connect({ host: "127.0.0.1", port: portOf(silent), user: "admin", password: "", connectTimeoutMs: 100 }),
      RouterOsTimeoutError,
    );
    await closeServer(silent);
  });

  test("a closed port is a RouterOsConnectionError", async () => {
    const gone = await serve(() => undefined);
    const port = portOf(gone);
    await closeServer(gone);
    await assert.rejects(connect({ port }), RouterOsConnectionError);
  });

  describe("TLS", () => {
    const tlsOptions = (tls: boolean | { rejectUnauthorized?: boolean; ca?: string }) =>
      RouterOsClient.connect({ host: "127.0.0.1", port: emulator.tlsPort ?? 0, tls, user: "admin", password: "s3cret" });

    test("checks the certificate by default and refuses a self-signed one", async () => {
      await assert.rejects(tlsOptions(true), (error: unknown) => error instanceof RouterOsConnectionError && /self-signed/.test(error.message));
    });

    test("connects with an explicit opt-out of certificate checking", async () => {
      const insecure = await tlsOptions({ rejectUnauthorized: false });
      assert.equal((await insecure.print("/ip/service", { query: ["?name=api-ssl"] }))[0]?.port, "8729");
      await insecure.close();
    });

    test("connects when the router's certificate is given as the CA", async () => {
      const pinned = await tlsOptions({ ca: emulator.tlsCertificate ?? "" });
      assert.equal((await pinned.print("/user/active")).length >= 1, true);
      await pinned.close();
    });
  });
});
