"""Thin, idempotent tasks: each calls a service."""

from celery import shared_task

from meetings import services


@shared_task(name="meetings.tasks.chase_unfinalised_coffee_mornings")
def chase_unfinalised_coffee_mornings() -> int:
    return services.coffee_mornings_chase_unfinalised()


@shared_task(name="meetings.tasks.end_expired_summary_access")
def end_expired_summary_access() -> int:
    return services.mdt_access_expire()
