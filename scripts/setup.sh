#!/usr/bin/env bash
# Installs the Debian packages the tests and `npm start` need, gets an Odoo 19.0 tree when none is
# found (scripts/odoo/fetch-odoo.sh), and starts PostgreSQL. Odoo's own Python dependencies are
# installed only where an Odoo tree is found.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  git                   # to get Odoo 19.0 when no tree is found
  postgresql postgresql-client
  python3-librouteros   # the addon's RouterOS client (provisioning, reconciliation)
  python3-psycopg2      # the addon's lib: the bus's kept NOTIFY connection
  chromium              # Odoo's browser tests and the dashboard benchmark
  python3-websocket     # without it Odoo silently skips browser tests
  gettext               # msgmerge, for `npm run i18n:export`
  flake8                # the Python linter `npm test` runs
)
odoo_packages=(
  python3-asn1crypto python3-babel python3-cbor2 python3-chardet python3-cryptography
  python3-dateutil python3-docutils python3-freezegun python3-geoip2 python3-gevent
  python3-greenlet python3-idna python3-pil python3-jinja2 python3-libsass python3-lxml
  python3-magic python3-markupsafe python3-num2words python3-ofxparse python3-openpyxl
  python3-passlib python3-polib python3-psutil python3-openssl
  python3-pypdf2 python3-rjsmin python3-qrcode python3-renderpm python3-reportlab
  python3-requests python3-stdnum python3-tz python3-urllib3 python3-vobject
  python3-werkzeug python3-xlsxwriter python3-xlrd python3-zeep fonts-dejavu-core
)
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
updated=""
install_missing() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return
  fi
  echo "setup: installing ${missing[*]}" >&2
  [ -n "$updated" ] || { sudo_if_needed apt-get update -qq; updated=1; }
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

install_missing "${packages[@]}"
if [ -z "$(node scripts/odoo/environment.mjs)" ]; then
  if [ -n "${ODOO_HOME:-}" ]; then
    echo "setup: no Odoo tree at ODOO_HOME=$ODOO_HOME; the Odoo suite will be skipped" >&2
  else
    bash scripts/odoo/fetch-odoo.sh "$(node scripts/odoo/environment.mjs --cache-dir)"
  fi
fi
if [ -n "$(node scripts/odoo/environment.mjs)" ]; then
  install_missing "${odoo_packages[@]}"
fi
echo "setup: Debian packages ready" >&2

if ! pg_isready -q 2>/dev/null; then
  echo "setup: starting PostgreSQL" >&2
  sudo_if_needed service postgresql start >/dev/null
fi
role="$(id -un)"
if ! sudo_if_needed su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$role'\"" | grep -q 1; then
  sudo_if_needed su postgres -c "createuser --superuser $role"
fi
echo "setup: ready (PostgreSQL running, role $role)" >&2
