#!/usr/bin/env bash
# `make backup`: a pg_dump (custom format) of the database into BACKUP_DIR (default
# .data/backups/), readable by its owner only. Backs up DATABASE_URL's database when it is
# set; otherwise the development database under .data/dev, started for it if need be.
# Extra arguments go to `manage.py backup`.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_venv "$ROOT/requirements.txt"
use_dev_database
"$PY" manage.py backup "$@"
