from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.shortcuts import render

from livingwell.accounts.home import home_panels_for
from livingwell.accounts.roles import ROLE_DESCRIPTIONS, Role
from livingwell.accounts.sections import sections_for
from livingwell.accounts.selectors import practices_of
from livingwell.notifications.selectors import recent_notifications_for


@receiver(user_logged_out, dispatch_uid="say-signed-out")
def say_signed_out(sender, request, user, **kwargs) -> None:
    if request is not None:
        messages.info(request, "You have signed out. Thank you.")


@login_required
def home(request):
    """The home page: what waits for this person (panels the domain apps register, see
    `livingwell.accounts.home`), what their roles are for, and where to go next."""
    user = request.user
    roles = [(Role(role).label, ROLE_DESCRIPTIONS[role]) for role in Role.values if role in user.roles]
    context = {
        "roles": roles,
        "sections": [item for item in sections_for(user) if item[0].url_name != "notifications:inbox"],
        "areas": user.areas_today,
        "practices": practices_of(user),
        "recent_notifications": recent_notifications_for(user),
        "panels": home_panels_for(user),
        # Only volunteers raise concerns, so only they are promised news of them.
        "raises_concerns": user.has_role(Role.VOLUNTEER),
    }
    return render(request, "accounts/home.html", context)
