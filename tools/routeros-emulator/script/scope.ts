import { NIL, str, toText, type Value } from "./values.ts";

type Binding = { readonly kind: "local"; value: Value } | { readonly kind: "global" };

/**
 * Variables visible in one `{ }` block. A `:global` declaration only makes
 * the global visible where it is declared, as in RouterOS; its value lives in
 * the shared globals map.
 */
export class Scope {
  private readonly bindings = new Map<string, Binding>();

  constructor(
    private readonly parent: Scope | undefined,
    private readonly globals: Map<string, string>,
  ) {}

  child(): Scope {
    return new Scope(this, this.globals);
  }

  declareLocal(name: string, value: Value): void {
    this.bindings.set(name, { kind: "local", value });
  }

  /** `:global name` keeps the current value; `:global name value` replaces it. */
  declareGlobal(name: string, value: Value | undefined): void {
    this.bindings.set(name, { kind: "global" });
    if (value !== undefined) this.globals.set(name, toText(value));
  }

  lookup(name: string): Value | undefined {
    const binding = this.find(name);
    if (!binding) return undefined;
    if (binding.kind === "local") return binding.value;
    const text = this.globals.get(name);
    return text === undefined ? NIL : str(text);
  }

  /** Changes the nearest visible variable; false when none is declared. */
  assign(name: string, value: Value): boolean {
    const binding = this.find(name);
    if (!binding) return false;
    if (binding.kind === "local") binding.value = value;
    else this.globals.set(name, toText(value));
    return true;
  }

  private find(name: string): Binding | undefined {
    return this.bindings.get(name) ?? this.parent?.find(name);
  }
}
