"""seed_scale: made-up people in bulk, valid as the application's own rules would make
them, and never on live data or in the demo accounts' database unless told."""

import pytest
from django.core.management import CommandError, call_command

from clients.models import Allocation, Client
from livingwell.accounts.models import User


def test_seed_scale_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("seed_scale", "--risks", "200")


def test_seed_scale_refuses_the_demo_accounts_database_unless_told(db, settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo")
    with pytest.raises(CommandError, match="demo accounts"):
        call_command("seed_scale", "--risks", "200")
    assert not User.objects.filter(username__startswith="scale-").exists()


def test_seed_scale_makes_visits_a_volunteer_may_open_in_their_own_area(db, settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_scale", "--risks", "2000")

    assert User.objects.filter(username__startswith="scale-volunteer-").count() == 10
    assert Client.objects.count() == 100
    current = Allocation.objects.current().select_related("volunteer__user", "client")
    assert current.count() == 40
    for allocation in current:
        user = allocation.volunteer.user
        assert Client.objects.allocated_to(user).filter(pk=allocation.client_id).exists()
        assert user.area_memberships.filter(area=allocation.client.area).exists()
    ended = Allocation.objects.exclude(pk__in=current).select_related("volunteer__user")
    assert not any(
        Client.objects.allocated_to(allocation.volunteer.user).filter(pk=allocation.client_id).exists()
        for allocation in ended
        if not current.filter(volunteer=allocation.volunteer, client=allocation.client).exists()
    )
    with pytest.raises(CommandError, match="scale data already"):
        call_command("seed_scale", "--risks", "2000")


def test_seed_scale_concerns_keep_the_rules_of_a_concerns_life(db, settings):
    from django.db import connection

    from risks.models import Outcome, RiskEvent, RiskReport

    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_scale", "--risks", "2000")

    assert 1800 <= RiskReport.objects.count() <= 2000
    assert (
        RiskEvent.objects.filter(from_status="", to_status="reported").count() == RiskReport.objects.count()
    )
    with connection.cursor() as cursor:
        # The status is the last event's; the reporter visits (or visited) the client; the
        # area is the client's; each outcome belongs to a concern that reached that step.
        cursor.execute(
            """
            SELECT count(*) FROM risks_riskreport AS r
            WHERE r.status <> (SELECT e.to_status FROM risks_riskevent AS e WHERE e.risk_id = r.id
                               ORDER BY e.at DESC, e.id DESC LIMIT 1)
               OR r.area_id <> (SELECT c.area_id FROM clients_client AS c WHERE c.id = r.client_id)
               OR NOT EXISTS (SELECT 1 FROM clients_allocation AS a
                              JOIN volunteers_volunteer AS v ON v.id = a.volunteer_id
                              WHERE a.client_id = r.client_id AND v.user_id = r.reported_by_id)
            """
        )
        assert cursor.fetchone()[0] == 0
    assert not Outcome.objects.filter(risk__status__in=["reported", "triaged", "escalated"]).exists()
    assert set(RiskReport.objects.values_list("status", flat=True)) >= {"reported", "triaged", "closed"}


def test_seed_scale_meetings_discuss_their_areas_concerns(db, settings):
    from meetings.models import AgendaItem, Attendance, Meeting

    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_scale", "--risks", "2000")

    assert set(Meeting.objects.values_list("kind", flat=True)) == {"formal", "coffee_morning", "mdt"}
    assert Attendance.objects.filter(role="chair").count() == Meeting.objects.count()
    items = AgendaItem.objects.filter(meeting__kind="formal").select_related("meeting", "risk")
    assert items.exists()
    for item in items:
        assert item.risk.area_id == item.meeting.area_id
        assert item.risk.route == "formal_meeting"
        assert item.risk.reported_at < item.meeting.starts_at


def test_seed_scale_plans_the_coming_meetings_and_an_on_call_rota_led_by_each_areas_team_leaders(
    db, settings
):
    from livingwell.accounts.models import Area
    from meetings.models import AgendaItem, Attendance, Meeting
    from meetings.services.formal import next_formal_meeting
    from risks.services import on_call_now, on_call_people, team_leaders_of

    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_scale", "--risks", "2000")

    planned = Meeting.objects.filter(status="planned")
    assert planned.exists()
    assert not planned.filter(held_at__isnull=False).exists()
    assert not planned.filter(finalised_at__isnull=False).exists()
    assert set(Attendance.objects.filter(meeting__in=planned).values_list("response", flat=True)) == {
        "invited"
    }
    assert not AgendaItem.objects.filter(meeting__in=planned).exclude(result="").exists()
    assert not Meeting.objects.filter(status="finalised", held_at__isnull=True).exists()
    for area in Area.objects.all():
        leaders = set(team_leaders_of(area))
        assert len(leaders) >= 2
        shift = on_call_now(area)
        assert shift is not None
        assert shift.team_leader in leaders
        assert shift.backup in leaders
        assert on_call_people(area) == [shift.team_leader]
        if area.default_route == "formal_meeting":
            assert next_formal_meeting(area) is not None


def test_seed_scale_drafts_each_practices_next_mdt_agenda_with_clients_who_agreed_to_it(db, settings):
    from clients.models import Consent, ConsentScope
    from meetings.models import AgendaItem, Meeting
    from meetings.scale import MDT_AGENDA_ITEMS

    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_scale", "--risks", "20000")

    planned = Meeting.objects.filter(kind="mdt", status="planned").order_by("practice", "starts_at")
    next_of_practice = {}
    for meeting in planned:
        next_of_practice.setdefault(meeting.practice_id, meeting)
    assert next_of_practice
    for meeting in next_of_practice.values():
        items = list(AgendaItem.objects.filter(meeting=meeting).select_related("client", "risk"))
        assert 1 <= len(items) <= MDT_AGENDA_ITEMS
        assert meeting.agenda_published_at is None
        assert len({item.client_id for item in items}) == len(items)
        for item in items:
            assert item.client.gp_practice_id == meeting.practice_id
            assert item.risk.client_id == item.client_id
            assert item.risk.severity in {"high", "urgent"}
            assert item.result == ""
            assert (
                Consent.objects.active()
                .filter(client=item.client, scope=ConsentScope.SHARE_WITH_MDT)
                .exists()
            )
    later = planned.exclude(pk__in=[meeting.pk for meeting in next_of_practice.values()])
    assert not AgendaItem.objects.filter(meeting__in=later).exists()


def test_seed_scale_gives_most_volunteers_a_dbs_check_as_recording_one_would(db, settings):
    import datetime

    from django.utils import timezone

    from volunteers.models import DBSCheck, Volunteer
    from volunteers.services import three_years_after

    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_scale", "--risks", "20000")

    today = timezone.localdate()
    checks = list(DBSCheck.objects.all())
    assert 0.9 * Volunteer.objects.count() <= len(checks) < Volunteer.objects.count()
    assert len({check.volunteer_id for check in checks}) == len(checks)
    for check in checks:
        assert today - datetime.timedelta(days=3 * 366) < check.checked_on <= today
        assert check.renewal_due_on == three_years_after(check.checked_on)
