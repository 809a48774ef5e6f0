// The live feed's state without the DOM: one entry per profile, newest first, and the cursor to
// ask the server for what was missed. Events may arrive twice (bus and catch-up) or out of order.
import type { ProfileChange } from "../services/isp_types.ts";

export interface FeedEntry {
  change: ProfileChange;
  /** Arrived while the feed was open, as opposed to the history loaded at start. */
  isNew: boolean;
}

/** A key that sorts like the UTC instant it names, whatever precision the server used. */
export function timeKey(isoUtc: string): string {
  const [seconds = "", fraction = ""] = isoUtc
    .replace(" ", "T")
    .replace(/(Z|\+00:?00)$/, "")
    .split(".");
  return `${seconds}.${fraction.padEnd(6, "0")}`;
}

function sameChange(a: ProfileChange, b: ProfileChange): boolean {
  return (Object.keys(a) as (keyof ProfileChange)[]).every((key) => a[key] === b[key]);
}

export class FeedModel {
  entries: FeedEntry[] = [];
  cursor: string | null = null;

  constructor(private readonly capacity: number) {}

  /** Keeps the changes newer than what the feed holds; returns the ones it kept. */
  apply(changes: ProfileChange[], { live }: { live: boolean }): ProfileChange[] {
    const accepted: ProfileChange[] = [];
    for (const change of changes) {
      this.advanceCursor(change.time);
      const index = this.entries.findIndex((entry) => entry.change.id === change.id);
      if (index >= 0) {
        const shown = this.entries[index]!.change;
        // One transaction may change a profile twice (a conversion approves, then activates it):
        // both notifications carry the transaction's time, and the bus delivers them in order,
        // so at the same time the later one wins.
        const order = timeKey(shown.time).localeCompare(timeKey(change.time));
        if (order > 0 || (order === 0 && sameChange(shown, change))) continue;
        this.entries.splice(index, 1);
      }
      this.entries.push({ change, isNew: live });
      accepted.push(change);
    }
    this.entries.sort((a, b) => timeKey(b.change.time).localeCompare(timeKey(a.change.time)) || b.change.id - a.change.id);
    this.entries.length = Math.min(this.entries.length, this.capacity);
    return accepted;
  }

  advanceCursor(time: string): void {
    if (this.cursor === null || timeKey(time) > timeKey(this.cursor)) this.cursor = time;
  }
}
