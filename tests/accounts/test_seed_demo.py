import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from livingwell.accounts.models import Area, AreaMembership, GPPractice, Organisation, User

DEMO_ACCOUNTS = ["vera", "victor", "cora", "tom", "drchen", "mona", "admin"]


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="does not run with DEBUG off"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_is_idempotent_and_every_demo_account_signs_in(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (
        User.objects.count(),
        Area.objects.count(),
        GPPractice.objects.count(),
        AreaMembership.objects.count(),
    )
    call_command("seed_demo")
    assert (
        User.objects.count(),
        Area.objects.count(),
        GPPractice.objects.count(),
        AreaMembership.objects.count(),
    ) == counts

    for username in DEMO_ACCOUNTS:
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password=settings.DEMO_PASSWORD), username


def test_seed_demo_makes_the_places_and_roles_the_design_names(db, settings):
    call_command("seed_demo", "--i-know-this-is-not-production")
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Age UK Cornwall",
        "Volunteer Cornwall",
        "NHS Kernow",
    }
    assert set(Area.objects.values_list("name", flat=True)) == {
        "West Cornwall",
        "Central Cornwall",
        "East Cornwall",
    }
    alverton = GPPractice.objects.get(name="Alverton Practice")
    assert alverton.area.name == "West Cornwall"
    assert alverton.mdt_welcomes_volunteers
    for area in Area.objects.all():
        assert area.practices.count() >= 3, area

    roles = {user.username: user.roles for user in User.objects.all()}
    assert roles["vera"] == {"volunteer"}
    assert roles["victor"] == {"volunteer"}
    assert roles["cora"] == {"coordinator"}
    assert roles["tom"] == {"team_leader"}
    assert "mdt_chair" in roles["drchen"]
    assert roles["mona"] == {"manager"}
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="vera").area_memberships.get().area.name == "West Cornwall"
    assert User.objects.get(username="victor").area_memberships.get().area.name == "Central Cornwall"
    assert User.objects.get(username="drchen").practice_memberships.get().practice == alverton


def test_each_app_brings_its_own_demo_data_in_the_order_they_build_on_each_other():
    from livingwell.accounts.management.commands.seed_demo import seeders

    assert [seed.__module__ for seed in seeders()] == [
        "livingwell.accounts.demo",
        "volunteers.demo",
        "clients.demo",
        "risks.demo",
        "meetings.demo",
        "stories.demo",
        "livingwell.reports.demo",
    ]


def test_the_demo_areas_use_the_routes_the_review_describes(db, settings):
    from django.db.models import Exists, OuterRef

    from clients.models import ConsentScope
    from livingwell.accounts.models import Route
    from meetings.models import AgendaItem, MeetingKind
    from risks.models import RiskReport, Severity

    settings.DEBUG = True
    call_command("seed_demo")

    routes = {area.name: area.default_route for area in Area.objects.all()}
    assert routes == {
        "West Cornwall": Route.FORMAL_MEETING,
        "Central Cornwall": Route.COFFEE_MORNING,
        "East Cornwall": Route.FORMAL_MEETING,
    }
    urgent = RiskReport.objects.filter(severity=Severity.URGENT)
    assert urgent.exists()
    assert set(urgent.values_list("route", flat=True)) == {Route.TEAM_LEADER_PHONE}
    # No West concern says "Multi-Disciplinary Team meeting" unless it was sent there: its
    # client agreed to be discussed at their practice's meeting, and once passed on it was
    # on that meeting's agenda.
    west_mdt = RiskReport.objects.filter(area__name="West Cornwall", route=Route.MDT)
    assert not west_mdt.exclude(client__consents__scope=ConsentScope.SHARE_WITH_MDT).exists()
    on_its_agenda = AgendaItem.objects.filter(
        risk=OuterRef("pk"), meeting__kind=MeetingKind.MDT, meeting__practice=OuterRef("client__gp_practice")
    )
    assert not west_mdt.filter(escalated_at__isnull=False).exclude(Exists(on_its_agenda)).exists()
