"""Delivery through a real Redis and real Celery worker processes, including the
faults the outbox exists for: the broker down, a worker killed mid-delivery, and the
same task running twice at once."""

import os
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.test import override_settings

from livingwell.notifications.models import Notification
from livingwell.notifications.services import notify
from livingwell.notifications.tasks import deliver_notification
from tests.factories import NotificationFactory, UserFactory
from tests.support.processes import ROOT, RedisServer, database_url_for_processes, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FAST_SWEEP = {
    "NOTIFICATION_SWEEP_EVERY_SECONDS": "1",
    "NOTIFICATION_SWEEP_GRACE_SECONDS": "1",
    "CELERY_VISIBILITY_TIMEOUT": "5",
}
# A message abandoned by a killed worker is handed out again soon after its visibility
# timeout (kombu's default is to look only every 100 seconds or so).
QUICK_REDELIVERY = {"DJANGO_SETTINGS_MODULE": "tests.support.worker_settings"}


def delivered(notification_id: int) -> bool:
    return Notification.objects.filter(pk=notification_id, delivered_at__isnull=False).exists()


def task_ids(log: str, event: str) -> set[str]:
    """The ids of the delivery tasks a worker's log says were `received` or `succeeded`."""
    return set(re.findall(rf"{re.escape(deliver_notification.name)}\[([0-9a-f-]+)\] {event}", log))


def test_a_real_worker_emails_a_notification(start_worker):
    worker = start_worker("worker")
    person = UserFactory(email="vera@example.org")

    notification = notify(recipient=person, title="Good news", body="Your concern was acted on.")

    wait_for(lambda: delivered(notification.pk), 30, "delivery by the worker")
    emails = worker.emails()
    assert len(emails) == 1
    assert "vera@example.org" in emails[0].read_text()
    assert "There is a new message for you in Living Well." in emails[0].read_text()


def test_a_notification_saved_while_the_broker_is_down_is_delivered_when_it_is_back(start_worker, tmp_path):
    broker = RedisServer(tmp_path / "redis")  # its port has no server yet
    person = UserFactory(email="cora@example.org")
    script = (
        "from livingwell.accounts.models import User\n"
        "from livingwell.notifications.services import notify\n"
        f"person = User.objects.get(pk={person.pk})\n"
        "n = notify(recipient=person, title='Saved', body='While the broker was down.')\n"
        "print('notification', n.pk)\n"
    )
    env = {**os.environ, "DATABASE_URL": database_url_for_processes(), "REDIS_URL": broker.url, **FAST_SWEEP}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 20, "saving must not hang while the broker is down"
    assert "not enqueued (broker unavailable)" in result.stderr
    notification = Notification.objects.get(recipient=person)
    assert notification.delivered_at is None

    broker.start()
    try:
        worker = start_worker("worker", broker_url=broker.url, beat=True, env=FAST_SWEEP)
        wait_for(lambda: delivered(notification.pk), 45, "the sweep to deliver the saved notification")
        assert len(worker.emails()) == 1
    finally:
        broker.stop()


@override_settings(NOTIFICATIONS={**settings.NOTIFICATIONS, "SWEEP_GRACE_SECONDS": 1})
def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_one_email(start_worker):
    slow = start_worker(
        "killed",
        env={
            **FAST_SWEEP,
            "EMAIL_BACKEND": "tests.support.email_backends.SlowFileEmailBackend",
            "LW_SLOW_EMAIL_SECONDS": "60",
        },
    )
    person = UserFactory(email="tom@example.org")
    notification = notify(recipient=person, title="Urgent concern", body="Please ring Vera.")

    wait_for(lambda: list(slow.email_dir.glob("*.marker")), 30, "the worker to start sending")
    slow.kill()
    assert slow.emails() == []
    assert not delivered(notification.pk)

    # The task the killed worker had taken is still unacknowledged in Redis: once its
    # visibility timeout has passed, the healthy worker takes it again, while the sweep
    # enqueues a delivery of its own. Wait until that very task has run to the end, and
    # every delivery the healthy worker took with it: only then would a duplicate show.
    original = task_ids(slow.log(), "received")
    assert len(original) == 1, slow.log()
    healthy = start_worker("healthy", beat=True, env={**FAST_SWEEP, **QUICK_REDELIVERY})
    wait_for(lambda: delivered(notification.pk), 60, "delivery after the worker was killed")
    wait_for(
        lambda: (
            original <= task_ids(healthy.log(), "succeeded")
            and task_ids(healthy.log(), "received") <= task_ids(healthy.log(), "succeeded")
        ),
        60,
        "the killed worker's task to run again, and every delivery the healthy worker took to finish",
    )
    assert len(healthy.emails()) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1


def test_the_same_delivery_task_twice_at_once_sends_one_email(start_worker, tmp_path):
    # A broker of its own, so that only this test's two tasks reach the worker.
    broker = RedisServer(tmp_path / "redis").start()
    try:
        worker = start_worker(
            "pair",
            broker_url=broker.url,
            concurrency=2,
            env={
                "EMAIL_BACKEND": "tests.support.email_backends.SlowFileEmailBackend",
                "LW_SLOW_EMAIL_SECONDS": "2",
            },
        )
        notification = NotificationFactory()
        with deliver_notification.app.connection_for_write(broker.url) as connection:
            for _ in range(2):
                deliver_notification.apply_async(args=[notification.pk], connection=connection)

        wait_for(lambda: worker.log().count("succeeded") >= 2, 60, "both tasks to finish")
        assert "'emailed'" in worker.log()
        assert "'skipped'" in worker.log()
        assert len(worker.emails()) == 1
    finally:
        broker.stop()
