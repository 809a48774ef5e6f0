import { ScriptError, type SourcePosition } from "./errors.ts";

/** A piece of a double-quoted string: plain text or something substituted when it runs. */
export type StringPart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "variable"; readonly name: string; readonly position: SourcePosition }
  /** `$(expression)` or `$[command]`; `tokens` holds what is between the brackets. */
  | { readonly kind: "code"; readonly bracket: "(" | "["; readonly tokens: readonly Token[]; readonly position: SourcePosition };

interface TokenBase {
  readonly position: SourcePosition;
  /** Offsets into the source, so unquoted values can be taken verbatim. */
  readonly start: number;
  readonly end: number;
  /** Whitespace (or a line continuation) comes right before this token. */
  readonly spaced: boolean;
}

export type Token =
  | (TokenBase & { readonly kind: "word"; readonly text: string })
  | (TokenBase & { readonly kind: "punct"; readonly text: string })
  | (TokenBase & { readonly kind: "string"; readonly parts: readonly StringPart[] })
  | (TokenBase & { readonly kind: "variable"; readonly name: string })
  /** `;` or a line break: the end of a command. */
  | (TokenBase & { readonly kind: "end" })
  | (TokenBase & { readonly kind: "eof" });

const WORD_CHAR = /[A-Za-z0-9_]/;
const TWO_CHAR_PUNCT = new Set(["!=", "<=", ">=", "&&", "||", "->", "<<", ">>"]);
const CLOSER: Record<string, string> = { "(": ")", "[": "]", "{": "}" };

/** Named single-character escapes inside strings (RouterOS manual, "Constant Escape Sequences"). */
const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  $: "$",
  "?": "?",
  _: " ",
  n: "\n",
  r: "\r",
  t: "\t",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
};
const UPPER_HEX = /^[0-9A-F]{2}$/;

export function tokenize(source: string): Token[] {
  return new Tokenizer(source).run();
}

class Tokenizer {
  private offset = 0;
  private readonly lineStarts: number[] = [0];

  constructor(private readonly source: string) {
    for (let index = 0; index < source.length; index++) {
      const char = source[index];
      if (char === "\n" || (char === "\r" && source[index + 1] !== "\n")) this.lineStarts.push(index + 1);
    }
  }

  run(): Token[] {
    const tokens = this.readUntil(undefined);
    tokens.push({ kind: "eof", ...this.base(this.offset, this.offset, false) });
    return tokens;
  }

  /** Reads tokens until the bracket `closer` that balances an already consumed opener (or to the end). */
  private readUntil(closer: string | undefined): Token[] {
    const tokens: Token[] = [];
    const pending: string[] = [];
    let spaced = true;
    for (;;) {
      spaced = this.skipBlanks() || spaced;
      if (this.offset >= this.source.length) {
        if (closer) throw new ScriptError(`missing "${closer}"`, this.positionAt(this.offset));
        return tokens;
      }
      const start = this.offset;
      const char = this.source[start] ?? "";
      // A comment can start wherever a new word could: at the start of a line or after a blank.
      if (char === "#" && spaced) {
        this.skipComment();
        continue;
      }
      if (char === "\n" || char === "\r" || char === ";") {
        this.offset += char === "\r" && this.source[start + 1] === "\n" ? 2 : 1;
        tokens.push({ kind: "end", ...this.base(start, this.offset, spaced) });
        spaced = true;
        continue;
      }
      if (closer && pending.length === 0 && char === closer) return tokens;
      if (char in CLOSER) pending.push(CLOSER[char] ?? "");
      else if (char === pending[pending.length - 1]) pending.pop();
      tokens.push(this.readToken(spaced));
      spaced = false;
    }
  }

  /** Skips spaces, tabs and backslash-newline continuations; says whether it skipped any. */
  private skipBlanks(): boolean {
    const before = this.offset;
    for (;;) {
      const char = this.source[this.offset];
      if (char === " " || char === "\t") this.offset++;
      else if (char === "\\" && this.isLineBreakAt(this.offset + 1)) this.offset = this.afterLineBreak(this.offset + 1);
      else return this.offset > before;
    }
  }

  private skipComment(): void {
    while (this.offset < this.source.length && !this.isLineBreakAt(this.offset)) this.offset++;
  }

