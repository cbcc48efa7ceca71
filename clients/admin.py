from django.contrib import admin

from clients import services
from clients.models import (
    Allocation,
    Client,
    ClientGroupObjectPermission,
    ClientUserObjectPermission,
    Consent,
)
from livingwell.readonly_admin import ReadOnlyAdmin, ReadOnlyInline


class AllocationInline(ReadOnlyInline):
    model = Allocation
    fields = ("volunteer", "started_on", "ended_on", "end_reason")


class ConsentInline(ReadOnlyInline):
    model = Consent
    fields = ("scope", "given_on", "how_given", "withdrawn_on")


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "date_of_birth", "gp_practice", "area", "status")
    list_filter = ("area", "status")
    list_select_related = ("gp_practice", "area")
    search_fields = ("last_name", "first_name", "nhs_number", "postcode")
    inlines = [AllocationInline, ConsentInline]
    # Closing a record or moving it ends visits and access: that happens in the application.
    readonly_fields = ("status", "closed_reason", "area", "gp_practice")

    def has_delete_permission(self, request, obj=None):
        # A client's record is closed, never deleted: its consent and history are part of it.
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        client = self.get_object(request, object_id)
        if client is not None:
            services.client_access_log(client=client, user=request.user, page="admin")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ("client", "volunteer", "started_on", "ended_on")
    list_select_related = ("client", "volunteer__user")


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("client", "scope", "given_on", "withdrawn_on")
    list_filter = ("scope",)
    list_select_related = ("client",)


@admin.register(ClientUserObjectPermission)
class ClientUserObjectPermissionAdmin(ReadOnlyAdmin):
    """Who holds which permission on which client: granted and revoked only by clients/access.py."""

    list_display = ("content_object", "user", "permission")
    list_select_related = ("content_object", "user", "permission")


@admin.register(ClientGroupObjectPermission)
class ClientGroupObjectPermissionAdmin(ReadOnlyAdmin):
    list_display = ("content_object", "group", "permission")
    list_select_related = ("content_object", "group", "permission")
