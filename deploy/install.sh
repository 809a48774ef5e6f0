#!/usr/bin/env bash
# Installs isp_core in production on a Debian 12 host, or updates it: run it again, from a newer
# release of this repository, with the same arguments.
#
#   sudo deploy/install.sh --domain isp.example.com \
#        --cert /etc/letsencrypt/live/isp.example.com/fullchain.pem \
#        --key /etc/letsencrypt/live/isp.example.com/privkey.pem \
#        [--database isp] [--odoo-home /opt/odoo] [--backup-days 14] [--cron-threads 1]
#
# It installs the Debian packages (nginx, PostgreSQL, Odoo's python3-*), an Odoo 19.0 tree when
# --odoo-home holds none, the system account and PostgreSQL role `odoo`, the addons of this
# checkout under /opt/isp-core/addons, Odoo's configuration in /etc/isp-core (deploy/render.py),
# the nginx site, the systemd units for Odoo and the nightly backup. A new database gets the
# checkout's addons (isp_core, and isp_billing where present) installed; an existing one is backed
# up first, then updated (-u) to this release.
# The master password is made once and kept in /etc/isp-core/master-password (root only); a new
# database's administrator gets a generated password, in /etc/isp-core/admin-login (root only).
set -euo pipefail
umask 022
repo="$(cd "$(dirname "$0")/.." && pwd)"

usage() { sed -n '2,17s/^# \{0,1\}//p' "$0" >&2; exit 2; }
domain="" cert="" key="" database="isp" odoo_home="/opt/odoo" backup_days=14 cron_threads=1
while [ $# -gt 0 ]; do
  case "$1" in
    --domain) domain="${2:?--domain needs a value}"; shift 2 ;;
    --cert) cert="${2:?--cert needs a value}"; shift 2 ;;
    --key) key="${2:?--key needs a value}"; shift 2 ;;
    --database) database="${2:?--database needs a value}"; shift 2 ;;
    --odoo-home) odoo_home="${2:?--odoo-home needs a value}"; shift 2 ;;
    --backup-days) backup_days="${2:?--backup-days needs a value}"; shift 2 ;;
    --cron-threads) cron_threads="${2:?--cron-threads needs a value}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "install.sh: unknown argument $1" >&2; usage ;;
  esac
