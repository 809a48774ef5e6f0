import type { BinaryOperator, Block, Command, Expression, FetchArguments } from "./ast.ts";
import { ScriptError, type SourcePosition } from "./errors.ts";
import type { LogTopic } from "./host.ts";
import type { StringPart, Token } from "./tokenizer.ts";
import { bool, parseInteger, str, num, type Value } from "./values.ts";

/** Turns the tokens of a whole script into its top-level block. */
export function parse(tokens: readonly Token[], source: string): Block {
  const parser = new Parser(tokens, source);
  const position = tokens[0]?.position ?? { line: 1, column: 1 };
  return { commands: parser.parseCommands(undefined), position };
}

type ArgumentValue =
  | { readonly kind: "expression"; readonly expression: Expression; readonly bare: string | undefined }
  | { readonly kind: "block"; readonly block: Block };

interface Argument {
  /** `undefined` for a positional argument. */
  readonly name: string | undefined;
  readonly value: ArgumentValue;
  readonly position: SourcePosition;
}

const LOG_TOPICS: readonly LogTopic[] = ["info", "warning", "error", "debug"];
const STRUCTURAL = new Set(["(", ")", "[", "]", "{", "}"]);
const UNSUPPORTED_OPERATORS = new Set(["*", "/", "%", "~", "^", "&", "|", "<<", ">>", ",", "in"]);
const COMPARISONS = new Set(["=", "!=", "<", ">", "<=", ">="]);
const SINGLE_VALUE_COMMANDS = ["put", "tostr", "tonum", "len", "typeof", "error"] as const;
const FETCH_PATH = "tool/fetch";

/** The arguments a command was written with, taken one by one by the command's builder. */
class CommandArguments {
  private readonly remaining: Argument[];

  constructor(
    private readonly command: string,
    arguments_: readonly Argument[],
  ) {
    this.remaining = [...arguments_];
  }

  positional(): Argument | undefined {
    return this.take((argument) => argument.name === undefined);
  }

  named(name: string): Argument | undefined {
    return this.take((argument) => argument.name === name);
  }

  requiredPositional(what: string, position: SourcePosition): Argument {
    const argument = this.positional();
    if (!argument) throw new ScriptError(`${this.command} needs ${what}`, position);
    return argument;
  }

  requiredNamed(name: string, position: SourcePosition): Argument {
    const argument = this.named(name);
    if (!argument) throw new ScriptError(`${this.command} needs ${name}=`, position);
    return argument;
  }

  /** Anything left over was not understood, so it must not be ignored. */
  finish(): void {
    const extra = this.remaining[0];
    if (!extra) return;
    const what = extra.name === undefined ? "an extra value" : `argument "${extra.name}"`;
    throw new ScriptError(`${this.command}: ${what} is not supported`, extra.position);
  }

  private take(matches: (argument: Argument) => boolean): Argument | undefined {
    const index = this.remaining.findIndex(matches);
    if (index < 0) return undefined;
    return this.remaining.splice(index, 1)[0];
  }
}

function expressionOf(argument: Argument, what: string): Expression {
  if (argument.value.kind === "block") throw new ScriptError(`${what} must be a value, not a { } block`, argument.position);
  return argument.value.expression;
}

function blockOf(argument: Argument, what: string): Block {
  if (argument.value.kind !== "block") throw new ScriptError(`${what} must be a { } block`, argument.position);
  return argument.value.block;
}

/** A name written bare (`:local name`) or, for `:set`, also as `$name`. */
function nameOf(argument: Argument, what: string, allowVariable: boolean): string {
  const value = argument.value;
  if (value.kind === "expression" && value.bare !== undefined) return value.bare;
  if (allowVariable && value.kind === "expression" && value.expression.kind === "variable") return value.expression.name;
  throw new ScriptError(`${what} must be a plain name`, argument.position);
}

function literalOfBare(text: string, position: SourcePosition, inExpression: boolean): Value {
  const integer = parseInteger(text);
  if (integer !== undefined) return num(integer);
  if (text === "true" || text === "false") return bool(text === "true");
  if (inExpression && (text === "yes" || text === "no")) return bool(text === "yes");
  if (/^[0-9]/.test(text)) {
    throw new ScriptError(`literal "${text}" is not supported (only integers; no times, IP addresses or fractions)`, position);
  }
  return str(text);
}

