"""Meetings change only through their services (agendas grant access to summaries, and
every change sends invitations), so the admin pages only read them."""

from django.contrib import admin

from livingwell.readonly_admin import ReadOnlyAdmin, ReadOnlyInline
from meetings.models import Action, AgendaItem, Attendance, LocalProtocol, Meeting


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ("person", "role", "response")


class AgendaItemInline(ReadOnlyInline):
    model = AgendaItem
    fields = ("position", "client", "risk", "minutes", "presented_by_volunteer", "result")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "area", "practice", "status", "chair")
    list_filter = ("kind", "status", "area")
    list_select_related = ("area", "practice", "chair")
    inlines = [AttendanceInline, AgendaItemInline]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "person", "role", "response")
    list_select_related = ("meeting__area", "meeting__practice", "person")


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "client", "position", "presented_by_volunteer", "result")
    list_select_related = ("meeting__area", "meeting__practice", "client")


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ("what", "meeting", "due_on", "done_at")
    list_select_related = ("meeting__area", "meeting__practice")


@admin.register(LocalProtocol)
class LocalProtocolAdmin(ReadOnlyAdmin):
    list_display = ("practice", "version", "published_at", "published_by")
    list_select_related = ("practice", "published_by")
