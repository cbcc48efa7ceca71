"""Make a record once per submission key."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from livingwell.submissions.models import Submission

Record = TypeVar("Record", bound=models.Model)


@dataclass(frozen=True)
class Submitted(Generic[Record]):
    record: Record
    is_repeat: bool
    sent_at: datetime.datetime

    @property
    def already_sent_message(self) -> str:
        when = timezone.localtime(self.sent_at)
        return (
            f"Already sent: this was saved at {when:%H:%M} on {when:%-d %B}. Here it is; nothing was added."
        )


def submit_once(*, key: uuid.UUID, by, create: Callable[[], Record]) -> Submitted[Record]:
    """Run `create` once for `key`: the first submission makes the record; a repeat,
    even one that arrives while the first is still being saved, gets that same record.

    If `create` refuses (a ValidationError), nothing is kept, so the person can correct the
    form and send it again with the same key."""
    with transaction.atomic():
        if not _claim(key, by):
            return _the_record_already_made(key, by)
        record = create()
        Submission.objects.filter(key=key).update(
            content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)
        )
        return Submitted(record=record, is_repeat=False, sent_at=timezone.now())


def _claim(key: uuid.UUID, by) -> bool:
    """Insert the key unless it is there already; whether this submission claimed it.

    ON CONFLICT DO NOTHING does in one statement what a savepoint around an INSERT that may
    fail did in three. A second insert of the same key still waits for the first
    transaction: it claims the key if that one rolled back, and finds it taken if it
    committed."""
    table = connection.ops.quote_name(Submission._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, user_id, object_id, created_at) VALUES (%s, %s, '', %s) "
            "ON CONFLICT (key) DO NOTHING",
            [key, by.pk, timezone.now()],
        )
        return cursor.rowcount == 1


def _the_record_already_made(key: uuid.UUID, by) -> Submitted:
    submission = Submission.objects.select_related("content_type").get(key=key)
    record = submission.record if submission.content_type_id else None
    if submission.user_id != by.pk or record is None:
        # Someone else's key, or a record since removed: never show it, never make a second.
        raise ValidationError("This form has already been used. Please open it again and fill it in.")
    return Submitted(record=record, is_repeat=True, sent_at=submission.created_at)
