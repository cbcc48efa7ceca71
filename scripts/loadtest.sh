#!/usr/bin/env bash
# `make loadtest`: volunteers and coordinators at work over HTTP (locust) against
# gunicorn, a Celery worker and beat with production settings, while the worker is killed,
# PostgreSQL restarts and Redis stops; then checks that no acknowledged report was lost or
# doubled, every good news was delivered once, and no traceback was shown
# (livingwell/bench/loadtest.py). Exit status 1 if a check fails.
#   LOADTEST_VOLUNTEERS (200), LOADTEST_COORDINATORS (10), LOADTEST_SECONDS (60),
#   LOADTEST_REDIS_DOWN_SECONDS (half the run), LOADTEST_PG_DOWN_SECONDS (1/20 of it),
#   LOADTEST_DRAIN_SECONDS (120: how long to wait for the outbox), LOADTEST_RESULTS (a JSON
#   file for the figures), LOADTEST_STATIC_MANIFEST (true), LOADTEST_KEEP (keep the logs).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_debian_packages redis-server
ensure_postgres_installed
ensure_venv "$ROOT/requirements-dev.txt"

# A fresh folder that the postgres user can reach wherever the project was cloned.
DATA="$(mktemp -d "${TMPDIR:-/tmp}/livingwell-loadtest.XXXXXX")"
chmod 755 "$DATA"
cleanup() {
  pg_stop "$DATA/postgres"
  redis_stop "$DATA/redis"
  if [ -n "${LOADTEST_KEEP:-}" ]; then echo "Logs kept in $DATA/logs"; else rm -rf "$DATA"; fi
}
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export LOADTEST_DATA="$DATA"
export LOADTEST_PG_PORT="${LW_LOADTEST_PG_PORT:-$(free_port)}"
export LOADTEST_REDIS_PORT="${LW_LOADTEST_REDIS_PORT:-$(free_port)}"
VOLUNTEERS="${LOADTEST_VOLUNTEERS:-200}"

say "Starting PostgreSQL and Redis in $DATA"
pg_start "$DATA/postgres" "$LOADTEST_PG_PORT"
redis_start "$DATA/redis" "$LOADTEST_REDIS_PORT" --save '' --appendonly no
pg_createdb "$DATA/postgres" "$LOADTEST_PG_PORT" livingwell
export DATABASE_URL="$(pg_url "$DATA/postgres" "$LOADTEST_PG_PORT" livingwell)"
export REDIS_URL="redis://127.0.0.1:$LOADTEST_REDIS_PORT/0"

say "Migrating and seeding: the demo's places and staff, $VOLUNTEERS volunteers with clients"
DEBUG=true "$PY" manage.py migrate --noinput -v 0
# seed_scale brings the demo's areas, practices and staff, and made-up volunteers who visit
# clients of their area (seed_demo's own clients and history cannot share a database with
# it). Its allocations leave some volunteers with no client at all, so it makes four
# times as many as the load needs; the load takes the first who visit someone.
DEBUG=true "$PY" manage.py seed_scale --volunteers $((VOLUNTEERS * 4)) \
  --clients $((VOLUNTEERS * 10)) --risks $((VOLUNTEERS * 10)) >/dev/null

# Production settings, but plain HTTP on loopback: no TLS here to redirect to.
export DEBUG=false
export SECRET_KEY="loadtest-only-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export EMAIL_URL="filemail:///$DATA/mail"  # django-environ drops one slash
# The outbox's sweep looks for undelivered messages every 2 s (not every minute) and
# steps in 5 s (not 2 minutes) after a message was written, so that the run can wait for
# everything to be delivered in seconds; it is the same code that does it.
export NOTIFICATION_SWEEP_EVERY_SECONDS="${NOTIFICATION_SWEEP_EVERY_SECONDS:-2}"
export NOTIFICATION_SWEEP_GRACE_SECONDS="${NOTIFICATION_SWEEP_GRACE_SECONDS:-5}"

# Hashed, compressed static files as in production, collected again only when they change
# (compressing them takes the best part of a minute). The short version in `make test`
# goes without.
export STATIC_MANIFEST="${LOADTEST_STATIC_MANIFEST:-true}"
if [ "$STATIC_MANIFEST" = true ]; then
  export STATIC_ROOT="$ROOT/.data/loadtest/static"
  mkdir -p "$STATIC_ROOT"
  digest="$(find static -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$ROOT/.data/loadtest/static.digest" 2>/dev/null)" != "$digest" ]; then
    say "Collecting static files"
    "$PY" manage.py collectstatic --noinput -v 0
    echo "$digest" >"$ROOT/.data/loadtest/static.digest"
  fi
else
  export STATIC_ROOT="$DATA/static"
fi

"$PY" -m livingwell.bench.loadtest
