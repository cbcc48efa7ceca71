"""Meetings for the access, view and query tests, about the people of the `cast` fixture
(tests/conftest.py). Import the fixtures a module uses from here (`from
tests.meetings.fixtures import meetings_fixture  # noqa: F401` makes the `meetings` fixture
available): only the root conftest may load plugins.

What `meetings` builds, all through the services, as the application would:

- Alverton Practice's next Multi-Disciplinary Team meeting, chaired by Dr Chen, with the
  practice's nurse invited and the agenda published: Elsie Trewin, presented by Vera (every
  condition of the local protocol met), then Jack Nankervis, presented by Victor, then
  Dorothy Angove (consented, nobody presents her). Mabel Bray agreed to be discussed too,
  but is not on the agenda yet. Vera is "a volunteer who attends", Victor
  "a volunteer who attends but not for Elsie". An action for the nurse sits on Elsie's item.
- West Cornwall's next formal meeting, chaired by Cora, with Tom and Vera invited; Vera's
  concern about Elsie and Victor's about Jack gathered on its agenda.
- East Cornwall's next coffee morning, chaired by Cory (another coordinator), Ewan invited.

And the people the authorisation table adds to the cast's columns (`EXTRA_ACTORS`): the
MDT chair of another West practice, a nurse of Alverton Practice who is not invited, and a
West volunteer who attends nothing."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.utils import timezone

from clients.models import ClientUserObjectPermission, ConsentScope
from livingwell.accounts.roles import Role
from livingwell.notifications.models import Notification
from meetings import services
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    AttendanceRole,
    LocalProtocol,
    Meeting,
    MeetingKind,
)
from risks.models import RiskEvent, RiskReport
from tests.factories import (
    ClientFactory,
    ConfidentialityAgreementFactory,
    ConsentFactory,
    GPPracticeFactory,
    UserFactory,
    VolunteerFactory,
)
from tests.risks.factories import RiskReportFactory
from tests.support import access_table

# The columns the meetings tables add to access_table.ACTORS.
EXTRA_ACTORS = ("other_practice_chair", "absent_clinician", "absent_volunteer")
COLUMNS = (*access_table.ACTORS, *EXTRA_ACTORS)

ELSIE_SEEN = "Elsie had a fall on the stairs and could not get up for an hour."
JACK_SEEN = "Jack's kitchen had no food in it and the fridge was off."


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def meeting_cases(table: dict) -> list:
    """`access_table.cases` for the cast's columns, then one case per extra column."""
    width = len(access_table.ACTORS)
    found = access_table.cases({view: row[:width] for view, row in table.items()})
    found += [
        pytest.param(view, actor, expected, id=f"{view}-{actor}")
        for view, row in table.items()
        for actor, expected in zip(EXTRA_ACTORS, row[width:], strict=True)
    ]
    return found


def state() -> dict:
    """Everything a meetings request could change."""
    return {
        "meetings": list(Meeting.objects.order_by("pk").values()),
        "attendances": list(Attendance.objects.order_by("pk").values()),
        "items": list(AgendaItem.objects.order_by("pk").values()),
        "actions": list(Action.objects.order_by("pk").values()),
        "protocols": list(LocalProtocol.objects.order_by("pk").values()),
        "risks": list(RiskReport.objects.order_by("pk").values("pk", "status", "owner", "route")),
        "risk_events": RiskEvent.objects.count(),
        "notifications": Notification.objects.count(),
        "summary_grants": ClientUserObjectPermission.objects.count(),
        "log_entries": LogEntry.objects.count(),
    }


def ready_for_mdt(volunteer) -> None:
    """Opted in to MDT meetings, with the current confidentiality agreement signed."""
    volunteer.mdt_opt_in = True
    volunteer.save(update_fields=["mdt_opt_in"])
    ConfidentialityAgreementFactory(volunteer=volunteer, version=settings.CONFIDENTIALITY_AGREEMENT_VERSION)


def consent(client, scope, by) -> None:
    ConsentFactory(client=client, scope=scope, recorded_by=by)


