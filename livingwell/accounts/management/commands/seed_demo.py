from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from livingwell.accounts.demo import enrol_in_two_step_sign_in


def seeders() -> list:
    """Each app's `demo.seed`, in INSTALLED_APPS order: an app comes after the apps it
    builds on, so its demo data can use theirs. The platform names no domain app."""
    found = []
    ours = [
        config for config in apps.get_app_configs() if Path(config.path).is_relative_to(settings.BASE_DIR)
    ]
    for app_config in ours:
        if find_spec(f"{app_config.name}.demo") is not None:
            module = import_module(f"{app_config.name}.demo")
            if hasattr(module, "seed"):
                found.append(module.seed)
    return found


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
            for seeder in seeders():
                counts = seeder()
                summary = ", ".join(f"{count} {name}" for name, count in counts.items())
                self.stdout.write(f"{seeder.__module__}: {summary}")
            enrolled = enrol_in_two_step_sign_in()
            self.stdout.write(f"Two-step sign-in set up for {enrolled} more demo accounts.")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready. Sign in as vera, victor, cora, tom, drchen, mona or admin "
                "with the demo password; everyone but vera and victor is then asked for a code: "
                "`python manage.py demo_code` prints it."
            )
        )
