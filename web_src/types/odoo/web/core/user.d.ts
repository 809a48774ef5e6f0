// The part of Odoo's `@web/core/user` that isp_core uses.
export const user: { readonly tz: string | undefined };
