from django.contrib import admin

from livingwell.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "delivered_at", "attempts", "read_at")
    list_filter = ("kind",)
    list_select_related = ("recipient",)
    search_fields = ("title", "recipient__username")
    readonly_fields = (
        "created_at",
        "delivered_at",
        "emailed_at",
        "sending_since",
        "attempts",
        "last_error",
        "read_at",
    )
    date_hierarchy = "created_at"
