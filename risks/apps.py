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

        self.register_home_panels()

    @staticmethod
    def register_home_panels() -> None:
        """The home page (a platform page) shows what waits in this app through panels
        registered here: the platform never imports the risks app."""
        from livingwell.accounts.home import register_home_panel
        from risks import home

        register_home_panel(
            name="risks.on_call", template="risks/home/on_call.html", context=home.on_call_panel, order=10
        )
        register_home_panel(
            name="risks.urgent_alerts",
            template="risks/home/urgent_alerts.html",
            context=home.urgent_alerts_panel,
            order=20,
        )
        register_home_panel(
            name="risks.waiting", template="risks/home/waiting.html", context=home.waiting_panel, order=30
        )
        register_home_panel(
            name="risks.need_to_talk",
            template="risks/home/need_to_talk.html",
            context=home.need_to_talk_panel,
            order=40,
        )
