"""Thin, idempotent tasks: each calls a service."""

from celery import shared_task

from stories import services


@shared_task(name="stories.tasks.send_weekly_digest")
def send_weekly_digest() -> int:
    return services.stories_send_weekly_digest()
