"""Two-step sign-in for tests: `force_login` gives a session that has passed both steps,
as a person who signed in with their password and their app's code would have; the tests
of the second step itself use `sign_in_with_password_only`."""

from __future__ import annotations

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.accounts.models import User
from livingwell.bench import second_step
from livingwell.bench.second_step import next_code

__all__ = ["app_device", "force_login_with_both_steps", "next_code", "sign_in_with_password_only"]

# Every test person's authenticator app (base 32, as an app is given it).
TEST_SECRET = "TESTSECRETFORLIVINGWELLTESTSUITE"

_password_only_force_login = Client.force_login


def app_device(user) -> TOTPDevice:
    return second_step.app_device(user, TEST_SECRET)


def force_login_with_both_steps(self, user, backend=None):
    _password_only_force_login(self, user, backend)
    # The roles as they are now, not as cached on `user`.
    second_step.pass_second_step(self, User.objects.get(pk=user.pk), TEST_SECRET)


def sign_in_with_password_only(browser: Client, user) -> Client:
    """Signed in with the password, the second step not yet taken."""
    _password_only_force_login(browser, user, "django.contrib.auth.backends.ModelBackend")
    return browser
