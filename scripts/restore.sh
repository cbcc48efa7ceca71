#!/usr/bin/env bash
# `make restore FILE=...`: restore a backup made by `make backup` into the database
# (DATABASE_URL's when it is set, otherwise the development one under .data/dev), in one
# transaction. A database that already has data is refused unless --replace (REPLACE=1).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ -n "${1:-}" ] || die "say which backup to restore: make restore FILE=path/to/livingwell-....dump (add REPLACE=1 to replace a database that has data)"
# Relative to where the command was run, before moving to the project folder.
FILE="$(realpath -m -- "$1")"
shift
cd "$ROOT"

ensure_venv "$ROOT/requirements.txt"
use_dev_database
"$PY" manage.py restore "$FILE" "$@"
