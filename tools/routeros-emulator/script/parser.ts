import type { BinaryOperator, Block, Command, Expression, FetchArguments } from "./ast.ts";
import { ScriptError, type SourcePosition } from "./errors.ts";
import { MENU_VERBS, type LogTopic, type MenuVerb } from "./host.ts";
import type { StringPart, Token } from "./tokenizer.ts";
import { bool, parseInteger, parseIpLiteral, parseTimeLiteral, str, num, type Value } from "./values.ts";

/** Turns the tokens of a whole script into its top-level block. */
export function parse(tokens: readonly Token[], source: string, fetchArguments?: ReadonlySet<string>): Block {
  const parser = new Parser(tokens, source, fetchArguments);
  const position = tokens[0]?.position ?? { line: 1, column: 1 };
  return { commands: parser.parseCommands(undefined), position };
}

type ArgumentValue =
  | { readonly kind: "expression"; readonly expression: Expression; readonly bare: string | undefined }
  | { readonly kind: "block"; readonly block: Block };

/** Omit applied to each member of a union, so the kinds stay apart. */
type WithoutPosition<Node> = Node extends unknown ? Omit<Node, "position"> : never;

/** A command without its position, as a builder produces it. */
type CommandBody = WithoutPosition<Command>;

interface Argument {
  /** `undefined` for a positional argument. */
  readonly name: string | undefined;
  readonly value: ArgumentValue;
  readonly position: SourcePosition;
}

const LOG_TOPICS: readonly LogTopic[] = ["info", "warning", "error", "debug"];
const STRUCTURAL = new Set(["(", ")", "[", "]", "{", "}"]);
const CLOSERS = new Set([")", "]", "}"]);
const UNSUPPORTED_OPERATORS = new Set(["*", "/", "%", "^", "&", "|", "<<", ">>", ",", "in"]);
const COMPARISONS = new Set(["=", "!=", "<", ">", "<=", ">=", "~"]);

/** Binary operators by how tightly they bind, loosest first; word forms map to their symbols. */
const PRECEDENCE: readonly ReadonlyMap<string, BinaryOperator>[] = [
  new Map([
    ["||", "||"],
    ["or", "||"],
  ]),
  new Map([
    ["&&", "&&"],
    ["and", "&&"],
  ]),
  new Map([
    ["=", "="],
    ["!=", "!="],
    ["<", "<"],
    [">", ">"],
    ["<=", "<="],
    [">=", ">="],
    ["~", "~"],
  ]),
  new Map([[".", "."]]),
  new Map([
    ["+", "+"],
    ["-", "-"],
  ]),
];
const SINGLE_VALUE_COMMANDS = ["put", "tostr", "tonum", "len", "typeof", "error"] as const;
const FETCH_PATH = "tool/fetch";

/** The arguments a command was written with, taken one by one by the command's builder. */
class CommandArguments {
  private readonly remaining: Argument[];

