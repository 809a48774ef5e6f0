import type { Block, Command, Expression } from "./ast.ts";
import { undeclaredVariable } from "./errors.ts";

/**
 * Checks, before anything runs, that every `$name` and `:set name` refers to a
 * variable declared earlier in an enclosing block (or pre-set by the host).
 * RouterOS refuses a script with an undeclared variable the same way.
 */
export function checkVariables(script: Block, presetNames: readonly string[]): void {
  const root = new Names(undefined);
  for (const name of presetNames) root.declare(name);
  new Resolver().commands(script, root);
}

/** The names visible in one block, chained to the enclosing blocks. */
class Names {
  private readonly own = new Set<string>();

  constructor(private readonly parent: Names | undefined) {}

  declare(name: string): void {
    this.own.add(name);
  }

  has(name: string): boolean {
    return this.own.has(name) || (this.parent?.has(name) ?? false);
  }
}

class Resolver {
  commands(block: Block, names: Names): void {
    for (const command of block.commands) this.command(command, names);
  }

  /** A nested `{ }`: what it declares stays inside. */
  private block(block: Block, names: Names): void {
    this.commands(block, new Names(names));
  }

  private command(command: Command, names: Names): void {
    switch (command.kind) {
      case "block":
        this.block(command.block, names);
        return;
      case "local":
      case "global":
        if (command.value) this.expression(command.value, names);
        names.declare(command.name);
        return;
      case "set":
        if (!names.has(command.name)) throw undeclaredVariable(`:set ${command.name}`, command.position);
        if (command.value) this.expression(command.value, names);
        return;
      case "if":
        this.expression(command.condition, names);
        this.block(command.then, names);
        if (command.otherwise) this.block(command.otherwise, names);
        return;
      case "do":
        this.block(command.body, names);
        if (command.onError) this.block(command.onError, names);
        return;
      case "while":
        this.expression(command.condition, names);
        this.block(command.body, names);
        return;
      case "for": {
        for (const bound of [command.from, command.to, command.step]) if (bound) this.expression(bound, names);
        const body = new Names(names);
        body.declare(command.variable);
        this.commands(command.body, body);
        return;
      }
      case "log":
        this.expression(command.message, names);
        return;
      case "put":
      case "tostr":
      case "tonum":
      case "len":
      case "typeof":
      case "error":
        this.expression(command.value, names);
        return;
      case "pick":
        for (const part of [command.text, command.start, command.end]) if (part) this.expression(part, names);
        return;
      case "find":
        for (const part of [command.text, command.needle, command.start]) if (part) this.expression(part, names);
        return;
      case "foreach": {
        this.expression(command.items, names);
        const body = new Names(names);
        body.declare(command.variable);
        this.commands(command.body, body);
        return;
      }
      case "menu":
        for (const value of [...command.positional, ...command.named.map(([, named]) => named)]) this.expression(value, names);
        return;
      case "fetch": {
        const { url, httpMethod, httpHeaderField, httpData, output, checkCertificate, keepResult, idleTimeout } = command.arguments;
        for (const argument of [url, httpMethod, httpHeaderField, httpData, output, checkCertificate, keepResult, idleTimeout]) {
          if (argument) this.expression(argument, names);
        }
        return;
      }
    }
  }

  private expression(expression: Expression, names: Names): void {
    switch (expression.kind) {
      case "literal":
        return;
      case "variable":
        if (!names.has(expression.name)) throw undeclaredVariable(`$${expression.name}`, expression.position);
        return;
      case "interpolation":
        for (const part of expression.parts) this.expression(part, names);
        return;
      case "unary":
        this.expression(expression.operand, names);
        return;
      case "binary":
        this.expression(expression.left, names);
        this.expression(expression.right, names);
        return;
      case "member":
        this.expression(expression.target, names);
        this.expression(expression.key, names);
        return;
      case "substitution":
        this.command(expression.command, names);
        return;
    }
  }
}
