"""Planning a meeting: who may plan which kind, which times are refused, and what planning
writes (the meeting, the chair's attendance, an invitation for each invitee)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from livingwell.accounts.roles import Role
from livingwell.notifications.models import Notification
from meetings import services
from meetings.models import Attendance, AttendanceRole, Meeting, MeetingKind, MeetingStatus
from tests.factories import GPPracticeFactory, UserFactory


def plan(by, kind, *, area=None, practice=None, starts_at, ends_at, invitees=()):
    return services.meeting_plan(
        by=by,
        kind=kind,
        area=area,
        practice=practice,
        starts_at=starts_at,
        ends_at=ends_at,
        place="Penzance Library",
        invitees=invitees,
    )


@pytest.mark.parametrize("kind", [MeetingKind.FORMAL, MeetingKind.COFFEE_MORNING])
def test_coordinator_of_the_area_plans_its_formal_meetings_and_coffee_mornings(world, at, kind):
    meeting = plan(
        world.coordinator,
        kind,
        area=world.west,
        starts_at=at(4, 10),
        ends_at=at(4, 12),
        invitees=[(world.volunteer, AttendanceRole.VOLUNTEER)],
    )

    assert meeting.kind == kind
    assert meeting.status == MeetingStatus.PLANNED
    assert (meeting.area, meeting.practice, meeting.chair) == (world.west, None, world.coordinator)
    assert set(meeting.attendances.values_list("person__username", "role")) == {
        ("cora", AttendanceRole.CHAIR),
        ("vera", AttendanceRole.VOLUNTEER),
    }


def test_mdt_chair_plans_their_practices_mdt_meeting_in_its_area(world, at):
    practice = world.elsie.gp_practice

    meeting = plan(world.mdt_chair, MeetingKind.MDT, practice=practice, starts_at=at(4, 9), ends_at=at(4, 10))

    assert (meeting.practice, meeting.area, meeting.chair) == (practice, world.west, world.mdt_chair)
    assert meeting.attendances.get().role == AttendanceRole.CHAIR


@pytest.mark.parametrize(
    "person",
    ["other_coordinator", "team_leader", "volunteer", "manager", "no_role", "mdt_chair", "clinician"],
)
@pytest.mark.parametrize("kind", [MeetingKind.FORMAL, MeetingKind.COFFEE_MORNING])
def test_only_a_coordinator_of_the_area_may_plan_its_formal_meetings_and_coffee_mornings(
    world, at, person, kind
):
    with pytest.raises(PermissionDenied):
        plan(
            getattr(world, person),
            kind,
            area=world.west,
            starts_at=at(4, 10),
            ends_at=at(4, 12),
            invitees=[(world.volunteer, AttendanceRole.VOLUNTEER)],
        )

    assert not Meeting.objects.exists()
    assert not Attendance.objects.exists()
    assert not Notification.objects.filter(kind=Notification.Kind.MEETING).exists()


@pytest.mark.parametrize("person", ["coordinator", "team_leader", "clinician", "manager", "chair_elsewhere"])
def test_only_the_practices_mdt_chair_may_plan_its_mdt_meeting(world, at, person):
    if person == "chair_elsewhere":
        elsewhere = GPPracticeFactory(name="Morrab Surgery", area=world.west)
        someone = UserFactory(username="drmay", roles=[Role.MDT_CHAIR], practices=[elsewhere])
    else:
        someone = getattr(world, person)

    with pytest.raises(PermissionDenied):
        plan(
            someone,
            MeetingKind.MDT,
            practice=world.elsie.gp_practice,
            starts_at=at(4, 9),
            ends_at=at(4, 10),
            invitees=[(world.clinician, AttendanceRole.CLINICIAN)],
        )

    assert not Meeting.objects.exists()
    assert not Notification.objects.filter(kind=Notification.Kind.MEETING).exists()


def test_an_mdt_chair_whose_membership_has_ended_may_no_longer_plan(world, at, today):
    world.mdt_chair.practice_memberships.update(ended_on=today)

    with pytest.raises(PermissionDenied):
        plan(
            world.mdt_chair,
            MeetingKind.MDT,
            practice=world.elsie.gp_practice,
            starts_at=at(4, 9),
            ends_at=at(4, 10),
        )

    assert not Meeting.objects.exists()


def aware(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.mark.parametrize(
    ("when", "field"),
    [
        pytest.param(lambda at: (at(4, 12), at(4, 10)), "ends_at", id="end-before-start"),
        pytest.param(lambda at: (at(4, 10), at(4, 10)), "ends_at", id="end-at-start"),
        pytest.param(lambda at: (aware(1, 1, 1, 10), aware(1, 1, 1, 12)), "starts_at", id="year-1"),
        pytest.param(
            lambda at: (aware(9999, 12, 31, 10), aware(9999, 12, 31, 12)), "starts_at", id="year-9999"
        ),
        pytest.param(lambda at: (at(-31, 10), at(-31, 12)), "starts_at", id="more-than-30-days-ago"),
        pytest.param(lambda at: (at(367, 10), at(367, 12)), "starts_at", id="more-than-a-year-ahead"),
        pytest.param(lambda at: (at(4, 8), at(4, 20, 1)), "ends_at", id="longer-than-12-hours"),
        pytest.param(lambda at: (at(4, 10), aware(9999, 12, 31, 10)), "ends_at", id="ends-in-year-9999"),
    ],
)
def test_times_out_of_bounds_are_refused_and_nothing_is_written(world, at, when, field):
    starts_at, ends_at = when(at)

    with pytest.raises(ValidationError) as refused:
        plan(
            world.coordinator,
            MeetingKind.FORMAL,
            area=world.west,
            starts_at=starts_at,
            ends_at=ends_at,
            invitees=[(world.volunteer, AttendanceRole.VOLUNTEER)],
        )

    assert field in refused.value.message_dict
    assert not Meeting.objects.exists()
    assert not Notification.objects.filter(kind=Notification.Kind.MEETING).exists()


def test_a_meeting_of_exactly_twelve_hours_and_one_recorded_after_it_happened_are_allowed(world, at):
    long_day = plan(
        world.coordinator, MeetingKind.FORMAL, area=world.west, starts_at=at(4, 8), ends_at=at(4, 20)
    )
    written_up_later = plan(
        world.coordinator,
        MeetingKind.COFFEE_MORNING,
        area=world.west,
        starts_at=at(-7, 10),
        ends_at=at(-7, 11),
    )

    assert long_day.ends_at - long_day.starts_at == datetime.timedelta(hours=12)
    assert written_up_later.starts_at < timezone.now()


def test_rescheduling_checks_the_same_times(world, planned_formal_meeting, at):
    with pytest.raises(ValidationError):
        services.meeting_reschedule(
            meeting=planned_formal_meeting,
            by=world.coordinator,
            starts_at=aware(9999, 12, 31, 10),
            ends_at=aware(9999, 12, 31, 12),
            place="Penzance Library",
        )

    planned_formal_meeting.refresh_from_db()
    assert planned_formal_meeting.starts_at == at(3, 10)
    assert planned_formal_meeting.invitation_sequence == 0


def test_each_invitee_is_sent_an_invitation_with_a_calendar_file(world, planned_formal_meeting):
    invitations = Notification.objects.filter(kind=Notification.Kind.MEETING).order_by("recipient__username")

    assert [notification.recipient.username for notification in invitations] == ["tom", "vera"]
    for notification in invitations:
        assert notification.title.startswith("You are invited: Formal monthly meeting of")
        assert notification.link == f"/meetings/{planned_formal_meeting.pk}/"
        assert notification.attachment_filename == "meeting.ics"
        assert notification.attachment_content_type.startswith("text/calendar; method=REQUEST")
        assert "BEGIN:VCALENDAR" in notification.attachment_content
    # The chair planned it: nobody sends themselves an invitation.
    assert not Notification.objects.filter(recipient=world.coordinator).exists()


def test_a_volunteer_of_another_area_cannot_be_invited_and_nothing_is_written(world, at):
    with pytest.raises(ValidationError, match="not a volunteer in West Cornwall"):
        plan(
            world.coordinator,
            MeetingKind.FORMAL,
            area=world.west,
            starts_at=at(4, 10),
            ends_at=at(4, 12),
            invitees=[
                (world.volunteer, AttendanceRole.VOLUNTEER),
                (world.east_volunteer, AttendanceRole.VOLUNTEER),
            ],
        )

    assert not Meeting.objects.exists()
    assert not Notification.objects.filter(kind=Notification.Kind.MEETING).exists()


def test_clinicians_of_the_areas_practices_can_be_invited_to_formal_meetings_and_coffee_mornings(
    world, planned_formal_meeting, coffee_morning, make_person, east_practice
):
    for meeting in (planned_formal_meeting, coffee_morning):
        services.meeting_invite(
            meeting=meeting, by=world.coordinator, person=world.clinician, role=AttendanceRole.CLINICIAN
        )
    east_nurse = make_person(Role.CLINICIAN, practices=[east_practice])

    with pytest.raises(ValidationError, match="not a clinician at a practice in West Cornwall"):
        services.meeting_invite(
            meeting=planned_formal_meeting,
            by=world.coordinator,
            person=east_nurse,
            role=AttendanceRole.CLINICIAN,
        )

    assert Attendance.objects.filter(person=world.clinician, role=AttendanceRole.CLINICIAN).count() == 2
    assert not Attendance.objects.filter(person=east_nurse).exists()
