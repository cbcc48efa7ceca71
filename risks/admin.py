from django.contrib import admin
from django.db import models

from livingwell.readonly_admin import ReadOnlyAdmin, ReadOnlyInline
from risks.models import OnCallShift, Outcome, Referral, RiskCategory, RiskEvent, RiskReport, Service


@admin.register(RiskCategory)
class RiskCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "group", "position")
    list_filter = ("group",)
    prepopulated_fields = {"slug": ("name",)}


class RiskEventInline(ReadOnlyInline):
    model = RiskEvent
    fields = ("at", "actor", "from_status", "to_status", "note")


class ReferralInline(ReadOnlyInline):
    model = Referral
    fields = ("made_at", "service", "key_worker", "reference", "expected_response_on")


class OutcomeInline(ReadOnlyInline):
    model = Outcome
    fields = ("recorded_at", "recorded_by", "staff_summary", "volunteer_message")


@admin.register(RiskReport)
class RiskReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "area", "status", "severity", "reported_at", "owner")
    list_filter = ("status", "severity", "area", "route")
    list_select_related = ("client", "category", "area", "owner")
    inlines = [RiskEventInline, ReferralInline, OutcomeInline]


@admin.register(RiskEvent)
class RiskEventAdmin(ReadOnlyAdmin):
    list_display = ("risk", "at", "actor", "from_status", "to_status")
    list_select_related = ("risk__client", "risk__category", "actor")


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ("risk", "target", "made_at")
    list_select_related = ("risk__client", "risk__category", "service")


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyAdmin):
    list_display = ("risk", "recorded_at", "recorded_by")
    list_select_related = ("risk__client", "risk__category", "recorded_by")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "kind", "is_medical", "phone", "is_active")
    list_filter = ("kind", "is_medical", "areas", "is_active")
    search_fields = ("name", "helps_with")
    filter_horizontal = ("areas", "categories")


@admin.register(OnCallShift)
class OnCallShiftAdmin(admin.ModelAdmin):
    list_display = ("area", "team_leader", "backup", "starts_at", "ends_at")
    list_filter = ("area",)
    list_select_related = ("area", "team_leader", "backup")
