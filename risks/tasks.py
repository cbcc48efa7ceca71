"""Thin, idempotent tasks: each calls a service."""

from celery import shared_task

from risks import services


@shared_task(name="risks.tasks.remind_overdue_risks")
def remind_overdue_risks() -> int:
    return services.risks_remind_overdue()
