#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh: the database and its filestore, checked against the
# backup's checksums first. Stop Odoo before, start it after (README, "Running in production").
#
#   restore.sh --from /var/backups/isp-core/isp-20261206T023000Z --database isp --data-dir /var/lib/isp-core [--replace]
#
# Without --replace it refuses a database or filestore that exists; with it, they are dropped
# first. Run it as the account Odoo runs as, so that it owns what is restored.
set -euo pipefail
umask 027

usage() { sed -n '2,9s/^# \{0,1\}//p' "$0" >&2; exit 2; }
source_dir="" database="" data_dir="" replace=""
while [ $# -gt 0 ]; do
  case "$1" in
    --from) source_dir="${2:?--from needs a value}"; shift 2 ;;
    --database) database="${2:?--database needs a value}"; shift 2 ;;
    --data-dir) data_dir="${2:?--data-dir needs a value}"; shift 2 ;;
    --replace) replace=1; shift ;;
    -h|--help) usage ;;
    *) echo "restore.sh: unknown argument $1" >&2; usage ;;
  esac
done
[ -n "$source_dir" ] || { echo "restore.sh: --from is required" >&2; exit 2; }
[ -n "$database" ] || { echo "restore.sh: --database is required" >&2; exit 2; }
[[ "$database" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]*$ ]] || { echo "restore.sh: --database: $database is not a plain database name" >&2; exit 2; }
[ -n "$data_dir" ] || { echo "restore.sh: --data-dir is required" >&2; exit 2; }
[ -f "$source_dir/SHA256SUMS" ] || { echo "restore.sh: --from: $source_dir is not a backup (no SHA256SUMS)" >&2; exit 1; }
(cd "$source_dir" && sha256sum --quiet --check SHA256SUMS) || { echo "restore.sh: --from: $source_dir is damaged (checksums differ)" >&2; exit 1; }

filestore="$data_dir/filestore/$database"
exists="$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")"
if [ -z "$replace" ]; then
  [ -z "$exists" ] || { echo "restore.sh: --database: $database exists; add --replace to drop it" >&2; exit 1; }
  [ ! -e "$filestore" ] || { echo "restore.sh: --data-dir: $filestore exists; add --replace to remove it" >&2; exit 1; }
fi

# Everything is first restored beside its place, then swapped in: a failed restore leaves what
# was there.
staging_db="${database}_restoring"
staging_files="$filestore.restoring"
cleanup() { dropdb --if-exists "$staging_db" 2>/dev/null || true; rm -rf "$staging_files"; }
trap cleanup EXIT
cleanup
createdb "$staging_db"
pg_restore --exit-on-error --no-owner --no-privileges --no-comments -d "$staging_db" "$source_dir/database.dump"
mkdir -p "$staging_files"
tar -C "$staging_files" -xzf "$source_dir/filestore.tar.gz"

[ -z "$exists" ] || dropdb --force "$database"
psql -d postgres -q -c "ALTER DATABASE \"$staging_db\" RENAME TO \"$database\""
rm -rf "$filestore"
mkdir -p "$(dirname "$filestore")"
mv "$staging_files" "$filestore"
trap - EXIT
echo "restore.sh: $database restored from $source_dir" >&2
