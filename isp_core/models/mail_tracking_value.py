from odoo import models

# Integer fields that are identifiers, not quantities: the chatter shows them as they are written
# ("8728"), never with thousands separators ("8,728"), as their views do.
IDENTIFIER_FIELDS = {"isp.router": {"api_port"}}


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    def _tracking_value_format_model(self, model):
        formatted = super()._tracking_value_format_model(model)
        identifiers = IDENTIFIER_FIELDS.get(model)
        if not identifiers:
            return formatted
        names = {tracking.id: tracking.field_id.name for tracking in self}
        for line in formatted:
            if names.get(line["id"]) in identifiers:
                # The chatter formats an "integer" with separators and shows a "char" as it is.
                line["fieldInfo"]["fieldType"] = "char"
                for side in ("oldValue", "newValue"):
                    if isinstance(line[side], int) and not isinstance(line[side], bool):
                        line[side] = str(line[side])
        return formatted
