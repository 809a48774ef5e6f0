from odoo import fields, models


class IspBillingAdjustment(models.Model):
    """A charge or credit that waits for a subscription's next invoice, such as the prorated
    difference of a plan changed in mid-period."""

    _name = "isp.billing.adjustment"
    _description = "ISP Billing Adjustment"
    _order = "id"

    subscription_id = fields.Many2one("isp.subscription", required=True, index=True, ondelete="cascade")
    name = fields.Char(string="Description", required=True)
    product_id = fields.Many2one("product.product", required=True, ondelete="restrict")
    price_unit = fields.Float(string="Amount", required=True, digits="Product Price")
    move_id = fields.Many2one(
        "account.move", string="Invoice", index="btree_not_null", ondelete="set null", readonly=True,
        help="The invoice that carries it; empty while it waits for the next one.",
    )

    def _invoice_line_values(self):
        return [
            {"product_id": adjustment.product_id.id, "name": adjustment.name, "quantity": 1, "price_unit": adjustment.price_unit}
            for adjustment in self
        ]
