// The part of Odoo's `@web/core/utils/patch` that isp_core uses: `super` inside the extension's
// methods reaches the patched object's own.
export function patch<T extends object>(target: T, extension: Partial<T> & ThisType<T>): () => void;
