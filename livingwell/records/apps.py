from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """Records management: the security events log, copies of what is held about a person
    (subject access), and keeping client records no longer than the retention period. Like
    the reports, it sits above the domain apps: it reads their tables to copy and to
    anonymise them, and nothing imports it back."""

    name = "livingwell.records"
    label = "records"
    verbose_name = "Records management"

    def ready(self) -> None:
        from livingwell.records import receivers

        receivers.connect()
