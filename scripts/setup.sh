#!/usr/bin/env bash
# Installs the Debian packages the tests and `npm start` need, and starts PostgreSQL.
# Odoo's own Python dependencies are installed only where an Odoo tree is found.
set -euo pipefail

ODOO_HOME="${ODOO_HOME:-/opt/odoo}"

packages=(
  postgresql postgresql-client
  python3-librouteros   # the addon's RouterOS client (provisioning, reconciliation)
  python3-psycopg2      # the addon's lib: the bus's kept NOTIFY connection
  chromium              # Odoo's browser tests and the dashboard benchmark
  python3-websocket     # without it Odoo silently skips browser tests
  gettext               # msgmerge, for `npm run i18n:export`
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
if [ -f "$ODOO_HOME/odoo-bin" ]; then
  packages+=("${odoo_packages[@]}")
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "setup: Debian packages already installed" >&2
fi

if ! pg_isready -q 2>/dev/null; then
  echo "setup: starting PostgreSQL" >&2
  sudo_if_needed service postgresql start >/dev/null
fi
role="$(id -un)"
if ! sudo_if_needed su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$role'\"" | grep -q 1; then
  sudo_if_needed su postgres -c "createuser --superuser $role"
fi
echo "setup: ready (PostgreSQL running, role $role)" >&2
