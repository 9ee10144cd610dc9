#!/usr/bin/env bash
# Back up a Newsroom installation: a PostgreSQL dump and the media files, in one dated folder.
#
#   DATABASE_URL=postgres://user@host:5432/newsroom MEDIA_ROOT=/srv/newsroom/media scripts/backup.sh [DEST]
#
# DEST defaults to ./backups. Prints the folder it wrote. Media in S3-compatible storage is
# copied separately (see README, "Backup and restore"); set MEDIA_ROOT="" to skip local media.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${1:-backups}"
: "${DATABASE_URL:?Set DATABASE_URL to the database to back up (postgres://...)}"
case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) echo "backup.sh backs up PostgreSQL; DATABASE_URL is not a postgres:// URL." >&2; exit 2 ;;
esac
MEDIA_ROOT="${MEDIA_ROOT-$ROOT/var/media}"

OUT="$DEST/newsroom-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
# Custom format: compressed, and pg_restore can restore it whole or table by table.
pg_dump --format=custom --no-owner --no-privileges --file="$OUT/database.dump" "$DATABASE_URL"
if [ -n "$MEDIA_ROOT" ] && [ -d "$MEDIA_ROOT" ]; then
    tar -C "$MEDIA_ROOT" -czf "$OUT/media.tar.gz" .
fi
(cd "$OUT" && sha256sum -- * > SHA256SUMS)
echo "$OUT"
