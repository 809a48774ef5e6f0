// Test double of Odoo's `_t`: no translation, the same "%s" and "%(name)s" substitutions.
export function _t(source: string, ...substitutions: unknown[]): string {
  const [first] = substitutions;
  if (substitutions.length === 1 && first !== null && typeof first === "object") {
    const named = first as Record<string, unknown>;
    return source.replace(/%\((\w+)\)s/g, (_match, name: string) => String(named[name]));
  }
  let next = 0;
  return source.replace(/%s/g, () => String(substitutions[next++]));
}
