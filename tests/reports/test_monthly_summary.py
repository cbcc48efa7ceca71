"""The monthly summary (livingwell.reports.summary.monthly_summaries_send and the beat task
livingwell.reports.tasks.send_monthly_summaries): on the first of each month each active
manager is sent last month's headline figures for their organisation, with small numbers
suppressed as on the dashboard and nothing about any client or volunteer, once, however
often the task runs.

The data set: West Cornwall and East Cornwall belong to two organisations. Mona and Max
manage West's, Erin manages East's; Ivan (West's) has been switched off and Lena has left
West's organisation. The summaries are sent as if at 07:00 on the first of next month, so
"last month" is the month the test runs in, and every time in it is set by hand."""

import datetime

import pytest
from celery.schedules import crontab
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from livingwell.accounts.models import AreaMembership, User
from livingwell.accounts.roles import Role
from livingwell.notifications.models import Notification
from livingwell.reports import summary
from livingwell.reports.models import MonthlySummary
from livingwell.reports.periods import last_month
from livingwell.reports.scope import report_scope_for
from livingwell.reports.tasks import send_monthly_summaries
from risks import services as risk_services
from risks.models import Outcome, Referral, RiskEvent, RiskReport, Severity, Status
from tests.factories import UserFactory, VolunteerFactory
from tests.notifications.conftest import start_worker  # noqa: F401 - the fixture, for the worker test
from tests.risks.factories import RiskReportFactory, ServiceFactory
from tests.support.concurrency import at_once

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
# Names a summary must never contain: the clients, the volunteers and their reporter.
PEOPLE = ["Elsie", "Trewin", "Jack", "Nankervis", "Morwenna", "Penrose", "Vera", "Pascoe", "Victor", "Ewan"]


def first_of_next_month_at_seven() -> datetime.datetime:
    """When beat next sends the summary: 07:00 UK time on the 1st of next month."""
    first = timezone.localdate().replace(day=1) + relativedelta(months=1)
    return timezone.make_aware(datetime.datetime.combine(first, datetime.time(7)))


def summaries():
    return Notification.objects.filter(kind=Notification.Kind.MONTHLY_SUMMARY)


def sent_to() -> list[str]:
    return sorted(summaries().values_list("recipient__username", flat=True))


def summary_of(username: str) -> Notification:
    return summaries().get(recipient__username=username)


@pytest.fixture
def managers(world):
    """Mona and Max manage West's organisation, Erin East's; Ivan's account (West's) is
    switched off; Lena used to work for West's organisation and has left it."""
    west, east = world.west.organisation, world.east.organisation
    User.objects.filter(pk=world.manager.pk).update(organisation=west)
    world.manager.refresh_from_db()
    UserFactory(username="max", roles=[Role.MANAGER], organisation=west)
    UserFactory(username="erin", roles=[Role.MANAGER], organisation=east)
    UserFactory(username="ivan", roles=[Role.MANAGER], organisation=west, is_active=False)
    lena = UserFactory(username="lena", roles=[Role.MANAGER], areas=[world.west])
    AreaMembership.objects.filter(user=lena).update(ended_on=timezone.localdate())
    return world


def move(risk: RiskReport, reported_at: datetime.datetime, *, action_after: datetime.timedelta) -> None:
    """Put a concern and each step of its life at fixed times: seen an hour before it was
    reported, first acted on `action_after` it, passed on a day after and its outcome two."""
    RiskReport.objects.filter(pk=risk.pk).update(
        reported_at=reported_at, observed_at=reported_at - HOUR, due_at=reported_at + 7 * DAY
    )
    steps = {
        Status.REPORTED: reported_at,
        Status.TRIAGED: reported_at + action_after,
        Status.ESCALATED: reported_at + DAY,
        Status.OUTCOME_RECORDED: reported_at + 2 * DAY,
    }
    for status, at in steps.items():
        RiskEvent.objects.filter(risk=risk, to_status=status).update(at=at)
    Referral.objects.filter(risk=risk).update(made_at=reported_at + DAY)
    Outcome.objects.filter(risk=risk).update(recorded_at=reported_at + 2 * DAY)


