"""The application served as production serves it: gunicorn, DEBUG off, and static files
collected with hashed, compressed names (STATIC_MANIFEST=true) and served by WhiteNoise,
against the test database. For tests of what production sends over the wire."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.support.processes import ROOT, database_url_for_processes, free_port, wait_for


def production_environment(static_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "false",
        "STATIC_MANIFEST": "true",
        "STATIC_ROOT": str(static_root),
        "CONN_MAX_AGE": "0",
    }


def collect_static(static_root: Path) -> None:
    """`collectstatic` as a deployment runs it: hashed names, gzip and Brotli copies."""
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=production_environment(static_root),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


class ProductionServer:
    """gunicorn on a free port, serving the static files collected into `static_root`."""

    def __init__(
        self,
        *,
        static_root: Path,
        log_path: Path,
        with_database: bool = True,
        workers: int = 2,
        threads: int = 1,
    ):
        self.static_root = static_root
        self.log_path = log_path
        self.with_database = with_database
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ProductionServer:
        env = production_environment(self.static_root)
        if self.with_database:
            env["DATABASE_URL"] = database_url_for_processes()
        log = open(self.log_path, "ab")  # noqa: SIM115 - gunicorn writes to it until stopped
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "livingwell.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_for(lambda: self._answers() or self._died(), 60, f"gunicorn to start (log: {self.log_path})")
        if self._died():
            raise AssertionError(f"gunicorn exited: {self.log_path.read_text()[-3000:]}")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def _died(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None
