from django.utils.functional import SimpleLazyObject

from livingwell.notifications.selectors import unread_count_for


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    # Lazy: pages that never show the navigation (error pages) cost no query.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count_for(user))}