  private readToken(spaced: boolean): Token {
    const start = this.offset;
    const char = this.source[start] ?? "";
    if (WORD_CHAR.test(char)) {
      while (WORD_CHAR.test(this.source[this.offset] ?? "")) this.offset++;
      return { kind: "word", text: this.source.slice(start, this.offset), ...this.base(start, this.offset, spaced) };
    }
    if (char === '"') {
      const parts = this.readString();
      return { kind: "string", parts, ...this.base(start, this.offset, spaced) };
    }
    if (char === "$") return this.readVariable(spaced);
    if (char === "\\") throw new ScriptError("a backslash outside a string must end the line", this.positionAt(start));
    const pair = this.source.slice(start, start + 2);
    this.offset += TWO_CHAR_PUNCT.has(pair) ? 2 : 1;
    return { kind: "punct", text: this.source.slice(start, this.offset), ...this.base(start, this.offset, spaced) };
  }

  private readVariable(spaced: boolean): Token {
    const start = this.offset;
    this.offset++;
    if (this.source[this.offset] === '"') {
      const name = this.readQuotedName(start);
      return { kind: "variable", name, ...this.base(start, this.offset, spaced) };
    }
    const name = this.readWord();
    if (!name) throw new ScriptError('"$" must be followed by a variable name', this.positionAt(start));
    return { kind: "variable", name, ...this.base(start, this.offset, spaced) };
  }

  /** `$"lease-hostname"`: a name in quotes, which may not substitute anything itself. */
  private readQuotedName(dollar: number): string {
    const parts = this.readString();
    if (parts.some((part) => part.kind !== "text")) {
      throw new ScriptError("a quoted variable name cannot contain substitutions", this.positionAt(dollar));
    }
    const name = parts.map((part) => (part.kind === "text" ? part.text : "")).join("");
    if (!name) throw new ScriptError("empty variable name", this.positionAt(dollar));
    return name;
  }

  private readWord(): string {
    const start = this.offset;
    while (WORD_CHAR.test(this.source[this.offset] ?? "")) this.offset++;
    return this.source.slice(start, this.offset);
  }

  /** Reads a string whose opening quote is at the current offset. */
  private readString(): StringPart[] {
    const opening = this.offset;
    this.offset++;
    const parts: StringPart[] = [];
    let text = "";
    const flushText = (): void => {
      if (text) parts.push({ kind: "text", text });
      text = "";
    };
    for (;;) {
      const char = this.source[this.offset];
      if (char === undefined) throw new ScriptError("unterminated string", this.positionAt(opening));
      if (char === '"') {
        this.offset++;
        flushText();
        return parts;
      }
      if (char === "\\") {
        text += this.readEscape();
      } else if (char === "$") {
        flushText();
        parts.push(this.readSubstitution());
      } else {
        text += char;
        this.offset++;
      }
    }
  }

  private readEscape(): string {
    const backslash = this.offset;
    const next = this.source[backslash + 1] ?? "";
    if (this.isLineBreakAt(backslash + 1)) {
      // A string continued on the next line; the next line's indentation is not part of it.
      this.offset = this.afterLineBreak(backslash + 1);
      while (this.source[this.offset] === " " || this.source[this.offset] === "\t") this.offset++;
      return "";
    }
    const hex = this.source.slice(backslash + 1, backslash + 3);
    if (UPPER_HEX.test(hex)) {
      const code = Number.parseInt(hex, 16);
      if (code > 0x7f) {
        throw new ScriptError(`escape \\${hex} is a non-ASCII byte, which is not supported`, this.positionAt(backslash));
      }
      this.offset += 3;
      return String.fromCharCode(code);
    }
    const escaped = ESCAPES[next];
    if (escaped === undefined) throw new ScriptError(`unknown escape "\\${next}" in string`, this.positionAt(backslash));
    this.offset += 2;
    return escaped;
  }

  private readSubstitution(): StringPart {
    const dollar = this.offset;
    const position = this.positionAt(dollar);
    const next = this.source[dollar + 1] ?? "";
    if (next === "(" || next === "[") {
      this.offset += 2;
      const tokens = this.readUntil(CLOSER[next]);
      tokens.push({ kind: "eof", ...this.base(this.offset, this.offset, false) });
      this.offset++;
      return { kind: "code", bracket: next, tokens, position };
    }
    this.offset++;
    const name = this.readWord();
    if (!name) {
      throw new ScriptError('"$" in a string must start a variable; write \\$ for a dollar sign', position);
    }
    return { kind: "variable", name, position };
  }

  private isLineBreakAt(offset: number): boolean {
    const char = this.source[offset];
    return char === "\n" || char === "\r";
  }

  private afterLineBreak(offset: number): number {
    return this.source[offset] === "\r" && this.source[offset + 1] === "\n" ? offset + 2 : offset + 1;
  }

  private base(start: number, end: number, spaced: boolean): TokenBase {
    return { start, end, spaced, position: this.positionAt(start) };
  }

  private positionAt(offset: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.lineStarts[low] ?? 0) + 1 };
  }
}