done
[ -n "$domain" ] || { echo "install.sh: --domain is required" >&2; exit 2; }
# The values are checked before anything is installed: render.py checks them again, but only once
# Debian's packages are in (a fresh host may have no Python), and the account, the addons and the
# configuration would be written by then.
[[ "$domain" =~ ^[A-Za-z0-9.-]+$ ]] || { echo "install.sh: --domain: '$domain' is not a host name" >&2; exit 2; }
[[ "$database" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]*$ ]] || { echo "install.sh: --database: '$database' is not a plain database name" >&2; exit 2; }
[[ "$odoo_home" == /* ]] || { echo "install.sh: --odoo-home: '$odoo_home' is not an absolute path" >&2; exit 2; }
[[ "$backup_days" =~ ^[1-9][0-9]*$ ]] || { echo "install.sh: --backup-days: '$backup_days' is not a whole number of days, 1 or more" >&2; exit 2; }
[[ "$cron_threads" =~ ^[0-9]+$ ]] || { echo "install.sh: --cron-threads: '$cron_threads' is not a whole number" >&2; exit 2; }
[ -r "$cert" ] || { echo "install.sh: --cert: no readable certificate at '$cert'" >&2; exit 2; }
[ -r "$key" ] || { echo "install.sh: --key: no readable private key at '$key'" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run it as root (sudo)" >&2; exit 2; }
# nginx would read a relative path from /etc/nginx: both are made absolute, keeping their symbolic
# links (Let's Encrypt's live/ names follow each renewal). The rest runs from /, which every account
# may enter.
cert="$(realpath --no-symlinks -- "$cert")"
key="$(realpath --no-symlinks -- "$key")"
cd /

config_dir=/etc/isp-core
install_dir=/opt/isp-core
data_dir=/var/lib/isp-core
backup_dir=/var/backups/isp-core
account=odoo
odoo_port=8069
step() { echo "install.sh: $*" >&2; }

step "Debian packages"
mapfile -t odoo_packages < <(sed 's/#.*//' "$repo/scripts/odoo/debian-packages.txt" | tr -s ' ' '\n' | grep .)
DEBIAN_FRONTEND=noninteractive apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx postgresql postgresql-client openssl git "${odoo_packages[@]}" >/dev/null

# The certificate and its key must belong together, or nginx refuses to start.
if [ "$(openssl x509 -in "$cert" -noout -pubkey)" != "$(openssl pkey -in "$key" -pubout)" ]; then
  echo "install.sh: --key: $key is not the key of the certificate $cert" >&2
  exit 2
fi

if [ ! -f "$odoo_home/odoo-bin" ]; then
  step "Odoo 19.0 into $odoo_home"
  bash "$repo/scripts/odoo/fetch-odoo.sh" "$odoo_home"
  [ -f "$odoo_home/odoo-bin" ] || { echo "install.sh: --odoo-home: no Odoo 19.0 tree at $odoo_home" >&2; exit 1; }
fi

step "account $account, PostgreSQL role $account"
# The account's home is the data folder, made first so that adduser finds it.
install -d -m 0750 "$data_dir"
id -u "$account" >/dev/null 2>&1 || adduser --system --group --home "$data_dir" --no-create-home "$account"
install -d -o "$account" -g "$account" -m 0750 "$data_dir" "$backup_dir"
systemctl enable --now postgresql >/dev/null
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname = '$account'\"" | grep -q 1; then
  su postgres -c "createuser --createdb $account"
fi

step "isp_core's addons and tools into $install_dir"
install -d "$install_dir/addons" "$install_dir/deploy"
staging="$install_dir/addons.new"
rm -rf "$staging"
mkdir "$staging"
addons=""
for manifest in "$repo"/*/__manifest__.py; do
  cp -a "$(dirname "$manifest")" "$staging/"
  addons="${addons:+$addons,}$(basename "$(dirname "$manifest")")"
done
find "$staging" -name __pycache__ -prune -exec rm -rf {} +
rm -rf "$install_dir/addons.old"
mv "$install_dir/addons" "$install_dir/addons.old"
mv "$staging" "$install_dir/addons"
rm -rf "$install_dir/addons.old"
install -m 0755 "$repo/deploy/backup.sh" "$repo/deploy/restore.sh" "$install_dir/deploy/"
# The checkout usually belongs to the operator, not root: git refuses another's repository unless
# told it is safe.
git -c safe.directory="$repo" -C "$repo" describe --tags --always 2>/dev/null > "$install_dir/RELEASE" || true

step "configuration in $config_dir"
install -d -m 0750 -g "$account" "$config_dir"
rendered="$(mktemp -d)"
trap 'rm -rf "$rendered"' EXIT
# The master password made by the first run is kept: render.py reads it back.
[ ! -f "$config_dir/master-password" ] || cp -p "$config_dir/master-password" "$rendered/"
/usr/bin/python3 "$repo/deploy/render.py" --output "$rendered" --domain "$domain" --cert "$cert" --key "$key" \
  --database "$database" --odoo-home "$odoo_home" --addons "$install_dir/addons" --data-dir "$data_dir" \
  --backup-dir "$backup_dir" --backup-days "$backup_days" --system-user "$account" --db-user "$account" \
  --cron-threads "$cron_threads" --http-port "$odoo_port"
install -m 0600 -o root -g root "$rendered/master-password" "$config_dir/master-password"
install -m 0640 -o root -g "$account" "$rendered/odoo.conf" "$config_dir/odoo.conf"
install -m 0644 "$rendered/isp-core-odoo.service" "$rendered/isp-core-backup.service" "$rendered/isp-core-backup.timer" /etc/systemd/system/
install -m 0644 "$rendered/nginx-site.conf" /etc/nginx/sites-available/isp-core.conf
ln -sf /etc/nginx/sites-available/isp-core.conf /etc/nginx/sites-enabled/isp-core.conf
install -d /var/www/letsencrypt
systemctl daemon-reload

as_odoo() { runuser -u "$account" -- "$@"; }
odoo_run() { as_odoo /usr/bin/python3 "$odoo_home/odoo-bin" --config "$config_dir/odoo.conf" --no-http --max-cron-threads=0 --stop-after-init "$@"; }
if as_odoo psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  step "backup of $database before the update"
  (cd "$data_dir" && as_odoo bash "$install_dir/deploy/backup.sh" --database "$database" --data-dir "$data_dir" \
    --to "$backup_dir" --keep-days "$backup_days")
  systemctl stop isp-core-odoo 2>/dev/null || true
  step "updating $addons in $database"
  (cd "$data_dir" && odoo_run -d "$database" -u "$addons")
else
  step "creating $database with $addons"
  (cd "$data_dir" && odoo_run -d "$database" -i "$addons")
fi

# The links Odoo sends out (invoices, the portal, a suspended customer's notice page, which the
# routers redirect to) name the public address, frozen: Odoo would otherwise take the address of
# whichever administrator logged in last, e.g. through an SSH tunnel.
# A new database's administrator logs in as admin / admin. While it still does (a new database, or
# a first run stopped before this step), it gets a generated password, written to admin-login
# (root only); a password someone chose is left alone.
ISP_BASE_URL="https://$domain"
ISP_ADMIN_PASSWORD="$(/usr/bin/python3 -c 'import secrets; print(secrets.token_urlsafe(18))')"
export ISP_BASE_URL ISP_ADMIN_PASSWORD
admin_password_set="$(cd "$data_dir" && as_odoo /usr/bin/python3 "$odoo_home/odoo-bin" shell --config "$config_dir/odoo.conf" \
  -d "$database" --no-http <<'PYTHON'
import os
parameters = env["ir.config_parameter"].sudo()
parameters.set_param("web.base.url", os.environ["ISP_BASE_URL"])
parameters.set_param("web.base.url.freeze", "True")
admin = env.ref("base.user_admin")
env.cr.execute("SELECT COALESCE(password, '') FROM res_users WHERE id = %s", [admin.id])
[stored] = env.cr.fetchone()
if admin._crypt_context().verify("admin", stored):
    admin.password = os.environ["ISP_ADMIN_PASSWORD"]
    print("admin password set")
env.cr.commit()
PYTHON
)"
if [ "$admin_password_set" = "admin password set" ]; then
  step "the administrator's password is in $config_dir/admin-login"
  (umask 077 && printf 'admin\n%s\n' "$ISP_ADMIN_PASSWORD" > "$config_dir/admin-login")
fi
unset ISP_BASE_URL ISP_ADMIN_PASSWORD

step "starting Odoo, the backup timer and nginx"
systemctl enable isp-core-odoo isp-core-backup.timer >/dev/null
systemctl restart isp-core-odoo
systemctl start isp-core-backup.timer
nginx -t
systemctl enable nginx >/dev/null
systemctl reload-or-restart nginx
# Odoo takes a few seconds to load its registry: the run ends once it answers, or says it does not.
step "waiting for Odoo to answer"
/usr/bin/python3 - "$odoo_port" <<'PYTHON' || { echo "install.sh: Odoo did not answer on 127.0.0.1:$odoo_port within 120 s: see journalctl -u isp-core-odoo" >&2; exit 1; }
import sys, time, urllib.request
direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through an http_proxy
deadline = time.monotonic() + 120
while True:
    try:
        direct.open(f"http://127.0.0.1:{sys.argv[1]}/web/login", timeout=10)
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(1)
        time.sleep(1)
PYTHON
step "isp_core answers at https://$domain/; the first login is in $config_dir/admin-login (root only): change it."
step "Odoo's master password is in $config_dir/master-password (root only); the database manager is off."
