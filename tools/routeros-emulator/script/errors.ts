/** Where a construct starts in the script source, both 1-based. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Any failure while reading or running a script. RouterOS reports scripting
 * failures in trap category 3, so the emulator can turn this straight into a
 * `!trap` and a `/log` entry.
 */
export class ScriptError extends Error {
  readonly category = 3;
  readonly position: SourcePosition | undefined;

  constructor(message: string, position?: SourcePosition) {
    super(position ? `${message} (line ${position.line} column ${position.column})` : message);
    this.name = "ScriptError";
    this.position = position;
  }
}

/** `what` is `$name` or `:set name`. */
export function undeclaredVariable(what: string, position: SourcePosition): ScriptError {
  return new ScriptError(`${what}: no such variable (declare it with :local or :global)`, position);
}