@pytest.fixture
def month(managers):
    """This month in West Cornwall: six concerns by the formal meeting route, each first
    acted on 3 hours after it was reported, two of them with an outcome and one referred to
    a transport service; one by the team leader's phone line, acted on after an hour. Six
    active volunteers. In East Cornwall: five concerns, one volunteer."""
    world = managers
    period = last_month(timezone.localdate(first_of_next_month_at_seven()))
    start = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time(10)))
    cora = world.coordinator
    transport = ServiceFactory(name="Cornwall Community Transport", areas=[world.west], is_medical=False)
    for index in range(6):
        client, volunteer = (
            (world.elsie, world.volunteer) if index % 2 == 0 else (world.jack, world.other_volunteer)
        )
        risk = RiskReportFactory(client=client, reported_by=volunteer, category=world.falls)
        risk = risk_services.risk_triage(risk=risk, by=cora)
        if index == 0:
            risk_services.risk_escalate(risk=risk, by=cora, service=transport, note="Lifts to the surgery.")
        if index < 2:
            risk_services.risk_record_outcome(
                risk=risk,
                by=cora,
                kind="support_arranged",
                staff_summary="Sorted.",
                volunteer_message="Thank you, Vera: Elsie has help now.",
            )
        move(risk, start + index * HOUR, action_after=3 * HOUR)
    by_phone = risk_services.risk_report(
        by=world.team_leader,
        on_behalf_of=world.volunteer,
        client=world.elsie,
        category=world.medication,
        severity=Severity.HIGH,
        what_was_seen="She has run out of her tablets.",
        observed_at=timezone.now() - HOUR,
    )
    risk_services.risk_triage(risk=by_phone, by=world.team_leader)
    move(by_phone, start + DAY, action_after=HOUR)
    for index in range(4):
        VolunteerFactory(user__username=f"westvolunteer{index}", areas=[world.west])
    for index in range(5):
        risk = RiskReportFactory(
            client=world.morwenna, reported_by=world.east_volunteer, category=world.falls
        )
        move(risk, start + index * HOUR, action_after=2 * HOUR)
    return world


def test_the_summary_carries_last_months_headline_figures_with_small_numbers_suppressed(month):
    assert summary.monthly_summaries_send(now=first_of_next_month_at_seven()) == 3

    notification = summary_of("mona")
    period = last_month(timezone.localdate(first_of_next_month_at_seven()))
    name = f"{period.start:%B} {period.start.year}"
    assert notification.title == f"Last month's figures: {name}"
    assert notification.link == "/reports/?period=last_month"
    assert notification.body.splitlines() == [
        f"The headline figures for {name} ({period.label}) in West Cornwall.",
        "",
        "Concerns reported: 7",
        "Acted on within the target for their severity: 100%",
        "Median time from a concern being reported to the first action on it, by route:",
        "• Formal monthly meeting: 3 hours",
        "• Coffee morning: none",
        # One concern by phone: its time is worked out from a small number.
        "• Team leader phone line: withheld",
        "• GP practice Multi-Disciplinary Team meeting: none",
        "Outcomes recorded: fewer than 5",
        "Referrals to medical services: 0",
        "Referrals to non-medical services: fewer than 5",
        "Active volunteers: 6",
        "",
        'So that nobody can be recognised, counts from 1 to 4 read "fewer than 5" and figures '
        "worked out from them are withheld.",
        "",
        "Open the full report for last month, with every table and chart, in Reports.",
    ]


def test_the_summary_names_no_client_volunteer_or_service(month):
    summary.monthly_summaries_send(now=first_of_next_month_at_seven())

    for notification in summaries():
        text = notification.title + notification.body
        for name in [*PEOPLE, "Cornwall Community Transport", "tablets"]:
            assert name not in text, (notification.recipient.username, name)


def test_the_figures_are_the_dashboards_cells(month):
    """The summary reads the dashboard's own cells, so the two cannot disagree."""
    from livingwell.reports.dashboard import build_dashboard

    now = first_of_next_month_at_seven()
    period = last_month(timezone.localdate(now))
    scope = report_scope_for(month.manager)
    headline = summary.headline_for(scope, period, now=now)
    routes = next(table for table in build_dashboard(scope, period, now=now).tables if table.key == "routes")

    assert headline.concerns == routes.rows[-1].cells[0]
    assert headline.concerns.value == 7
    assert headline.outcomes.suppressed
    assert headline.outcomes.value is None


def test_each_manager_gets_their_own_organisations_figures_only(month):
    summary.monthly_summaries_send(now=first_of_next_month_at_seven())

    assert sent_to() == ["erin", "max", "mona"]
    for username in ("mona", "max"):
        body = summary_of(username).body
        assert "in West Cornwall." in body
        assert "Concerns reported: 7" in body
        assert "East Cornwall" not in body
    east = summary_of("erin").body
    assert "in East Cornwall." in east
    assert "Concerns reported: 5" in east
    assert "Active volunteers: fewer than 5" in east
    assert "West Cornwall" not in east
    assert summary_of("mona").body == summary_of("max").body


