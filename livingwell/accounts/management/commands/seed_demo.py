from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clients import demo as clients_demo
from livingwell.accounts import demo as accounts_demo
from risks import demo as risks_demo
from volunteers import demo as volunteers_demo

# Each app that has demo data adds its seeder here, in the order they depend on each other.
SEEDERS = [accounts_demo.seed, volunteers_demo.seed, clients_demo.seed, risks_demo.seed]


class Command(BaseCommand):
    help = "Create (or complete) the demo data and demo accounts. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Allow seeding with DEBUG off (for a staging copy, never for live data).",
        )

    def handle(self, *args, not_production=False, **options):
        if not settings.DEBUG and not not_production:
            raise CommandError(
                "seed_demo creates accounts with a shared, published password, so it does not "
                "run with DEBUG off. If this really is not production, add "
                "--i-know-this-is-not-production."
            )
        with transaction.atomic():
            for seeder in SEEDERS:
                counts = seeder()
                summary = ", ".join(f"{count} {name}" for name, count in counts.items())
                self.stdout.write(f"{seeder.__module__}: {summary}")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready. Sign in as vera, victor, cora, tom, drchen, mona or admin "
                "with the demo password."
            )
        )
