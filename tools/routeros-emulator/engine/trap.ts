/** RouterOS's `!trap` categories, as the API documents them. */
export const TrapCategory = {
  missingItem: 0,
  argumentValue: 1,
  interrupted: 2,
  scripting: 3,
  general: 4,
  api: 5,
} as const;

/**
 * A command failure the session turns into `!trap =category= =message=`. Some failures are
 * reported as several traps before the one `!done` (an unknown menu); `then` is the next one.
 */
export class Trap extends Error {
  constructor(
    message: string,
    readonly category?: number,
    readonly then?: Trap,
  ) {
    super(message);
  }

  /** This trap and the ones that follow it, in the order they are sent. */
  get chain(): Trap[] {
    return this.then ? [this, ...this.then.chain] : [this];
  }
}

/** What a command ended by `/cancel` (or by its connection closing) answers. */
export function interrupted(): Trap {
  return new Trap("interrupted", TrapCategory.interrupted);
}
