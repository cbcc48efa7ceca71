"""gunicorn and a Celery worker, started as in production (Procfile) on loopback, each in
its own process group so that stopping one stops its children too."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


class Process:
    def __init__(self, command: list[str], log_path: Path, env: dict[str, str]):
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def died(self) -> bool:
        return self.process.poll() is not None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def start_web(port: int, workers: int, folder: Path) -> Process:
    web = Process(
        [
            sys.executable, "-m", "gunicorn", "livingwell.wsgi",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers),
            "--access-logfile", str(folder / "gunicorn-access.log"),
        ],
        folder / "gunicorn.log",
        dict(os.environ),
    )  # fmt: skip
    wait_for(lambda: answers(port) or web.died(), 60, "gunicorn to answer /healthz")
    if web.died():
        raise RuntimeError(f"gunicorn exited:\n{web.log()}")
    return web


def start_worker(concurrency: int, folder: Path) -> Process:
    log_path = folder / "worker.log"
    worker = Process(
        [
            sys.executable, "-m", "celery", "-A", "livingwell", "worker", "--loglevel=INFO",
            f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
            f"--hostname=bench-{os.getpid()}@%h",
        ],
        log_path,
        dict(os.environ),
    )  # fmt: skip
    wait_for(lambda: b"ready." in log_path.read_bytes() or worker.died(), 60, "the Celery worker")
    if worker.died():
        raise RuntimeError(f"the Celery worker exited:\n{worker.log()}")
    return worker
