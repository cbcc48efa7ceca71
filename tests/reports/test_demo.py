"""The reports' demo story (livingwell.reports.demo), as `seed_demo` makes it: what mona and
cora see on the dashboard, the finished Alverton trial, and a history that keeps the rules
of a concern's life."""

import datetime
import io
import itertools

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from clients.models import Allocation
from livingwell.accounts.models import Route, User
from livingwell.notifications.models import Notification
from livingwell.reports import selectors
from livingwell.reports.dashboard import build_dashboard
from livingwell.reports.models import CardWriterRole, Trial, TrialDecision, TrialModel
from livingwell.reports.periods import ReportPeriod, preset_period
from livingwell.reports.scope import report_scope_for
from livingwell.reports.selectors import ConcernFilter
from meetings.models import MeetingKind
from risks.models import RiskReport, Severity, Status, target_for
from risks.services import ALLOWED

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Every step the services allow: (from, to).
REACHES = {
    "triage": Status.TRIAGED,
    "escalate": Status.ESCALATED,
    "record_outcome": Status.OUTCOME_RECORDED,
    "close": Status.CLOSED,
    "reopen": Status.TRIAGED,
}
TRANSITIONS = {(state, REACHES[action]) for action, states in ALLOWED.items() for state in states}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, made once for this module's tests (which only read it) and undone
    after them."""
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHING),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def routes_table(user: User, period: ReportPeriod):
    dashboard = build_dashboard(report_scope_for(user), period)
    table = next(table for table in dashboard.tables if table.key == "routes")
    return {
        row.label: dict(zip([column.key for column in table.columns], row.cells, strict=True))
        for row in table.rows
    }


FORMAL, COFFEE, PHONE, MDT = (
    "Formal monthly meeting",
    "Coffee morning",
    "Team leader phone line",
    "GP practice Multi-Disciplinary Team meeting",
)


@pytest.mark.parametrize("username", ["mona", "cora"])
def test_over_the_last_12_months_the_formal_meeting_is_slower_to_first_action_than_the_phone_line(
    demo, db, username
):
    routes = routes_table(User.objects.get(username=username), preset_period("last_12_months"))
    hours = {route: cells["action_median"].value for route, cells in routes.items()}

    assert 7 * 24 <= hours[FORMAL] <= 21 * 24, hours  # it waits for the monthly meeting
    assert hours[PHONE] <= 8, hours  # the team leader acts within hours
    assert hours[FORMAL] > 20 * hours[PHONE]
    assert 3 * 24 <= hours[MDT] <= 12 * 24, hours  # the fortnightly meeting: a week or so
    if username == "mona":  # Central Cornwall's coffee mornings are hers, not cora's
        assert 18 <= hours[COFFEE] <= 3 * 24, hours
        assert hours[PHONE] < hours[COFFEE] < hours[MDT] < hours[FORMAL]
    # Every route was used, and nothing a manager sees over a year is hidden.
    for route in [FORMAL, PHONE, MDT] + ([COFFEE] if username == "mona" else []):
        assert routes[route]["concerns"].value >= 50, route
        assert not routes[route]["action_median"].suppressed


def test_a_manager_sees_most_months_counts_per_route_and_area_not_suppressed(demo, db):
    mona = User.objects.get(username="mona")
    scope = report_scope_for(mona)
    assert {area.name for area in scope.areas} == {"West Cornwall", "Central Cornwall"}
    this_month = timezone.localdate().replace(day=1)
    route_cells, area_cells = [], []
    for back in range(1, 13):
        first = this_month - relativedelta(months=back)
        period = ReportPeriod(first, first + relativedelta(months=1) - datetime.timedelta(days=1))
        tables = {table.key: table for table in build_dashboard(scope, period).tables}
        route_cells += [row.cells[0] for row in tables["routes"].rows if not row.is_total]
        area_cells += [row.cells[0] for row in tables["areas"].rows if not row.is_total]

    assert len(route_cells) == 12 * 4
    assert len(area_cells) == 12 * 2
    # At most 1 month-and-route in 10 is small; each small one takes a partner with it
    # (withheld, so that the month's total does not give it away).
    small = [cell for cell in route_cells if cell.text == "fewer than 5"]
    shown = [cell for cell in route_cells if not cell.suppressed and cell.value >= 5]
    assert len(small) <= 0.1 * len(route_cells), [cell.text for cell in route_cells]
    assert len(shown) >= 0.8 * len(route_cells), [cell.text for cell in route_cells]
    assert all(not cell.suppressed and cell.value >= 5 for cell in area_cells), [
        cell.text for cell in area_cells
    ]


def test_the_alverton_trial_has_ended_with_cards_from_every_kind_of_person_and_a_decision(demo, db):
    trial = Trial.objects.select_related("practice", "decided_by").get()
    today = timezone.localdate()

    assert trial.model == TrialModel.VOLUNTEERS_AT_MDT
    assert trial.practice.name == "Alverton Practice"
    assert trial.has_ended()
    assert trial.ends_on == today.replace(day=1) - datetime.timedelta(days=1)  # last month
    assert trial.length.days >= 89  # three months
    assert trial.baseline_ends_on == trial.starts_on - datetime.timedelta(days=1)
    assert trial.decision == TrialDecision.EXTEND
    assert trial.decision_reason
    assert trial.decided_by.username == "mona"
    assert trial.decided_at <= timezone.now()

    cards = list(trial.cards.all())
    roles = {card.writer_role for card in cards}
    assert {
        CardWriterRole.BOARD_MEMBER,
        CardWriterRole.COORDINATOR,
        CardWriterRole.VOLUNTEER,
        CardWriterRole.CLINICIAN,
        CardWriterRole.MDT_CHAIR,
    } <= roles
    assert sum(card.writer_role == CardWriterRole.BOARD_MEMBER for card in cards) >= 2
    assert all(card.entered_by.username == "mona" for card in cards if card.writer_role == "board_member")
    assert all(card.opportunities and card.limitations for card in cards)
    assert all(card.written_at <= trial.decided_at for card in cards)
    clinicians = {card.entered_by.username for card in cards if card.writer_role == CardWriterRole.CLINICIAN}
    assert "nina" in clinicians


def test_during_the_trial_volunteers_presented_at_the_alverton_meeting_and_the_figures_moved(demo, db):
    trial = Trial.objects.select_related("practice").get()
    during = ReportPeriod(trial.starts_on, trial.ends_on)
    before = ReportPeriod(trial.baseline_starts_on, trial.baseline_ends_on)
    assert before == during.before()
    mdt = ConcernFilter((trial.practice.area_id,), (trial.practice_id,), (Route.MDT,))

    meetings = {
        period: selectors.meeting_figures(mdt, period)[MeetingKind.MDT] for period in (before, during)
    }
    assert meetings[before].held >= 5
    assert meetings[during].held >= 5
    assert meetings[before].items_presented_by_volunteers == 0
    assert meetings[before].volunteer_attendances == 0
    assert meetings[during].items_presented_by_volunteers >= 10
    assert meetings[during].volunteer_attendances >= 5
    assert meetings[during].clinician_attendances >= 5

    journeys = {period: selectors.journey_figures(mdt, period).total for period in (before, during)}
    assert journeys[during].concerns > journeys[before].concerns
    assert journeys[during].to_outcome[0] < journeys[before].to_outcome[0]


def test_the_history_keeps_the_rules_of_a_concerns_life(demo, db):
    now = timezone.now()
    risks = RiskReport.objects.select_related("area", "client").prefetch_related("events")
    visits = {}
    for client_id, user_id, started, ended in Allocation.objects.values_list(
        "client_id", "volunteer__user_id", "started_on", "ended_on"
    ):
        visits.setdefault((client_id, user_id), []).append((started, ended))
    assert risks.count() >= 800

    for risk in risks:
        events = list(risk.events.all())
        where = f"concern {risk.pk}"
        assert (events[0].from_status, events[0].to_status) == ("", Status.REPORTED), where
        assert events[0].at == risk.reported_at, where
        assert risk.observed_at < risk.reported_at, where
        assert all(a.at <= b.at for a, b in itertools.pairwise(events)), where
        assert events[-1].at <= now, where
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status, where
            assert (after.from_status, after.to_status) in TRANSITIONS, where
        assert risk.status == events[-1].to_status, where
        reopened = [
            e
            for e in events
            if e.from_status in (Status.CLOSED, Status.OUTCOME_RECORDED) and e.to_status == Status.TRIAGED
        ]
        due_from = reopened[-1].at if reopened else risk.reported_at
        assert risk.due_at == due_from + target_for(risk.severity), where
        assert (risk.closed_at is not None) == (risk.status == Status.CLOSED), where
        if risk.escalated_at:
            assert risk.escalated_at == min(e.at for e in events if e.to_status == Status.ESCALATED), where
        if risk.status != Status.REPORTED:
            assert risk.owner_id, where
        assert risk.area_id == risk.client.area_id, where
        assert risk.area.allows(risk.route), where
        if risk.severity == Severity.URGENT:
            assert risk.route == Route.TEAM_LEADER_PHONE, where
        volunteer = risk.on_behalf_of_id or risk.reported_by_id
        day = timezone.localdate(risk.reported_at)
        assert any(
            started <= day and (ended is None or day < ended)
            for started, ended in visits.get((risk.client_id, volunteer), [])
        ), f"{where}: raised by someone not visiting the client then"

    # The Multi-Disciplinary Team meeting route is used in West Cornwall (its agreement
    # and agendas are checked in tests/accounts/test_seed_demo.py).
    assert RiskReport.objects.filter(area__name="West Cornwall", route=Route.MDT).count() >= 100

    # Some are reopened, some still open, a few overdue now: not a backlog.
    assert RiskReport.objects.filter(
        events__from_status=Status.CLOSED, events__to_status=Status.TRIAGED
    ).exists()
    assert RiskReport.objects.open().count() >= 20
    overdue = RiskReport.objects.filter(status__in=[Status.REPORTED, Status.TRIAGED], due_at__lt=now)
    assert 1 <= overdue.count() <= 15

    # Nothing waits to be sent: the volunteers' good news was delivered (and read) long ago.
    assert not Notification.objects.filter(delivered_at__isnull=True).exists()
    news = Notification.objects.filter(kind=Notification.Kind.GOOD_NEWS, recipient__username="vera")
    assert news.filter(created_at__year=timezone.localdate().year).count() >= 5


def test_seeding_again_makes_nothing_twice(demo, db, settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = FAST_HASHING
    models = [
        "accounts.User",
        "accounts.AreaMembership",
        "volunteers.Volunteer",
        "clients.Client",
        "clients.Allocation",
        "clients.Consent",
        "risks.RiskReport",
        "risks.RiskEvent",
        "risks.Referral",
        "risks.Outcome",
        "meetings.Meeting",
        "meetings.AgendaItem",
        "meetings.Attendance",
        "meetings.Action",
        "notifications.Notification",
        "stories.SuccessStory",
        "reports.Trial",
        "reports.FeedbackCard",
    ]
    counts = {name: apps.get_model(name).objects.count() for name in models}
    assert counts["risks.RiskReport"] >= 800
    assert counts["reports.Trial"] == 1

    call_command("seed_demo", stdout=io.StringIO())

    assert {name: apps.get_model(name).objects.count() for name in models} == counts
