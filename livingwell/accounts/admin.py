from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models

from livingwell.accounts.models import (
    Area,
    AreaMembership,
    GPPractice,
    Organisation,
    PracticeMembership,
    User,
)


class AreaMembershipInline(admin.TabularInline):
    model = AreaMembership
    extra = 0
    autocomplete_fields = ["area"]
    # Leaving an area ends a volunteer's visits there: that happens in the application.
    readonly_fields = ("ended_on",)


class PracticeMembershipInline(admin.TabularInline):
    model = PracticeMembership
    extra = 0
    autocomplete_fields = ["practice"]


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


@admin.register(AreaMembership)
class AreaMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "area", "started_on", "ended_on")
    list_filter = ("area",)
    list_select_related = ("user", "area")
    autocomplete_fields = ["user", "area"]
    readonly_fields = ("ended_on",)


@admin.register(PracticeMembership)
class PracticeMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "practice", "started_on", "ended_on")
    list_filter = ("practice",)
    list_select_related = ("user", "practice")
    autocomplete_fields = ["user", "practice"]