def test_a_second_run_in_the_same_month_sends_nothing(month):
    now = first_of_next_month_at_seven()
    assert summary.monthly_summaries_send(now=now) == 3

    assert summary.monthly_summaries_send(now=now + 5 * HOUR) == 0
    assert summary.monthly_summaries_send(now=now + 20 * DAY) == 0
    assert summaries().count() == 3
    assert MonthlySummary.objects.count() == 3
    assert set(MonthlySummary.objects.values_list("notification__recipient__username", flat=True)) == {
        "erin",
        "max",
        "mona",
    }


def test_the_next_month_brings_the_next_months_summary(month):
    now = first_of_next_month_at_seven()
    summary.monthly_summaries_send(now=now)

    assert summary.monthly_summaries_send(now=now + relativedelta(months=1)) == 3
    assert summaries().count() == 6
    assert MonthlySummary.objects.filter(manager__username="mona").count() == 2


def test_a_manager_who_left_or_is_switched_off_gets_none(month):
    summary.monthly_summaries_send(now=first_of_next_month_at_seven())

    assert not summaries().filter(recipient__username__in=["ivan", "lena"]).exists()
    # Nor anybody without the manager's role: coordinators, volunteers and the rest.
    assert not summaries().exclude(recipient__groups__name=Role.MANAGER).exists()


def test_a_manager_who_has_not_had_this_months_summary_gets_it_on_a_later_run(month):
    now = first_of_next_month_at_seven()
    summary.monthly_summaries_send(now=now)
    UserFactory(username="nia", roles=[Role.MANAGER], organisation=month.east.organisation)

    assert summary.monthly_summaries_send(now=now + HOUR) == 1
    assert sent_to() == ["erin", "max", "mona", "nia"]


def test_the_task_calls_the_service(month):
    assert send_monthly_summaries.apply().get() == 3
    assert send_monthly_summaries.apply().get() == 0
    assert sent_to() == ["erin", "max", "mona"]


def test_beat_runs_it_on_the_first_of_each_month_at_seven_uk_time():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-monthly-summary"]
    assert entry["task"] == send_monthly_summaries.name
    assert entry["schedule"] == crontab(hour=7, minute=0, day_of_month=1)
    assert settings.CELERY_TIMEZONE == "Europe/London"


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_each_manager_one(managers):
    for index in range(6):
        UserFactory(username=f"manager{index}", roles=[Role.MANAGER], organisation=managers.west.organisation)
    now = first_of_next_month_at_seven()

    results = at_once(
        lambda: summary.monthly_summaries_send(now=now), lambda: summary.monthly_summaries_send(now=now)
    )

    assert all(isinstance(result, int) for result in results), results
    assert sum(results) == 9
    assert summaries().count() == 9
    assert MonthlySummary.objects.count() == 9
    assert len(set(summaries().values_list("recipient", flat=True))) == 9


# --- Through the real broker and worker ---------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_summary_reaches_each_manager_once_through_a_real_worker(month, start_worker):  # noqa: F811
    from tests.support.processes import wait_for

    worker = start_worker("worker", concurrency=2)

    # Sent three times, two of them together: as beat and somebody re-running it might.
    send_monthly_summaries.delay()
    send_monthly_summaries.delay()
    wait_for(lambda: summaries().count() >= 3, 60, "the summaries to be written")
    send_monthly_summaries.delay()
    wait_for(
        lambda: not summaries().filter(delivered_at__isnull=True).exists(),
        30,
        "the summaries to be delivered",
    )
    wait_for(lambda: worker.log().count("send_monthly_summaries") >= 6, 30, "every run to finish")

    assert sent_to() == ["erin", "max", "mona"]
    assert MonthlySummary.objects.count() == 3
    # One email each points to last month's report; it carries no figure and no name.
    emails = worker.email_texts()
    link = f"Sign in to read it: {settings.SITE_URL}/reports/?period=last_month\n"
    summary_emails = [text for text in emails if link in text]
    assert len(summary_emails) == 3
    for username in ("mona", "max", "erin"):
        assert sum(f"{username}@example.org" in text for text in summary_emails) == 1
    assert all("last month's figures are ready" in text for text in summary_emails)
    assert not any("Concerns reported" in text for text in summary_emails)
    named = [(name, text) for text in summary_emails for name in PEOPLE if name in text]
    assert not named, named
