#!/usr/bin/env bash
# Start, stop or inspect the development PostgreSQL and Redis by hand, and print the
# environment to use them:  scripts/services.sh start|stop|status|env
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DATA="$ROOT/.data/dev"
PG_PORT="${LW_PG_PORT:-5433}"
REDIS_PORT="${LW_REDIS_PORT:-6380}"

case "${1:-status}" in
  start)
    ensure_postgres_installed
    pg_start "$DATA/postgres" "$PG_PORT"
    pg_createdb "$DATA/postgres" "$PG_PORT" livingwell
    redis_start "$DATA/redis" "$REDIS_PORT"
    ;;
  stop)
    pg_stop "$DATA/postgres"
    redis_stop "$DATA/redis"
    ;;
  status)
    if as_pg_owner "$(pg_bin)/pg_ctl" -D "$DATA/postgres/pgdata" status >/dev/null 2>&1; then
      echo "PostgreSQL: running"; else echo "PostgreSQL: stopped"; fi
    if redis_running "$DATA/redis"; then echo "Redis: running"; else echo "Redis: stopped"; fi
    ;;
  env)
    echo "export DEBUG=true"
    echo "export DATABASE_URL='$(pg_url "$DATA/postgres" "$PG_PORT" livingwell)'"
    echo "export REDIS_URL='redis://127.0.0.1:$REDIS_PORT/0'"
    ;;
  *) die "usage: scripts/services.sh start|stop|status|env" ;;
esac
