"""Writing to the outbox and delivering from it.

`notify` is the only way to send a person a message. It writes the row inside the
caller's transaction, so the message exists exactly when the change that caused it does,
and asks a worker to deliver it once that transaction commits. If the broker or the
worker is down, the periodic sweep delivers it later: the broker is only the fast path.
"""

from __future__ import annotations

import logging
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from livingwell.notifications.models import Notification

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a notification: attached to its email, and offered in the
    inbox. `content_type` is the whole MIME type, parameters included
    (`text/calendar; method=REQUEST`). It leaves our systems with the email, so, like the
    email itself, it must name no client."""

    filename: str
    content_type: str
    content: str

    def __post_init__(self):
        # Refused here rather than by the database, with a message that says what is wrong.
        for name in ("filename", "content_type"):
            value = getattr(self, name)
            if not value or len(value) > 100:
                raise ValueError(f"An attachment's {name} must have 1 to 100 characters, not {value!r}.")


def notify(
    *,
    recipient,
    title: str,
    body: str,
    link: str = "",
    kind: str = Notification.Kind.GENERAL,
    attachment: Attachment | None = None,
) -> Notification:
    """Write a notification for `recipient` and deliver it once the transaction commits."""
    now = timezone.now()
    # No savepoint inside a caller's transaction: nothing here is worth recovering from
    # alone, and a failure undoes the caller's work with it, as it should.
    with transaction.atomic(savepoint=False):
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            title=title,
            body=body,
            link=link,
            created_at=now,
            next_attempt_at=now + timedelta(seconds=settings.NOTIFICATIONS["SWEEP_GRACE_SECONDS"]),
            attachment_filename=attachment.filename if attachment else "",
            attachment_content_type=attachment.content_type if attachment else "",
            attachment_content=attachment.content if attachment else "",
        )
        # robust: a failure to enqueue must never undo or break the caller's request.
        transaction.on_commit(partial(enqueue_delivery, notification.pk), robust=True)
    return notification


def enqueue_delivery(notification_id: int) -> bool:
    """Hand a notification to the workers. Returns False when the broker is unreachable;
    the row stays due and the sweep enqueues it again."""
    from livingwell.notifications.tasks import deliver_notification

    try:
        deliver_notification.apply_async(args=[notification_id], retry=False)
    except Exception as exc:  # kombu raises several types for an unreachable broker
        logger.warning("Notification %s not enqueued (broker unavailable): %s", notification_id, exc)
        return False
    return True


def retry_delay(attempts: int) -> timedelta:
    config = settings.NOTIFICATIONS
    seconds = config["RETRY_BASE_SECONDS"] * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, config["RETRY_MAX_SECONDS"]))


def notification_deliver(*, notification_id: int) -> str:
    """Deliver one notification by email (when its recipient has an address).

    Safe to run any number of times, at once or in turn. It works in three steps so that
    the email goes once even if PostgreSQL restarts while it is being sent:

    1. a short transaction claims the row: locked with SKIP LOCKED (a second runner finds
       nothing to do), marked `sending_since` and committed before anything leaves;
    2. the email is sent outside any transaction;
    3. the outcome is recorded, and if the database has gone away the worker reconnects
       and tries again with back-off for up to RECORD_RETRY_SECONDS (`_record_outcome`).

    Neither another task nor the sweep sends a row while it is claimed, until
    SENDING_TIMEOUT_SECONDS have passed. Only then is the row sent again: that is the one
    case in which an email can go twice, when the worker is killed (SIGKILL, the machine
    lost) in the instant between the mail server accepting the email and the outcome being
    saved, or when the database stays away for longer than RECORD_RETRY_SECONDS. A worker
    that dies before it sends loses nothing but that wait.
    Returns what happened: "delivered", "emailed", "failed" or "skipped".
    """
    notification = _claim_for_sending(notification_id)
    if notification is None:
        return "skipped"
    address = notification.recipient.email
    if not address or not notification.recipient.is_active:
        _record_outcome(notification.pk, delivered_at=timezone.now(), sending_since=None)
        return "delivered"
    try:
        email_message(notification, address).send()
    except Exception as exc:  # SMTP and network errors of every kind
        _record_outcome(
            notification.pk,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=timezone.now() + retry_delay(notification.attempts),
            sending_since=None,
        )
        logger.warning(
            "Notification %s email failed (attempt %s): %s", notification.pk, notification.attempts, exc
        )
        return "failed"
    sent_at = timezone.now()
    _record_outcome(
        notification.pk, delivered_at=sent_at, emailed_at=sent_at, last_error="", sending_since=None
    )
    return "emailed"


def _claim_for_sending(notification_id: int) -> Notification | None:
    """Mark an undelivered notification as being sent and commit it, or None if it is
    delivered, or another worker holds it or is sending it."""
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, delivered_at__isnull=True)
            .not_being_sent(now)
            .first()
        )
        if notification is None:
            return None
        # The row is locked, so a plain increment cannot race.
        notification.attempts += 1
        notification.sending_since = now
        notification.save(update_fields=["attempts", "sending_since"])
    return notification


def _record_outcome(notification_id: int, **fields) -> None:
    """Save what happened to a claimed notification, waiting out a database restart.

    The email has left (or failed) already, so giving up here would leave the row looking
    unsent once its claim expires. On a lost connection, drop it and try again on a fresh
    one, with back-off, for up to RECORD_RETRY_SECONDS. Inside a caller's transaction there
    is nothing to reconnect to, so errors are raised at once."""
    give_up_at = time.monotonic() + settings.NOTIFICATIONS["RECORD_RETRY_SECONDS"]
    delay = RECORD_RETRY_FIRST_DELAY_SECONDS
    while True:
        try:
            # Never undo a delivery another worker recorded after this one's claim expired.
            Notification.objects.filter(pk=notification_id, delivered_at__isnull=True).update(**fields)
            return
        except (OperationalError, InterfaceError) as exc:
            if connection.in_atomic_block or time.monotonic() + delay > give_up_at:
                raise
            logger.warning(
                "Notification %s: its outcome could not be saved (%s); trying again in %.1f s",
                notification_id,
                exc,
                delay,
            )
            _drop_connection()
            time.sleep(delay)
            delay = min(delay * 2, RECORD_RETRY_MAX_DELAY_SECONDS)


RECORD_RETRY_FIRST_DELAY_SECONDS = 0.5
# Short enough that the outcome is saved within seconds of PostgreSQL's return, well before
# the sweep may treat the row as abandoned.
RECORD_RETRY_MAX_DELAY_SECONDS = 5.0


def _drop_connection() -> None:
    """Close this thread's database connection, so that the next query opens a new one."""
    # Closing a connection the server has already dropped can fail; Django forgets it
    # either way.
    with suppress(DatabaseError):
        connection.close()


