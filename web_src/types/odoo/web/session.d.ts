// The part of Odoo's `@web/session` that isp_core uses.
export const session: { db: string };