  constructor(
    private readonly command: string,
    private readonly position: SourcePosition,
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

  /** The next unnamed value, which must be there. */
  value(what: string): Expression {
    return expressionOf(this.required(this.positional(), what), `${this.command} ${what}`);
  }

  optionalValue(what: string): Expression | undefined {
    const argument = this.positional();
    return argument && expressionOf(argument, `${this.command} ${what}`);
  }

  namedValue(name: string): Expression {
    return expressionOf(this.required(this.named(name), `${name}=`), `${this.command} ${name}=`);
  }

  optionalNamedValue(name: string): Expression | undefined {
    const argument = this.named(name);
    return argument && expressionOf(argument, `${this.command} ${name}=`);
  }

  /** A `{ }` block, unnamed when `name` is undefined. */
  block(name: string | undefined): Block {
    const argument = name === undefined ? this.positional() : this.named(name);
    const what = name === undefined ? "a { } block" : `${name}=`;
    return blockOf(this.required(argument, what), `${this.command} ${what}`);
  }

  optionalBlock(name: string): Block | undefined {
    const argument = this.named(name);
    return argument && blockOf(argument, `${this.command} ${name}=`);
  }

  /** A bare word that must be one of `choices` (`:log info`). */
  choice<Choice extends string>(what: string, choices: readonly Choice[]): Choice {
    const argument = this.required(this.positional(), what);
    const word = argument.value.kind === "expression" ? argument.value.bare : undefined;
    const chosen = choices.find((candidate) => candidate === word);
    if (!chosen) throw new ScriptError(`${this.command} ${what} must be one of ${choices.join(", ")}`, argument.position);
    return chosen;
  }

  /** A name written bare (`:local name`) or, where `allowVariable`, also as `$name` (`:set $name`). */
  name(what: string, allowVariable: boolean): string {
    const argument = this.required(this.positional(), what);
    const value = argument.value;
    if (value.kind === "expression" && value.bare !== undefined) return value.bare;
    if (allowVariable && value.kind === "expression" && value.expression.kind === "variable") return value.expression.name;
    throw new ScriptError(`${this.command} ${what} must be a plain name`, argument.position);
  }

  /** Anything left over was not understood, so it must not be ignored. */
  finish(): void {
    const extra = this.remaining[0];
    if (!extra) return;
    const what = extra.name === undefined ? "an extra value" : `argument "${extra.name}"`;
    throw new ScriptError(`${this.command}: ${what} is not supported`, extra.position);
  }

  private required(argument: Argument | undefined, what: string): Argument {
    if (!argument) throw new ScriptError(`${this.command} needs ${what}`, this.position);
    return argument;
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

function isMenuVerb(segment: string | undefined): segment is MenuVerb {
  return MENU_VERBS.some((verb) => verb === segment);
}

function literalOfBare(text: string, position: SourcePosition, inExpression: boolean): Value {
  const integer = parseInteger(text);
  if (integer !== undefined) return num(integer);
  if (text === "true" || text === "false") return bool(text === "true");
  if (inExpression && (text === "yes" || text === "no")) return bool(text === "yes");
  const typed = parseIpLiteral(text) ?? parseTimeLiteral(text);
  if (typed) return typed;
  if (/^[0-9]/.test(text)) {
    throw new ScriptError(`literal "${text}" is not supported (only integers, IP addresses and times; no prefixes or fractions)`, position);
  }
  return str(text);
}

/** What ends a command's arguments: the end of the command or a closing bracket. */
function endsArguments(token: Token): boolean {
  return token.kind === "end" || token.kind === "eof" || (token.kind === "punct" && CLOSERS.has(token.text));
}

/** Tokens that may be part of an unquoted value. */
function isBareable(token: Token): boolean {
  return token.kind === "word" || (token.kind === "punct" && !STRUCTURAL.has(token.text));
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
    /** The router version's `/tool fetch` arguments; see ScriptHost.fetchArguments. */
    private readonly fetchArguments?: ReadonlySet<string>,
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
    const builder = Parser.builderFor(name);
    if (!builder) throw new ScriptError(`${label} is not supported`, position);
    const args = new CommandArguments(label, position, this.parseArguments());
    const command: Command = { ...builder(args), position };
    args.finish();
    return command;
  }

  /** How each supported global command reads its arguments. */
  private static builderFor(name: string): ((args: CommandArguments) => CommandBody) | undefined {
    switch (name) {
      case "local":
      case "global":
        return (args) => ({ kind: name, name: args.name("variable name", false), value: args.optionalValue("value") });
      case "set":
        return (args) => ({ kind: "set", name: args.name("variable name", true), value: args.optionalValue("value") });
      case "if":
        return (args) => ({
          kind: "if",
          condition: args.value("condition"),
          then: args.block("do"),
          otherwise: args.optionalBlock("else"),
        });
      case "do":
        return (args) => {
          const loop = args.named("while");
          if (loop) throw new ScriptError(":do ... while= is not supported", loop.position);
          return { kind: "do", body: args.block(undefined), onError: args.optionalBlock("on-error") };
        };
      case "while":
        return (args) => ({ kind: "while", condition: args.value("condition"), body: args.block("do") });
      case "foreach":
        return (args) => ({
          kind: "foreach",
          variable: args.name("loop variable", false),
          items: args.namedValue("in"),
          body: args.block("do"),
        });
      case "for":
        return (args) => ({
          kind: "for",
          variable: args.name("loop variable", false),
          from: args.namedValue("from"),
          to: args.namedValue("to"),
          step: args.optionalNamedValue("step"),
          body: args.block("do"),
        });
      case "log":
        return (args) => ({
          kind: "log",
          topic: args.choice("topic", LOG_TOPICS),
          message: args.optionalValue("message") ?? args.namedValue("message"),
        });
      case "pick":
        return (args) => ({ kind: "pick", text: args.value("string"), start: args.value("start"), end: args.optionalValue("end") });
      case "find":
        return (args) => ({ kind: "find", text: args.value("string"), needle: args.value("needle"), start: args.optionalValue("start") });
      default: {
        const single = SINGLE_VALUE_COMMANDS.find((candidate) => candidate === name);
        return single && ((args) => ({ kind: single, value: args.value("value") }));
      }
    }
  }

  /**
   * `/tool fetch`, or a menu command written with its full path (`/ip hotspot user add ...`,
   * `/ip/hotspot/user/add ...`): the path ends at its verb, one of MENU_VERBS.
   */
  private parseMenuCommand(position: SourcePosition): Command {
    this.index++;
    const segments = [this.readPathSegment()];
    const complete = (): boolean => segments.join("/") === FETCH_PATH || isMenuVerb(segments.at(-1));
    for (;;) {
      const next = this.peek();
      if (complete()) break;
      if (this.isPunct(next, "/") && !next.spaced) {
        this.index++;
        segments.push(this.readPathSegment());
      } else if (next.kind === "word" && !this.namedArgumentAhead()) {
        segments.push(this.readPathSegment());
      } else {
        break;
      }
    }
    if (segments.join("/") !== FETCH_PATH) return this.parseMenuVerb(segments, position);
    const written = this.parseArguments();
    for (const argument of written) {
      const name = argument.name ?? (argument.value.kind === "expression" ? argument.value.bare : undefined);
      // RouterOS checks a whole script before it runs any of it: an argument its /tool fetch
      // does not have (idle-timeout before 7.19) stops the script there.
      if (this.fetchArguments && name !== undefined && !this.fetchArguments.has(name)) {
        throw new ScriptError("expected end of command", argument.position);
      }
    }
    const args = new CommandArguments("/tool fetch", position, written);
    const fetchArguments: FetchArguments = {
      url: args.optionalNamedValue("url"),
      httpMethod: args.optionalNamedValue("http-method"),
      httpHeaderField: args.optionalNamedValue("http-header-field"),
      httpData: args.optionalNamedValue("http-data"),
      output: args.optionalNamedValue("output"),
      checkCertificate: args.optionalNamedValue("check-certificate"),
      keepResult: args.optionalNamedValue("keep-result"),
      idleTimeout: args.optionalNamedValue("idle-timeout"),
      asValue: this.takeFlag(args, "as-value"),
    };
    args.finish();
    return { kind: "fetch", arguments: fetchArguments, position };
  }

  /** A menu command: its values, positional or named; a `{ }` block is no value. */
  private parseMenuVerb(segments: string[], position: SourcePosition): Command {
    const verb = segments.at(-1);
    const label = `/${segments.join(" ")}`;
    if (!isMenuVerb(verb) || segments.length < 2) {
      throw new ScriptError(`${label} is not supported (menu commands must end in one of ${MENU_VERBS.join(", ")})`, position);
    }
    const positional: Expression[] = [];
    const named: [string, Expression][] = [];
    for (const argument of this.parseArguments()) {
      if (argument.name === undefined && argument.value.kind === "expression" && argument.value.bare === "where") {
        throw new ScriptError(`${label}: "where" is not supported; give the properties to match as name=value`, argument.position);
      }
      const expression = expressionOf(argument, `${label} ${argument.name ?? "value"}`);
      if (argument.name === undefined) positional.push(expression);
      else named.push([argument.name, expression]);
    }
    return { kind: "menu", path: segments.slice(0, -1).join("/"), verb, positional, named, position };
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
      if (endsArguments(token)) return result;
      if (this.namedArgumentAhead()) {
        const name = this.readName();
        this.index++;
        const valueToken = this.peek();
        // `name=` followed by a space is RouterOS's way of writing an empty value.
        const empty = valueToken.spaced || endsArguments(valueToken);
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
    } else if (isBareable(token)) {
      const bare = this.readBare();
      const literal = literalOfBare(bare, token.position, false);
      value = { kind: "expression", expression: { kind: "literal", value: literal, position: token.position }, bare };
    } else {
      value = { kind: "expression", expression: this.parseOperand(), bare: undefined };
    }
    const next = this.peek();
    if (!next.spaced && !endsArguments(next)) {
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
      if (next.spaced || !isBareable(next)) break;
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
          const inner = new Parser(part.tokens, this.source, this.fetchArguments);
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

  /** Precedence climbing over PRECEDENCE, one level per call. */
  private parseBinary(level: number): Expression {
    const operators = PRECEDENCE[level];
    if (!operators) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    for (;;) {
      const token = this.peek();
      const text = token.kind === "punct" || token.kind === "word" ? token.text : "";
      if (UNSUPPORTED_OPERATORS.has(text)) throw new ScriptError(`operator "${text}" is not supported`, token.position);
      const operator = operators.get(text);
      if (!operator) return left;
      this.index++;
      const right = this.parseBinary(level + 1);
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
        keyToken.kind === "word" ? { kind: "literal", value: str(this.readName()), position: keyToken.position } : this.parseOperand();
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
      // An IP address written in an expression: `($address = 192.0.2.3)`.
      this.index--;
      const text = this.readBare();
      const address = parseIpLiteral(text);
      if (!address) throw new ScriptError(`literal "${text}" is not supported (no prefixes or fractions)`, token.position);
      return { kind: "literal", value: address, position: token.position };
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
