/** Writes a router plan, step by step in plan order, reporting one progress line per step. */
import { RouterOsError } from "../routeros/index.ts";
import { PreloaderError } from "./errors.ts";
import type { PlanItem } from "./plan.ts";
import type { RouterSession } from "./router-session.ts";

class ApplyError extends PreloaderError {
  override name = "ApplyError";
}

async function applyItem(session: RouterSession, item: PlanItem): Promise<void> {
  switch (item.action) {
    case "add":
      await session.client.add(item.menu, item.props);
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
