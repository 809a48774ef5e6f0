"""One RouterOS API session, built on librouteros.

librouteros speaks the wire protocol; this module adds what Odoo needs around it: separate
connect and command timeouts, optional TLS, the login of routers older than 6.43, values kept
exactly as the router sent them, and errors that say which router and which command failed
without ever repeating the password.
"""

import socket
import ssl
from binascii import Error as HexError
from dataclasses import dataclass, field

from librouteros.api import Api
from librouteros.connections import SocketTransport
from librouteros.exceptions import (
    ConnectionClosed,
    FatalError,
    MultiTrapError,
    ProtocolError,
    TrapError,
)
from librouteros.login import encode_password
from librouteros.protocol import ApiProtocol

DEFAULT_API_PORT = 8728
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_COMMAND_TIMEOUT = 20.0


class RouterOsError(Exception):
    """Every failure of this module extends this class, so callers can catch one type.

    ``kind`` names the failure in words that do not depend on the router, so that Odoo can
    store it and show it in the reader's language; the message keeps the router's own words.
    """

    kind = "unreachable"


class RouterOsConnectionError(RouterOsError):
    """The TCP/TLS connection could not be opened, failed, or was closed."""


class RouterOsTimeoutError(RouterOsError):
    """Connecting or a command took longer than its configured limit."""

    kind = "timeout"


class RouterOsLoginError(RouterOsError):
    """The router rejected the user name or password."""

    kind = "login"


class RouterOsProtocolError(RouterOsError):
    """The router's answer broke the API framing, or it sent !fatal."""

    kind = "protocol"


class RouterOsTrapError(RouterOsError):
    """The router refused a command with !trap."""

    kind = "refused"

    def __init__(self, message, category=None):
        super().__init__(message)
        self.category = category


@dataclass(frozen=True)
class RouterSettings:
    """Where and how to reach one router. The password never appears in repr() or errors."""

    host: str
    user: str
    password: str = field(default="", repr=False)
    port: int = DEFAULT_API_PORT
    use_tls: bool = False
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    command_timeout: float = DEFAULT_COMMAND_TIMEOUT

    @property
    def address(self):
        return f"{self.host}:{self.port}"


class _Utf8Protocol(ApiProtocol):
    """librouteros measures a word in characters; the router counts bytes. Count bytes, and
    read words that are not valid UTF-8 (a client-chosen host name) without failing."""

    def encodeWord(self, word):
        encoded = word.encode("utf-8")
        return self.encodeLength(len(encoded)) + encoded

    def readWord(self):
        first = self.transport.read(1)
        if first == b"\x00":
            return ""
        length_bytes = first + self.transport.read(self.determineLength(first))
        return self.transport.read(self.decodeLength(length_bytes)).decode("utf-8", errors="replace")


class _RawApi(Api):
    """Keeps every value a string, as sent: librouteros would turn "0012" into 12 and "yes"
    into True, which breaks comparing a password or a comment with what Odoo holds."""

    def readSentence(self):
        reply_word, words = self.protocol.readSentence()
        attributes = dict(word[1:].split("=", 1) for word in words if word.startswith("="))
        return reply_word, attributes


def _tls_context():
    # RouterOS's api-ssl service usually presents a self-signed certificate, or none: it is not
    # checked, and TLS still protects the management password against passive eavesdropping.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    # An api-ssl service without a certificate offers only anonymous Diffie-Hellman suites.
    context.set_ciphers("DEFAULT:ADH:@SECLEVEL=0")
    return context


