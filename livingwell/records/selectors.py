"""Reads of the security events log and of requests for copies, filtered in SQL."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from livingwell.accounts.models import User
from livingwell.accounts.selectors import managed_organisations_of, staff_areas_of
from livingwell.records.models import ExportRequest, SecurityEvent


def security_events(*, kind: str = "", username: str = "") -> QuerySet[SecurityEvent]:
    """Newest first, of one kind and/or one username (as typed, without regard to case)."""
    events = SecurityEvent.objects.order_by("-at", "-pk")
    if kind:
        events = events.filter(kind=kind)
    if username:
        events = events.filter(username__iexact=username.strip())
    return events


def exports_visible_to(user: User) -> QuerySet[ExportRequest]:
    """Requests this person asked for or decided, and those about people of the areas where
    they work as staff or that they manage."""
    requests = ExportRequest.objects.select_related(
        "area", "client", "volunteer__user", "requested_by", "decided_by"
    ).defer("archive")
    if not user.is_authenticated:
        return requests.none()
    if user.is_superuser:
        return requests
    return requests.filter(
        Q(requested_by=user)
        | Q(decided_by=user)
        | Q(area__in=staff_areas_of(user))
        | Q(area__organisation__in=managed_organisations_of(user))
    )


def get_export_for(user: User, pk: int) -> ExportRequest:
    """A request this person may see, or 404 (never reveal that it exists to anybody else)."""
    export = exports_visible_to(user).filter(pk=pk).first()
    if export is None:
        raise Http404("No request found")
    return export
