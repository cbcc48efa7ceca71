import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar

from livingwell.notifications import services
from livingwell.notifications.calendar import calendar_invite
from livingwell.notifications.models import Notification
from tests.factories import NotificationFactory, UserFactory


def queue_length() -> int:
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        return client.llen("celery")
    finally:
        client.close()


def test_notify_writes_the_row_and_enqueues_delivery_once_the_transaction_commits(
    db, django_capture_on_commit_callbacks
):
    person = UserFactory()
    before = queue_length()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = services.notify(recipient=person, title="Good news", body="It worked.", link="/")
        assert queue_length() == before, "nothing is published before the commit"
    assert len(callbacks) == 1
    assert queue_length() == before + 1
    notification.refresh_from_db()
    assert notification.delivered_at is None
    assert notification.next_attempt_at > notification.created_at


def test_notify_inside_a_rolled_back_transaction_leaves_nothing(db, django_capture_on_commit_callbacks):
    person = UserFactory()

    def change_that_fails():
        with transaction.atomic():
            services.notify(recipient=person, title="Never", body="Rolled back.")
            raise RuntimeError("the change that caused it failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        change_that_fails()
    assert callbacks == []
    assert not Notification.objects.exists()


def test_delivery_emails_the_recipient_once_and_marks_it_delivered(db):
    notification = NotificationFactory(title="Your concern was acted on", link="/risks/1/")
    assert services.notification_deliver(notification_id=notification.pk) == "emailed"
    assert services.notification_deliver(notification_id=notification.pk) == "skipped"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [notification.recipient.email]
    assert message.subject == "Living Well: a new message for you"
    assert f"{settings.SITE_URL}/risks/1/" in message.body
    # Emails leave our systems: the title and body stay in the app.
    assert "Your concern was acted on" not in message.subject + message.body
    assert notification.body not in message.body
    notification.refresh_from_db()
    assert notification.delivered_at is not None
    assert notification.emailed_at is not None
    assert notification.attempts == 1
    assert notification.sending_since is None


def test_emails_name_the_kind_of_message_and_nothing_else(db):
    notification = NotificationFactory(
        kind=Notification.Kind.URGENT_CONCERN,
        title="Urgent concern: Falls, Ivy Tregarthen",
        body="Vera reported that Ivy Tregarthen fell.",
        link="/risks/7/",
    )
    services.notification_deliver(notification_id=notification.pk)
    message = mail.outbox[0]
    assert message.subject == "Living Well: an urgent concern needs you now"
    assert "Ivy" not in message.subject + message.body
    assert "Tregarthen" not in message.subject + message.body
    assert f"{settings.SITE_URL}/risks/7/" in message.body


def test_delivery_without_an_email_address_is_in_app_only(db):
    notification = NotificationFactory(recipient=UserFactory(email=""))
    assert services.notification_deliver(notification_id=notification.pk) == "delivered"
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.delivered_at is not None
    assert notification.emailed_at is None


def test_delivery_to_a_switched_off_account_sends_no_email(db):
    notification = NotificationFactory(recipient=UserFactory(is_active=False))
    assert services.notification_deliver(notification_id=notification.pk) == "delivered"
    assert mail.outbox == []


@override_settings(EMAIL_BACKEND="tests.support.email_backends.FailingEmailBackend", EMAIL_FILE_PATH="/tmp")
def test_a_failed_email_is_kept_with_its_error_and_retried_later_with_back_off(db):
    notification = NotificationFactory()
    before = timezone.now()
    assert services.notification_deliver(notification_id=notification.pk) == "failed"
    notification.refresh_from_db()
    assert notification.delivered_at is None
    assert notification.attempts == 1
    assert "421 Service not available" in notification.last_error
    assert notification.sending_since is None, "a failed email is free to be tried again"
    first_delay = notification.next_attempt_at - before
    assert timedelta(seconds=55) < first_delay < timedelta(seconds=65)

    services.notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.attempts == 2
    second_delay = notification.next_attempt_at - timezone.now()
    assert timedelta(seconds=115) < second_delay < timedelta(seconds=125)


def test_retry_delay_doubles_and_is_capped():
    assert services.retry_delay(1) == timedelta(seconds=60)
    assert services.retry_delay(2) == timedelta(seconds=120)
    assert services.retry_delay(5) == timedelta(seconds=960)
    assert services.retry_delay(30) == timedelta(seconds=settings.NOTIFICATIONS["RETRY_MAX_SECONDS"])


def test_sweep_enqueues_only_due_undelivered_notifications_with_tries_left(db):
    now = timezone.now()
    due = NotificationFactory(next_attempt_at=now - timedelta(minutes=1))
    NotificationFactory(next_attempt_at=now + timedelta(minutes=5))  # fast path still has time
    NotificationFactory(next_attempt_at=now - timedelta(minutes=1), delivered_at=now)
    NotificationFactory(
        next_attempt_at=now - timedelta(minutes=1), attempts=settings.NOTIFICATIONS["MAX_ATTEMPTS"]
    )
    before = queue_length()

    assert services.notifications_sweep(now=now) == 1

    assert queue_length() == before + 1
    due.refresh_from_db()
    # Not picked again by the next sweep while its task waits in the queue.
    assert due.next_attempt_at > now
    assert services.notifications_sweep(now=now) == 0


@pytest.mark.django_db(transaction=True)
@override_settings(EMAIL_BACKEND="tests.notifications.email_backends.DatabaseCutAfterSendingEmailBackend")
def test_an_email_sent_as_the_connection_is_cut_is_recorded_on_a_new_one(caplog):
    notification = NotificationFactory()

    assert services.notification_deliver(notification_id=notification.pk) == "emailed"

    assert len(mail.outbox) == 1
    assert "its outcome could not be saved" in caplog.text
    notification.refresh_from_db()
    assert notification.delivered_at is not None
    assert notification.emailed_at is not None
    assert notification.sending_since is None
    assert notification.attempts == 1


SENDING_TIMEOUT = timedelta(seconds=settings.NOTIFICATIONS["SENDING_TIMEOUT_SECONDS"])


def test_a_notification_being_sent_is_left_alone_by_the_sweep_and_by_other_deliveries(db):
    now = timezone.now()
    being_sent = NotificationFactory(
        next_attempt_at=now - timedelta(minutes=1),
        sending_since=now - SENDING_TIMEOUT + timedelta(minutes=1),
        attempts=1,
    )
    before = queue_length()

    assert services.notifications_sweep(now=now) == 0
    assert services.notification_deliver(notification_id=being_sent.pk) == "skipped"

    assert queue_length() == before
    assert mail.outbox == []
    being_sent.refresh_from_db()
    assert being_sent.attempts == 1
    assert being_sent.delivered_at is None


def test_a_notification_whose_sender_died_is_swept_and_sent_once_its_claim_has_expired(db):
    now = timezone.now()
    abandoned = NotificationFactory(
        next_attempt_at=now - timedelta(minutes=1),
        sending_since=now - SENDING_TIMEOUT - timedelta(seconds=1),
        attempts=1,
    )
    before = queue_length()

    assert services.notifications_sweep(now=now) == 1
    assert queue_length() == before + 1
    assert services.notification_deliver(notification_id=abandoned.pk) == "emailed"

    assert len(mail.outbox) == 1
    abandoned.refresh_from_db()
    assert abandoned.delivered_at is not None
    assert abandoned.sending_since is None
    assert abandoned.attempts == 2


@override_settings(NOTIFICATIONS={**settings.NOTIFICATIONS, "SENDING_TIMEOUT_SECONDS": 30})
def test_the_sending_timeout_comes_from_the_setting(db):
    now = timezone.now()
    NotificationFactory(next_attempt_at=now, sending_since=now - timedelta(seconds=29))
    expired = NotificationFactory(next_attempt_at=now, sending_since=now - timedelta(seconds=31))
    assert list(Notification.objects.due_for_delivery(now)) == [expired]


def test_mark_all_read_touches_only_that_persons_notifications(db):
    mine = NotificationFactory()
    theirs = NotificationFactory()
    assert services.notifications_mark_all_read(user=mine.recipient) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_of_one_notification_at_the_same_moment_send_one_email(tmp_path, monkeypatch):
    monkeypatch.setenv("LW_SLOW_EMAIL_SECONDS", "1")
    notification = NotificationFactory()
    results = []
    start = threading.Barrier(2)

    def deliver():
        try:
            start.wait()
            results.append(services.notification_deliver(notification_id=notification.pk))
        finally:
            connection.close()

    with override_settings(
        EMAIL_BACKEND="tests.support.email_backends.SlowFileEmailBackend", EMAIL_FILE_PATH=str(tmp_path)
    ):
        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

    assert sorted(results) == ["emailed", "skipped"]
    assert len(list(tmp_path.glob("*.log"))) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1


# --- Attachments: a meeting's .ics goes with its email ------------------------------------


def meeting_invitation(*, cancelled: bool = False) -> services.Attachment:
    starts_at = datetime(2026, 10, 20, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    return services.Attachment(
        filename="meeting.ics",
        content_type=f"text/calendar; method={'CANCEL' if cancelled else 'REQUEST'}",
        content=calendar_invite(
            uid="meeting-7@livingwell",
            sequence=1 if cancelled else 0,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            summary="Alverton Practice MDT meeting",
            location="Alverton Practice, Penzance",
            cancelled=cancelled,
        ),
    )


def attached_files(message) -> list:
    """The MIME parts of a sent email that are files."""
    return [part for part in message.message().walk() if part.get_filename()]


@pytest.mark.parametrize("cancelled", [False, True], ids=["invitation", "cancellation"])
def test_a_meeting_email_carries_its_ics_with_the_calendar_content_type_and_no_details(
    db, mailoutbox, cancelled
):
    invitation = meeting_invitation(cancelled=cancelled)
    notification = services.notify(
        recipient=UserFactory(),
        kind=Notification.Kind.MEETING,
        title="MDT meeting about Ivy Tregarthen",
        body="Ivy Tregarthen's falls will be discussed.",
        link="/meetings/7/",
        attachment=invitation,
    )

    assert services.notification_deliver(notification_id=notification.pk) == "emailed"

    (message,) = mailoutbox
    assert message.subject == "Living Well: a meeting invitation or change"
    text = message.subject + message.body
    for detail in ("Ivy", "Tregarthen", "MDT meeting", "Alverton", "Penzance"):
        assert detail not in text
    assert f"{settings.SITE_URL}/meetings/7/" in message.body
    (part,) = attached_files(message)
    assert part.get_filename() == "meeting.ics"
    assert part.get_content_disposition() == "attachment"
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == ("CANCEL" if cancelled else "REQUEST")
    sent = Calendar.from_ical(part.get_payload(decode=True))
    assert sent["METHOD"] == ("CANCEL" if cancelled else "REQUEST")
    assert sent.events[0]["UID"] == "meeting-7@livingwell"


def test_notify_keeps_the_attachment_on_the_notification(db):
    invitation = meeting_invitation()
    notification = services.notify(
        recipient=UserFactory(),
        kind=Notification.Kind.MEETING,
        title="A meeting",
        body="Details.",
        attachment=invitation,
    )
    notification.refresh_from_db()
    assert notification.has_attachment
    assert (
        notification.attachment_filename,
        notification.attachment_content_type,
        notification.attachment_content,
    ) == (invitation.filename, invitation.content_type, invitation.content)


def test_an_email_without_an_attachment_is_one_plain_text_part_as_before(db, mailoutbox):
    notification = services.notify(recipient=UserFactory(), title="Good news", body="It worked.")
    assert not notification.has_attachment
    services.notification_deliver(notification_id=notification.pk)
    (message,) = mailoutbox
    assert message.attachments == []
    assert message.message().get_content_type() == "text/plain"
    assert message.subject == "Living Well: a new message for you"


@override_settings(EMAIL_BACKEND="tests.support.email_backends.FailingEmailBackend", EMAIL_FILE_PATH="/tmp")
def test_a_failed_email_with_an_attachment_is_retried_like_any_other(db):
    notification = services.notify(
        recipient=UserFactory(),
        kind=Notification.Kind.MEETING,
        title="A meeting",
        body="Details.",
        attachment=meeting_invitation(),
    )
    assert services.notification_deliver(notification_id=notification.pk) == "failed"
    notification.refresh_from_db()
    assert notification.delivered_at is None
    assert notification.attempts == 1
    assert "421 Service not available" in notification.last_error
    assert notification.sending_since is None, "a failed email is free to be tried again"


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [("", "text/calendar"), ("meeting.ics", ""), ("m" * 101, "text/calendar")],
    ids=["no-filename", "no-content-type", "filename-too-long"],
)
def test_an_attachment_needs_a_filename_and_content_type_that_fit(filename, content_type):
    with pytest.raises(ValueError, match="must have 1 to 100 characters"):
        services.Attachment(filename=filename, content_type=content_type, content="BEGIN:VCALENDAR")
