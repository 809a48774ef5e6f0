/** RouterOS's `!trap` categories, as the API documents them. */
export const TrapCategory = {
  missingItem: 0,
  argumentValue: 1,
  interrupted: 2,
  scripting: 3,
  general: 4,
  api: 5,
} as const;

/** A command failure the session turns into `!trap =category= =message=`. */
export class Trap extends Error {
  constructor(
    message: string,
    readonly category?: number,
  ) {
    super(message);
  }
}
