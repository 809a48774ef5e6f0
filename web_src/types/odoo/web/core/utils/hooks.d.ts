// The part of Odoo's `@web/core/utils/hooks` that isp_core uses.
export function useService<T = unknown>(name: string): T;
