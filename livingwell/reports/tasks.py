"""Thin, idempotent tasks: each calls a service."""

from celery import shared_task

from livingwell.reports import summary


@shared_task(name="livingwell.reports.tasks.send_monthly_summaries")
def send_monthly_summaries() -> int:
    return summary.monthly_summaries_send()
