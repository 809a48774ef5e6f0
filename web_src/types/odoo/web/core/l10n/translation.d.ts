// The part of Odoo's `@web/core/l10n/translation` that isp_core uses.
export function _t(source: string, ...substitutions: unknown[]): string;
