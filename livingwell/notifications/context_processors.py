from livingwell.notifications.selectors import unread_count_for


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    # Every page shows the count in the navigation: one indexed query.
    return {"unread_notifications": unread_count_for(user)}
