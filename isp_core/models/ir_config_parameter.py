from odoo import api, models
from odoo.exceptions import ValidationError

from ..lib import onboarding_token, parameters


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.constrains("key", "value")
    def _check_isp_onboarding_token(self):
        """The routers' token is a secret that guards free service: however it is set (the
        preloader, System Parameters), a weak one is refused; clearing it is allowed."""
        for parameter in self.filtered(lambda parameter: parameter.key == parameters.MAC_ONBOARDING_TOKEN):
            if parameter.value and not onboarding_token.is_usable(parameter.value):
                raise ValidationError(
                    self.env._(
                        "The onboarding token must be at least %(length)s characters of letters, digits "
                        "and . _ ~ + / = - (no spaces, commas or quotes).",
                        length=onboarding_token.MIN_LENGTH,
                    )
                )
