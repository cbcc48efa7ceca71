"""Meetings for the meetings tests, about the people of the `world` fixture
(tests/conftest.py): Cora coordinates West Cornwall and plans its formal meetings and
coffee mornings; Dr Chen chairs the MDT meeting of Alverton Practice, where Elsie Trewin
(whom Vera visits) is a patient and the nurse is a clinician.

Every meeting is made through `meetings.services`, as the application makes it, at times
read from the clock when the test runs (`at(days, hour)`)."""

import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone

from clients.models import ConsentScope
from clients.services import consent_give
from meetings import services
from meetings.models import AttendanceRole, MeetingKind
from tests.factories import ConfidentialityAgreementFactory


@pytest.fixture
def at():
    """at(days, hour, minute=0): an aware datetime `days` from today at that local time."""

    def moment(days: int, hour: int, minute: int = 0) -> datetime.datetime:
        day = timezone.localdate() + datetime.timedelta(days=days)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    return moment


@pytest.fixture
def planned_formal_meeting(world, at):
    """West Cornwall's next formal meeting, in three days (10:00 to 12:00), planned by Cora,
    with Tom (team leader) and Vera (volunteer) invited. A medium concern reported today is
    due after it starts (7 days), a high one before (24 hours), whatever the time of day."""
    return services.meeting_plan(
        by=world.coordinator,
        kind=MeetingKind.FORMAL,
        area=world.west,
        starts_at=at(3, 10),
        ends_at=at(3, 12),
        place="Penzance Library",
        invitees=[
            (world.team_leader, AttendanceRole.TEAM_LEADER),
            (world.volunteer, AttendanceRole.VOLUNTEER),
        ],
    )


@pytest.fixture
def coffee_morning(world, at):
    """A West Cornwall coffee morning three days ago (10:00 to 11:30), chaired by Cora, to
    which Vera was invited. Still planned: tests mark it held when they need to."""
    return services.meeting_plan(
        by=world.coordinator,
        kind=MeetingKind.COFFEE_MORNING,
        area=world.west,
        starts_at=at(-3, 10),
        ends_at=at(-3, 11, 30),
        place="The Acorn, Penzance",
        invitees=[(world.volunteer, AttendanceRole.VOLUNTEER)],
    )


@pytest.fixture
def mdt_meeting(world, at):
    """Alverton Practice's MDT meeting in five days (09:00 to 10:30), planned by Dr Chen,
    with the practice nurse invited as a clinician."""
    return services.meeting_plan(
        by=world.mdt_chair,
        kind=MeetingKind.MDT,
        practice=world.elsie.gp_practice,
        starts_at=at(5, 9),
        ends_at=at(5, 10, 30),
        place="Alverton Practice, meeting room",
        invitees=[(world.clinician, AttendanceRole.CLINICIAN)],
    )


@pytest.fixture
def give_consent(world, today):
    """give_consent(client, scope=share_with_mdt, by=Cora) records the client's consent as
    their coordinator would."""

    def give(client, scope=ConsentScope.SHARE_WITH_MDT, by=None):
        return consent_give(
            client=client, scope=scope, given_on=today, how_given="verbal", by=by or world.coordinator
        )

    return give


@pytest.fixture
def consented_client(world, give_consent):
    """Elsie, with active consent to be discussed at her practice's MDT meeting."""
    give_consent(world.elsie, ConsentScope.SHARE_WITH_MDT)
    return world.elsie


@pytest.fixture
def put_on_agenda():
    """put_on_agenda(meeting, client, risk=None, minutes=10): the chair puts the client on
    an MDT agenda through the service, and the item is returned."""

    def put(meeting, client, risk=None, minutes=10):
        return services.mdt_agenda_add(
            meeting=meeting, by=meeting.chair, client=client, risk=risk, minutes=minutes
        )

    return put


@pytest.fixture
def protocol(world):
    """Alverton Practice's local protocol, version 1, published by Dr Chen."""
    return services.protocol_publish(
        practice=world.elsie.gp_practice,
        by=world.mdt_chair,
        text="Volunteers come for their own client only and leave when that item is done.",
    )


@pytest.fixture
def vera_may_present(world, mdt_meeting, consented_client, give_consent, put_on_agenda, protocol):
    """Elsie on the MDT agenda with every protocol condition met for Vera to present her:
    Vera visits her, Elsie agreed that Vera may attend, Vera opted in and signed the current
    confidentiality agreement, the practice welcomes volunteers and has a protocol, and
    Vera is not its patient. Tests take one condition away."""
    vera = world.volunteer.volunteer
    vera.mdt_opt_in = True
    vera.save(update_fields=["mdt_opt_in"])
    ConfidentialityAgreementFactory(volunteer=vera, version=settings.CONFIDENTIALITY_AGREEMENT_VERSION)
    volunteer_consent = give_consent(world.elsie, ConsentScope.VOLUNTEER_AT_MDT)
    item = put_on_agenda(mdt_meeting, consented_client)
    return SimpleNamespace(
        meeting=mdt_meeting, item=item, vera=vera, protocol=protocol, volunteer_consent=volunteer_consent
    )
