"""Coffee mornings: concerns raised there are recorded on the volunteer's behalf with the
coffee morning route; nothing leaves without an owner and a due date; the themes name no
client; unfinalised sessions are chased once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from livingwell.accounts.models import Route
from livingwell.notifications.models import Notification
from meetings import services
from meetings.models import AgendaItemResult, AttendanceResponse, AttendanceRole, MeetingKind, MeetingStatus
from risks.models import RiskReport, Severity, Status
from tests.support.concurrency import at_once


@pytest.fixture
def raise_concern(world):
    """raise_concern(meeting, client=Elsie, volunteer=Vera, by=Cora) through the service."""

    def raise_(meeting, client=None, volunteer=None, by=None):
        return services.coffee_concern_raise(
            meeting=meeting,
            by=by or world.coordinator,
            volunteer=volunteer or world.volunteer,
            client=client or world.elsie,
            category=world.falls,
            severity=Severity.MEDIUM,
            what_was_seen="She has had two falls on the stairs this month.",
            observed_at=timezone.now() - datetime.timedelta(days=4),
        )

    return raise_


def test_concern_raised_at_a_coffee_morning_is_recorded_on_the_volunteers_behalf(
    world, coffee_morning, raise_concern
):
    item = raise_concern(coffee_morning)

    risk = item.risk
    assert risk.route == Route.COFFEE_MORNING
    assert risk.status == Status.REPORTED
    assert (risk.reported_by, risk.on_behalf_of, risk.volunteer) == (
        world.coordinator,
        world.volunteer,
        world.volunteer,
    )
    assert (
        risk.events.get().note == f"Raised by Vera Pascoe at the coffee morning of {coffee_morning.day_label}"
    )
    assert (item.meeting, item.client, item.presenter, item.result) == (
        coffee_morning,
        world.elsie,
        world.volunteer,
        AgendaItemResult.RAISED,
    )
    attendance = coffee_morning.attendances.get(person=world.volunteer)
    assert (attendance.role, attendance.response) == (AttendanceRole.VOLUNTEER, AttendanceResponse.ATTENDED)


def test_raising_a_concern_records_the_volunteer_as_attending_when_they_were_not_invited(
    world, coffee_morning, raise_concern
):
    raise_concern(coffee_morning, client=world.jack, volunteer=world.other_volunteer)

    attendance = coffee_morning.attendances.get(person=world.other_volunteer)
    assert (attendance.role, attendance.response) == (AttendanceRole.VOLUNTEER, AttendanceResponse.ATTENDED)


def test_a_concern_about_a_client_the_volunteer_does_not_visit_is_refused(
    world, coffee_morning, raise_concern
):
    with pytest.raises(ValidationError, match="does not visit"):
        raise_concern(coffee_morning, client=world.jack, volunteer=world.volunteer)

    assert not RiskReport.objects.exists()
    assert not coffee_morning.items.exists()


def test_a_concern_about_a_client_of_another_area_is_refused(world, coffee_morning, raise_concern):
    with pytest.raises(ValidationError, match="not a client of West Cornwall"):
        raise_concern(coffee_morning, client=world.morwenna, volunteer=world.east_volunteer)

    assert not RiskReport.objects.exists()


@pytest.mark.parametrize("person", ["other_coordinator", "team_leader", "volunteer", "mdt_chair", "manager"])
def test_only_who_runs_the_coffee_morning_records_its_concerns(world, coffee_morning, raise_concern, person):
    with pytest.raises(PermissionDenied):
        raise_concern(coffee_morning, by=getattr(world, person))

    assert not RiskReport.objects.exists()
    assert not coffee_morning.items.exists()


def test_concerns_are_raised_this_way_at_coffee_mornings_only(world, planned_formal_meeting, raise_concern):
    with pytest.raises(ValidationError, match="coffee mornings only"):
        raise_concern(planned_formal_meeting)

    assert not RiskReport.objects.exists()


def test_minutes_cannot_be_finalised_while_a_raised_concern_has_no_owner_and_due_date(
    world, coffee_morning, raise_concern, today
):
    item = raise_concern(coffee_morning)
    services.meeting_mark_held(meeting=coffee_morning, by=world.coordinator)
    # An action agreed at the session that is not about the concern does not count.
    services.action_add(
        meeting=coffee_morning,
        by=world.coordinator,
        what="Book the hall for next month.",
        owner=world.coordinator,
        due_on=today + datetime.timedelta(days=5),
    )

    with pytest.raises(ValidationError, match="Falls and mobility concern about Elsie Trewin"):
        services.meeting_finalise(meeting=coffee_morning, by=world.coordinator)

    coffee_morning.refresh_from_db()
    assert coffee_morning.status == MeetingStatus.HELD
    assert coffee_morning.finalised_at is None

    services.action_add(
        meeting=coffee_morning,
        by=world.coordinator,
        item=item,
        what="Ask the falls team to visit.",
        owner=world.coordinator,
        due_on=today + datetime.timedelta(days=7),
    )
    services.meeting_finalise(meeting=coffee_morning, by=world.coordinator)

    coffee_morning.refresh_from_db()
    assert coffee_morning.status == MeetingStatus.FINALISED
    assert coffee_morning.finalised_by == world.coordinator


def test_an_action_needs_an_owner(world, coffee_morning, raise_concern, today):
    item = raise_concern(coffee_morning)

    with pytest.raises(ValidationError, match="Choose who owns the action"):
        services.action_add(
            meeting=coffee_morning, by=world.coordinator, item=item, what="Ring her.", due_on=today
        )

    assert not item.actions.exists()


def test_minutes_are_finalised_only_once_the_meeting_is_held(world, coffee_morning):
    with pytest.raises(ValidationError, match="Mark the meeting as held"):
        services.meeting_finalise(meeting=coffee_morning, by=world.coordinator)

    coffee_morning.refresh_from_db()
    assert coffee_morning.status == MeetingStatus.PLANNED


@pytest.mark.parametrize(
    "name",
    ["Trewin", "TREWIN", "(Trewin)", "Trewin's", "Trewin\u2019s"],
)
def test_themes_naming_a_client_of_the_area_are_refused_unless_the_names_are_checked(
    world, coffee_morning, name
):
    notes = f"Winter fuel payments; {name} garden gate; scams at the door."

    with pytest.raises(services.ClientNamesFound) as refused:
        services.meeting_notes_save(meeting=coffee_morning, by=world.coordinator, notes=notes)

    assert refused.value.names == ["Trewin"]
    assert "Trewin" in refused.value.messages[0]
    coffee_morning.refresh_from_db()
    assert coffee_morning.notes == ""

    services.meeting_notes_save(meeting=coffee_morning, by=world.coordinator, notes=notes, names_checked=True)

    coffee_morning.refresh_from_db()
    assert coffee_morning.notes == notes


def test_themes_without_a_clients_name_are_saved(world, coffee_morning):
    # Penrose is a client of East Cornwall, not of this area; "trewint" is not "Trewin".
    notes = "Walking group at Penrose; the Trewint footpath; heating grants."

    services.meeting_notes_save(meeting=coffee_morning, by=world.coordinator, notes=notes)

    coffee_morning.refresh_from_db()
    assert coffee_morning.notes == notes


def reminders(person):
    return Notification.objects.filter(
        recipient=person, kind=Notification.Kind.REMINDER, title__startswith="Finalise the minutes"
    )


def test_the_chair_is_reminded_once_of_a_coffee_morning_unfinalised_after_two_days(
    world, coffee_morning, raise_concern, at
):
    raise_concern(coffee_morning)
    yesterday = services.meeting_plan(
        by=world.coordinator,
        kind=MeetingKind.COFFEE_MORNING,
        area=world.west,
        starts_at=at(-1, 10),
        ends_at=at(-1, 11),
        place="The Acorn, Penzance",
    )

    assert services.coffee_mornings_chase_unfinalised() == 1
    assert services.coffee_mornings_chase_unfinalised() == 0

    reminder = reminders(world.coordinator).get()
    assert reminder.link == f"/meetings/{coffee_morning.pk}/"
    assert "need an owner and a due date: 1" in reminder.body
    coffee_morning.refresh_from_db()
    yesterday.refresh_from_db()
    assert coffee_morning.reminded_at is not None
    assert yesterday.reminded_at is None


def test_finalised_and_cancelled_coffee_mornings_are_not_chased(world, coffee_morning, at):
    services.meeting_mark_held(meeting=coffee_morning, by=world.coordinator)
    services.meeting_finalise(meeting=coffee_morning, by=world.coordinator)
    called_off = services.meeting_plan(
        by=world.coordinator,
        kind=MeetingKind.COFFEE_MORNING,
        area=world.west,
        starts_at=at(-5, 10),
        ends_at=at(-5, 11),
        place="The Acorn, Penzance",
    )
    services.meeting_cancel(meeting=called_off, by=world.coordinator, reason="Snow")

    assert services.coffee_mornings_chase_unfinalised() == 0
    assert not reminders(world.coordinator).exists()


@pytest.mark.django_db(transaction=True)
def test_two_chases_at_once_remind_the_chair_once(world, coffee_morning):
    results = at_once(services.coffee_mornings_chase_unfinalised, services.coffee_mornings_chase_unfinalised)

    assert sorted(results) == [0, 1]
    assert reminders(world.coordinator).count() == 1
