import re

import polib

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader, code_translations

# Dominican Spanish: Odoo reads es.po first for every Latin-American variant.
LANG = "es_DO"
# What a translation must carry over unchanged: format placeholders and markup.
PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|\{\w*\}|</?[a-z][^>]*>")


def read_po(module, name):
    return polib.pofile(file_path(f"{module}/i18n/{name}"))


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """The committed pot and es.po cover every term Odoo's own exporter finds in the addon
    (isp_core here; an addon of the project that depends on it reuses the class)."""

    module = "isp_core"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reader = TranslationModuleReader(cls.env.cr, modules=[cls.module])
        cls.exported = {
            source for module, _type, _name, _res_id, source, _value, _comments in reader if module == cls.module
        }
        # Odoo would show a fuzzy entry as if it were a reviewed translation, so it counts as missing.
        cls.spanish = {
            entry.msgid: entry.msgstr
            for entry in read_po(cls.module, "es.po")
            if not entry.obsolete and "fuzzy" not in entry.flags
        }

    def test_pot_holds_exactly_the_exported_terms(self):
        in_pot = {entry.msgid for entry in read_po(self.module, f"{self.module}.pot")}
        self.assertFalse(
            sorted(self.exported - in_pot),
            f"terms missing from {self.module}.pot: refresh it with `npm run i18n:export`",
        )
        self.assertFalse(
            sorted(in_pot - self.exported),
            f"terms in {self.module}.pot that the code no longer has: refresh it with `npm run i18n:export`",
        )

    def test_every_term_of_the_web_bundle_is_exported(self):
        # Odoo's JavaScript lexer can lose its way in a bundle and silently drop the terms after.
        with open(file_path(f"{self.module}/static/src/{self.module}_ui.js"), encoding="utf-8") as bundle:
            literals = set(re.findall(r'\b_t\(\s*"([^"\\]*)"', bundle.read()))
        self.assertGreater(len(literals), 20)
        self.assertFalse(sorted(literals - self.exported), "_t terms of the bundle that Odoo's exporter misses")

    def test_every_term_has_a_spanish_translation(self):
        untranslated = sorted(term for term in self.exported if not self.spanish.get(term, "").strip())
        self.assertFalse(
            untranslated, f"{len(untranslated)} terms lack a translation in es.po (or only have a fuzzy one)"
        )

    def test_translations_keep_placeholders_and_markup(self):
        broken = [
            term
            for term, translation in self.spanish.items()
            if translation and sorted(PLACEHOLDER.findall(term)) != sorted(PLACEHOLDER.findall(translation))
        ]
        self.assertFalse(broken, "translations whose placeholders or markup differ from the English term")

    def test_spanish_user_sees_spanish(self):
        self.env["res.lang"]._activate_lang(LANG)
        self.env["ir.module.module"]._load_module_terms([self.module], [LANG], overwrite=True)
        env = self.env(context=dict(self.env.context, lang=LANG))

        self.assertEqual(env.ref("isp_core.isp_mac_profile_menu").name, "Perfiles MAC")
        states = dict(env["isp.subscription"].fields_get(["state"], ["selection"])["state"]["selection"])
        self.assertEqual(states["suspended"], "Suspendido")
        last_seen = env["isp.mac.profile"].fields_get(["last_seen"], ["string"])["last_seen"]
        self.assertEqual(last_seen["string"], "Visto por última vez")

        with self.assertRaisesRegex(ValidationError, "^nope no es una dirección MAC"):
            env["isp.mac.profile"].create({"mac": "nope"})

        # Text Odoo stores and shows later: a job's outcome is stored as codes, read in the reader's language.
        router = env["isp.router"].create({"name": "MK-ES"})
        job = env["isp.provisioning.job"].sudo().create(
            {"router_id": router.id, "job_type": "customer_access", "target": "SUB/1", "outcome": "suspension:created queue:absent"}
        )
        self.assertEqual(job.outcome_text, "suspensión: alta, cola simple: no había")
        self.assertEqual(job.with_context(lang="en_US").outcome_text, "suspension: added, simple queue: not there")
        device = env["isp.mac.profile"].create({"mac": "AA:BB:CC:E5:00:01", "pending_reason": "no_default_plan"})
        reasons = dict(device.fields_get(["pending_reason"], ["selection"])["pending_reason"]["selection"])
        self.assertEqual(reasons["no_default_plan"], "No hay un plan predeterminado válido")
        failures = dict(router.fields_get(["last_failure"], ["selection"])["last_failure"]["selection"])
        self.assertEqual(failures["unreachable"], "No se puede conectar")
        problems = dict(env["isp.onboarding.event"].fields_get(["problem"], ["selection"])["problem"]["selection"])
        self.assertEqual(problems["not_a_mac"], "no es una dirección MAC (p. ej., AA:BB:CC:DD:EE:FF)")

        # What the OWL UI receives from /web/webclient/translations for this addon.
        web_messages = code_translations.get_web_translations(self.module, LANG)["messages"]
        web_terms = {row["id"]: row["string"] for row in web_messages}
        self.assertEqual(web_terms.get("Convert to subscription"), "Convertir en suscripción")
