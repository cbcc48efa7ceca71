import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from livingwell.accounts.models import User
from livingwell.scale import SCALE_PREFIX, ScaleSizes, scale_seeders


class Command(BaseCommand):
    help = (
        "Fill a database with a county's worth of made-up clients, volunteers and concerns, "
        "for measuring speed. Repeatable (--seed). Never for live data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--risks", type=int, default=1_000_000, help="How many concerns.")
        parser.add_argument("--clients", type=int, help="How many clients (default: one per 20 concerns).")
        parser.add_argument(
            "--volunteers", type=int, help="How many volunteers (default: one per 200 concerns)."
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed makes the same data.")
        parser.add_argument(
            "--into-demo",
            action="store_true",
            help="Allow adding to a database that holds the demo accounts' own data.",
        )

    def handle(self, *args, risks, clients, volunteers, seed, into_demo, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_scale makes made-up people: it runs only with DEBUG on, never on live data."
            )
        if min(risks, clients or 1, volunteers or 1) < 1:
            raise CommandError("Give sizes of at least 1.")
        if User.objects.filter(username__startswith=SCALE_PREFIX).exists():
            raise CommandError("This database has scale data already: use a new database for another size.")
        if User.objects.filter(username="cora").exists() and not into_demo:
            raise CommandError(
                "This database holds the demo accounts' data. Point DATABASE_URL at a database of its "
                "own for the scale data, or pass --into-demo to add to this one."
            )
        proportional = ScaleSizes.proportional(risks, seed)
        sizes = ScaleSizes(
            clients=clients or proportional.clients,
            volunteers=volunteers or proportional.volunteers,
            risks=risks,
            seed=seed,
        )
        started = time.monotonic()
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Every random() in the statements that follow comes from this seed.
                cursor.execute("SELECT setseed(%s)", [((seed % 2000) - 1000) / 1000])
            for seed_part in scale_seeders():
                part_started = time.monotonic()
                said = seed_part(sizes)
                self.stdout.write(f"{seed_part.__module__}: {said} ({time.monotonic() - part_started:.1f} s)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Scale data ready in {time.monotonic() - started:.0f} s."))
