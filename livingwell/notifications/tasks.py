"""Thin, idempotent tasks: each reloads rows by id and calls a service."""

from celery import shared_task

from livingwell.notifications import services


@shared_task(name="livingwell.notifications.tasks.deliver_notification")
def deliver_notification(notification_id: int) -> str:
    return services.notification_deliver(notification_id=notification_id)


@shared_task(name="livingwell.notifications.tasks.sweep_undelivered_notifications")
def sweep_undelivered_notifications() -> int:
    return services.notifications_sweep()
