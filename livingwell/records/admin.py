from django.contrib import admin

from livingwell.readonly_admin import ReadOnlyAdmin
from livingwell.records.models import ExportRequest, SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "username", "ip_address")
    list_filter = ("kind",)
    search_fields = ("username",)
    date_hierarchy = "at"
    readonly_fields = ("at", "kind", "user", "username", "ip_address", "details")


@admin.register(ExportRequest)
class ExportRequestAdmin(ReadOnlyAdmin):
    """Decided through the application only, where the second-person rule is checked."""

    list_display = ("pk", "state", "area", "requested_by", "requested_at", "decided_by", "expires_at")
    list_filter = ("state",)
    list_select_related = ("area", "requested_by", "decided_by")
    exclude = ("archive",)
