#!/usr/bin/env bash
# `make run`: the application with demo data, a Celery worker and Celery beat.
# Starts a private PostgreSQL and Redis under .data/dev unless DATABASE_URL / REDIS_URL
# are set. Ctrl-C stops everything it started.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

PORT="${PORT:-8000}"
PG_PORT="${LW_PG_PORT:-5433}"
REDIS_PORT="${LW_REDIS_PORT:-6380}"
DATA="${LW_DATA_DIR:-$ROOT/.data/dev}"

ensure_venv "$ROOT/requirements.txt"
export DEBUG="${DEBUG:-true}"
export DEMO_PASSWORD="${DEMO_PASSWORD:-livingwell-demo}"
mkdir -p "$DATA"

started_pg=""
started_redis=""
stop_services() {
  [ -n "$started_pg" ] && pg_stop "$DATA/postgres"
  [ -n "$started_redis" ] && redis_stop "$DATA/redis"
  return 0
}
trap stop_services EXIT

if [ -z "${DATABASE_URL:-}" ]; then
  ensure_postgres_installed
  pg_start "$DATA/postgres" "$PG_PORT"
  started_pg=1
  pg_createdb "$DATA/postgres" "$PG_PORT" livingwell
  export DATABASE_URL="$(pg_url "$DATA/postgres" "$PG_PORT" livingwell)"
fi
if [ -z "${REDIS_URL:-}" ]; then
  redis_start "$DATA/redis" "$REDIS_PORT"
  started_redis=1
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
fi

say "Preparing the database"
"$PY" manage.py migrate --noinput
# Demo accounts share a published password: only ever in the private database this script
# started, unless asked for explicitly.
if [ -n "$started_pg" ] || [ -n "${LW_SEED_DEMO:-}" ]; then
  "$PY" manage.py seed_demo
else
  say "DATABASE_URL is set: not adding demo data (set LW_SEED_DEMO=1 to add it)"
fi

cat <<BANNER

  Living Well is starting on http://127.0.0.1:$PORT/
  Sign in with any demo account: vera, victor (volunteers), cora (coordinator),
  tom (team leader), drchen (Multi-Disciplinary Team meeting chair), mona (manager),
  admin (administrator). Password: $DEMO_PASSWORD
  Everyone but vera and victor is then asked for a code from an authenticator app:
  add the demo key LIVINGWELLDEMOSECRETFORCORNWALL2 to yours, or run: make demo-code
  Health: http://127.0.0.1:$PORT/healthz    Stop: Ctrl-C

BANNER

export LW_WEB_PORT="$PORT" LW_BEAT_SCHEDULE="$DATA/celerybeat-schedule"
"$VENV/bin/honcho" --no-prefix -f "$ROOT/Procfile.dev" start || true
