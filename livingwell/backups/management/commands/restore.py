from django.core.management.base import BaseCommand, CommandError

from livingwell.backups.services import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database (and no "
        "other), in one transaction. A database that already has tables is refused unless "
        "--replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .dump file made by `manage.py backup`.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Drop what the backup holds from the database first, then restore it.",
        )

    def handle(self, *args, file, replace=False, **options):
        try:
            restore = backup_restore(path=file, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        done = "replaced the contents of" if restore.replaced else "restored into"
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {restore.path} (a backup of the database {restore.made_from} made "
                f"{restore.made_at}): {done} the database {restore.database}, which now has "
                f"{restore.tables} tables."
            )
        )
        self.stdout.write(
            "If the backup is older than this version of the code, run `manage.py migrate` next."
        )
