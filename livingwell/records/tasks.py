"""Thin, idempotent tasks: each calls a service."""

from celery import shared_task

from livingwell.records import services


@shared_task(name="livingwell.records.tasks.anonymise_expired_client_records")
def anonymise_expired_client_records() -> int:
    # Copies past their seven days are emptied on the same nightly round.
    services.exports_expire()
    return services.anonymise_expired_client_records()
