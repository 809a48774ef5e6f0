"""isp_core/lib/routeros_session.py against a scripted API server on a loopback port."""

import socket
import threading
import unittest

import _isp_core_path  # noqa: F401

from lib.routeros_session import (
    RouterOsConnectionError,
    RouterOsLoginError,
    RouterOsSession,
    RouterOsTimeoutError,
    RouterOsTrapError,
    RouterSettings,
)


def encode_word(word):
    data = word.encode("utf-8")
    length = len(data)
    if length < 0x80:
        prefix = bytes([length])
    elif length < 0x4000:
        prefix = (length | 0x8000).to_bytes(2, "big")
    else:
        prefix = (length | 0xC00000).to_bytes(3, "big")
    return prefix + data


def encode_sentence(words):
    return b"".join(encode_word(word) for word in words) + b"\x00"


class ScriptedRouter:
    """Reads sentences and answers each with ``handler(sentence) -> [reply sentences]``;
    a handler returning None leaves the client waiting."""

    def __init__(self, handler):
        self.handler = handler
        self.received = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        connection, _ = self.listener.accept()
        with connection:
            stream = connection.makefile("rb")
            while True:
                sentence = self._read_sentence(stream)
                if sentence is None:
                    return
                self.received.append(sentence)
                replies = self.handler(sentence)
                if replies is None:
                    continue
                connection.sendall(b"".join(encode_sentence(reply) for reply in replies))

    @staticmethod
    def _read_sentence(stream):
        words = []
        while True:
            first = stream.read(1)
            if not first:
                return None
            length = first[0]
            if length == 0:
                return words
            if length & 0x80:
                length = ((length & 0x3F) << 8) | stream.read(1)[0]
            words.append(stream.read(length).decode("utf-8"))

    def settings(self, **overrides):
        values = dict(host="127.0.0.1", port=self.port, user="odoo", password="s3cret", command_timeout=2.0)
        values.update(overrides)
        return RouterSettings(**values)

    def close(self):
        self.listener.close()


def accept_login(sentence):
    if sentence[0] == "/login":
        return [["!done"]]
    return None


class SessionTest(unittest.TestCase):
    def serve(self, handler):
        router = ScriptedRouter(handler)
        self.addCleanup(router.close)
        return router

    def test_print_sends_proplist_and_queries_and_keeps_values_as_strings(self):
        def handler(sentence):
            if sentence[0] == "/ip/hotspot/user/print":
                return [["!re", "=.id=*1", "=password=0012", "=disabled=true"], ["!done"]]
            return accept_login(sentence)

        router = self.serve(handler)
        with RouterOsSession.open(router.settings()) as session:
            rows = session.print("/ip/hotspot/user", where={"name": "x"}, proplist=[".id", "password"])
            self.assertEqual(session.round_trips, 2)
        self.assertEqual(rows, [{".id": "*1", "password": "0012", "disabled": "true"}])
        self.assertEqual(router.received[0], ["/login", "=name=odoo", "=password=s3cret"])
        self.assertEqual(router.received[1], ["/ip/hotspot/user/print", "=.proplist=.id,password", "?=name=x"])

    def test_add_returns_the_new_id_and_counts_utf8_bytes(self):
        def handler(sentence):
            if sentence[0] == "/ip/hotspot/user/add":
                return [["!done", "=ret=*A"]]
            return accept_login(sentence)

        router = self.serve(handler)
        with RouterOsSession.open(router.settings()) as session:
            self.assertEqual(session.add("/ip/hotspot/user", {"name": "n", "comment": "José Müller"}), "*A")
        self.assertEqual(router.received[1], ["/ip/hotspot/user/add", "=name=n", "=comment=José Müller"])

    def test_trap_names_the_command(self):
        def handler(sentence):
            if sentence[0] == "/queue/simple/add":
                return [["!trap", "=category=1", "=message=invalid value for argument target"], ["!done"]]
            return accept_login(sentence)

        router = self.serve(handler)
        with RouterOsSession.open(router.settings()) as session:
            with self.assertRaises(RouterOsTrapError) as caught:
                session.add("/queue/simple", {"target": "nowhere"})
        self.assertEqual(str(caught.exception), "/queue/simple/add: invalid value for argument target")
        self.assertEqual(caught.exception.category, 1)

    def test_wrong_password_is_a_login_error_without_the_password(self):
        router = self.serve(lambda sentence: [["!trap", "=message=invalid user name or password (6)"], ["!done"]])
        with self.assertRaises(RouterOsLoginError) as caught:
            RouterOsSession.open(router.settings())
        self.assertIn("as 'odoo' failed: /login: invalid user name or password (6)", str(caught.exception))
        self.assertNotIn("s3cret", str(caught.exception))
        self.assertNotIn("s3cret", repr(router.settings()))

    def test_answers_the_md5_challenge_of_routers_before_6_43(self):
        def handler(sentence):
            if sentence == ["/login", "=name=odoo", "=password=s3cret"]:
                return [["!done", "=ret=00112233445566778899aabbccddeeff"]]
            return [["!done"]]

        router = self.serve(handler)
        RouterOsSession.open(router.settings()).close()
        name, response = router.received[1][1:]
        self.assertEqual(name, "=name=odoo")
        self.assertRegex(response, r"^=response=00[0-9a-f]{32}$")

    def test_refused_connection_names_the_address(self):
        listener = socket.create_server(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        listener.close()
        with self.assertRaises(RouterOsConnectionError) as caught:
            RouterOsSession.open(RouterSettings(host="127.0.0.1", port=port, user="odoo"))
        self.assertIn(f"Cannot connect to 127.0.0.1:{port}", str(caught.exception))

    def test_silent_router_raises_a_timeout(self):
        router = self.serve(lambda sentence: None)
        with self.assertRaises(RouterOsTimeoutError) as caught:
            RouterOsSession.open(router.settings(command_timeout=0.2))
        self.assertIn("did not answer /login within 0.2 s", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
