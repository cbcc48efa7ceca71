#!/usr/bin/env bash
# `make bench`: build (or reuse) a scale database of BENCH_SIZE concerns in a private
# PostgreSQL under .data/bench, then time every key page against the floor and measure the
# whole stack over HTTP (`manage.py bench`). Prints one table and writes docs/benchmarks.md.
#   BENCH_SIZE=small (10,000 concerns) | <number of concerns>; default 1,000,000.
# Shorter runs: BENCH_REQUESTS, BENCH_HTTP_SECONDS, BENCH_VOLUNTEERS, BENCH_GOOD_NEWS.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

SIZE="${BENCH_SIZE:-1000000}"
case "$SIZE" in
  small) RISKS=10000 ;;
  *[!0-9]* | "") die "BENCH_SIZE must be 'small' or a number of concerns, not '$SIZE'" ;;
  *) RISKS="$SIZE" ;;
esac
DATA="${LW_BENCH_DATA:-$ROOT/.data/bench}"
PG_PORT="${LW_BENCH_PG_PORT:-5450}"
REDIS_PORT="${LW_BENCH_REDIS_PORT:-6390}"
DB="livingwell_bench_$RISKS"

ensure_debian_packages redis-server
ensure_postgres_installed
ensure_venv "$ROOT/requirements.txt"
mkdir -p "$DATA"

cleanup() {
  pg_stop "$DATA/postgres"
  redis_stop "$DATA/redis"
}
trap cleanup EXIT

say "Starting the benchmark's PostgreSQL and Redis in $DATA"
pg_start "$DATA/postgres" "$PG_PORT"
redis_start "$DATA/redis" "$REDIS_PORT" --save '' --appendonly no

psql_bench() {
  as_pg_owner "$(pg_bin)/psql" -h "$DATA/postgres/socket" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -Atq "$@"
}

export DATABASE_URL="$(pg_url "$DATA/postgres" "$PG_PORT" "$DB")"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"

# A database per size, marked complete only once seed_scale has finished, so that a run
# stopped halfway is built again rather than measured; and with the fingerprint of the code
# that seeded it, so that a changed seed builds it again.
SEED_DIGEST="$(cat livingwell/scale.py livingwell/*/scale.py ./*/scale.py \
  livingwell/accounts/management/commands/seed_scale.py 2>/dev/null | sha256sum | cut -c1-16)"
completed() {
  psql_bench -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" postgres | grep -q 1 \
    && psql_bench -c "SELECT to_regclass('bench_completed') IS NOT NULL" "$DB" | grep -q t \
    && psql_bench -c "SELECT seed_digest FROM bench_completed" "$DB" 2>/dev/null | grep -qx "$SEED_DIGEST"
}
if completed; then
  say "Reusing the scale database $DB"
  DEBUG=true "$PY" manage.py migrate --noinput
else
  say "Building the scale database $DB ($RISKS concerns)"
  psql_bench -c "DROP DATABASE IF EXISTS $DB" postgres
  pg_createdb "$DATA/postgres" "$PG_PORT" "$DB"
  DEBUG=true "$PY" manage.py migrate --noinput
  DEBUG=true "$PY" manage.py seed_scale --risks "$RISKS"
  psql_bench -c "CREATE TABLE bench_completed (risks integer NOT NULL, seed_digest text NOT NULL,
                                               seeded_at timestamptz NOT NULL DEFAULT now());
                 INSERT INTO bench_completed (risks, seed_digest) VALUES ($RISKS, '$SEED_DIGEST');" "$DB"
fi

# Production settings, but plain HTTP on loopback: no TLS here to redirect to.
export DEBUG=false
export SECRET_KEY="bench-only-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
export ALLOWED_HOSTS="127.0.0.1,localhost,testserver"
export SECURE_SSL_REDIRECT=false
export STATIC_ROOT="$DATA/static" STATIC_MANIFEST="${BENCH_STATIC_MANIFEST:-true}"
export EMAIL_URL="${BENCH_EMAIL_URL:-memorymail://}"
export BENCH_LOGS="${BENCH_LOGS:-$DATA/logs}"

# Hashed, compressed static files as in production; collected again only when they change
# (compressing them takes the best part of a minute). The smoke test goes without.
if [ "$STATIC_MANIFEST" = true ]; then
  digest="$(cd "$ROOT" && find static -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$DATA/static.digest" 2>/dev/null)" != "$digest" ]; then
    say "Collecting static files"
    "$PY" manage.py collectstatic --noinput -v 0
    echo "$digest" >"$DATA/static.digest"
  fi
fi

say "Measuring"
"$PY" manage.py bench --size-label "$SIZE" --risks "$RISKS"
