from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_out
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from livingwell.accounts import second_factor
from livingwell.accounts.forms import AppSetupForm, SecondFactorCodeForm
from livingwell.accounts.home import home_panels_for
from livingwell.accounts.roles import ROLE_DESCRIPTIONS, Role
from livingwell.accounts.sections import sections_for
from livingwell.accounts.selectors import practices_of
from livingwell.notifications.selectors import recent_notifications_for


@receiver(user_logged_out, dispatch_uid="say-signed-out")
def say_signed_out(sender, request, user, **kwargs) -> None:
    if request is not None:
        messages.info(request, "You have signed out. Thank you.")


# What the browser is told to remove when someone signs out or asks it to: whatever the
# app kept for when there is no signal (cached pages, the clients and reports waiting on a
# volunteer's phone). A shared phone then holds nothing of the clients.
CLEAR_SITE_DATA = '"cache", "storage"'


class SignOutView(auth_views.LogoutView):
    """Django's sign-out, which also clears what the browser kept of the app."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


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


# --- Two-step sign-in -------------------------------------------------------------------


def _next_url(request) -> str:
    """Where to go once the step is done: the page asked for, if it is one of ours."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _with_next(url_name: str, request) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': _next_url(request)})}"


def _locked(request, until):
    """Too many wrong codes: the half-finished sign-in ends, and the page says for how long."""
    logout(request)
    return render(request, "registration/two_step_locked.html", {"until": until}, status=429)


@login_required
def two_step_verify(request):
    user = request.user
    if user.is_verified() or not second_factor.asked_of(request):
        return redirect(_next_url(request))
    if second_factor.app_device(user) is None:
        return redirect(_with_next("two_step_setup", request))
    locked_until = second_factor.locked_until(user)
    if locked_until:
        return _locked(request, locked_until)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor.verify(request=request, code=form.cleaned_data["code"])
        except second_factor.CodesLocked as locked:
            return _locked(request, locked.until)
        except ValidationError as error:
            form.add_error("code", error)
        else:
            if device.name == second_factor.BACKUP_DEVICE_NAME:
                left = second_factor.backup_codes_left(user)
                messages.warning(
                    request,
                    f"You used a backup code; it will not work again. You have {left} left"
                    + (". Make new ones on the two-step sign-in page." if left <= 3 else "."),
                )
            return redirect(_next_url(request))
    context = {"form": form, "next": _next_url(request), "second_step_pending": True}
    return render(request, "registration/two_step_verify.html", context)


QR_CODE_NAME = "QR code to scan with your authenticator app"


@login_required
def two_step_setup(request):
    """Sets up an authenticator app: at the first sign-in of anyone who needs one, or later
    to replace a lost phone or (for volunteers) to turn two-step sign-in on. Replacing an app
    needs the second step first: a password alone must not be enough to change it."""
    user = request.user
    if second_factor.app_device(user) is not None and not user.is_verified():
        return redirect(_with_next("two_step_verify", request))
    device = second_factor.setup_device(user)
    form = AppSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor.enrol(request=request, device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            if not second_factor.required_of(user):
                request.session[second_factor.TURNED_ON_SESSION_KEY] = True
            return _show_backup_codes(request, codes, set_up=True)
    qr_code = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=QR_CODE_NAME, omitsize=True
    )
    # Named for screen readers as an image, with its title as its name.
    qr_code = qr_code.replace("<svg ", f'<svg role="img" aria-label="{QR_CODE_NAME}" ', 1)
    context = {
        "form": form,
        # segno draws the SVG from the device's own URL: no user text goes into it.
        "qr_code": mark_safe(qr_code),
        "secret": second_factor.secret_for_typing(device),
        "next": _next_url(request),
        "required": second_factor.required_of(user),
        "second_step_pending": not user.is_verified() and second_factor.asked_of(request),
    }
    return render(request, "registration/two_step_setup.html", context)


def _show_backup_codes(request, codes: list[str], *, set_up: bool = False):
    response = render(
        request,
        "registration/two_step_backup_codes.html",
        {"codes": [f"{code[:4]} {code[4:]}" for code in codes], "next": _next_url(request), "set_up": set_up},
    )
    return response


@login_required
def two_step_settings(request):
    user = request.user
    context = {
        "app": second_factor.app_device(user),
        "codes_left": second_factor.backup_codes_left(user),
        "required": second_factor.required_of(user),
    }
    return render(request, "registration/two_step_settings.html", context)


@login_required
@require_POST
def two_step_backup_codes(request):
    if second_factor.app_device(request.user) is None:
        return redirect("two_step_settings")
    return _show_backup_codes(request, second_factor.backup_codes_renew(request.user))


@login_required
@require_POST
def two_step_turn_off(request):
    try:
        second_factor.turn_off(request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        request.session.pop(second_factor.TURNED_ON_SESSION_KEY, None)
        messages.success(request, "Two-step sign-in is off. You sign in with your password only.")
    return redirect("two_step_settings")
