import type { Block, Command, Expression, FetchArguments } from "./ast.ts";
import { ScriptError, undeclaredVariable, type SourcePosition } from "./errors.ts";
import { fetchResultValue, OUTPUT_USER_LIMIT, planFetch, type FetchSettings } from "./fetch-command.ts";
import type { FetchResult, ScriptHost } from "./host.ts";
import { Scope } from "./scope.ts";
import { NIL, bool, compareValues, num, parseInteger, str, toBoolean, toInteger, toText, valuesEqual, type Value } from "./values.ts";

/**
 * RouterOS has no loop limit, but a runaway loop would hang the emulator; a
 * script that needs more iterations than this is not one of ours.
 */
const MAX_LOOP_ITERATIONS = 100_000;

/** Runs a parsed script; `variables` are the pre-set ones such as `leaseBound`. */
export async function evaluate(script: Block, variables: Record<string, string>, host: ScriptHost): Promise<void> {
  const root = new Scope(undefined, host.globals ?? new Map<string, string>());
  for (const [name, value] of Object.entries(variables)) root.declareLocal(name, str(value));
  await new Evaluator(host).runBlock(script, root);
}

class Evaluator {
  private iterations = 0;

  constructor(private readonly host: ScriptHost) {}

  async runBlock(block: Block, scope: Scope): Promise<void> {
    for (const command of block.commands) await this.run(command, scope);
  }

  /** Runs one command and returns its value (what `[ ... ]` around it yields). */
  private async run(command: Command, scope: Scope): Promise<Value> {
    const position = command.position;
    switch (command.kind) {
      case "block":
        await this.runBlock(command.block, scope.child());
        return NIL;
      case "local":
        scope.declareLocal(command.name, command.value ? await this.evaluate(command.value, scope) : NIL);
        return NIL;
      case "global":
        scope.declareGlobal(command.name, command.value && (await this.evaluate(command.value, scope)));
        return NIL;
      case "set": {
        const value = command.value ? await this.evaluate(command.value, scope) : NIL;
        if (!scope.assign(command.name, value)) throw undeclaredVariable(`:set ${command.name}`, position);
        return NIL;
      }
      case "if": {
        const condition = toBoolean(await this.evaluate(command.condition, scope), ":if condition", position);
        const branch = condition ? command.then : command.otherwise;
        if (branch) await this.runBlock(branch, scope.child());
        return NIL;
      }
      case "do":
        try {
          await this.runBlock(command.body, scope.child());
        } catch (error) {
          if (!(error instanceof ScriptError) || !command.onError) throw error;
          await this.runBlock(command.onError, scope.child());
        }
        return NIL;
      case "while":
        while (toBoolean(await this.evaluate(command.condition, scope), ":while condition", position)) {
          this.countIteration(":while", position);
          await this.runBlock(command.body, scope.child());
        }
        return NIL;
      case "for":
        await this.runFor(command, scope);
        return NIL;
      case "log":
        this.host.log(command.topic, toText(await this.evaluate(command.message, scope)));
        return NIL;
      case "put":
        this.host.put(toText(await this.evaluate(command.value, scope)));
        return NIL;
      case "error":
        throw new ScriptError(toText(await this.evaluate(command.value, scope)));
      case "tostr":
        return str(toText(await this.evaluate(command.value, scope)));
      case "tonum":
        return toNumber(await this.evaluate(command.value, scope));
      case "typeof":
        return str((await this.evaluate(command.value, scope)).type);
      case "len":
        return num(BigInt(lengthOf(await this.evaluate(command.value, scope))));
      case "pick":
        return this.runPick(command, scope);
      case "find":
        return this.runFind(command, scope);
      case "fetch":
        return this.runFetch(command.arguments, scope, position);
      case "foreach":
        await this.runForeach(command, scope);
        return NIL;
      case "menu":
        return this.runMenu(command, scope);
    }
  }

  /** `:foreach item in=... do={ }`: over an array's values; any other value is one item. */
  private async runForeach(command: Extract<Command, { kind: "foreach" }>, scope: Scope): Promise<void> {
    const items = await this.evaluate(command.items, scope);
    const values = items.type === "array" ? [...items.entries.values()] : items.type === "nil" ? [] : [items];
    for (const value of values) {
      this.countIteration(":foreach", command.position);
      const body = scope.child();
      body.declareLocal(command.variable, value);
      await this.runBlock(command.body, body);
    }
  }

