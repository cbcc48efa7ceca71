"""Backups of the configured database with pg_dump, and restores of them with pg_restore.

The rules:

- Both work on `settings.DATABASES["default"]` and nothing else: pg_dump and pg_restore get
  exactly the connection parameters Django itself uses (a socket folder as host included),
  the password in the environment rather than on a command line anyone can read with `ps`.
- A backup is a pg_dump archive in custom format, named
  `livingwell-<database>-YYYYMMDD-HHMMSS.dump` (UTC), readable by its owner only (0600) in
  a folder made private (0700): it holds the clients' health information. It is written
  under a temporary name and given its final name only once pg_dump has succeeded, so a
  file with a backup's name is always a whole backup.
- A restore refuses a file that pg_restore cannot read as a custom archive, and a database
  that already has tables unless asked to replace them. It runs in one transaction: when
  it fails, the database is as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections
from psycopg import pq
from psycopg.conninfo import make_conninfo

DATABASE = "default"
# Debian and Ubuntu install each PostgreSQL version's programs here (scripts/lib.sh, pg_bin).
VERSIONED_BIN_DIRS = Path("/usr/lib/postgresql")
# Connection parameters passed to pg_dump and pg_restore as environment variables.
ENVIRONMENT = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}


class BackupError(Exception):
    """Something the person running the backup or restore must fix, said plainly."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int


@dataclass(frozen=True)
class Restore:
    path: Path
    database: str
    tables: int
    replaced: bool
    made_from: str
    made_at: str


def database_name() -> str:
    return connections[DATABASE].settings_dict["NAME"]


def _connection_parameters() -> tuple[str, dict[str, str]]:
    """The `--dbname` conninfo and the environment that make pg_dump and pg_restore connect
    where Django connects: the same libpq parameters, from the same settings."""
    known = {option.keyword.decode() for option in pq.Conninfo.get_defaults()}
    parameters = {
        key: str(value)
        for key, value in connections[DATABASE].get_connection_params().items()
        if key in known and key != "client_encoding" and value not in (None, "")
    }
    environment = dict(os.environ)
    for key, variable in ENVIRONMENT.items():
        if key in parameters:
            environment[variable] = parameters.pop(key)
    # A conninfo string, not a bare name: whatever the database is called, it can only be
    # read as that name (a name with "=" in it would otherwise be parsed as parameters).
    return make_conninfo(**parameters), environment


def _server_major_version() -> int:
    connection = connections[DATABASE]
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        raise BackupError(f"Could not connect to the database {database_name()}: {error}".strip()) from error
    return connection.pg_version // 10000


def pg_program(name: str, server_major: int) -> str:
    """The pg_dump or pg_restore to run against a server of this major version: the
    server's own version when it is installed, else the oldest installed one that is newer
    (pg_dump refuses a server newer than itself), else the one on PATH."""
    installed = {}
    for folder in VERSIONED_BIN_DIRS.glob("*/bin"):
        program = folder / name
        if folder.parent.name.isdigit() and os.access(program, os.X_OK):
            installed[int(folder.parent.name)] = str(program)
    suitable = sorted(version for version in installed if version >= server_major)
    if suitable:
        return installed[suitable[0]]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise BackupError(
        f"{name} was not found. Install the PostgreSQL {server_major} client programs "
        f"(on Debian: apt-get install postgresql-client-{server_major})."
    )


def backup_file_name(*, database: str, at: datetime) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", database)
    return f"livingwell-{safe}-{at:%Y%m%d-%H%M%S}.dump"


def folder_is_private(folder: Path) -> bool:
    return folder.stat().st_mode & 0o077 == 0


