"""Every command Odoo sends a router, checked against RouterOS's own grammar.

The grammar (``tools/routeros/grammar/<version>.json``) is derived from the command trees that
real routers report through ``/console/inspect``. It tests what Odoo sends against the real
grammar rather than against the project's emulator, which could share a mistake with the code
under test.
"""

import json

from odoo.tests import new_test_user, tagged

from .routeros_emulator import REPO_ROOT, RouterOsEmulatorCase, recording_commands

GRAMMAR_DIRECTORY = REPO_ROOT / "tools" / "routeros" / "grammar"
# Properties a print returns but no add/set takes, so the trees do not name them.
READ_ONLY_PROPERTIES = {
    "/ip/dhcp-server/lease": {"status", "active-address", "active-mac-address", "host-name"},
    "/system/resource": {"version"},
}
# API words that belong to the protocol, not to a command's arguments.
PROTOCOL_COMMANDS = {"/login"}


def load_grammars():
    """Each version's grammar in the command trees' own shape: menus and commands nested by
    name, each with its ``_type``, and a command's arguments as ``{"_type": "arg"}``."""
    files = sorted(GRAMMAR_DIRECTORY.glob("*.json"))
    if not files:
        raise AssertionError(f"No RouterOS grammar found in {GRAMMAR_DIRECTORY}")
    return {file.stem: tree_of(json.loads(file.read_text())["paths"]) for file in files}


def tree_of(paths):
    tree = {}
    for path, kind in paths.items():
        node = tree
        for name in path.strip("/").split("/"):
            node = node.setdefault(name, {})
        if isinstance(kind, list):
            node["_type"] = "cmd"
            node.update({argument: {"_type": "arg"} for argument in kind})
        else:
            node["_type"] = kind
    return tree


def find_node(tree, path):
    node = tree
    for part in path.strip("/").split("/"):
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def arguments(node):
    return {name for name in node if name != "_type"} if node else set()


def grammar_errors(tree, command, words):
    """What RouterOS would refuse in one sentence, described for a failure message."""
    if command in PROTOCOL_COMMANDS:
        return []
    node = find_node(tree, command)
    if not node or node.get("_type") != "cmd":
        return [f"{command}: no such command"]
    menu = command.rsplit("/", 1)[0]
    properties = arguments(find_node(tree, f"{menu}/add")) | arguments(find_node(tree, f"{menu}/set"))
    readable = properties | READ_ONLY_PROPERTIES.get(menu, set()) | {".id"}
    errors = []
    for word in words:
        if word.startswith("?="):
            name = word[2:].split("=", 1)[0]
            if name not in readable:
                errors.append(f"{command}: query on unknown property {name}")
        elif word.startswith("=.proplist="):
            errors += [f"{command}: unknown property {name} in .proplist"
                       for name in word.split("=", 2)[2].split(",") if name not in readable]
        elif word.startswith("=.id="):
            if "numbers" not in node:
                errors.append(f"{command}: takes no item id")
        else:
            name = word[1:].split("=", 1)[0]
            if name not in node:
                errors.append(f"{command}: unknown argument {name}")
    return errors


@tagged("post_install", "-at_install")
class TestCommandsAgainstRouterOsGrammar(RouterOsEmulatorCase):
    def test_every_command_odoo_sends_exists_in_each_routeros_version(self):
        trees = load_grammars()
        staff = new_test_user(self.env, login="isp_grammar_staff", groups="isp_core.group_isp_manager")
        hotspot_plan = self.env["isp.service.plan"].create(
            {"name": "Hotspot 20/5", "download_mbps": 20, "upload_mbps": 5, "hotspot_profile": "plan-20"}
        )
        plain_plan = self.make_plain_plan()
        partner = self.env["res.partner"].create({"name": "Grammar"})
        customers = [
            self.make_draft_subscription(self.make_profile(mac, self.bind_lease(mac)), plan, partner)
            for mac, plan in (("AA:BB:CC:00:30:01", hotspot_plan), ("AA:BB:CC:00:30:02", plain_plan))
        ]
        hotspot_customer, plain_customer = customers
        captive_user = self.env["isp.captive.user"].create({
            "login": "AA:BB:CC:00:30:01", "password": "secret", "mac": "AA:BB:CC:00:30:01",
            "subscription_id": hotspot_customer.id, "router_id": self.router.id, "provisioning_state": "to_provision",
        })

        with recording_commands() as sent:
            self.router.with_user(staff).action_test_connection()
            for subscription in customers:
                subscription.action_activate()
            self.run_jobs()
            captive_user.password = "changed"
            hotspot_plan.download_mbps = 30
            plain_plan.download_mbps = 15
            for subscription in customers:
                subscription.action_suspend()
            self.run_jobs()
            for subscription in customers:
                subscription.action_reactivate()
                subscription.action_terminate()
            self.run_jobs()
            self.env["isp.lease.reconciliation"]._reconcile(self.router)

        commands = {command for command, _words in sent}
        for expected in ("/ip/hotspot/user/add", "/ip/hotspot/user/set", "/ip/hotspot/user/remove",
                         "/ip/hotspot/user/profile/set", "/queue/simple/add", "/queue/simple/set",
                         "/queue/simple/remove", "/ip/firewall/address-list/add",
                         "/ip/firewall/address-list/remove", "/ip/proxy/access/add", "/ip/proxy/access/remove",
                         "/ip/dhcp-server/lease/print",
                         "/system/identity/print", "/system/resource/print"):
            self.assertIn(expected, commands, "the scenario exercises every kind of write")
        for version, tree in trees.items():
            errors = sorted({error for command, words in sent for error in grammar_errors(tree, command, words)})
            self.assertEqual(errors, [], f"RouterOS {version} would refuse these")

    def test_the_check_catches_a_wrong_argument(self):
        tree = next(iter(load_grammars().values()))
        self.assertEqual(
            grammar_errors(tree, "/ip/hotspot/user/add", ("=name=x", "=mac=AA")),
            ["/ip/hotspot/user/add: unknown argument mac"],
        )
        self.assertEqual(grammar_errors(tree, "/ip/hotspot/users/print", ()), ["/ip/hotspot/users/print: no such command"])
