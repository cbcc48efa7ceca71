"""Backups that restore: `manage.py backup` (pg_dump) and `manage.py restore` (pg_restore),
run as an operator runs them, in fresh processes, against the real PostgreSQL.

A backup of a database with data in most tables, restored into a fresh database on the same
server, has every table with the same number of rows, and the concerns and their events
with the same contents to the byte (a checksum of every row). The test data is committed
(transactional tests) so that pg_dump, in its own process, sees it."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from livingwell.accounts import second_factor
from livingwell.backups import services as backups
from risks import services as risk_services
from risks.models import OutcomeKind
from tests.factories import DBSCheckFactory, TrainingRecordFactory
from tests.meetings.fixtures import meetings_fixture  # noqa: F401 (the `meetings` fixture)
from tests.risks.factories import OnCallShiftFactory, RiskReportFactory, ServiceFactory
from tests.stories.factories import StoryFactory
from tests.support.processes import ROOT, database_url_for_processes, run_manage

pytestmark = pytest.mark.django_db(transaction=True)

# Compared row by row, not only counted: the concerns and their history.
CHECKSUMMED = ("risks_riskreport", "risks_riskevent")
NAME = re.compile(r"^livingwell-(?P<database>[\w.-]+)-\d{8}-\d{6}\.dump$")


def manage(*args: str, database: str | None = None, **env: str) -> subprocess.CompletedProcess:
    """manage.py in a fresh process, against the test database or another on its server."""
    environment = {**os.environ, "DATABASE_URL": url_of(database), "CONN_MAX_AGE": "0", **env}
    return run_manage(*args, env=environment, timeout=300)


def url_of(database: str | None) -> str:
    url = urlsplit(database_url_for_processes())
    return urlunsplit(url._replace(path="/" + database)) if database else urlunsplit(url)


@contextmanager
def connect(database: str):
    params = connection.get_connection_params()
    server = {key: params[key] for key in ("host", "port", "user", "password") if params.get(key)}
    with psycopg.connect(dbname=database, autocommit=True, **server) as conn:
        yield conn


def snapshot(database: str) -> tuple[dict[str, int], dict[str, str]]:
    """Every table of the public schema with its row count, and a checksum of every row of
    the concerns and of their events."""
    with connect(database) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]
        counts = {
            table: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[
                0
            ]
            for table in tables
        }
        checksums = {
            table: conn.execute(
                sql.SQL("SELECT md5(string_agg(row::text, ',' ORDER BY id)) FROM {} AS row").format(
                    sql.Identifier(table)
                )
            ).fetchone()[0]
            for table in CHECKSUMMED
        }
    return counts, checksums


def source_database() -> str:
    return connection.settings_dict["NAME"]


@pytest.fixture
def fresh_database():
    """An empty database on the test server, dropped afterwards whatever happens."""
    name = f"restored_{uuid.uuid4().hex[:12]}"
    with connect("postgres") as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with connect("postgres") as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def records(meetings, world, client):
    """Data in most tables, made through the services: the meetings fixture's people,
    clients with consent and allocations, concerns on agendas, meetings of every kind,
    invitations and notifications; a concern of East Cornwall taken, referred to a service of
    the directory and given an outcome, with a success story; the on-call rota, volunteers'
    checks and training, and a signed-in session with two-step sign-in set up."""
    east_service = ServiceFactory(name="Warm Homes Cornwall", areas=[world.east], categories=[world.falls])
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    for volunteer in (world.volunteer, world.east_volunteer):
        DBSCheckFactory(volunteer=volunteer.volunteer)
        TrainingRecordFactory(volunteer=volunteer.volunteer)
    risk = RiskReportFactory(
        client=world.morwenna, reported_by=world.east_volunteer, what_was_seen="No heating since Tuesday."
    )
    risk_services.risk_triage(risk=risk, by=world.other_coordinator, note="I'll ring her daughter.")
    risk_services.risk_escalate(risk=risk, by=world.other_coordinator, service=east_service)
    outcome = risk_services.risk_record_outcome(
        risk=risk,
        by=world.other_coordinator,
        kind=OutcomeKind.HOME_MADE_SAFER,
        staff_summary="Boiler repaired under the council's scheme.",
        volunteer_message="Morwenna's heating is fixed. Thank you for telling us.",
    )
    StoryFactory(outcome=outcome, written_by=world.other_coordinator)
    client.force_login(world.coordinator, backend="django.contrib.auth.backends.ModelBackend")
    second_factor.backup_codes_renew(world.coordinator)  # with her app, set up by force_login
    return meetings


@pytest.fixture
def backup_folder(tmp_path) -> Path:
    return tmp_path / "backups"


def backup(folder: Path) -> Path:
    result = manage("backup", BACKUP_DIR=str(folder))
    assert result.returncode == 0, result.stderr
    [path] = folder.iterdir()
    assert str(path) in result.stdout
    return path


def test_a_backup_restores_into_a_fresh_database_with_every_row(records, backup_folder, fresh_database):
    before = snapshot(source_database())
    counts, checksums = before
    # Most tables have rows: all but the likes of sign-in lockouts, exports and trials.
    filled = {table for table, count in counts.items() if count}
    assert len(filled) >= 0.7 * len(counts), "\n".join(sorted(set(counts) - filled))
    for table in (
        "clients_client",
        "clients_consent",
        "clients_allocation",
        "meetings_meeting",
        *CHECKSUMMED,
    ):
        assert counts[table], table
    assert counts["risks_riskevent"] > counts["risks_riskreport"] >= 3
    assert all(checksums.values()), checksums

    path = backup(backup_folder)
    restored = manage("restore", str(path), database=fresh_database)

    assert restored.returncode == 0, restored.stderr
    assert f"a backup of the database {source_database()} made 20" in restored.stdout
    assert f"into the database {fresh_database}" in restored.stdout
    assert snapshot(fresh_database) == before


def test_a_backup_is_named_for_its_database_and_time_and_readable_by_its_owner_only(records, backup_folder):
    path = backup(backup_folder)

    assert NAME.match(path.name)["database"] == source_database()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup_folder.stat().st_mode) == 0o700
    assert path.stat().st_size > 1000


def test_a_restore_over_data_is_refused_without_replace_and_changes_nothing(
    records, backup_folder, fresh_database
):
    path = backup(backup_folder)
    original = snapshot(source_database())
    assert manage("restore", str(path), database=fresh_database).returncode == 0
    with connect(fresh_database) as conn:
        conn.execute("UPDATE risks_riskreport SET what_was_seen = 'Changed since the backup'")
        conn.execute("DELETE FROM risks_riskevent WHERE id = (SELECT max(id) FROM risks_riskevent)")
    changed = snapshot(fresh_database)
    assert changed != original

    refused = manage("restore", str(path), database=fresh_database)

    assert refused.returncode != 0
    assert f"The database {fresh_database} already has" in refused.stderr
    assert "--replace" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert snapshot(fresh_database) == changed

    replaced = manage("restore", "--replace", str(path), database=fresh_database)

    assert replaced.returncode == 0, replaced.stderr
    assert f"replaced the contents of the database {fresh_database}" in replaced.stdout
    assert snapshot(fresh_database) == original


@pytest.mark.parametrize(
    ("contents", "said"),
    [
        (b"SELECT 1;\n", "is not a backup made by `manage.py backup`"),
        (b"", "is not a backup made by `manage.py backup`"),
        (b"PGDMP" + b"\x00" * 40, "is not a backup made by `manage.py backup`"),
        (None, "does not exist or is not a file"),
    ],
    ids=["text", "empty", "truncated", "missing"],
)
def test_a_file_that_is_not_a_backup_is_refused_plainly(tmp_path, contents, said):
    path = tmp_path / "livingwell-notes.dump"
    if contents is not None:
        path.write_bytes(contents)
    before = snapshot(source_database())

    refused = manage("restore", "--replace", str(path))

    assert refused.returncode != 0
    assert said in refused.stderr
    assert "Traceback" not in refused.stderr
    assert snapshot(source_database()) == before


def test_a_failed_pg_dump_leaves_no_file_behind_and_says_why(tmp_path, monkeypatch):
    # A pg_dump that writes half a backup, then fails.
    failing = tmp_path / "pg_dump"
    failing.write_text(
        "#!/bin/sh\nprintf 'PGDMP half a backup'\necho 'pg_dump: error: disk full' >&2\nexit 1\n"
    )
    failing.chmod(0o755)
    monkeypatch.setattr(backups, "pg_program", lambda name, server_major: str(failing))
    folder = tmp_path / "backups"

    with pytest.raises(backups.BackupError, match=r"pg_dump failed, so no backup was written.*disk full"):
        backups.backup_create(folder=folder)

    assert list(folder.iterdir()) == []


def test_a_backup_of_a_database_that_cannot_be_reached_says_so_plainly(backup_folder):
    result = manage("backup", database="no_such_database", BACKUP_DIR=str(backup_folder))

    assert result.returncode != 0
    assert "Could not connect to the database no_such_database" in result.stderr
    assert "Traceback" not in result.stderr
    assert not backup_folder.exists() or list(backup_folder.iterdir()) == []


def test_make_restore_without_a_file_says_how_to_use_it():
    result = subprocess.run(["make", "-s", "restore"], cwd=ROOT, capture_output=True, text=True, timeout=30)

    assert result.returncode != 0
    assert "make restore FILE=" in result.stderr


def test_make_backup_backs_up_the_configured_database(records, backup_folder):
    environment = {**os.environ, "DATABASE_URL": url_of(None), "BACKUP_DIR": str(backup_folder)}
    result = subprocess.run(
        ["make", "-s", "backup"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stdout + result.stderr
    [path] = backup_folder.iterdir()
    assert NAME.match(path.name)["database"] == source_database()
    assert f"Backed up the database {source_database()} to {path}" in result.stdout
