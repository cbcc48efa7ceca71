# Shared logic for the development and test services. Sourced by run.sh, test.sh and
# services.sh; never run on its own.
#
# Everything here is private to the project: a PostgreSQL cluster and a Redis server in
# folders of our own, on ports of our own. No system service is started or changed.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'Error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# Install Debian packages that are missing (as root), or say what to install.
ensure_debian_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if is_root; then
    say "Installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    die "please install these Debian packages first: sudo apt-get install ${missing[*]}"
  fi
}

# The virtualenv, with the given requirements file installed. Reinstalls only when the
# requirements change.
ensure_venv() {
  local requirements="$1"
  if [ ! -x "$PY" ]; then
    say "Creating the virtualenv in .venv"
    python3 -m venv "$VENV" || die "python3 -m venv failed: install Debian's python3-venv"
  fi
  local stamp="$VENV/.installed-$(basename "$requirements")"
  local digest
  digest="$(cat "$ROOT/requirements.txt" "$requirements" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    say "Installing Python packages from $(basename "$requirements")"
    # This machine's pip configuration may name local package folders that do not exist;
    # its warnings about them are noise.
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$requirements" 2>&1 \
      | { grep -v "is ignored: it is neither a file nor a directory" || true; }
    echo "$digest" >"$stamp"
  fi
}

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

ensure_postgres_installed() {
  pg_bin >/dev/null || ensure_debian_packages postgresql
  pg_bin >/dev/null || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
}

# Run a PostgreSQL command as the cluster's owner: root may not run initdb or the server.
as_pg_owner() {
  if is_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# pg_start DATA_DIR PORT [extra server options...]: start a private cluster whose socket
# lives in DATA_DIR/socket, creating it on first use. Idempotent.
pg_start() {
  local data="$1" port="$2"
  shift 2
  local bin
  bin="$(pg_bin)"
  local socket="$data/socket"
  if is_root; then
    mkdir -p "$data"
    chown postgres: "$data"
    # The postgres user has to reach the folder: it cannot enter one under a private home.
    runuser -u postgres -- test -w "$data" || die "the postgres user cannot write to $data.
  Its path has a folder that other users cannot enter (often a home folder with mode 700).
  Move the project to a folder such as /srv or /opt, or set DATABASE_URL to a PostgreSQL you run."
  else
    mkdir -p "$data"
  fi
  if [ ! -f "$data/pgdata/PG_VERSION" ]; then
    say "Creating a private PostgreSQL cluster in $data"
    as_pg_owner "$bin/initdb" -D "$data/pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  as_pg_owner mkdir -p "$socket"
  if as_pg_owner "$bin/pg_ctl" -D "$data/pgdata" status >/dev/null 2>&1; then
    return 0
  fi
  local options="-p $port -k $socket -c listen_addresses=''"
  local extra
  for extra in "$@"; do options="$options -c $extra"; done
  as_pg_owner "$bin/pg_ctl" -D "$data/pgdata" -l "$data/postgres.log" -o "$options" -w -t 30 start >/dev/null \
    || die "PostgreSQL did not start; see $data/postgres.log"
}

pg_stop() {
  local data="$1"
  [ -f "$data/pgdata/PG_VERSION" ] || return 0
  local bin
  bin="$(pg_bin)" || return 0
  if as_pg_owner "$bin/pg_ctl" -D "$data/pgdata" status >/dev/null 2>&1; then
    as_pg_owner "$bin/pg_ctl" -D "$data/pgdata" -m fast -w stop >/dev/null || true
  fi
}

pg_running() {
  local data="$1"
  [ -f "$data/pgdata/PG_VERSION" ] && as_pg_owner "$(pg_bin)/pg_ctl" -D "$data/pgdata" status >/dev/null 2>&1
}

# use_dev_database: for a one-off command (backup.sh, restore.sh). Unless DATABASE_URL is
# set, point it at the development database under .data/dev (LW_DATA_DIR, LW_PG_PORT as in
# run.sh), starting that PostgreSQL when it is not running, and stopping it again on exit
# only if it was started here (so a `make run` in another terminal keeps its database).
use_dev_database() {
  [ -n "${DATABASE_URL:-}" ] && return 0
  local data="${LW_DATA_DIR:-$ROOT/.data/dev}/postgres" port="${LW_PG_PORT:-5433}"
  ensure_postgres_installed
  if ! pg_running "$data"; then
    pg_start "$data" "$port"
    DEV_PG_TO_STOP="$data"
    trap 'pg_stop "$DEV_PG_TO_STOP"' EXIT
  fi
  pg_createdb "$data" "$port" livingwell
  export DATABASE_URL="$(pg_url "$data" "$port" livingwell)"
  export DEBUG="${DEBUG:-true}"
}

pg_url() {
  local data="$1" port="$2" name="$3"
  echo "postgres://postgres@/$name?host=$data/socket&port=$port"
}

# pg_createdb DATA_DIR PORT NAME: create the database unless it exists.
pg_createdb() {
  local data="$1" port="$2" name="$3"
  local bin
  bin="$(pg_bin)"
  if ! as_pg_owner "$bin/psql" -h "$data/socket" -p "$port" -U postgres -Atqc \
      "SELECT 1 FROM pg_database WHERE datname = '$name'" postgres | grep -q 1; then
    as_pg_owner "$bin/createdb" -h "$data/socket" -p "$port" -U postgres "$name"
  fi
}

# redis_start DIR PORT [extra redis-server arguments...]. Idempotent.
redis_start() {
  local dir="$1" port="$2"
  shift 2
  command -v redis-server >/dev/null || ensure_debian_packages redis-server
  mkdir -p "$dir"
  if redis_running "$dir"; then
    return 0
  fi
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" "$@" >/dev/null
  local tries=0
  until redis-cli -p "$port" ping >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ $tries -gt 50 ] && die "Redis did not start on port $port; see $dir/redis.log"
    sleep 0.1
  done
}

redis_running() {
  local dir="$1"
  [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null
}

redis_stop() {
  local dir="$1"
  if redis_running "$dir"; then
    local pid
    pid="$(cat "$dir/redis.pid")"
    kill "$pid" 2>/dev/null || true
    local tries=0
    while kill -0 "$pid" 2>/dev/null && [ $tries -lt 50 ]; do sleep 0.1; tries=$((tries + 1)); done
  fi
  rm -f "$dir/redis.pid"
}