function describeToken(token: Token): string {
  switch (token.kind) {
    case "word":
    case "punct":
      return `"${token.text}"`;
    case "string":
      return "a string";
    case "variable":
      return `$${token.name}`;
    case "end":
      return "end of command";
    case "eof":
      return "end of script";
  }
}

class Parser {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly source: string,
  ) {}

  /** Commands up to `closer` (not consumed) or to the end of the tokens. */
  parseCommands(closer: "}" | "]" | undefined): Command[] {
    const commands: Command[] = [];
    for (;;) {
      while (this.peek().kind === "end") this.index++;
      const token = this.peek();
      if (token.kind === "eof" || (closer && this.isPunct(token, closer))) return commands;
      commands.push(this.parseCommand());
      const after = this.peek();
      if (after.kind !== "end" && after.kind !== "eof" && !(closer && this.isPunct(after, closer))) {
        throw new ScriptError(`unexpected ${describeToken(after)}`, after.position);
      }
    }
  }

  private parseCommand(): Command {
    const token = this.peek();
    const position = token.position;
    if (this.isPunct(token, "{")) return { kind: "block", block: this.parseBlock(), position };
    if (this.isPunct(token, ":")) {
      this.index++;
      const name = this.peek();
      if (name.kind !== "word" || name.spaced) throw new ScriptError('":" must be followed by a command name', position);
      this.index++;
      return this.parseGlobalCommand(name.text, position);
    }
    if (this.isPunct(token, "/")) return this.parseMenuCommand(position);
    if (token.kind === "word") {
      // Inside scripts RouterOS also accepts its global commands without the ":".
      this.index++;
      return this.parseGlobalCommand(token.text, position);
    }
    if (token.kind === "variable") {
      throw new ScriptError(`calling $${token.name} as a function is not supported`, position);
    }
    throw new ScriptError(`unexpected ${describeToken(token)}`, position);
  }

  private parseGlobalCommand(name: string, position: SourcePosition): Command {
    const label = `:${name}`;
    const builder = this.builderFor(name);
    if (!builder) throw new ScriptError(`${label} is not supported`, position);
    const args = new CommandArguments(label, this.parseArguments());
    const command = builder(args, position);
    args.finish();
    return command;
  }

  private builderFor(name: string): ((args: CommandArguments, position: SourcePosition) => Command) | undefined {
    const label = `:${name}`;
    switch (name) {
      case "local":
      case "global":
        return (args, position) => {
          const variable = nameOf(args.requiredPositional("a variable name", position), `${label} name`, false);
          const value = args.positional();
          return { kind: name, name: variable, value: value && expressionOf(value, `${label} value`), position };
        };
      case "set":
        return (args, position) => {
          const variable = nameOf(args.requiredPositional("a variable name", position), ":set name", true);
          const value = args.positional();
          return { kind: "set", name: variable, value: value && expressionOf(value, ":set value"), position };
        };
      case "if":
        return (args, position) => {
          const condition = expressionOf(args.requiredPositional("a condition", position), ":if condition");
          const then = blockOf(args.requiredNamed("do", position), ":if do=");
          const otherwise = args.named("else");
          return { kind: "if", condition, then, otherwise: otherwise && blockOf(otherwise, ":if else="), position };
        };
      case "do":
        return (args, position) => {
          const body = blockOf(args.requiredPositional("a { } block", position), ":do body");
          const loop = args.named("while");
          if (loop) throw new ScriptError(":do ... while= is not supported", loop.position);
          const onError = args.named("on-error");
          return { kind: "do", body, onError: onError && blockOf(onError, ":do on-error="), position };
        };
      case "while":
        return (args, position) => {
          const condition = expressionOf(args.requiredPositional("a condition", position), ":while condition");
          return { kind: "while", condition, body: blockOf(args.requiredNamed("do", position), ":while do="), position };
        };
      case "for":
        return (args, position) => {
          const variable = nameOf(args.requiredPositional("a loop variable", position), ":for variable", false);
          const from = expressionOf(args.requiredNamed("from", position), ":for from=");
          const to = expressionOf(args.requiredNamed("to", position), ":for to=");
          const step = args.named("step");
          const body = blockOf(args.requiredNamed("do", position), ":for do=");
          return { kind: "for", variable, from, to, step: step && expressionOf(step, ":for step="), body, position };
        };
      case "log":
        return (args, position) => {
          const topicArgument = args.requiredPositional("a topic", position);
          const topic = LOG_TOPICS.find((candidate) => candidate === nameOf(topicArgument, ":log topic", false));
          if (!topic) throw new ScriptError(`:log topic must be one of ${LOG_TOPICS.join(", ")}`, topicArgument.position);
          const message = args.positional() ?? args.requiredNamed("message", position);
          return { kind: "log", topic, message: expressionOf(message, ":log message"), position };
        };
      case "pick":
        return (args, position) => {
          const text = expressionOf(args.requiredPositional("a string", position), ":pick string");
          const start = expressionOf(args.requiredPositional("a start position", position), ":pick start");
          const end = args.positional();
          return { kind: "pick", text, start, end: end && expressionOf(end, ":pick end"), position };
        };
      case "find":
        return (args, position) => {
          const text = expressionOf(args.requiredPositional("a string", position), ":find string");
          const needle = expressionOf(args.requiredPositional("what to find", position), ":find needle");
          const start = args.positional();
          return { kind: "find", text, needle, start: start && expressionOf(start, ":find start"), position };
        };
      default: {
        const single = SINGLE_VALUE_COMMANDS.find((candidate) => candidate === name);
        if (!single) return undefined;
        return (args, position) => ({
          kind: single,
          value: expressionOf(args.requiredPositional("a value", position), label),
          position,
        });
      }
    }
  }

  /** `/tool fetch` and `/tool/fetch`; every other menu is outside the supported subset. */
  private parseMenuCommand(position: SourcePosition): Command {
    this.index++;
    const segments = [this.readPathSegment()];
    for (;;) {
      const next = this.peek();
      if (this.isPunct(next, "/") && !next.spaced) {
        this.index++;
        segments.push(this.readPathSegment());
      } else if (segments.join("/") !== FETCH_PATH && next.kind === "word" && !this.namedArgumentAhead()) {
        segments.push(this.readPathSegment());
      } else {
        break;
      }
    }
    if (segments.join("/") !== FETCH_PATH) {
      throw new ScriptError(`/${segments.join(" ")} is not supported (of the menus, scripts may only use /tool fetch)`, position);
    }
    const args = new CommandArguments("/tool fetch", this.parseArguments());
    const expression = (name: string): Expression | undefined => {
      const argument = args.named(name);
      return argument && expressionOf(argument, `/tool fetch ${name}=`);
    };
    const fetchArguments: FetchArguments = {
      url: expression("url"),
      httpMethod: expression("http-method"),
      httpHeaderField: expression("http-header-field"),
      httpData: expression("http-data"),
      output: expression("output"),
      checkCertificate: expression("check-certificate"),
      keepResult: expression("keep-result"),
      asValue: this.takeFlag(args, "as-value"),
    };
    args.finish();
    return { kind: "fetch", arguments: fetchArguments, position };
  }

  private takeFlag(args: CommandArguments, flag: string): boolean {
    const argument = args.positional();
    if (!argument) return false;
    if (argument.value.kind === "expression" && argument.value.bare === flag) return true;
    throw new ScriptError(`/tool fetch: only the flag ${flag} may be written without a name`, argument.position);
  }

  private readPathSegment(): string {
    const first = this.peek();
    if (first.kind !== "word") throw new ScriptError(`expected a menu name, got ${describeToken(first)}`, first.position);
    return this.readName();
  }

  /** A name such as `http-method`: words joined by `-`, with nothing in between. */
  private readName(): string {
    const first = this.peek();
    let last = first;
    this.index++;
    for (;;) {
      const dash = this.peek();
      const word = this.peekAt(1);
      if (!this.isPunct(dash, "-") || dash.spaced || word.kind !== "word" || word.spaced) break;
      this.index += 2;
      last = word;
    }
    return this.source.slice(first.start, last.end);
  }

  private namedArgumentAhead(): boolean {
    const saved = this.index;
    try {
      if (this.peek().kind !== "word") return false;
      this.readName();
      const equals = this.peek();
      return this.isPunct(equals, "=") && !equals.spaced;
    } finally {
      this.index = saved;
    }
  }

  private parseArguments(): Argument[] {
    const result: Argument[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === "end" || token.kind === "eof" || (token.kind === "punct" && "}])".includes(token.text))) {
        return result;
      }
      if (this.namedArgumentAhead()) {
        const name = this.readName();
        this.index++;
        const valueToken = this.peek();
        const empty = valueToken.spaced || valueToken.kind === "end" || valueToken.kind === "eof";
        const value: ArgumentValue = empty
          ? { kind: "expression", expression: { kind: "literal", value: str(""), position: token.position }, bare: "" }
          : this.parseArgumentValue();
        result.push({ name, value, position: token.position });
      } else {
        result.push({ name: undefined, value: this.parseArgumentValue(), position: token.position });
      }
    }
  }

  private parseArgumentValue(): ArgumentValue {
    const token = this.peek();
    let value: ArgumentValue;
    if (this.isPunct(token, "{")) {
      value = { kind: "block", block: this.parseBlock() };
    } else if (token.kind === "word" || (token.kind === "punct" && !STRUCTURAL.has(token.text))) {
      const bare = this.readBare();
      value = { kind: "expression", expression: { kind: "literal", value: literalOfBare(bare, token.position, false), position: token.position }, bare };
    } else {
      value = { kind: "expression", expression: this.parseOperand(), bare: undefined };
    }
    const next = this.peek();
    if (!next.spaced && next.kind !== "end" && next.kind !== "eof" && !(next.kind === "punct" && "}])".includes(next.text))) {
      throw new ScriptError(
        `${describeToken(next)} written right after a value; put values together inside a string or join them with "." in ( )`,
        next.position,
      );
    }
    return value;
  }

  /** An unquoted value such as `post`, `-1` or `http://127.0.0.1:8069/path`, taken exactly as written. */
  private readBare(): string {
    const first = this.peek();
    let last = first;
    this.index++;
    for (;;) {
      const next = this.peek();
      const bareable = next.kind === "word" || (next.kind === "punct" && !STRUCTURAL.has(next.text));
      if (next.spaced || !bareable) break;
      last = next;
      this.index++;
    }
    return this.source.slice(first.start, last.end);
  }

  private parseBlock(): Block {
    const open = this.expectPunct("{");
    const commands = this.parseCommands("}");
    this.expectPunct("}");
    return { commands, position: open.position };
  }

  /** A string, `$variable`, `( expression )` or `[ command ]`. */
  private parseOperand(): Expression {
    const token = this.peek();
    const position = token.position;
    if (token.kind === "string") {
      this.index++;
      return this.stringExpression(token.parts, position);
    }
    if (token.kind === "variable") {
      this.index++;
      return { kind: "variable", name: token.name, position };
    }
    if (this.isPunct(token, "(")) {
      this.index++;
      const expression = this.parseExpression();
      this.expectPunct(")");
      return expression;
    }
    if (this.isPunct(token, "[")) {
      this.index++;
      const command = this.parseSubstitutedCommand(position, "]");
      this.expectPunct("]");
      return { kind: "substitution", command, position };
    }
    throw new ScriptError(`expected a value, got ${describeToken(token)}`, position);
  }

  private parseSubstitutedCommand(position: SourcePosition, closer: "]" | undefined): Command {
    const commands = this.parseCommands(closer);
    const [command] = commands;
    if (!command) throw new ScriptError("empty [ ] has no command", position);
    if (commands.length > 1) throw new ScriptError("[ ] may hold only one command", commands[1]?.position ?? position);
    return command;
  }

  private stringExpression(parts: readonly StringPart[], position: SourcePosition): Expression {
    const expressions = parts.map((part): Expression => {
      switch (part.kind) {
        case "text":
          return { kind: "literal", value: str(part.text), position };
        case "variable":
          return { kind: "variable", name: part.name, position: part.position };
        case "code": {
          const inner = new Parser(part.tokens, this.source);
          return inner.parseEmbedded(part.bracket, part.position);
        }
      }
    });
    const [single] = expressions;
    if (expressions.length === 0) return { kind: "literal", value: str(""), position };
    if (expressions.length === 1 && single?.kind === "literal") return single;
    return { kind: "interpolation", parts: expressions, position };
  }

  /** The inside of `$( ... )` or `$[ ... ]` in a string. */
  parseEmbedded(bracket: "(" | "[", position: SourcePosition): Expression {
    if (bracket === "[") return { kind: "substitution", command: this.parseSubstitutedCommand(position, undefined), position };
    const expression = this.parseExpression();
    const rest = this.peek();
    if (rest.kind !== "eof") throw new ScriptError(`unexpected ${describeToken(rest)}`, rest.position);
    return expression;
  }

  private parseExpression(): Expression {
    return this.parseBinary(0);
  }

  /** Precedence climbing; levels from loosest to tightest. */
  private static readonly LEVELS: readonly (readonly string[])[] = [
    ["||", "or"],
    ["&&", "and"],
    ["=", "!=", "<", ">", "<=", ">="],
    ["."],
    ["+", "-"],
  ];

  private parseBinary(level: number): Expression {
    const operators = Parser.LEVELS[level];
    if (!operators) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    for (;;) {
      const token = this.peek();
      const text = token.kind === "punct" || token.kind === "word" ? token.text : "";
      if (UNSUPPORTED_OPERATORS.has(text)) throw new ScriptError(`operator "${text}" is not supported`, token.position);
      if (!operators.includes(text)) return left;
      this.index++;
      const right = this.parseBinary(level + 1);
      const operator = normaliseOperator(text);
      left = { kind: "binary", operator, left, right, position: token.position };
      if (COMPARISONS.has(operator)) {
        const chained = this.peek();
        if (chained.kind === "punct" && COMPARISONS.has(chained.text)) {
          throw new ScriptError("chained comparisons are not supported; use ( ) and &&", chained.position);
        }
      }
    }
  }

  private parseUnary(): Expression {
    const token = this.peek();
    const position = token.position;
    if (this.isPunct(token, "!") || (token.kind === "word" && token.text === "not")) {
      this.index++;
      return { kind: "unary", operator: "!", operand: this.parseUnary(), position };
    }
    if (this.isPunct(token, "-")) {
      this.index++;
      return { kind: "unary", operator: "-", operand: this.parseUnary(), position };
    }
    return this.parsePostfix();
  }

  private parsePostfix(): Expression {
    let expression = this.parsePrimary();
    for (;;) {
      const arrow = this.peek();
      if (!this.isPunct(arrow, "->")) return expression;
      this.index++;
      const keyToken = this.peek();
      const key: Expression =
        keyToken.kind === "word"
          ? { kind: "literal", value: str(this.readName()), position: keyToken.position }
          : this.parseOperand();
      expression = { kind: "member", target: expression, key, position: arrow.position };
    }
  }

  private parsePrimary(): Expression {
    const token = this.peek();
    if (token.kind !== "word") return this.parseOperand();
    this.index++;
    const dot = this.peek();
    const following = this.peekAt(1);
    if (/^[0-9]/.test(token.text) && this.isPunct(dot, ".") && !dot.spaced && following.kind === "word" && !following.spaced) {
      throw new ScriptError(`literal "${token.text}.${following.text}..." is not supported (no IP addresses or fractions)`, token.position);
    }
    return { kind: "literal", value: literalOfBare(token.text, token.position, true), position: token.position };
  }

  private peek(): Token {
    return this.peekAt(0);
  }

  private peekAt(offset: number): Token {
    const token = this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
    if (!token) throw new ScriptError("empty token stream");
    return token;
  }

  private isPunct(token: Token, text: string): boolean {
    return token.kind === "punct" && token.text === text;
  }

  private expectPunct(text: string): Token {
    const token = this.peek();
    if (!this.isPunct(token, text)) throw new ScriptError(`expected "${text}", got ${describeToken(token)}`, token.position);
    this.index++;
    return token;
  }
}

function normaliseOperator(text: string): BinaryOperator {
  switch (text) {
    case "or":
      return "||";
    case "and":
      return "&&";
    case "||":
    case "&&":
    case "=":
    case "!=":
    case "<":
    case ">":
    case "<=":
    case ">=":
    case ".":
    case "+":
    case "-":
      return text;
    default:
      throw new ScriptError(`operator "${text}" is not supported`);
  }
}
