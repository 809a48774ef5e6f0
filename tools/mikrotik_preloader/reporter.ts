/**
 * The only way the preloader writes output: progress to stderr, results to stdout, and every
 * line passes through a redactor that blanks any registered secret, as a last line of defence.
 */
export interface Output {
  write(text: string): void;
}

const MASK = "<secret>";
/** Letters, digits and underscore of any script: a secret touching one is part of a longer word. */
const WORD_CHARACTER = "[\\p{L}\\p{N}_]";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export class Reporter {
  private readonly secrets: string[] = [];
  private pattern: RegExp | null = null;

  constructor(
    private readonly stdout: Output,
    private readonly stderr: Output,
  ) {}

  /**
   * Registers values that must never be printed. Nothing prints them by construction; this only
   * catches mistakes. A secret is masked as a whole value, never inside a longer word: a password
   * "admin" turns "logged in as admin" into "logged in as <secret>" and leaves "administer"
   * alone, which would otherwise both garble the line and give the password away. Values too
   * short to tell from ordinary text are refused when the secrets are read (secrets.ts).
   */
  hide(values: string[]): void {
    this.secrets.push(...values.filter((value) => value.length > 0));
    // Longest first, so a secret that contains another is masked whole.
    this.secrets.sort((a, b) => b.length - a.length);
    const alternatives = this.secrets.map(escapeRegExp).join("|");
    this.pattern = alternatives ? new RegExp(`(?<!${WORD_CHARACTER})(?:${alternatives})(?!${WORD_CHARACTER})`, "gu") : null;
  }

  private redact(line: string): string {
    return this.pattern ? line.replace(this.pattern, MASK) : line;
  }

  progress(line: string): void {
    this.stderr.write(`${this.redact(line)}\n`);
  }

  result(line: string): void {
    this.stdout.write(`${this.redact(line)}\n`);
  }
}
