"""Two-step sign-in for tests: `force_login` gives a session that has passed both steps,
as a person who signed in with their password and their app's code would have; the tests
of the second step itself use `sign_in_with_password_only`."""

from __future__ import annotations

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.accounts import second_factor
from livingwell.accounts.models import User

# Every test person's authenticator app (base 32, as an app is given it).
TEST_SECRET = "TESTSECRETFORLIVINGWELLTESTSUITE"

_password_only_force_login = Client.force_login


def app_device(user) -> TOTPDevice:
    """The person's authenticator app, set up with TEST_SECRET if they have none."""
    device = second_factor.app_device(user)
    if device is None:
        device = TOTPDevice.objects.create(
            user=user,
            name=second_factor.APP_DEVICE_NAME,
            key=second_factor.key_from_secret(TEST_SECRET),
            confirmed=True,
        )
    return device


def next_code(device: TOTPDevice, deadline_s: float = 65.0) -> str:
    """A code the device will accept now: the current one, or, when that was used already
    (two sign-ins in one 30-second step), the next step's, which the device's tolerance of
    one step allows; failing that, waits for the step to turn."""
    device.refresh_from_db()
    give_up_at = time.monotonic() + deadline_s
    while True:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        now_step = totp.t()
        step = max(now_step, device.last_t + 1)
        if step <= now_step + device.tolerance:
            totp.time = device.t0 + (step + device.drift) * device.step
            return f"{totp.token():0{device.digits}d}"
        if time.monotonic() > give_up_at:
            raise AssertionError("no unused code came within the deadline")
        time.sleep(0.5)


def force_login_with_both_steps(self, user, backend=None):
    _password_only_force_login(self, user, backend)
    fresh = User.objects.get(pk=user.pk)  # roles as they are now, not as cached on `user`
    if second_factor.required_of(fresh):
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = app_device(fresh).persistent_id
        session.save()


def sign_in_with_password_only(browser: Client, user) -> Client:
    """Signed in with the password, the second step not yet taken."""
    _password_only_force_login(browser, user, "django.contrib.auth.backends.ModelBackend")
    return browser
