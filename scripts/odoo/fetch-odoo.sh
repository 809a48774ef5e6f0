#!/usr/bin/env bash
# fetch-odoo.sh TARGET: puts an Odoo 19.0 tree (a shallow clone of the 19.0 branch) at TARGET.
# Odoo is on no package registry; `npm run setup` calls this when no tree is found, and the
# Odoo suite, `npm start` and the benches then find it there. It never fails the set-up: where
# the repository cannot be reached, it says so in one line within ODOO_GIT_TIMEOUT seconds and the
# Odoo suite is skipped, loudly, as without Odoo.
#   ODOO_GIT_URL      the repository (default: Odoo's own); any URL git accepts, a local path too
#   ODOO_GIT_TIMEOUT  seconds to reach it before giving up (default 20)
set -uo pipefail

target="${1:?usage: fetch-odoo.sh TARGET}"
url="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
reach_timeout="${ODOO_GIT_TIMEOUT:-20}"
hint="put an Odoo 19.0 tree at /opt/odoo or set ODOO_HOME (or ODOO_GIT_URL for another repository); the Odoo suite is skipped until then"

if ! GIT_TERMINAL_PROMPT=0 timeout "$reach_timeout" git ls-remote --exit-code --heads "$url" 19.0 >/dev/null 2>&1; then
  echo "setup: Odoo 19.0 could not be reached at $url within ${reach_timeout} s: $hint" >&2
  exit 0
fi
echo "setup: cloning Odoo 19.0 from $url into $target (a few minutes on a first run)" >&2
partial="$target.partial"
rm -rf "$partial"
mkdir -p "$(dirname "$target")"
if GIT_TERMINAL_PROMPT=0 git clone --quiet --depth 1 --branch 19.0 --single-branch "$url" "$partial" && [ -f "$partial/odoo-bin" ]; then
  rm -rf "$target"
  mv "$partial" "$target"
  echo "setup: Odoo 19.0 is at $target" >&2
else
  rm -rf "$partial"
  echo "setup: cloning Odoo 19.0 from $url failed: $hint" >&2
fi
exit 0
