// The one place that imports Odoo's `_t`. Every other module imports it from here, so the bundle
// keeps a single binding named `_t`: Odoo's transpiler then scopes it to isp_core, and Odoo's term
// extractor finds the `_t("...")` calls in the built file.
export { _t } from "@web/core/l10n/translation";
