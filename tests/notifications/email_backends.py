"""Email backends for the tests that cut the database under a delivery."""

import os
import time
from pathlib import Path

import psycopg
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend
from django.core.mail.backends.locmem import EmailBackend as MemoryEmailBackend
from django.db import connection

GO_ON = "go-on"


class PausedAfterSendingFileEmailBackend(FileEmailBackend):
    """Writes the message, as a mail server accepting it, then a `sent-*.marker` file, and
    waits until the test creates a `go-on` file (for a minute at most) before it returns:
    the email has left and the worker has not yet recorded it, for as long as the test needs."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        folder = Path(self.file_path)
        (folder / f"sent-{os.getpid()}-{time.monotonic_ns()}.marker").touch()
        deadline = time.monotonic() + 60
        while not (folder / GO_ON).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return sent


class DatabaseCutAfterSendingEmailBackend(MemoryEmailBackend):
    """Sends into `django.core.mail.outbox`, then has PostgreSQL end the sending thread's
    database connection, as a restart would, before the outcome can be recorded."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        pid = connection.connection.info.backend_pid
        to_postgres = {**connection.get_connection_params(), "dbname": "postgres"}
        with psycopg.connect(**to_postgres, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])
        return sent
