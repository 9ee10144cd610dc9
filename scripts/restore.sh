#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an existing (preferably empty) database.
#
#   DATABASE_URL=postgres://user@host:5432/newsroom MEDIA_ROOT=/srv/newsroom/media scripts/restore.sh BACKUP_DIR --yes
#
# The database's Newsroom tables are replaced by the backup's, in one transaction: if anything
# fails, the database is left as it was. Media files are unpacked over MEDIA_ROOT.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${1:?Usage: scripts/restore.sh BACKUP_DIR --yes}"
: "${DATABASE_URL:?Set DATABASE_URL to the database to restore into (postgres://...)}"
MEDIA_ROOT="${MEDIA_ROOT-$ROOT/var/media}"
if [ "${2:-}" != "--yes" ]; then
    echo "This replaces the content of $DATABASE_URL with the backup in $DIR." >&2
    echo "Run again with --yes to go ahead." >&2
    exit 2
fi

(cd "$DIR" && sha256sum --check --quiet SHA256SUMS)
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
    --dbname="$DATABASE_URL" "$DIR/database.dump"
if [ -f "$DIR/media.tar.gz" ] && [ -n "$MEDIA_ROOT" ]; then
    mkdir -p "$MEDIA_ROOT"
    tar -C "$MEDIA_ROOT" -xzf "$DIR/media.tar.gz"
fi
echo "Restored $DIR"
