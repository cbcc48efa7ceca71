"""Delivery through a real Redis and real Celery worker processes, including the
faults the outbox exists for: the broker down, a worker killed mid-delivery, the database
gone just after an email was sent, and the same task running twice at once."""

import os
import re
import subprocess
import sys
import time
from contextlib import contextmanager

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from livingwell.notifications.models import Notification
from livingwell.notifications.services import notify
from livingwell.notifications.tasks import deliver_notification, sweep_undelivered_notifications
from tests.factories import NotificationFactory, UserFactory
from tests.notifications.email_backends import GO_ON
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
# A row claimed by a worker that died is sent again after this long (15 minutes in production).
SHORT_SENDING_TIMEOUT = {"NOTIFICATION_SENDING_TIMEOUT_SECONDS": "3"}


def delivered(notification_id: int) -> bool:
    return Notification.objects.filter(pk=notification_id, delivered_at__isnull=False).exists()


def task_ids(log: str, event: str) -> set[str]:
    """The ids of the delivery tasks a worker's log says were `received` or `succeeded`."""
    return set(re.findall(rf"{re.escape(deliver_notification.name)}\[([0-9a-f-]+)\] {event}", log))


def sweep_results(log: str) -> list[int]:
    """How many notifications each sweep in a worker's log enqueued, in order."""
    pattern = rf"{re.escape(sweep_undelivered_notifications.name)}\[[0-9a-f-]+\] succeeded in [0-9.]+s: (\d+)"
    return [int(count) for count in re.findall(pattern, log)]


@contextmanager
def database_gone_for_the_workers():
    """Every other connection to the test database cut, and new ones refused, as while
    PostgreSQL restarts; this test's own connection stays, to bring it back and to look.
    (A database cannot refuse connections from inside itself: that is done from `postgres`.)"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (ours,) = cursor.fetchone()
    database = connection.settings_dict
    to_postgres = {**connection.get_connection_params(), "dbname": "postgres"}
    with psycopg.connect(**to_postgres, autocommit=True) as admin:

        def others() -> int:
            (count,) = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> %s"
                " AND backend_type = 'client backend'",
                [database["NAME"], ours],
            ).fetchone()
            return count

        name = connection.ops.quote_name(database["NAME"])
        admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
        try:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s"
                " AND backend_type = 'client backend'",
                [database["NAME"], ours],
            )
            wait_for(lambda: others() == 0, 10, "the workers' connections to end")
            yield
        finally:
            admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")


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

    # The killed worker had claimed the row: the sweep leaves it alone until the claim
    # expires, then enqueues a delivery of its own. The task the killed worker had taken is
    # still unacknowledged in Redis: once its visibility timeout has passed, the healthy
    # worker takes it again. Wait until that very task has run to the end, and
    # every delivery the healthy worker took with it: only then would a duplicate show.
    original = task_ids(slow.log(), "received")
    assert len(original) == 1, slow.log()
    healthy = start_worker(
        "healthy", beat=True, env={**FAST_SWEEP, **QUICK_REDELIVERY, **SHORT_SENDING_TIMEOUT}
    )
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
    assert notification.attempts == 2, "the killed worker's try, and the one that sent it"
    assert notification.sending_since is None


@override_settings(NOTIFICATIONS={**settings.NOTIFICATIONS, "SWEEP_GRACE_SECONDS": 1})
def test_an_email_sent_as_the_database_goes_away_is_recorded_when_it_is_back_and_sent_once(start_worker):
    worker = start_worker(
        "worker",
        beat=True,
        concurrency=2,
        env={
            **FAST_SWEEP,
            "EMAIL_BACKEND": "tests.notifications.email_backends.PausedAfterSendingFileEmailBackend",
        },
    )
    person = UserFactory(email="ivy@example.org")
    notification = notify(recipient=person, title="Good news", body="Your concern was acted on.")
    wait_for(lambda: list(worker.email_dir.glob("sent-*.marker")), 30, "the email to be sent")
    # While the email is held, the row is due (its grace has passed) but being sent: the
    # sweeps leave it alone.
    wait_for(lambda: timezone.now() > notification.next_attempt_at, 30, "the row to be due for the sweep")
    swept = len(sweep_results(worker.log()))
    wait_for(lambda: len(sweep_results(worker.log())) >= swept + 2, 30, "two sweeps while the email is held")
    assert set(sweep_results(worker.log())[swept:]) == {0}

    with database_gone_for_the_workers():
        (worker.email_dir / GO_ON).touch()
        # The worker fails to record the outcome, and fails again on a fresh connection.
        wait_for(
            lambda: worker.log().count("its outcome could not be saved") >= 2,
            30,
            "the worker to keep trying to record the email while the database is gone",
        )
        assert not delivered(notification.pk)

    wait_for(
        lambda: delivered(notification.pk), 60, "the worker to record the email once the database is back"
    )
    # The sweeps after it, with the database back, find nothing more to send.
    swept = len(sweep_results(worker.log()))
    wait_for(lambda: len(sweep_results(worker.log())) >= swept + 2, 30, "two sweeps after the record")
    assert set(sweep_results(worker.log())[swept:]) == {0}
    assert len(worker.email_texts()) == 1
    assert "ivy@example.org" in worker.email_texts()[0]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.sending_since is None
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
