from odoo import api, fields, models


class IspServicePlan(models.Model):
    _inherit = "isp.service.plan"

    product_id = fields.Many2one(
        "product.product",
        string="Service Product",
        domain=[("type", "=", "service")],
        ondelete="restrict",
        tracking=True,
        help="What invoices bill for this plan: the product's taxes apply, and its price is the "
        "plan's monthly price. Left empty, one is created for the plan.",
    )
    taxes_id = fields.Many2many(related="product_id.taxes_id", string="Customer Taxes", readonly=False)

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.price = self.product_id.list_price

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        plans.filtered(lambda plan: not plan.product_id)._create_service_products()
        plans.filtered("product_id")._sync_product_price()
        return plans

    def write(self, vals):
        result = super().write(vals)
        if "price" in vals or "product_id" in vals:
            self._sync_product_price()
        return result

    def _create_service_products(self):
        for plan in self:
            plan.product_id = self.env["product.product"].sudo().create(
                {"name": plan.name, "type": "service", "list_price": plan.price, "sale_ok": True, "purchase_ok": False}
            )

    def _sync_product_price(self):
        """The product carries the plan's price, so that a line Odoo prices itself agrees with the plan."""
        for plan in self:
            if plan.product_id and plan.product_id.list_price != plan.price:
                plan.product_id.sudo().list_price = plan.price
