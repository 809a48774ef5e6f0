/**
 * The only way the preloader writes output: progress to stderr, results to stdout, and every
 * line passes through a redactor that blanks any registered secret, as a last line of defence.
 */
export interface Output {
  write(text: string): void;
}

const MIN_REDACTED_LENGTH = 4;

export class Reporter {
  private readonly secrets: string[] = [];

  constructor(
    private readonly stdout: Output,
    private readonly stderr: Output,
  ) {}

  /**
   * Registers values that must never be printed. Nothing prints them by construction; this only
   * catches mistakes, and skips values so short that blanking them would garble every line.
   */
  hide(values: string[]): void {
    this.secrets.push(...values.filter((value) => value.length >= MIN_REDACTED_LENGTH));
    this.secrets.sort((a, b) => b.length - a.length);
  }

  private redact(line: string): string {
    return this.secrets.reduce((text, secret) => text.split(secret).join("<secret>"), line);
  }

  progress(line: string): void {
    this.stderr.write(`${this.redact(line)}\n`);
  }

  result(line: string): void {
    this.stdout.write(`${this.redact(line)}\n`);
  }
}
