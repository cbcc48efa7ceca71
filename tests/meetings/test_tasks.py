"""The scheduled tasks of meetings, run directly (not through a worker): each calls its
service, and running it again does no harm."""

from django.conf import settings as django_settings

from clients.access import holds_mdt_summary
from livingwell.notifications.models import Notification
from meetings import services, tasks
from meetings.models import AttendanceRole, MeetingKind


def test_the_chase_task_reminds_the_chair_of_an_unfinalised_coffee_morning_once(world, coffee_morning):
    assert tasks.chase_unfinalised_coffee_mornings() == 1
    assert tasks.chase_unfinalised_coffee_mornings() == 0

    reminder = Notification.objects.get(recipient=world.coordinator, kind=Notification.Kind.REMINDER)
    assert reminder.title.startswith("Finalise the minutes: Coffee morning of")
    coffee_morning.refresh_from_db()
    assert coffee_morning.reminded_at is not None


def test_the_expiry_task_ends_summary_access_past_its_time(
    world, at, consented_client, put_on_agenda, settings
):
    # A meeting held two days ago whose agenda was published: its summaries are held now.
    meeting = services.meeting_plan(
        by=world.mdt_chair,
        kind=MeetingKind.MDT,
        practice=world.elsie.gp_practice,
        starts_at=at(-2, 9),
        ends_at=at(-2, 10),
        place="Alverton Practice",
        invitees=[(world.clinician, AttendanceRole.CLINICIAN)],
    )
    put_on_agenda(meeting, consented_client)
    services.mdt_agenda_publish(meeting=meeting, by=world.mdt_chair)
    assert tasks.end_expired_summary_access() == 1
    assert holds_mdt_summary(world.mdt_chair, consented_client)
    assert holds_mdt_summary(world.clinician, consented_client)

    # Were access to last a day only, two days on it has ended.
    settings.MDT_SUMMARY_ACCESS_DAYS = 1
    assert tasks.end_expired_summary_access() == 1

    assert not holds_mdt_summary(world.mdt_chair, consented_client)
    assert not holds_mdt_summary(world.clinician, consented_client)
    # Nobody holds a grant now, so there is nothing left to check.
    assert tasks.end_expired_summary_access() == 0


def test_the_beat_runs_both_tasks():
    scheduled = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}

    assert tasks.chase_unfinalised_coffee_mornings.name in scheduled
    assert tasks.end_expired_summary_access.name in scheduled
