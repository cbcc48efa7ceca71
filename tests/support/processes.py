"""Real Redis servers and Celery workers started by tests, each in its own process
group so that a test can kill one outright, as a crash would."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    """manage.py in a fresh process, as a deployment or an operator runs it, with `env` as
    its whole environment."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], timeout: float, what: str, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"Timed out after {timeout:.0f}s waiting for {what}")


class RedisServer:
    """A private, throwaway Redis on a port of its own."""

    def __init__(self, folder: Path, port: int | None = None):
        self.folder = folder
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(self._answers, 10, f"Redis on port {self.port}")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


def database_url_for_processes() -> str:
    """DATABASE_URL with its database swapped for the test database pytest-django made,
    for the processes tests start."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + settings.DATABASES["default"]["NAME"]))


class CeleryWorker:
    """`celery worker` (optionally with embedded beat) against the test database."""

    def __init__(
        self,
        *,
        broker_url: str,
        email_dir: Path,
        log_path: Path,
        beat: bool = False,
        concurrency: int = 1,
        env: dict[str, str] | None = None,
    ):
        self.broker_url = broker_url
        self.email_dir = email_dir
        self.log_path = log_path
        self.beat = beat
        self.concurrency = concurrency
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None

    def start(self) -> CeleryWorker:
        self.email_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_processes(),
            "REDIS_URL": self.broker_url,
            "EMAIL_URL": f"filemail:///{self.email_dir}",  # django-environ drops one slash
            "CONN_MAX_AGE": "0",
            **self.extra_env,
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "livingwell",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={self.concurrency}",
            "--pool=prefork",
            "--without-gossip",
            "--without-mingle",
            f"--hostname=test-{free_port()}@%h",
        ]
        if self.beat:
            command += ["--beat", f"--schedule={self.email_dir.parent / 'beat-schedule'}"]
        log = open(self.log_path, "ab")  # noqa: SIM115 - the worker writes to it until stopped
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        wait_for(
            lambda: b"ready." in self.log_path.read_bytes() or self._died(),
            60,
            f"the Celery worker to start (log: {self.log_path})",
        )
        if self._died():
            raise AssertionError(f"The Celery worker exited: {self.log_path.read_text()[-3000:]}")
        return self

    def _died(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def kill(self) -> None:
        """SIGKILL the whole worker, pool processes included, as a crash or OOM would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def emails(self) -> list[Path]:
        return sorted(self.email_dir.glob("*.log"))

    def email_texts(self) -> list[str]:
        """Each email the worker wrote, one text per email. Django's file backend names a
        file by the second and the backend object's address, which Python reuses: two
        emails sent in the same second may share a file, each followed by a line of dashes."""
        separator = "\n" + "-" * 79 + "\n"
        texts = []
        for path in self.emails():
            texts += [text for text in path.read_text().split(separator) if text.strip()]
        return texts

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")
