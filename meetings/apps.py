from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from clients.signals import consent_withdrawn
        from meetings import services
        from meetings.models import Action, AgendaItem, Attendance, LocalProtocol, Meeting
        from risks.signals import risk_reported

        # Who changed a meeting, its agenda or its actions is kept (who, when, what changed).
        auditlog.register(Meeting)
        auditlog.register(Attendance)
        auditlog.register(AgendaItem)
        auditlog.register(Action)
        auditlog.register(LocalProtocol)

        # A concern routed to the formal meeting joins the next one's agenda as it is
        # reported; withdrawn consent takes the client off MDT agendas in the same transaction.
        risk_reported.connect(services.on_risk_reported, dispatch_uid="meetings-risk-reported")
        consent_withdrawn.connect(services.on_consent_withdrawn, dispatch_uid="meetings-consent-withdrawn")

        from livingwell.accounts.home import register_home_panel
        from meetings import home

        register_home_panel(
            name="meetings.next",
            template="meetings/home/next_meetings.html",
            context=home.next_meetings_panel,
            order=35,
        )
