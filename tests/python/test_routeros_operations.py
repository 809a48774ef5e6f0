"""The idempotent upserts of isp_core/lib/routeros_operations.py, against an in-memory router."""

import unittest

import _isp_core_path  # noqa: F401

from lib import routeros_operations as ops
from lib.router_values import RouterValueRefused


class MemoryRouter:
    """Answers print/add/set/remove like RouterOS does for the menus the operations touch,
    printing values in the router's own forms (bits per second, /32, true/false)."""

    def __init__(self):
        self.menus = {}
        self.sent = []
        self._next_id = 1

    def print(self, menu, where=None, proplist=None):
        self.sent.append(("print", menu))
        items = [item for item in self.menus.get(menu, []) if all(item.get(k) == v for k, v in (where or {}).items())]
        return [{k: v for k, v in item.items() if not proplist or k in proplist} for item in items]

    def add(self, menu, properties):
        self.sent.append(("add", menu))
        item_id = f"*{self._next_id:X}"
        self._next_id += 1
        properties = dict(properties)
        before = properties.pop("place-before", None)
        items = self.menus.setdefault(menu, [])
        position = next(index for index, item in enumerate(items) if item[".id"] == before) if before else len(items)
        items.insert(position, {".id": item_id, **self._as_printed(properties)})
        return item_id

    def set(self, menu, item_id, properties):
        self.sent.append(("set", menu, dict(properties)))
        self._item(menu, item_id).update(self._as_printed(properties))

    def remove(self, menu, item_ids):
        self.sent.append(("remove", menu))
        self.menus[menu] = [item for item in self.menus[menu] if item[".id"] not in item_ids]

    def _item(self, menu, item_id):
        return next(item for item in self.menus[menu] if item[".id"] == item_id)

    @staticmethod
    def _as_printed(properties):
        printed = {}
        for name, value in properties.items():
            if value in ("yes", "no"):
                value = "true" if value == "yes" else "false"
            elif name == "max-limit":
                value = "/".join(part.replace("M", "000000") for part in value.split("/"))
            elif name == "target" and "/" not in value:
                value += "/32"
            printed[name] = value
        return printed


def user(**overrides):
    values = dict(name="AA:BB:CC:DD:EE:01", password="AA:BB:CC:DD:EE:01", mac_address="AA:BB:CC:DD:EE:01",
                  profile="default", comment="isp_core:isp.captive.user:7", disabled=False)
    values.update(overrides)
    return ops.HotspotUser(**values)


class HotspotUserTest(unittest.TestCase):
    def setUp(self):
        self.router = MemoryRouter()

    def test_creates_then_leaves_an_identical_user_alone(self):
        self.assertEqual(ops.upsert_hotspot_user(self.router, user()), ops.CREATED)
        self.router.sent.clear()
        self.assertEqual(ops.upsert_hotspot_user(self.router, user()), ops.UNCHANGED)
        self.assertEqual(self.router.sent, [("print", ops.HOTSPOT_USER_MENU)])

    def test_changes_only_the_properties_that_differ(self):
        ops.upsert_hotspot_user(self.router, user())
        self.assertEqual(ops.upsert_hotspot_user(self.router, user(profile="plan-20", disabled=True)), ops.UPDATED)
        self.assertEqual(self.router.sent[-1], ("set", ops.HOTSPOT_USER_MENU, {"profile": "plan-20", "disabled": "yes"}))
        [stored] = self.router.menus[ops.HOTSPOT_USER_MENU]
        self.assertEqual(stored["disabled"], "true")

    def test_removes_duplicates_of_its_own(self):
        ops.upsert_hotspot_user(self.router, user())
        self.router.add(ops.HOTSPOT_USER_MENU, {"name": user().name, "password": "x", "comment": user().comment})
        self.assertEqual(ops.upsert_hotspot_user(self.router, user()), ops.UPDATED)
        self.assertEqual(len(self.router.menus[ops.HOTSPOT_USER_MENU]), 1)

    def test_an_operators_own_item_of_the_same_name_is_refused_and_left_alone(self):
        self.router.add(ops.HOTSPOT_USER_MENU, {"name": "staff-wifi", "profile": "unlimited", "comment": "staff"})
        self.router.add(ops.SIMPLE_QUEUE_MENU, {"name": "isp_core:SUB-1", "target": "10.0.0.0/24"})
        before = {menu: [dict(item) for item in items] for menu, items in self.router.menus.items()}
        writes = [
            lambda: ops.upsert_hotspot_user(self.router, user(name="staff-wifi")),
            lambda: ops.remove_hotspot_user(self.router, "staff-wifi"),
            lambda: ops.upsert_simple_queue(self.router, "isp_core:SUB-1", "10.0.0.9", "5M/20M", "isp_core:subscription:SUB-1"),
            lambda: ops.remove_simple_queue(self.router, "isp_core:SUB-1"),
        ]
        for write in writes:
            with self.subTest(write=write), self.assertRaisesRegex(RouterValueRefused, "not made by isp_core"):
                write()
        self.assertEqual(self.router.menus, before)

    def test_remove_reports_absent_the_second_time(self):
        ops.upsert_hotspot_user(self.router, user())
        self.assertEqual(ops.remove_hotspot_user(self.router, user().name), ops.REMOVED)
        self.assertEqual(ops.remove_hotspot_user(self.router, user().name), ops.ABSENT)
        self.assertEqual(self.router.menus[ops.HOTSPOT_USER_MENU], [])


