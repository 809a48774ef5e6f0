#!/usr/bin/env python3
"""The preloader as the operator's guide runs it:

    python3 tools/mikrotik_preloader/preloader.py --config tools/mikrotik_preloader/config.yaml

The preloader itself is the Node.js command `isp-preloader` (bin/isp-preloader.mjs, also run by
`npm run preloader`). This process becomes it (exec), so the arguments and the environment reach it
unchanged and its exit code is the command's.
"""

import os
import shutil
import sys

BIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin", "isp-preloader.mjs")
# What a shell answers for a command it cannot find.
EXIT_NOT_FOUND = 127


def main():
    node = shutil.which("node")
    if node is None:
        sys.stderr.write("error: the preloader needs Node.js 20 or later, and `node` is not on PATH\n")
        return EXIT_NOT_FOUND
    os.execv(node, [node, BIN, *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
