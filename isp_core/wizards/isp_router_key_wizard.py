from odoo import fields, models


class IspRouterKeyWizard(models.TransientModel):
    """Shows a router's new key once, to the ISP manager who generated it, as the
    onboarding token is shown: Odoo keeps only the key's digest."""

    _name = "isp.router.key.wizard"
    _inherit = "isp.onboarding.token.wizard"
    _description = "New Router Key"

    router_id = fields.Many2one("isp.router", readonly=True)
    token = fields.Char(string="Key")
    replaced_previous = fields.Boolean(
        string="Previous Key Replaced", help="The router had a key: an agent that still sends it is refused."
    )
