"""Times librouteros printing /ip/dhcp-server/lease; prints one JSON object.

Usage: python3 routeros_librouteros.py PORT RUNS
"""
import json
import sys
import time

import librouteros


def main():
    port, runs = int(sys.argv[1]), int(sys.argv[2])
    api = librouteros.connect("127.0.0.1", "admin", "", port=port)
    leases = api.path("ip", "dhcp-server", "lease")
    seconds, items = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        items = len(list(leases))
        seconds.append(time.perf_counter() - started)
    api.close()
    print(json.dumps({"items": items, "seconds": seconds}))


if __name__ == "__main__":
    main()