class RateLimitAndQueueTest(unittest.TestCase):
    def setUp(self):
        self.router = MemoryRouter()

    def test_profile_rate_limit_is_written_once(self):
        self.assertEqual(ops.upsert_user_profile_rate_limit(self.router, "isp_core-plan-20", "5M/20M"), ops.CREATED)
        self.assertEqual(ops.upsert_user_profile_rate_limit(self.router, "isp_core-plan-20", "5M/20M"), ops.UNCHANGED)
        self.assertEqual(ops.upsert_user_profile_rate_limit(self.router, "isp_core-plan-20", "10M/50M"), ops.UPDATED)

    def test_a_profile_odoo_did_not_create_is_never_changed(self):
        for profile in ("default", "plan-20", " isp_core-x"):
            with self.subTest(profile=profile), self.assertRaisesRegex(ValueError, "not a hotspot user profile of isp_core"):
                ops.upsert_user_profile_rate_limit(self.router, profile, "5M/20M")
        self.assertEqual(self.router.sent, [])

    def test_a_plan_profile_name_carries_the_prefix_once(self):
        self.assertEqual(ops.plan_profile_name(" plan-20 "), "isp_core-plan-20")
        self.assertEqual(ops.plan_profile_name("isp_core-plan-20"), "isp_core-plan-20")
        self.assertEqual(ops.plan_profile_name("default"), "isp_core-default")
        self.assertEqual(ops.plan_profile_name(""), "")

    def test_queue_printed_in_bits_per_second_counts_as_unchanged(self):
        ops.upsert_simple_queue(self.router, "isp-SUB-1", "10.0.0.9", "5M/20M", "isp_core:subscription:SUB-1")
        self.assertEqual(self.router.menus[ops.SIMPLE_QUEUE_MENU][0]["max-limit"], "5000000/20000000")
        self.assertEqual(
            ops.upsert_simple_queue(self.router, "isp-SUB-1", "10.0.0.9", "5M/20M", "isp_core:subscription:SUB-1"),
            ops.UNCHANGED,
        )

    def test_address_list_entry_follows_a_new_ip(self):
        ops.upsert_address_list_entry(self.router, "isp_suspended", "10.0.0.9", "isp_core:subscription:SUB-1")
        self.assertEqual(
            ops.upsert_address_list_entry(self.router, "isp_suspended", "10.0.0.10", "isp_core:subscription:SUB-1"),
            ops.UPDATED,
        )
        [entry] = self.router.menus[ops.ADDRESS_LIST_MENU]
        self.assertEqual(entry["address"], "10.0.0.10")
        self.assertEqual(ops.remove_address_list_entry(self.router, "isp_suspended", "isp_core:subscription:SUB-1"), ops.REMOVED)


