from django.contrib import admin

from livingwell.readonly_admin import ReadOnlyAdmin
from livingwell.reports.models import FeedbackCard, MonthlySummary, ReportExport, Trial


# Trials, cards and the record of exports change only through the reports' pages, which
# check who may set up, write and decide; the admin shows them.
@admin.register(Trial)
class TrialAdmin(ReadOnlyAdmin):
    list_display = ("title", "model", "area", "practice", "starts_on", "ends_on", "decision")
    list_filter = ("model", "decision")
    list_select_related = ("area", "practice")
    search_fields = ("title",)


@admin.register(FeedbackCard)
class FeedbackCardAdmin(ReadOnlyAdmin):
    list_display = ("trial", "writer_role", "written_at")
    list_filter = ("writer_role",)
    list_select_related = ("trial",)


@admin.register(ReportExport)
class ReportExportAdmin(ReadOnlyAdmin):
    list_display = ("kind", "taken_by", "taken_at", "period_start", "period_end")
    list_filter = ("kind",)
    list_select_related = ("taken_by",)
    date_hierarchy = "taken_at"


# Written only by the monthly summary, whose row is the promise that a manager hears once.
@admin.register(MonthlySummary)
class MonthlySummaryAdmin(ReadOnlyAdmin):
    list_display = ("manager", "month", "sent_at")
    list_select_related = ("manager",)
    date_hierarchy = "month"
