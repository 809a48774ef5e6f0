"""Drives Debian's librouteros against the emulator and prints what it saw as one JSON object.

Usage: python3 librouteros_scenario.py PORT [legacy]
"""
import json
import sys

import librouteros
from librouteros.exceptions import TrapError
from librouteros.login import plain, token
from librouteros.query import Key


def main():
    port = int(sys.argv[1])
    login_method = token if sys.argv[2:] == ["legacy"] else plain
    api = librouteros.connect("127.0.0.1", "admin", "", port=port, login_method=login_method)
    seen = {}

    name, kind = Key("name"), Key("type")
    interfaces = api.path("interface").select(name, kind).where(name.In("ether2", "sfp1"))
    seen["query"] = [dict(item) for item in interfaces]

    addresses = api.path("ip", "address")
    first = addresses.add(address="10.7.0.1/24", interface="ether2")
    second = addresses.add(address="10.8.0.1/24", interface="ether3")
    addresses.update(**{".id": first, "comment": "lan side"})
    seen["after_set"] = [dict(item) for item in api.rawCmd("/ip/address/print", "?comment=lan side")]
    addresses.remove(first, second)
    seen["after_remove"] = list(addresses)

    try:
        addresses.add(address="10.9.0.1/24", interface="ether42")
        seen["trap"] = None
    except TrapError as error:
        seen["trap"] = {"message": error.message, "category": error.category}

    seen["identity"] = list(api.path("system", "identity"))
    seen["active"] = [dict(item) for item in api.path("user", "active")]
    api.close()
    print(json.dumps(seen, default=str))


if __name__ == "__main__":
    main()
