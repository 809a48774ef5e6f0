// The part of Odoo's `@web/core/registry` that isp_core uses.
interface Registry {
  category(name: string): Registry;
  add(key: string, value: unknown, options?: { force?: boolean; sequence?: number }): Registry;
  getAll(): unknown[];
}

export const registry: Registry;
