"""Drives Debian's librouteros against the emulator where a real RouterOS 7 differs from older
emulation: prints what it saw as one JSON object.

Usage: python3 librouteros_real_router.py PORT TLS_PORT
"""
import json
import ssl
import sys

import librouteros
from librouteros.exceptions import MultiTrapError, TrapError
from librouteros.login import plain, token


def main():
    port, tls_port = int(sys.argv[1]), int(sys.argv[2])
    seen = {}

    # The pre-6.43 login: RouterOS 7 sends the challenge, then refuses the response.
    try:
        librouteros.connect("127.0.0.1", "admin", "", port=port, login_method=token)
        seen["token_login"] = "accepted"
    except TrapError as error:
        seen["token_login"] = str(error)

    # librouteros 3.1 counts a word's length in characters, so only a one-byte encoding is safe
    # with accents (Odoo's session counts bytes itself); a router, like the emulator, keeps the bytes.
    api = librouteros.connect("127.0.0.1", "admin", "", port=port, login_method=plain, encoding="latin-1")
    try:
        tuple(api.rawCmd("/system/routerboard/getall"))
    except MultiTrapError as error:
        seen["unknown_menu"] = [trap.message for trap in error.traps]

    users = api.path("ip", "hotspot", "user")
    users.add(name="pena", comment="Señora Peña, cañón")
    seen["accented"] = [item["comment"] for item in api.rawCmd("/ip/hotspot/user/print", "?name=pena")]
    seen["abbreviated"] = [item["name"] for item in api.rawCmd("/sys/ident/getall")]

    # API-SSL without a certificate: anonymous Diffie-Hellman, as librouteros's README sets it up.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_ciphers("ADH:@SECLEVEL=0")
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    secure = librouteros.connect("127.0.0.1", "admin", "", port=tls_port, ssl_wrapper=context.wrap_socket)
    seen["api_ssl"] = [dict(item) for item in secure.rawCmd("/ip/service/print", "?name=api-ssl", "=.proplist=name,certificate")]
    secure.close()
    api.close()
    print(json.dumps(seen))


main()
