from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = "Volunteers"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from volunteers.models import ConfidentialityAgreement, DBSCheck, TrainingRecord, Volunteer

        auditlog.register(Volunteer)
        auditlog.register(DBSCheck)
        auditlog.register(TrainingRecord)
        auditlog.register(ConfidentialityAgreement)
