#!/usr/bin/env bash
# Installs the Debian packages the tests and `npm start` need, gets an Odoo 19.0 tree when none is
# found (scripts/odoo/fetch-odoo.sh), and starts PostgreSQL. Odoo's own Python dependencies are
# installed only where an Odoo tree is found. `npm test` and `npm run demo` run it first: when
# everything is there, it only checks (about a second).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  git                   # to get Odoo 19.0 when no tree is found
  postgresql postgresql-client
  python3-librouteros   # the addon's RouterOS client (provisioning, reconciliation)
  python3-psycopg2      # the addon's lib: the bus's kept NOTIFY connection
  chromium              # Odoo's browser tests and the dashboard benchmark
  nginx openssl         # the production recipe's tests (deploy/): TLS proxy with a test CA
  python3-passlib       # deploy/render.py hashes Odoo's master password
  python3-websocket     # without it Odoo silently skips browser tests
  gettext               # msgmerge, for `npm run i18n:export`
  flake8                # the Python linter `npm test` runs
)
# Odoo's own python3-* dependencies, shared with deploy/install.sh.
mapfile -t odoo_packages < <(sed 's/#.*//' scripts/odoo/debian-packages.txt | tr -s ' ' '\n' | grep .)
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
updated=""
install_missing() {
  local installed missing=()
  # One dpkg-query for all: run before every `npm test` and `npm run demo`, setup must cost about a
  # second when there is nothing to do.
  installed="$(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null | awk '/ install ok installed$/ { print $1 }')"
  for package in "$@"; do
    grep -qx "$package" <<<"$installed" || missing+=("$package")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return
  fi
  echo "setup: installing ${missing[*]}" >&2
  [ -n "$updated" ] || { sudo_if_needed apt-get update -qq; updated=1; }
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

install_missing "${packages[@]}"
odoo_home="$(node scripts/odoo/environment.mjs)"
if [ -z "$odoo_home" ]; then
  if [ -n "${ODOO_HOME:-}" ]; then
    echo "setup: no Odoo tree at ODOO_HOME=$ODOO_HOME; the Odoo suite will be skipped" >&2
  else
    bash scripts/odoo/fetch-odoo.sh "$(node scripts/odoo/environment.mjs --cache-dir)"
    odoo_home="$(node scripts/odoo/environment.mjs)"
  fi
fi
if [ -n "$odoo_home" ]; then
  install_missing "${odoo_packages[@]}"
fi
echo "setup: Debian packages ready" >&2

if ! pg_isready -q 2>/dev/null; then
  echo "setup: starting PostgreSQL" >&2
  sudo_if_needed service postgresql start >/dev/null
fi
role="$(id -un)"
# A role that connects already needs no sudo.
if ! psql -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
  if ! sudo_if_needed su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$role'\"" | grep -q 1; then
    sudo_if_needed su postgres -c "createuser --superuser $role"
  fi
fi
echo "setup: ready (PostgreSQL running, role $role)" >&2
