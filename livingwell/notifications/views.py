from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from livingwell.notifications import services
from livingwell.notifications.selectors import get_notification_for, notifications_for
from livingwell.pagination import paginate


@login_required
def inbox(request):
    return render(request, "notifications/inbox.html", paginate(request, notifications_for(request.user), 20))


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = get_notification_for(request.user, pk)
    services.notification_mark_read(notification=notification)
    if (
        request.POST.get("open")
        and notification.link
        and url_has_allowed_host_and_scheme(notification.link, allowed_hosts={request.get_host()})
    ):
        return redirect(notification.link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("notifications:inbox")


@login_required
@require_GET
def attachment(request, pk: int):
    """The file that goes with one of the person's notifications, to save or open."""
    notification = get_notification_for(request.user, pk)
    if not notification.has_attachment:
        raise Http404("This notification has no file.")
    return HttpResponse(
        notification.attachment_content,
        content_type=notification.attachment_content_type,
        headers={"Content-Disposition": content_disposition_header(True, notification.attachment_filename)},
    )
