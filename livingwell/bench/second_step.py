"""The second step of signing in (livingwell/accounts/second_factor.py) for the benchmark's
own sessions, and the tests': each account that needs it is given an authenticator app with
a known key, and its code is typed as a person would type it."""

from __future__ import annotations

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.accounts import second_factor
from livingwell.accounts.models import User

# The benchmark's accounts live in a database of their own, made by seed_scale.
BENCH_SECRET = "BENCHMARKSECRETFORLIVINGWELLAPPS"


def app_device(user: User, secret: str = BENCH_SECRET) -> TOTPDevice:
    """The person's authenticator app, set up with `secret` if they have none yet."""
    device = second_factor.app_device(user)
    if device is None:
        device = TOTPDevice.objects.create(
            user=user,
            name=second_factor.APP_DEVICE_NAME,
            key=second_factor.key_from_secret(secret),
            confirmed=True,
        )
    return device


def next_code(device: TOTPDevice, deadline_s: float = 65.0) -> str:
    """A code the app would show that the device will accept now. A code is accepted once:
    after a sign-in in this 30-second step, the next step's code is used (the device allows
    one step of clock difference), and after two, this waits for the step to turn."""
    give_up_at = time.monotonic() + deadline_s
    while True:
        device.refresh_from_db()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        now_step = totp.t()
        step = max(now_step, device.last_t + 1)
        if step <= now_step + device.tolerance:
            totp.time = device.t0 + (step + device.drift) * device.step
            return f"{totp.token():0{device.digits}d}"
        if time.monotonic() > give_up_at:
            raise RuntimeError(f"no unused code for {device.user} within {deadline_s:.0f} s")
        time.sleep(0.5)


def pass_second_step(client: Client, user: User, secret: str = BENCH_SECRET) -> None:
    """Marks a test client's session, signed in with force_login, as having passed the
    second step too, as typing the app's code would."""
    if second_factor.required_of(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = app_device(user, secret).persistent_id
        session.save()
