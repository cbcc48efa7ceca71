"""Fixtures for tests that deliver through real Celery worker processes."""

import pytest
from django.conf import settings

from tests.support.processes import CeleryWorker


@pytest.fixture
def start_worker(tmp_path):
    started = []

    def start(name: str, **kwargs) -> CeleryWorker:
        kwargs.setdefault("broker_url", settings.CELERY_BROKER_URL)
        worker = CeleryWorker(email_dir=tmp_path / "email", log_path=tmp_path / f"{name}.log", **kwargs)
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        worker.stop()
