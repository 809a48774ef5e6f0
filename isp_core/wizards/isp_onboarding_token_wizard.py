from odoo import fields, models


class IspOnboardingTokenWizard(models.TransientModel):
    """Shows a newly generated onboarding token once, to the ISP manager who generated it.

    The token lives in ``ir.config_parameter``, which only administrators read; Settings only say
    whether one is set. This record, readable by its creator alone (a record rule), is the one
    place a person sees it, with what the router needs beside it.
    """

    _name = "isp.onboarding.token.wizard"
    _description = "New Onboarding Token"
    _transient_max_hours = 0.25

    token = fields.Char(readonly=True)
    replaced_previous = fields.Boolean(
        string="Previous Token Replaced",
        readonly=True,
        help="A previous token existed: routers that still send it are refused.",
    )

    def web_read(self, specification):
        """The dialog reads the token once, and Odoo forgets it then: whether the dialog is
        closed with its button or not, nobody reads it from Odoo again."""
        records = super().web_read(specification)
        if "token" in specification:
            self.sudo().write({"token": False})
        return records

    # Reading the token forgets it, a write: the web client must not call it read-only.
    web_read._readonly = False

    def action_done(self):
        """Forgets the token shown here: nobody needs to read it from Odoo again."""
        self.write({"token": False})
        return {"type": "ir.actions.act_window_close"}
