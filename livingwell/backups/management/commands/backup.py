from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from livingwell.backups.services import BackupError, backup_create, database_name, folder_is_private


class Command(BaseCommand):
    help = (
        "Back up the configured database with pg_dump (custom format) into BACKUP_DIR, as "
        "livingwell-<database>-YYYYMMDD-HHMMSS.dump (UTC). The file holds personal data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--folder", help="Write here instead of settings.BACKUP_DIR.")

    def handle(self, *args, folder=None, **options):
        try:
            backup = backup_create(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = filesizeformat(backup.size).replace("\xa0", " ")
        self.stdout.write(
            self.style.SUCCESS(f"Backed up the database {database_name()} to {backup.path} ({size}).")
        )
        if not folder_is_private(backup.path.parent):
            self.stderr.write(
                f"Warning: other users may be able to list {backup.path.parent}. The backup "
                "itself is readable by its owner only; consider chmod 700 on the folder."
            )
