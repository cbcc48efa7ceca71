import math
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from livingwell.accounts.second_factor import key_from_secret


class Command(BaseCommand):
    help = (
        "Print the code the demo accounts' authenticator app would show now (the published "
        "demo secret, DEMO_SECOND_FACTOR_SECRET), and how long it lasts."
    )

    def handle(self, *args, **options):
        totp = TOTP(bytes.fromhex(key_from_secret(settings.DEMO_SECOND_FACTOR_SECRET)))
        totp.time = time.time()
        code = f"{totp.token():06d}"
        seconds_left = math.ceil(totp.step - (totp.time - totp.t0) % totp.step)
        self.stdout.write(f"{code}  (for {seconds_left} more seconds; each code works once per account)")
