from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from livingwell.notifications.models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def recent_notifications_for(user, limit: int = 5) -> QuerySet[Notification]:
    return notifications_for(user)[:limit]


def unread_count_for(user) -> int:
    return notifications_for(user).unread().count()


def get_notification_for(user, pk: int) -> Notification:
    """A person's own notification, or 404: nobody reads anybody else's."""
    return get_object_or_404(notifications_for(user), pk=pk)
