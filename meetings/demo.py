"""Demo meetings of every kind, made through the services (so agendas gather, access is
granted and invitations are sent as in real use). Idempotent: nothing is added once any
meeting exists.

- West Cornwall: last month's formal meeting (held, decisions recorded, minutes finalised)
  and the next one, whose agenda gathered the open concerns routed to it.
- East Cornwall: the next formal meeting.
- Central Cornwall: a coffee morning with concerns raised and owned (finalised), one held
  this week still to finalise, and the next one.
- Alverton Practice: last month's MDT meeting, and the next one chaired by drchen with three
  consented clients, one presented by vera (every protocol condition met). The client whose
  consent to be discussed was withdrawn is not on it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from clients.models import Client, ConsentScope
from livingwell.accounts.models import Area, GPPractice, Organisation, PracticeMembership, User
from livingwell.accounts.roles import Role
from meetings import services
from meetings.models import AgendaItemResult, AttendanceResponse, AttendanceRole, Meeting, MeetingKind
from risks.models import RiskCategory, Service, Severity
from volunteers.models import Volunteer

PROTOCOL = """Volunteers who attend this meeting:
1. come only for their own client, who has agreed to it, and leave when that client's item is done;
2. have signed the NHS confidentiality agreement, and keep everything they hear confidential;
3. speak about what they have seen at home: they are not asked for, and do not give, clinical opinions;
4. are never asked to present a client they do not visit;
5. tell the chair if they are registered at this practice, so that the chair can decide.
The chair puts volunteers' clients first on the agenda and checks these conditions before each meeting."""


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _nurse(practice: GPPractice) -> User:
    nurse = User.objects.filter(username="nina").first()
    if nurse is None:
        nurse = User(
            username="nina",
            first_name="Nina",
            last_name="Kitto",
            email="nina@example.org",
            organisation=Organisation.objects.filter(name="NHS Kernow").first(),
        )
        nurse.set_password(settings.DEMO_PASSWORD)
        nurse.save()
    nurse.groups.add(Group.objects.get(name=Role.CLINICIAN))
    PracticeMembership.objects.get_or_create(user=nurse, practice=practice, ended_on=None)
    return nurse


def _volunteers(area: Area, count: int) -> list[tuple[User, str]]:
    people = User.objects.filter(volunteer__in=Volunteer.objects.active().in_areas([area])).order_by("pk")
    return [(person, AttendanceRole.VOLUNTEER) for person in people[:count]]


def seed() -> dict[str, int]:
    if Meeting.objects.exists():
        return {"meetings": Meeting.objects.count()}
    west, central, east = (Area.objects.get(name=f"{name} Cornwall") for name in ("West", "Central", "East"))
    cora, colin, esme = (User.objects.get(username=name) for name in ("cora", "colin", "esme"))
    tom, drchen = User.objects.get(username="tom"), User.objects.get(username="drchen")
    alverton = GPPractice.objects.get(name="Alverton Practice")
    nurse = _nurse(alverton)

    # West Cornwall: last month's formal meeting, held and finalised, then the next one.
    past = services.meeting_plan(
        by=cora,
        kind=MeetingKind.FORMAL,
        area=west,
        starts_at=_at(-21, 14),
        ends_at=_at(-21, 16),
        place="Penzance Library, Morrab Road, Penzance",
        invitees=[
            (tom, AttendanceRole.TEAM_LEADER),
            (nurse, AttendanceRole.CLINICIAN),
            *_volunteers(west, 3),
        ],
    )
    services.meeting_mark_held(meeting=past, by=cora)
    services.attendance_record(
        meeting=past,
        by=cora,
        responses={attendance.pk: AttendanceResponse.ATTENDED for attendance in past.attendances.all()},
    )
    for index, item in enumerate(past.items.filter(risk__status="reported").select_related("risk")[:3]):
        if index == 2:
            services.agenda_item_conclude(
                item=item,
                by=cora,
                decision=AgendaItemResult.CLOSED,
                reason="Resolved",
                note="Family are helping.",
            )
        else:
            services.agenda_item_conclude(
                item=item,
                by=cora,
                decision=AgendaItemResult.TAKEN,
                note="Cora will ring the client this week.",
            )
    services.meeting_notes_save(
        meeting=past,
        by=cora,
        notes="Winter heating checks; how to spot scams at the door; the new falls clinic in Penzance.",
    )
    services.meeting_finalise(meeting=past, by=cora)
    services.meeting_plan(
        by=cora,
        kind=MeetingKind.FORMAL,
        area=west,
        starts_at=_at(9, 14),
        ends_at=_at(9, 16),
        place="Penzance Library, Morrab Road, Penzance",
        invitees=[
            (tom, AttendanceRole.TEAM_LEADER),
            (nurse, AttendanceRole.CLINICIAN),
            *_volunteers(west, 4),
        ],
    )
    services.meeting_plan(
        by=esme,
        kind=MeetingKind.FORMAL,
        area=east,
        starts_at=_at(12, 10),
        ends_at=_at(12, 12),
        place="Liskeard Public Hall, West Street, Liskeard",
        invitees=_volunteers(east, 3),
    )

    # Central Cornwall: coffee mornings.
    _coffee_morning(colin, central, days=-14, finalise=True)
    _coffee_morning(colin, central, days=-3, finalise=False)
    services.meeting_plan(
        by=colin,
        kind=MeetingKind.COFFEE_MORNING,
        area=central,
        starts_at=_at(11, 10, 30),
        ends_at=_at(11, 12),
        place="The Old Library café, Truro",
        invitees=_volunteers(central, 5),
    )

    # Alverton Practice: the local protocol, last month's MDT meeting and the next one.
    services.protocol_publish(practice=alverton, by=drchen, text=PROTOCOL)
    _mdt(drchen, nurse, alverton)
    return {"meetings": Meeting.objects.count()}