# Emails leave our systems and sit in mailboxes we do not control, so they say only that
# there is something to read; the title and body, which may name a client, stay in the app.
EMAIL_SUBJECTS = {
    Notification.Kind.GOOD_NEWS: "Living Well: good news about a concern you raised",
    Notification.Kind.URGENT_CONCERN: "Living Well: an urgent concern needs you now",
    Notification.Kind.REMINDER: "Living Well: a concern is waiting for you",
    Notification.Kind.MEETING: "Living Well: a meeting invitation or change",
    Notification.Kind.MONTHLY_SUMMARY: "Living Well: last month's figures are ready",
}


def email_message(notification: Notification, address: str) -> EmailMessage:
    """The email for a notification: its subject and text say only that there is news;
    its attachment, if any, goes with it unchanged (a meeting's .ics is made for the
    person's own calendar; `Attachment` says what it may contain)."""
    message = EmailMessage(subject=email_subject(notification), body=email_text(notification), to=[address])
    if notification.has_attachment:
        message.attach(
            notification.attachment_filename,
            notification.attachment_content,
            notification.attachment_content_type,
        )
    return message


def email_subject(notification: Notification) -> str:
    return EMAIL_SUBJECTS.get(notification.kind, "Living Well: a new message for you")


def email_text(notification: Notification) -> str:
    name = notification.recipient.first_name or notification.recipient.username
    page = f"{settings.SITE_URL}{notification.link or '/notifications/'}"
    return "\n".join(
        [
            f"Hello {name},",
            "",
            "There is a new message for you in Living Well. To keep the people we visit safe, "
            "we do not put any details in emails.",
            "",
            f"Sign in to read it: {page}",
            "",
            f"All your messages: {settings.SITE_URL}/notifications/",
        ]
    )


def notifications_sweep(*, now=None) -> int:
    """Enqueue every notification whose delivery is due. Returns how many."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.NOTIFICATIONS["SWEEP_GRACE_SECONDS"])
    with transaction.atomic():
        due_ids = list(
            Notification.objects.due_for_delivery(now)
            .order_by("next_attempt_at")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[: settings.NOTIFICATIONS["SWEEP_BATCH"]]
        )
        # Push the next look back, so a slow queue is not flooded with the same rows.
        Notification.objects.filter(pk__in=due_ids).update(next_attempt_at=now + grace)
    for notification_id in due_ids:
        enqueue_delivery(notification_id)
    return len(due_ids)


def notification_mark_read(*, notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# What a volunteer keeps of good news once the client has withdrawn consent to their being
# told what happened: that there was good news, not what it was, nor whom it was about.
REDACTED_GOOD_NEWS_TITLE = "Good news about a concern you raised"
REDACTED_GOOD_NEWS_BODY = "There was good news about a concern you raised. Thank you for telling us."


def good_news_redact(*, links: list[str]) -> int:
    """Take the detail out of good news already sent about the concerns at `links` (their
    pages, `/risks/<id>/`, which is how a notification names its concern). Runs in the
    caller's transaction, so it commits or rolls back with the change that asked for it.
    Returns how many notifications changed."""
    if not links:
        return 0
    return (
        Notification.objects.filter(kind=Notification.Kind.GOOD_NEWS, link__in=links)
        .exclude(title=REDACTED_GOOD_NEWS_TITLE, body=REDACTED_GOOD_NEWS_BODY)
        .update(title=REDACTED_GOOD_NEWS_TITLE, body=REDACTED_GOOD_NEWS_BODY)
    )