@pytest.fixture(name="meetings")
def meetings_fixture(cast, world, today):
    chair, nurse, cora, cory = world.mdt_chair, world.clinician, world.coordinator, world.other_coordinator
    # Fixed names for the people whose names the volunteer's page shows, so that a random
    # name can never look like a client's.
    for user, first, last in ((chair, "Wei", "Chen"), (nurse, "Nerys", "Hocking")):
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    practice = world.elsie.gp_practice
    vera, victor = world.volunteer.volunteer, world.other_volunteer.volunteer

    # Consent: Elsie's to be discussed comes with the cast; each client presented by their
    # volunteer also agreed to that. Dorothy agreed to be discussed only.
    dorothy = ClientFactory(first_name="Dorothy", last_name="Angove", gp_practice=practice)
    mabel = ClientFactory(first_name="Mabel", last_name="Bray", gp_practice=practice)
    consent(world.elsie, ConsentScope.VOLUNTEER_AT_MDT, cora)
    for client in (world.jack, dorothy, mabel):
        consent(client, ConsentScope.SHARE_WITH_MDT, cora)
    consent(world.jack, ConsentScope.VOLUNTEER_AT_MDT, cora)
    for volunteer in (vera, victor):
        ready_for_mdt(volunteer)
    services.protocol_publish(
        practice=practice, by=chair, text="Volunteers come for their own client only and leave after."
    )

    formal = services.meeting_plan(
        by=cora,
        kind=MeetingKind.FORMAL,
        area=world.west,
        starts_at=local(today + datetime.timedelta(days=3), 14),
        ends_at=local(today + datetime.timedelta(days=3), 16),
        place="Penzance Library",
        invitees=[
            (world.team_leader, AttendanceRole.TEAM_LEADER),
            (world.volunteer, AttendanceRole.VOLUNTEER),
        ],
    )
    # Both concerns are routed to the formal meeting (the area's default) and join its agenda.
    elsie_risk = RiskReportFactory(
        client=world.elsie, reported_by=world.volunteer, category=world.falls, what_was_seen=ELSIE_SEEN
    )
    jack_risk = RiskReportFactory(
        client=world.jack, reported_by=world.other_volunteer, category=world.falls, what_was_seen=JACK_SEEN
    )
    east = services.meeting_plan(
        by=cory,
        kind=MeetingKind.COFFEE_MORNING,
        area=world.east,
        starts_at=local(today + datetime.timedelta(days=4), 10, 30),
        ends_at=local(today + datetime.timedelta(days=4), 12),
        place="Liskeard Public Hall",
        invitees=[(world.east_volunteer, AttendanceRole.VOLUNTEER)],
    )

    mdt = services.meeting_plan(
        by=chair,
        kind=MeetingKind.MDT,
        practice=practice,
        starts_at=local(today + datetime.timedelta(days=6), 10),
        ends_at=local(today + datetime.timedelta(days=6), 11, 30),
        place="Alverton Practice, meeting room 2",
        invitees=[(nurse, AttendanceRole.CLINICIAN)],
    )
    elsie_item = services.mdt_agenda_add(
        meeting=mdt, by=chair, client=world.elsie, risk=elsie_risk, minutes=15
    )
    jack_item = services.mdt_agenda_add(meeting=mdt, by=chair, client=world.jack, risk=jack_risk)
    dorothy_item = services.mdt_agenda_add(meeting=mdt, by=chair, client=dorothy)
    services.mdt_volunteer_confirm(item=elsie_item, by=chair, volunteer=vera)
    services.mdt_volunteer_confirm(item=jack_item, by=chair, volunteer=victor)
    services.mdt_agenda_publish(meeting=mdt, by=chair)
    action = services.action_add(
        meeting=mdt,
        by=chair,
        item=elsie_item,
        what="Book a falls assessment.",
        owner=nurse,
        due_on=today + datetime.timedelta(days=14),
    )

    other_practice = GPPracticeFactory(name="Morrab Surgery", area=world.west)
    extra = {
        "other_practice_chair": UserFactory(
            username="drpascoe", roles=[Role.MDT_CHAIR], practices=[other_practice]
        ),
        "absent_clinician": UserFactory(username="nurse2", roles=[Role.CLINICIAN], practices=[practice]),
        "absent_volunteer": VolunteerFactory(
            user__username="wendy", user__first_name="Wendy", user__last_name="Rowe", areas=[world.west]
        ).user,
    }
    for item in (elsie_item, jack_item, dorothy_item):
        item.refresh_from_db()
    return SimpleNamespace(
        people={**cast.people, **extra},
        world=world,
        mdt=mdt,
        formal=formal,
        east=east,
        practice=practice,
        other_practice=other_practice,
        dorothy=dorothy,
        mabel=mabel,
        elsie_item=elsie_item,
        jack_item=jack_item,
        dorothy_item=dorothy_item,
        elsie_risk=elsie_risk,
        jack_risk=jack_risk,
        action=action,
    )