  private async runMenu(command: Extract<Command, { kind: "menu" }>, scope: Scope): Promise<Value> {
    const label = `/${command.path.replaceAll("/", " ")} ${command.verb}`;
    if (!this.host.menu) throw new ScriptError(`${label}: this host runs no menu commands`, command.position);
    const positional: Value[] = [];
    for (const expression of command.positional) positional.push(await this.evaluate(expression, scope));
    const named: [string, Value][] = [];
    for (const [name, expression] of command.named) named.push([name, await this.evaluate(expression, scope)]);
    try {
      return await this.host.menu({ path: command.path, verb: command.verb, positional, named });
    } catch (error) {
      if (error instanceof ScriptError && error.position) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new ScriptError(`${label}: ${message}`, command.position);
    }
  }

  /** `:for` counts down when `to` is below `from` and no step is given, as RouterOS does. */
  private async runFor(command: Extract<Command, { kind: "for" }>, scope: Scope): Promise<void> {
    const position = command.position;
    const from = toInteger(await this.evaluate(command.from, scope), ":for from=", position);
    const to = toInteger(await this.evaluate(command.to, scope), ":for to=", position);
    const step = command.step ? toInteger(await this.evaluate(command.step, scope), ":for step=", position) : to < from ? -1n : 1n;
    if (step === 0n) throw new ScriptError(":for step= must not be 0", position);
    for (let counter = from; step > 0n ? counter <= to : counter >= to; counter += step) {
      this.countIteration(":for", position);
      const body = scope.child();
      body.declareLocal(command.variable, num(counter));
      await this.runBlock(command.body, body);
    }
  }

  /**
   * `:pick text start [end]`: characters start..end-1, or the one at start; out of range gives less
   * or "". On an array it picks elements (manual "Scripting", `:pick`: "return range of elements or
   * substring. If end position is not specified, will return only one element from an array"), so
   * `[:pick [find] 0]` is the first item's id.
   */
  private async runPick(command: Extract<Command, { kind: "pick" }>, scope: Scope): Promise<Value> {
    const picked = await this.evaluate(command.text, scope);
    const start = toInteger(await this.evaluate(command.start, scope), ":pick start", command.position);
    const end = command.end ? toInteger(await this.evaluate(command.end, scope), ":pick end", command.position) : start + 1n;
    if (picked.type === "array") {
      const elements = [...picked.entries.values()];
      const from = Number(clamp(start, 0n, BigInt(elements.length)));
      const range = elements.slice(from, Number(clamp(end, BigInt(from), BigInt(elements.length))));
      if (command.end) return { type: "array", entries: new Map(range.map((element, index) => [String(index), element])) };
      return range[0] ?? NIL;
    }
    const text = toText(picked);
    const length = BigInt(text.length);
    const from = clamp(start, 0n, length);
    return str(text.slice(Number(from), Number(clamp(end, from, length))));
  }

  /** `:find text needle [start]`: RouterOS searches after `start` (default -1, i.e. from 0); nil when absent. */
  private async runFind(command: Extract<Command, { kind: "find" }>, scope: Scope): Promise<Value> {
    const text = toText(await this.evaluate(command.text, scope));
    const needle = toText(await this.evaluate(command.needle, scope));
    const start = command.start ? toInteger(await this.evaluate(command.start, scope), ":find start", command.position) : -1n;
    const from = start + 1n;
    if (from > BigInt(text.length)) return NIL;
    const found = text.indexOf(needle, Number(clamp(from, 0n, BigInt(text.length))));
    return found < 0 ? NIL : num(BigInt(found));
  }

  private async runFetch(fetchArguments: FetchArguments, scope: Scope, position: SourcePosition): Promise<Value> {
    const text = async (expression: Expression | undefined): Promise<string | undefined> =>
      expression && toText(await this.evaluate(expression, scope));
    const settings: FetchSettings = {
      url: await text(fetchArguments.url),
      httpMethod: await text(fetchArguments.httpMethod),
      httpHeaderField: await text(fetchArguments.httpHeaderField),
      httpData: await text(fetchArguments.httpData),
      output: await text(fetchArguments.output),
      checkCertificate: await text(fetchArguments.checkCertificate),
      keepResult: await text(fetchArguments.keepResult),
      idleTimeout: await text(fetchArguments.idleTimeout),
      asValue: fetchArguments.asValue,
    };
    const plan = planFetch(settings, position);
    let result: FetchResult;
    try {
      result = await this.host.fetch(plan.request);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ScriptError(`/tool fetch: ${message}`, position);
    }
    if (plan.returnsBody && Buffer.byteLength(result.body) > OUTPUT_USER_LIMIT) {
      throw new ScriptError(`/tool fetch: failure: answer larger than ${OUTPUT_USER_LIMIT} bytes for output=user`, position);
    }
    if (plan.asValue) return fetchResultValue(result, plan.returnsBody);
    if (plan.returnsBody) this.host.put(result.body);
    return NIL;
  }

