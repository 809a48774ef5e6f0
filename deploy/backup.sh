#!/usr/bin/env bash
# Backs up isp_core's data: the PostgreSQL database (pg_dump's custom format) and its Odoo
# filestore (the attachments), into one folder per run named by the UTC time, then removes the
# runs older than --keep-days. A folder is complete or absent: it is written under a .partial name
# and renamed last. isp-core-backup.timer runs it every night; run it by hand before an upgrade.
#
#   backup.sh --database isp --data-dir /var/lib/isp-core --to /var/backups/isp-core [--keep-days 14]
#
# Prints the folder it wrote. Restore with deploy/restore.sh.
set -euo pipefail
umask 077

usage() { sed -n '2,10s/^# \{0,1\}//p' "$0" >&2; exit 2; }
database="" data_dir="" target_root="" keep_days=14
while [ $# -gt 0 ]; do
  case "$1" in
    --database) database="${2:?--database needs a value}"; shift 2 ;;
    --data-dir) data_dir="${2:?--data-dir needs a value}"; shift 2 ;;
    --to) target_root="${2:?--to needs a value}"; shift 2 ;;
    --keep-days) keep_days="${2:?--keep-days needs a value}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "backup.sh: unknown argument $1" >&2; usage ;;
  esac
done
[ -n "$database" ] || { echo "backup.sh: --database is required" >&2; exit 2; }
[[ "$database" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]*$ ]] || { echo "backup.sh: --database: $database is not a plain database name" >&2; exit 2; }
[ -n "$data_dir" ] || { echo "backup.sh: --data-dir is required" >&2; exit 2; }
[ -n "$target_root" ] || { echo "backup.sh: --to is required" >&2; exit 2; }
[[ "$keep_days" =~ ^[1-9][0-9]*$ ]] || { echo "backup.sh: --keep-days must be a whole number of days, 1 or more" >&2; exit 2; }

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$target_root/$database-$stamp"
partial="$target.partial"
mkdir -p "$target_root"
rm -rf "$partial"
mkdir "$partial"
trap 'rm -rf "$partial"' EXIT

# The dump is one consistent snapshot, taken while Odoo runs. The filestore follows it: a file
# added meanwhile is kept needlessly, and Odoo deletes a file only once no record names it.
pg_dump --format=custom --file "$partial/database.dump" "$database"
filestore="$data_dir/filestore/$database"
if [ -d "$filestore" ]; then
  tar -C "$filestore" -czf "$partial/filestore.tar.gz" .
else
  tar -czf "$partial/filestore.tar.gz" -T /dev/null
fi
version="$(psql -d "$database" -tAc "SELECT latest_version FROM ir_module_module WHERE name = 'isp_core'")"
printf 'database=%s\ntaken=%s\nisp_core=%s\n' "$database" "$stamp" "$version" > "$partial/BACKUP"
(cd "$partial" && sha256sum database.dump filestore.tar.gz BACKUP > SHA256SUMS)
mv "$partial" "$target"
trap - EXIT

# Runs older than the retention go; the one just made never does.
find "$target_root" -mindepth 1 -maxdepth 1 -type d -name "$database-*" ! -path "$target" \
  -mmin +$((keep_days * 24 * 60)) -exec rm -rf {} +
echo "$target"
