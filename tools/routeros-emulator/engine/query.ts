import { Trap, TrapCategory } from "./trap.ts";

type Predicate = (item: Record<string, string>) => boolean;

/** One query word compiled: either a test that pushes a result, or stack operations (`?#`). */
type Step = { kind: "test"; test: Predicate } | { kind: "operations"; operations: string };

/**
 * Compiles RouterOS's stack-based print queries (`?name`, `?-name`, `?=name=x`, `?<name=x`,
 * `?>name=x`, `?#|&!.` and digits) into one predicate. An item matches when every value left
 * on the stack is true; no query matches everything.
 */
export function compileQuery(words: readonly string[]): Predicate {
  const steps = words.map(compileWord);
  if (steps.length === 0) return () => true;
  return (item) => {
    const stack: boolean[] = [];
    for (const step of steps) {
      if (step.kind === "test") stack.push(step.test(item));
      else applyOperations(stack, step.operations);
    }
    return stack.every(Boolean);
  };
}

function compileWord(word: string): Step {
  const body = word.slice(1);
  if (body.startsWith("#")) return { kind: "operations", operations: body.slice(1) };
  if (body.startsWith("-")) {
    const name = body.slice(1);
    return { kind: "test", test: (item) => !(name in item) };
  }
  if (body.startsWith("<") || body.startsWith(">")) {
    const [name, value] = splitPair(body.slice(1), word);
    const sign = body.startsWith("<") ? -1 : 1;
    return { kind: "test", test: (item) => name in item && Math.sign(compareValues(item[name] ?? "", value)) === sign };
  }
  const pair = body.startsWith("=") ? body.slice(1) : body;
  if (!pair.includes("=")) return { kind: "test", test: (item) => pair in item };
  const [name, value] = splitPair(pair, word);
  return { kind: "test", test: (item) => item[name] === value };
}

function splitPair(pair: string, word: string): [string, string] {
  const separator = pair.indexOf("=");
  if (separator <= 0) throw new Trap(`invalid query word ${word}`, TrapCategory.api);
  return [pair.slice(0, separator), pair.slice(separator + 1)];
}

/** Numbers (and `.id`s like `*1A`) compare as numbers, anything else as text. */
function compareValues(left: string, right: string): number {
  const a = numeric(left);
  const b = numeric(right);
  if (a !== undefined && b !== undefined) return a - b;
  return left < right ? -1 : left > right ? 1 : 0;
}

function numeric(value: string): number | undefined {
  if (/^\*[0-9A-Fa-f]+$/.test(value)) return Number.parseInt(value.slice(1), 16);
  if (/^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

function applyOperations(stack: boolean[], operations: string): void {
  for (let index = 0; index < operations.length; index++) {
    const operation = operations[index] ?? "";
    if (/\d/.test(operation)) {
      let end = index + 1;
      while (end < operations.length && /\d/.test(operations[end] ?? "")) end++;
      const position = Number(operations.slice(index, end));
      index = end - 1;
      stack.push(stackValue(stack, position));
      continue;
    }
    switch (operation) {
      case "!":
        stack.push(!pop(stack));
        break;
      case "&":
      case "|": {
        const right = pop(stack);
        const left = pop(stack);
        stack.push(operation === "&" ? left && right : left || right);
        break;
      }
      case ".":
        stack.push(stackValue(stack, stack.length - 1));
        break;
      default:
        throw new Trap(`invalid query operation ${operation}`, TrapCategory.api);
    }
  }
}

function pop(stack: boolean[]): boolean {
  const value = stack.pop();
  if (value === undefined) throw new Trap("query stack underflow", TrapCategory.api);
  return value;
}

function stackValue(stack: boolean[], position: number): boolean {
  const value = stack[position];
  if (value === undefined) throw new Trap(`query refers to missing stack position ${position}`, TrapCategory.api);
  return value;
}