  private countIteration(loop: string, position: SourcePosition): void {
    this.iterations++;
    if (this.iterations > MAX_LOOP_ITERATIONS) {
      throw new ScriptError(`${loop} ran more than ${MAX_LOOP_ITERATIONS} iterations`, position);
    }
  }

  private async evaluate(expression: Expression, scope: Scope): Promise<Value> {
    const position = expression.position;
    switch (expression.kind) {
      case "literal":
        return expression.value;
      case "variable": {
        const value = scope.lookup(expression.name);
        if (value === undefined) throw undeclaredVariable(`$${expression.name}`, position);
        return value;
      }
      case "interpolation": {
        let text = "";
        for (const part of expression.parts) text += toText(await this.evaluate(part, scope));
        return str(text);
      }
      case "unary": {
        const operand = await this.evaluate(expression.operand, scope);
        if (expression.operator === "!") return bool(!toBoolean(operand, 'operator "!"', position));
        return num(-toInteger(operand, 'operator "-"', position));
      }
      case "binary":
        return this.evaluateBinary(expression, scope);
      case "member": {
        const target = await this.evaluate(expression.target, scope);
        if (target.type !== "array") throw new ScriptError(`"->" needs an array, got ${target.type}`, position);
        return target.entries.get(toText(await this.evaluate(expression.key, scope))) ?? NIL;
      }
      case "substitution":
        return this.run(expression.command, scope);
    }
  }

  private async evaluateBinary(expression: Extract<Expression, { kind: "binary" }>, scope: Scope): Promise<Value> {
    const { operator, position } = expression;
    const left = await this.evaluate(expression.left, scope);
    if (operator === "&&" || operator === "||") {
      // Short-circuit: the right side is only evaluated when it decides the result.
      const leftTruth = toBoolean(left, `operator "${operator}"`, position);
      if (leftTruth === (operator === "||")) return bool(leftTruth);
      return bool(toBoolean(await this.evaluate(expression.right, scope), `operator "${operator}"`, position));
    }
    const right = await this.evaluate(expression.right, scope);
    switch (operator) {
      case "=":
        return bool(valuesEqual(left, right));
      case "!=":
        return bool(!valuesEqual(left, right));
      case "<":
        return bool(compareValues(left, right, operator, position) < 0);
      case ">":
        return bool(compareValues(left, right, operator, position) > 0);
      case "<=":
        return bool(compareValues(left, right, operator, position) <= 0);
      case ">=":
        return bool(compareValues(left, right, operator, position) >= 0);
      case "~":
        return bool(matchesRegex(toText(left), toText(right), position));
      case ".":
        return str(toText(left) + toText(right));
      case "+":
        return num(toInteger(left, 'operator "+"', position) + toInteger(right, 'operator "+"', position));
      case "-":
        return num(toInteger(left, 'operator "-"', position) - toInteger(right, 'operator "-"', position));
    }
  }
}

/** `text ~ pattern`. RouterOS reads the pattern as a POSIX extended regex; the anchors, bracket
 * expressions and repetitions that scripts use mean the same in JavaScript's. */
function matchesRegex(text: string, pattern: string, position: SourcePosition): boolean {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch {
    throw new ScriptError(`operator "~": invalid regular expression "${pattern}"`, position);
  }
  return regex.test(text);
}

function clamp(value: bigint, low: bigint, high: bigint): bigint {
  return value < low ? low : value > high ? high : value;
}

function lengthOf(value: Value): number {
  return value.type === "array" ? value.entries.size : toText(value).length;
}

/** `:tonum`: numbers stay, integer strings convert, anything else is nil. */
function toNumber(value: Value): Value {
  if (value.type === "num") return value;
  const parsed = value.type === "str" ? parseInteger(value.value) : undefined;
  return parsed === undefined ? NIL : num(parsed);
}
