from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = "Risks and the services directory"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from risks.models import OnCallShift, Service

        # Concerns keep their own timeline (RiskEvent); the directory and the rota are shared
        # reference data that people rely on at a crisis, so who changed them is kept too.
        auditlog.register(Service, m2m_fields={"areas", "categories"}, exclude_fields=["referrals"])
        auditlog.register(OnCallShift)
