/** Writes a router plan, step by step in plan order, reporting one progress line per step. */
import { RouterOsError } from "../routeros/index.ts";
import { PreloaderError } from "./errors.ts";
import type { PlanItem } from "./plan.ts";
import type { RouterSession } from "./router-session.ts";

class ApplyError extends PreloaderError {
  override name = "ApplyError";
}

/**
 * A certificate reaches RouterOS as a file: `/file add contents=` (7.12.2's tree on), then
 * `/certificate import`, which names what it imports after the file (`<name>_0`). The preloader
 * finds it by fingerprint and gives it its own name and trust with `set`, which every checked
 * tree has (7.12.2's import takes no `trusted`). The file goes once imported.
 */
async function importCertificate(session: RouterSession, props: Record<string, string>, pem: string): Promise<void> {
  const { client } = session;
  const name = props.name ?? "";
  const fileName = `${name}.pem`;
  await client.command("/file/add", { name: fileName, contents: pem });
  await client.command("/certificate/import", { "file-name": fileName, name, passphrase: "" });
  const imported = await client.print("/certificate", { query: [`?fingerprint=${props.fingerprint ?? ""}`] });
  const id = imported[0]?.[".id"];
  if (id === undefined)
    throw new ApplyError(`${session.address}: /certificate import of ${fileName} did not yield the certificate ${props.fingerprint}`);
  await client.set("/certificate", id, { name, trusted: "yes" });
  const files = await client.print("/file", { query: [`?name=${fileName}`] });
  const fileIds = files.flatMap((row) => (row[".id"] === undefined ? [] : [row[".id"]]));
  if (fileIds.length > 0) await client.remove("/file", fileIds);
}

async function applyItem(session: RouterSession, item: PlanItem): Promise<void> {
  switch (item.action) {
    case "add":
      if (item.replaces !== undefined) await session.client.remove(item.menu, item.replaces);
      if (item.importPem !== undefined) await importCertificate(session, item.props, item.importPem);
      else await session.client.add(item.menu, item.props);
      return;
    case "change":
      await session.client.set(item.menu, item.id, item.props);
      return;
    case "remove":
      await session.client.remove(item.menu, item.id);
      return;
  }
}

export async function applyRouterPlan(session: RouterSession, items: PlanItem[], progress: (line: string) => void): Promise<void> {
  let counts = { add: 0, change: 0, remove: 0 };
  for (const [index, item] of items.entries()) {
    try {
      await applyItem(session, item);
    } catch (error) {
      if (!(error instanceof RouterOsError)) throw error;
      throw new ApplyError(`${session.address}: ${item.menu} ${item.action} (${item.label}) failed: ${error.message}`);
    }
    counts[item.action] += 1;
    // Items arrive grouped by step; the last item of a group reports the whole step.
    if (items[index + 1]?.step !== item.step) {
      progress(`${session.address}: ${item.step}: ${counts.add} added, ${counts.change} changed, ${counts.remove} removed`);
      counts = { add: 0, change: 0, remove: 0 };
    }
  }
}
