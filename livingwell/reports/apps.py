from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Managers' reports, exports and trials. It sits above the domain apps: it reads their
    tables to count, and nothing imports it back."""

    name = "livingwell.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from livingwell.reports.models import FeedbackCard, ReportExport, Trial

        auditlog.register(Trial)
        auditlog.register(FeedbackCard)
        auditlog.register(ReportExport)

        from livingwell.accounts.home import register_home_panel
        from livingwell.reports import home

        register_home_panel(
            name="reports.for_managers",
            template="reports/home/reports_panel.html",
            context=home.reports_panel,
            order=30,
        )
        register_home_panel(
            name="reports.your_difference",
            template="reports/home/your_difference.html",
            context=home.your_difference_panel,
            order=45,
        )