class RouterOsSession:
    """A logged-in API session. Use ``RouterOsSession.open(settings)`` as a context manager.

    Every sentence goes through ``_send``, which also counts round trips; tests wrap it to
    record the exact commands and arguments that reach a router.
    """

    def __init__(self, api, settings):
        self._api = api
        self.settings = settings
        self.round_trips = 0

    @classmethod
    def open(cls, settings):
        sock = cls._connect_socket(settings)
        protocol = _Utf8Protocol(transport=SocketTransport(sock=sock), encoding="utf-8")
        session = cls(_RawApi(protocol=protocol), settings)
        try:
            session._login()
        except BaseException:
            session.close()
            raise
        return session

    @staticmethod
    def _connect_socket(settings):
        try:
            sock = socket.create_connection((settings.host, settings.port), timeout=settings.connect_timeout)
        except socket.timeout as error:
            raise RouterOsTimeoutError(
                f"{settings.address} did not accept a connection within {settings.connect_timeout:g} s"
            ) from error
        except OSError as error:
            raise RouterOsConnectionError(f"Cannot connect to {settings.address}: {error.strerror or error}") from error
        try:
            if settings.use_tls:
                sock = _tls_context().wrap_socket(sock, server_hostname=settings.host)
        except (ssl.SSLError, OSError) as error:
            sock.close()
            raise RouterOsConnectionError(f"TLS handshake with {settings.address} failed: {error}") from error
        sock.settimeout(settings.command_timeout)
        return sock

    def _login(self):
        credentials = ("=name=" + self.settings.user, "=password=" + self.settings.password)
        try:
            reply = self._send("/login", credentials)
            challenge = reply[0].get("ret") if reply else None
            if challenge:
                # RouterOS before 6.43 ignores the password and answers with an MD5 challenge.
                response = encode_password(challenge, self.settings.password)
                self._send("/login", ("=name=" + self.settings.user, "=response=" + response))
        except RouterOsTrapError as error:
            raise RouterOsLoginError(f"Login to {self.settings.address} as {self.settings.user!r} failed: {error}") from error
        except (HexError, UnicodeEncodeError) as error:
            raise RouterOsLoginError(
                f"Login to {self.settings.address} as {self.settings.user!r} failed: "
                "the router asked for the pre-6.43 login, which needs an ASCII password"
            ) from error

    def close(self):
        self._api.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def _send(self, command, words):
        """Sends one sentence and returns the attributes of every reply item."""
        self.round_trips += 1
        try:
            return list(self._api.rawCmd(command, *words))
        except TrapError as error:
            category = int(error.category) if error.category is not None else None
            raise RouterOsTrapError(f"{command}: {error.message}", category) from error
        except MultiTrapError as error:
            raise RouterOsTrapError(f"{command}: {error}") from error
        except socket.timeout as error:
            self.close()
            raise RouterOsTimeoutError(
                f"{self.settings.address} did not answer {command} within {self.settings.command_timeout:g} s"
            ) from error
        except FatalError as error:
            raise RouterOsProtocolError(f"{self.settings.address} closed the session during {command}: {error}") from error
        except (ConnectionClosed, OSError) as error:
            self.close()
            raise RouterOsConnectionError(f"Connection to {self.settings.address} lost during {command}: {error}") from error
        except ProtocolError as error:
            self.close()
            raise RouterOsProtocolError(f"{self.settings.address} sent an unreadable answer to {command}: {error}") from error

    def print(self, menu, where=None, proplist=None):
        """Items of ``menu`` whose properties equal ``where``, limited to ``proplist``."""
        words = []
        if proplist:
            words.append("=.proplist=" + ",".join(proplist))
        words.extend(f"?={name}={value}" for name, value in (where or {}).items())
        return self._send(f"{menu}/print", tuple(words))

    def command(self, path, properties=None):
        """Runs any command, e.g. ``/system/reboot``, with ``=name=value`` arguments."""
        return self._send(path, _attribute_words(properties or {}))

    def add(self, menu, properties):
        """Adds an item and returns its .id."""
        reply = self.command(f"{menu}/add", properties)
        return reply[0].get("ret", "") if reply else ""

    def set(self, menu, item_id, properties):
        """Changes an item; ``item_id`` None addresses a singleton menu such as /system/identity."""
        words = _attribute_words(properties)
        if item_id is not None:
            words = ("=.id=" + item_id,) + words
        self._send(f"{menu}/set", words)

    def remove(self, menu, item_ids):
        self._send(f"{menu}/remove", ("=.id=" + ",".join(item_ids),))

    def identity(self):
        rows = self.print("/system/identity", proplist=["name"])
        return rows[0].get("name", "") if rows else ""

    def version(self):
        rows = self.print("/system/resource", proplist=["version"])
        return rows[0].get("version", "") if rows else ""


def _attribute_words(properties):
    return tuple(f"={name}={value}" for name, value in properties.items())