class ProxyRedirectTest(unittest.TestCase):
    url = "https://isp.example.com/isp/notice/7-0123456789abcdef-" + "a" * 40

    def setUp(self):
        self.router = MemoryRouter()
        # The preloader's last rule: the proxy denies whatever no rule above it redirects.
        self.router.add(ops.PROXY_ACCESS_MENU, {"action": "deny", "comment": "isp_core:proxy-deny"})

    def test_a_redirect_goes_above_the_proxys_deny_rule_and_follows_a_new_ip(self):
        comment = "isp_core:subscription:SUB-1"
        self.assertEqual(ops.upsert_proxy_redirect(self.router, "10.0.0.9", self.url, comment), ops.CREATED)
        rules = self.router.menus[ops.PROXY_ACCESS_MENU]
        self.assertEqual([rule.get("action") for rule in rules], ["redirect", "deny"])
        self.assertEqual(rules[0]["action-data"], self.url)
        self.assertEqual(ops.upsert_proxy_redirect(self.router, "10.0.0.9", self.url, comment), ops.UNCHANGED)
        self.assertEqual(ops.upsert_proxy_redirect(self.router, "10.0.0.10", self.url, comment), ops.UPDATED)
        self.assertEqual([rule.get("src-address") for rule in rules], ["10.0.0.10", None])
        self.assertEqual(ops.remove_proxy_redirect(self.router, comment), ops.REMOVED)
        self.assertEqual(ops.remove_proxy_redirect(self.router, comment), ops.ABSENT)
        self.assertEqual([rule["comment"] for rule in self.router.menus[ops.PROXY_ACCESS_MENU]], ["isp_core:proxy-deny"])


class ComparableValuesTest(unittest.TestCase):
    def test_router_forms_match_what_odoo_writes(self):
        current = {"max-limit": "5000000/20000000", "target": "10.0.0.9/32", "disabled": "false",
                   "mac-address": "AA:BB:CC:DD:EE:01"}
        desired = {"max-limit": "5M/20M", "target": "10.0.0.9", "disabled": "no", "mac-address": "aa:bb:cc:dd:ee:01"}
        self.assertEqual(ops.changed_properties(current, desired), {})

    def test_a_missing_property_is_a_change(self):
        self.assertEqual(ops.changed_properties({}, {"rate-limit": "1M/2M"}), {"rate-limit": "1M/2M"})

    def test_fractional_and_kilobit_rates(self):
        self.assertEqual(ops.changed_properties({"rate-limit": "1500000/512000"}, {"rate-limit": "1.5M/512k"}), {})


class AccessReadTest(unittest.TestCase):
    def test_reads_one_address_list_and_every_queue(self):
        router = MemoryRouter()
        ops.upsert_address_list_entry(router, "isp_suspended", "10.0.0.9", "odoo 1")
        ops.upsert_address_list_entry(router, "other", "10.0.0.10", "odoo 2")
        ops.upsert_simple_queue(router, "isp-1", "10.0.0.9", "5M/20M", "odoo 1")
        self.assertEqual(ops.read_address_list(router, "isp_suspended"), [{"comment": "odoo 1", "address": "10.0.0.9"}])
        self.assertEqual(
            ops.read_simple_queues(router),
            [{"name": "isp-1", "target": "10.0.0.9/32", "max-limit": "5000000/20000000"}],
        )


class LeaseReadTest(unittest.TestCase):
    def test_reads_every_lease_in_one_print(self):
        router = MemoryRouter()
        router.menus[ops.DHCP_LEASE_MENU] = [
            {".id": "*1", "mac-address": "AA:BB:CC:DD:EE:01", "active-mac-address": "AA:BB:CC:DD:EE:01",
             "address": "10.0.0.9", "active-address": "10.0.0.9", "host-name": "onu-1", "server": "dhcp-lan",
             "status": "bound"},
            {".id": "*2", "mac-address": "AA:BB:CC:DD:EE:02", "address": "10.0.0.20", "server": "dhcp-lan",
             "status": "waiting"},
        ]
        leases = ops.read_leases(router)
        self.assertEqual(router.sent, [("print", ops.DHCP_LEASE_MENU)])
        self.assertEqual(leases, [
            ops.Lease(mac="AA:BB:CC:DD:EE:01", ip="10.0.0.9", bound=True, server="dhcp-lan", hostname="onu-1"),
            ops.Lease(mac="AA:BB:CC:DD:EE:02", ip="10.0.0.20", bound=False, server="dhcp-lan", hostname=""),
        ])


if __name__ == "__main__":
    unittest.main()
