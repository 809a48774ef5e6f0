import { after, before } from "node:test";
import { RouterOsClient } from "../../tools/routeros/index.ts";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";

/**
 * For the suite it is called in: starts an emulator before the tests, logs in as the factory admin
 * and hands the client and the emulator to `use`; closes both after the tests.
 */
export function withAdminClient(use: (client: RouterOsClient, emulator: RunningEmulator) => void): void {
  let emulator: RunningEmulator;
  let client: RouterOsClient;
  before(async () => {
    emulator = await startEmulator();
    client = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "" });
    use(client, emulator);
  });
  after(async () => {
    await client.close();
    await emulator.close();
  });
}