def _coffee_morning(colin: User, central: Area, *, days: int, finalise: bool) -> Meeting:
    meeting = services.meeting_plan(
        by=colin,
        kind=MeetingKind.COFFEE_MORNING,
        area=central,
        starts_at=_at(days, 10, 30),
        ends_at=_at(days, 12),
        place="The Old Library café, Truro",
        invitees=_volunteers(central, 5),
    )
    services.meeting_mark_held(meeting=meeting, by=colin)
    services.meeting_notes_save(
        meeting=meeting,
        by=colin,
        notes="Loneliness over the winter; getting to hospital appointments without a car; "
        "what to say when a client refuses help.",
    )
    raised = 0
    for client in Client.objects.filter(
        area=central, allocations__isnull=False, allocations__ended_on__isnull=True
    ).distinct()[:2]:
        allocation = client.allocations.active().select_related("volunteer__user").first()
        if allocation is None:
            continue
        item = services.coffee_concern_raise(
            meeting=meeting,
            by=colin,
            volunteer=allocation.volunteer.user,
            client=client,
            category=RiskCategory.objects.get(slug="loneliness-isolation" if raised == 0 else "transport"),
            severity=Severity.MEDIUM,
            what_was_seen="Said at the coffee morning: hardly sees anyone since her neighbour moved away."
            if raised == 0
            else "Missed a hospital appointment last week because the bus did not come.",
            observed_at=_at(days - 2, 15),
        )
        raised += 1
        if finalise or raised == 1:
            service = Service.objects.filter(is_active=True, areas=central).order_by("pk").first()
            services.action_add(
                meeting=meeting,
                by=colin,
                item=item,
                what="Phone the client and offer a befriending group.",
                owner=colin if service is None else None,
                service=service,
                due_on=timezone.localdate() + datetime.timedelta(days=7),
            )
    if finalise:
        services.meeting_finalise(meeting=meeting, by=colin)
    return meeting


def _mdt(drchen: User, nurse: User, alverton: GPPractice) -> None:
    vera = Volunteer.objects.get(user__username="vera")
    consented = (
        Client.objects.filter(
            gp_practice=alverton,
            consents__scope=ConsentScope.SHARE_WITH_MDT,
            consents__withdrawn_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )
    presented = (
        consented.filter(
            allocations__volunteer=vera,
            allocations__ended_on__isnull=True,
            consents__scope=ConsentScope.VOLUNTEER_AT_MDT,
        )
        .distinct()
        .first()
    )
    past = services.meeting_plan(
        by=drchen,
        kind=MeetingKind.MDT,
        practice=alverton,
        starts_at=_at(-28, 12, 30),
        ends_at=_at(-28, 13, 30),
        place="Alverton Practice, meeting room 2",
        invitees=[(nurse, AttendanceRole.CLINICIAN)],
    )
    for client in consented.exclude(pk=getattr(presented, "pk", None))[:1]:
        services.mdt_agenda_add(meeting=past, by=drchen, client=client)
    services.mdt_agenda_publish(meeting=past, by=drchen)
    services.meeting_mark_held(meeting=past, by=drchen)
    services.meeting_finalise(meeting=past, by=drchen)

    meeting = services.meeting_plan(
        by=drchen,
        kind=MeetingKind.MDT,
        practice=alverton,
        starts_at=_at(6, 10),
        ends_at=_at(6, 11, 30),
        place="Alverton Practice, meeting room 2",
        invitees=[(nurse, AttendanceRole.CLINICIAN)],
    )
    others = list(consented.exclude(pk=getattr(presented, "pk", None))[:2])
    for client in ([presented] if presented else []) + others:
        risk = client.risks.open().order_by("-reported_at").first()
        item = services.mdt_agenda_add(meeting=meeting, by=drchen, client=client, risk=risk, minutes=15)
        if client == presented:
            services.mdt_volunteer_confirm(item=item, by=drchen, volunteer=vera)
    services.mdt_agenda_publish(meeting=meeting, by=drchen)
