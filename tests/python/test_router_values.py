import unittest

import _isp_core_path  # noqa: F401
from lib.router_values import RouterScope, RouterValueRefused, parse_lan_networks


class LanNetworksTest(unittest.TestCase):
    def test_comma_separated_ipv4_networks_in_cidr_form_are_read(self):
        networks = parse_lan_networks(" 10.10.0.0/24, 192.168.88.0/24 ")
        self.assertEqual([str(network) for network in networks], ["10.10.0.0/24", "192.168.88.0/24"])
        self.assertEqual(parse_lan_networks(""), ())

    def test_anything_else_is_refused_naming_the_item(self):
        for text in ("10.10.0.1/24", "10.10.0.0", "0.0.0.0/0", "fd00::/64", "10.10.0.0/24;10.20.0.0/24", "lan"):
            with self.subTest(text=text), self.assertRaises(ValueError) as caught:
                parse_lan_networks(text)
            self.assertIn("CIDR", str(caught.exception))


class CustomerAddressTest(unittest.TestCase):
    scope = RouterScope(parse_lan_networks("10.10.0.0/24"), "isp_suspended")

    def test_one_host_of_the_lan_passes(self):
        self.assertEqual(self.scope.customer_address("10.10.0.50"), "10.10.0.50")

    def test_a_network_a_range_a_list_or_an_address_outside_the_lan_is_refused(self):
        cases = {
            "0.0.0.0/0": "not_a_host",
            "0.0.0.0": "not_a_host",
            "10.10.0.0/24": "not_a_host",
            "10.10.0.1-10.10.0.9": "not_a_host",
            "10.10.0.5,10.10.0.6": "not_a_host",
            "ether1": "not_a_host",
            "": "not_a_host",
            "010.10.0.5": "not_a_host",
            "10.10.0.0": "outside_lan",
            "10.10.0.255": "outside_lan",
            "10.20.0.5": "outside_lan",
            "8.8.8.8": "outside_lan",
        }
        for value, reason in cases.items():
            with self.subTest(value=value), self.assertRaises(RouterValueRefused) as caught:
                self.scope.customer_address(value, "target")
            self.assertEqual((caught.exception.field, caught.exception.reason), ("target", reason))

    def test_without_lan_networks_only_a_private_host_passes(self):
        scope = RouterScope((), "isp_suspended")
        self.assertEqual(scope.customer_address("192.168.88.20"), "192.168.88.20")
        for value in ("8.8.8.8", "100.64.0.1", "0.0.0.0/0", "10.0.0.0"):
            with self.subTest(value=value), self.assertRaises(RouterValueRefused):
                scope.customer_address(value)


class ListAndProfileTest(unittest.TestCase):
    def test_only_the_routers_suspended_list_and_isp_core_profiles_pass(self):
        scope = RouterScope((), "isp_suspended")
        self.assertEqual(scope.address_list("isp_suspended"), "isp_suspended")
        self.assertEqual(scope.hotspot_profile("isp_core-basic"), "isp_core-basic")
        for check, value, field in ((scope.address_list, "mgmt-allow", "list"), (scope.hotspot_profile, "default", "profile")):
            with self.subTest(value=value), self.assertRaises(RouterValueRefused) as caught:
                check(value)
            self.assertEqual(caught.exception.field, field)


class NoticeUrlTest(unittest.TestCase):
    scope = RouterScope((), "isp_suspended", "https://isp.example.com/isp/notice/")
    token = f"12-{'0123456789abcdef'}-{'a' * 40}"

    def test_a_notice_page_of_this_odoo_passes(self):
        url = f"https://isp.example.com/isp/notice/{self.token}"
        self.assertEqual(self.scope.notice_url(url), url)

    def test_any_other_url_is_refused_naming_the_redirects_action_data(self):
        for value in (
            f"https://evil.example.com/isp/notice/{self.token}",
            f"https://isp.example.com.evil.example.com/isp/notice/{self.token}",
            f"http://isp.example.com/isp/notice/{self.token}",
            f"https://isp.example.com/web/login?redirect=/isp/notice/{self.token}",
            f"https://isp.example.com/isp/notice/{self.token}?x=1",
            f"https://isp.example.com/isp/notice/{self.token}/../../web",
            "https://isp.example.com/isp/notice/",
            "https://isp.example.com/isp/notice/12",
            "",
            None,
        ):
            with self.subTest(value=value), self.assertRaises(RouterValueRefused) as caught:
                self.scope.notice_url(value)
            self.assertEqual(caught.exception.field, "action-data")

    def test_a_router_without_odoos_url_redirects_nowhere(self):
        with self.assertRaises(RouterValueRefused):
            RouterScope((), "isp_suspended").notice_url(f"https://isp.example.com/isp/notice/{self.token}")


if __name__ == "__main__":
    unittest.main()
