"""Session safety: sign people out after 30 minutes without activity and 12 hours after
they signed in, however active they have been, keep signed-in pages out of every cache, and
ask for the second step of signing in before any other page."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control

from livingwell.accounts import second_factor

SIGNED_IN_AT = "signed_in_at"
LAST_ACTIVE_AT = "last_active_at"
# How stale the stored activity time may get before a request writes it again. Writing the
# session on every request cost an UPDATE per page and per concern sent; writing it at most
# once a minute keeps the idle limit to the minute (a session ends between 29 and 30
# minutes after the last request instead of at exactly 30).
ACTIVITY_REFRESH_SECONDS = 60


@receiver(user_logged_in, dispatch_uid="stamp-sign-in-time")
def stamp_sign_in_time(sender, request, user, **kwargs) -> None:
    # Signing in is activity too: the first page after it need not write the session again.
    request.session[SIGNED_IN_AT] = request.session[LAST_ACTIVE_AT] = time.time()


class IdleSessionMiddleware:
    """The idle limit: a session lasts SESSION_COOKIE_AGE from its last save, in the
    database and in the browser's cookie. A request extends it by saving the session when
    the stored activity time is more than a minute old (or when the session changed anyway),
    instead of on every request (SESSION_SAVE_EVERY_REQUEST). Place it right after
    SessionMiddleware, so that it sees the session after every other middleware and view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        # An empty session (never used, just signed out, or a cookie naming a session that has
        # ended, which loading finds empty) has nothing to keep alive.
        if not session.is_empty():
            last_active_at = session.get(LAST_ACTIVE_AT, 0)
            now = time.time()
            if not session.is_empty() and (
                session.modified or now - last_active_at >= ACTIVITY_REFRESH_SECONDS
            ):
                session[LAST_ACTIVE_AT] = now
        return response


class AbsoluteSessionLimitMiddleware:
    """The idle limit is the session cookie's age; this adds the absolute limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, time.time())
            if time.time() - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, "For your security you have been signed out. Please sign in again.")
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages seen while signed in are never kept by the browser or a proxy: these are
    shared devices in people's homes, and the pages hold personal details. Signing out
    then leaves nothing behind for the Back button."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Who was signed in when the request arrived, or is after it (signing in or out).
        signed_in_before = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in_before or request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


# Pages a signed-in person can open before the second step: the step itself, and leaving.
OPEN_BEFORE_SECOND_STEP = frozenset({"two_step_verify", "two_step_setup", "logout", "login", "healthz"})


class SecondFactorMiddleware:
    """Sends a signed-in person who must pass the second step (livingwell.accounts.second_factor)
    and has not yet, to it: to type a code, or, at their first sign-in, to set up an app. Put
    it after django-otp's OTPMiddleware, which reads the verified device from the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and second_factor.asked_of(request):
            match = _resolve(request.path_info)
            if match is None or match.view_name not in OPEN_BEFORE_SECOND_STEP:
                step = "two_step_verify" if second_factor.app_device(user) else "two_step_setup"
                return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _resolve(path: str):
    try:
        return resolve(path)
    except Resolver404:
        return None