def backup_create(*, folder: Path | None = None) -> Backup:
    """pg_dump the configured database into `folder` (settings.BACKUP_DIR by default)."""
    folder = Path(folder or settings.BACKUP_DIR)
    server_major = _server_major_version()
    pg_dump = pg_program("pg_dump", server_major)
    dbname, environment = _connection_parameters()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    final = folder / backup_file_name(database=database_name(), at=datetime.now(UTC))
    if final.exists():
        raise BackupError(f"{final} already exists: wait a second and run the backup again.")
    partial = folder / f".{final.name}.partial"
    try:
        # Created by us, private from its first byte, then handed to pg_dump as its output.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as output:
            result = subprocess.run(
                [pg_dump, "--format=custom", "--no-password", f"--dbname={dbname}"],
                stdout=output,
                stderr=subprocess.PIPE,
                env=environment,
            )
            if result.returncode != 0:
                said = result.stderr.decode(errors="replace").strip()
                raise BackupError(f"pg_dump failed, so no backup was written. It said: {said}")
            output.flush()
            os.fsync(output.fileno())
        # A hard link never replaces an existing file (os.replace would).
        try:
            os.link(partial, final)
        except FileExistsError as error:
            raise BackupError(f"{final} already exists: wait a second and run the backup again.") from error
    finally:
        partial.unlink(missing_ok=True)
    _sync_folder(folder)
    return Backup(path=final, size=final.stat().st_size)


def _sync_folder(folder: Path) -> None:
    """Make the new name durable, not only the file's contents."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _archive_header(pg_restore: str, path: Path) -> dict[str, str]:
    """The header of a pg_dump custom archive (`pg_restore --list`), or BackupError."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file: nothing was restored.")
    result = subprocess.run([pg_restore, "--list", str(path)], capture_output=True, text=True)
    header = dict(re.findall(r"^;\s+([A-Za-z ]+?):\s+(.*?)\s*$", result.stdout, flags=re.MULTILINE))
    created = re.search(r"^; Archive created at (.+?)\s*$", result.stdout, flags=re.MULTILINE)
    header["created"] = created[1] if created else "at an unknown time"
    if result.returncode != 0 or header.get("Format") != "CUSTOM":
        said = result.stderr.strip().splitlines()[0] if result.stderr.strip() else ""
        raise BackupError(
            f"{path} is not a backup made by `manage.py backup` (a pg_dump archive in custom "
            f"format), so nothing was restored." + (f" pg_restore said: {said}" if said else "")
        )
    return header


def table_count() -> int:
    """Tables in the configured database outside PostgreSQL's own schemas."""
    with connections[DATABASE].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        return cursor.fetchone()[0]


def backup_restore(*, path: Path, replace: bool = False) -> Restore:
    """pg_restore `path` into the configured database, in one transaction. A database that
    already has tables is refused unless `replace`; then what the backup holds is dropped
    and restored (objects it does not hold are left as they are)."""
    path = Path(path)
    server_major = _server_major_version()
    pg_restore = pg_program("pg_restore", server_major)
    header = _archive_header(pg_restore, path)
    database = database_name()
    existing = table_count()
    if existing and not replace:
        raise BackupError(
            f"The database {database} already has {existing} tables, so nothing was restored. "
            "To replace its contents with the backup's, run the restore again with --replace "
            "(`make restore ... REPLACE=1`); "
            "or restore into a new, empty database."
        )
    dbname, environment = _connection_parameters()
    # pg_restore's transaction must not wait behind one of ours.
    connections[DATABASE].close()
    command = [pg_restore, "--no-owner", "--single-transaction", "--exit-on-error", "--no-password"]
    if replace:
        command += ["--clean", "--if-exists"]
    result = subprocess.run(
        [*command, f"--dbname={dbname}", str(path)], capture_output=True, text=True, env=environment
    )
    if result.returncode != 0:
        raise BackupError(
            f"pg_restore failed and the database {database} was left as it was (the restore runs "
            f"in one transaction). It said: {result.stderr.strip()}"
        )
    return Restore(
        path=path,
        database=database,
        tables=table_count(),
        replaced=bool(existing),
        made_from=header.get("dbname", "(unknown)"),
        made_at=header["created"],
    )
