"""What a volunteer's phone keeps so that they can report a concern with no signal.

The minimum a volunteer needs standing in a client's kitchen: who they visit, by the name
the report form shows and the street (never a date of birth, an NHS number, needs or
history), and whom to phone. Everything is read in a fixed number of queries."""

from __future__ import annotations

import datetime
import re

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from clients.selectors import clients_of_volunteer
from livingwell.accounts.models import AreaMembership, User
from livingwell.accounts.roles import Role
from risks.models import OnCallShift

# How far ahead the phone knows the rota: it may be without signal for a day or two, and
# must still show whoever is on call then.
ON_CALL_AHEAD = datetime.timedelta(hours=48)

# "3 ", "12a ", "12-14 ", "Flat 2 " at the start of a part of an address: the house itself,
# which the phone does not need to tell one client from another.
_HOUSE_NUMBER = re.compile(
    r"^(?:(?:flat|apartment|apt|unit)\W*)?\d+[a-z]?(?:\s*[-/]\s*\d+[a-z]?)?\b\s*", re.IGNORECASE
)


def street_of(address: str) -> str:
    """The street and town of an address, as one line, without the house:
    "3 Chapel Street\nPenzance" -> "Chapel Street, Penzance". The street is the last part
    that starts with a number; what comes before it ("Flat 2", "Rose Cottage") names the
    house."""
    parts = [part.strip() for line in address.splitlines() for part in line.split(",")]
    parts = [part for part in parts if part]
    numbered = [index for index, part in enumerate(parts) if _HOUSE_NUMBER.match(part)]
    if not numbered:
        return ", ".join(parts)
    street, *rest = parts[numbered[-1] :]
    street = _HOUSE_NUMBER.sub("", street)
    return ", ".join(([street] if any(character.isalpha() for character in street) else []) + rest)


def _iso(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _current_area_ids(user: User) -> QuerySet[AreaMembership]:
    return AreaMembership.objects.current().filter(user=user).values("area")


def _clients(user: User) -> list[dict]:
    clients = (
        clients_of_volunteer(user)
        .select_related(None)
        .only("pk", "first_name", "preferred_name", "last_name", "address")
    )
    return [
        # Named as the report form names them, so that what the phone shows matches.
        {"id": client.pk, "name": f"{client.called} {client.last_name}", "street": street_of(client.address)}
        for client in clients
    ]


def _on_call(areas, now: datetime.datetime) -> list[dict]:
    shifts = (
        OnCallShift.objects.filter(area__in=areas, starts_at__lt=now + ON_CALL_AHEAD, ends_at__gt=now)
        .select_related("area", "team_leader")
        .only("starts_at", "ends_at", "area__name", *(f"team_leader__{f}" for f in _PERSON))
        .order_by("starts_at", "area__name", "pk")
    )
    return [
        {
            "area": shift.area.name,
            "name": _name(shift.team_leader),
            "phone": shift.team_leader.phone,
            "from": _iso(shift.starts_at),
            "until": _iso(shift.ends_at),
        }
        for shift in shifts
    ]


def _contacts(areas) -> list[dict]:
    """The team leaders and coordinators of `areas` who have a phone number, one row per
    person and area: whom to phone when nobody is on call."""
    holds = User.groups.through.objects.filter(user=OuterRef("user"))
    memberships = (
        AreaMembership.objects.current()
        .filter(area__in=areas, user__is_active=True)
        .exclude(user__phone="")
        .annotate(
            is_team_leader=Exists(holds.filter(group__name=Role.TEAM_LEADER)),
            is_coordinator=Exists(holds.filter(group__name=Role.COORDINATOR)),
        )
        .filter(Q(is_team_leader=True) | Q(is_coordinator=True))
        .select_related("area", "user")
        .only("area__name", *(f"user__{f}" for f in _PERSON))
        .order_by("area__name", "user__last_name", "user__first_name", "pk")
    )
    return [
        {
            "area": membership.area.name,
            "name": _name(membership.user),
            "role": Role.TEAM_LEADER.label if membership.is_team_leader else Role.COORDINATOR.label,
            "phone": membership.user.phone,
        }
        for membership in memberships
    ]


_PERSON = ("first_name", "last_name", "username", "phone")


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def phone_data_for(user: User) -> dict:
    """Everything the volunteer's phone keeps, as the phone's JSON has it (without the
    CSRF token, which the view adds)."""
    now = timezone.now()
    areas = _current_area_ids(user)
    return {
        "user": {"id": user.pk, "name": _name(user)},
        "clients": _clients(user),
        "on_call": _on_call(areas, now),
        "contacts": _contacts(areas),
        "refreshed_at": _iso(now),
    }
