from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from livingwell.accounts import services
from livingwell.accounts.models import (
    Area,
    AreaMembership,
    GPPractice,
    Organisation,
    PasswordResetRequest,
    PracticeMembership,
    SecondFactorLock,
    User,
)
from livingwell.readonly_admin import ReadOnlyAdmin, ReadOnlyInline


class AreaMembershipInline(ReadOnlyInline):
    # Starting and ending someone's work in an area grants and ends access (a volunteer's
    # visits end with it): that happens on the Area memberships page, through the services.
    model = AreaMembership
    fields = ("area", "started_on", "ended_on")


class PracticeMembershipInline(ReadOnlyInline):
    model = PracticeMembership
    fields = ("practice", "started_on", "ended_on")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Living Well", {"fields": ("phone", "organisation")}))
    list_display = ("username", "first_name", "last_name", "email", "organisation", "is_active")
    list_filter = ("groups", "organisation", "is_active", "is_staff")
    list_select_related = ("organisation",)
    inlines = [AreaMembershipInline, PracticeMembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "kind")
    search_fields = ("name",)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "default_route")
    list_select_related = ("organisation",)
    search_fields = ("name",)


@admin.register(GPPractice)
class GPPracticeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "area", "mdt_welcomes_volunteers")
    list_filter = ("area", "mdt_welcomes_volunteers")
    list_select_related = ("area",)
    search_fields = ("name", "code")


class MembershipAdminForm(forms.ModelForm):
    def _post_clean(self):
        super()._post_clean()
        # `ended_on` is not on the form, so Django skips the "one open membership" constraint
        # that names it; a new membership is open, so check it here with the model's own rule.
        if self.instance.pk is None:
            try:
                self.instance.validate_constraints()
            except ValidationError as error:
                self._update_errors(error)


class MembershipAdmin(admin.ModelAdmin):
    """Memberships are started here (through the service) and ended with the action below;
    they are never edited or deleted, because access and visits follow them."""

    actions = ["end_memberships_today"]
    form = MembershipAdminForm

    def get_readonly_fields(self, request, obj=None):
        return ("ended_on",) if obj is None else ("user", self.place_field, "started_on", "ended_on")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:  # every field is read-only once it exists
            return
        try:
            saved = self.start(obj)
        except ValidationError as error:
            # The page shows the form again; nothing was saved.
            raise PermissionDenied(" ".join(error.messages)) from error
        obj.pk = saved.pk

    @admin.action(description="End the selected memberships today")
    def end_memberships_today(self, request, queryset):
        ended = 0
        for membership in queryset.filter(ended_on__isnull=True):
            self.end(membership, request.user)
            ended += 1
        self.message_user(request, f"{ended} membership{'s' if ended != 1 else ''} ended.", messages.SUCCESS)


@admin.register(AreaMembership)
class AreaMembershipAdmin(MembershipAdmin):
    list_display = ("user", "area", "started_on", "ended_on")
    list_filter = ("area",)
    list_select_related = ("user", "area")
    autocomplete_fields = ["user", "area"]
    place_field = "area"

    def start(self, membership):
        return services.area_membership_start(
            user=membership.user, area=membership.area, started_on=membership.started_on
        )

    def end(self, membership, by):
        services.area_membership_end(membership=membership, by=by)


@admin.register(PracticeMembership)
class PracticeMembershipAdmin(MembershipAdmin):
    list_display = ("user", "practice", "started_on", "ended_on")
    list_filter = ("practice",)
    list_select_related = ("user", "practice")
    autocomplete_fields = ["user", "practice"]
    place_field = "practice"

    def start(self, membership):
        return services.practice_membership_start(
            user=membership.user, practice=membership.practice, started_on=membership.started_on
        )

    def end(self, membership, by):
        services.practice_membership_end(membership=membership, by=by)


@admin.register(PasswordResetRequest)
class PasswordResetRequestAdmin(ReadOnlyAdmin):
    list_display = ("requested_at", "address")
    date_hierarchy = "requested_at"


@admin.register(SecondFactorLock)
class SecondFactorLockAdmin(ReadOnlyAdmin):
    """Who typed wrong codes at the second step of signing in. An administrator who has
    checked with the person by phone can end a lock; a person who lost their phone has their
    authenticator app and backup codes removed on the TOTP and static device pages instead."""

    list_display = ("user", "failures", "locked_until")
    search_fields = ("user__username",)
    actions = ["end_lock"]

    @admin.action(description="End the lock, so the person can type a code again")
    def end_lock(self, request, queryset):
        ended = queryset.update(failures=0, locked_until=None)
        self.message_user(request, f"{ended} lock(s) ended.")
