from odoo import api, fields, models


class IspMacProfileConvertWizard(models.TransientModel):
    """Convert, from a MAC profile's form: the dashboard's one-click conversion, with its
    defaults shown for a last look (plan, customer, captive user)."""

    _name = "isp.mac.profile.convert.wizard"
    _description = "Convert a MAC Profile to a Subscription"

    profile_id = fields.Many2one("isp.mac.profile", string="MAC Profile", required=True, readonly=True, ondelete="cascade")
    plan_id = fields.Many2one("isp.service.plan", string="Plan", required=True)
    partner_id = fields.Many2one("res.partner", string="Existing Customer")
    partner_name = fields.Char(
        string="New Customer",
        help="Used when no existing customer is chosen. Empty: the customer is named after the device, to complete later.",
    )
    create_captive_user = fields.Boolean(string="Create a Captive-Portal User")
    phone = fields.Char()
    vat = fields.Char(string="Cédula / RNC", help="The customer's Dominican ID or tax number.")
    street = fields.Char(string="Address")
    city = fields.Char()
    location = fields.Char(help="How to find the premises: landmarks, or GPS coordinates.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        profile = self.env["isp.mac.profile"].browse(self.env.context.get("active_id")).exists()
        defaults = self.env["isp.mac.profile"].get_conversion_defaults()
        values.update(
            profile_id=profile.id,
            plan_id=defaults["default_plan"] and defaults["default_plan"]["id"],
            create_captive_user=defaults["create_captive_user"],
        )
        return values

    def action_convert(self):
        self.ensure_one()
        answer = self.profile_id.convert_to_subscription(
            plan_id=self.plan_id.id,
            partner_id=self.partner_id.id or None,
            partner_name=self.partner_name,
            create_captive_user=self.create_captive_user,
            customer={"phone": self.phone, "vat": self.vat, "street": self.street, "city": self.city},
            location=self.location,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "isp.subscription",
            "res_id": answer["subscription_id"],
            "view_mode": "form",
            "target": "current",
        }
