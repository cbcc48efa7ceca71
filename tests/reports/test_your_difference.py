""" "Your difference" on a volunteer's home page (livingwell.reports.difference and the home
panel registered by the reports app): the concerns they raised this calendar year,
including those a team leader recorded for them, how many led to an outcome, and the good
news they were sent. Their own figures only, in the same two queries however many
concerns they raised."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from livingwell.notifications.models import Notification
from livingwell.reports.difference import YourDifference, start_of_year, your_difference
from risks import services as risk_services
from risks.models import Outcome, OutcomeKind, RiskReport, Severity
from tests.factories import NotificationFactory
from tests.risks.factories import RiskReportFactory, bulk_copies
from tests.stories.factories import outcome_for
from tests.support.queries import queries_for

PANEL_HEADING = "Your difference in"


def raised_last_year(risk: RiskReport) -> RiskReport:
    """Move a concern to the last minute of last year."""
    last_year = start_of_year() - datetime.timedelta(minutes=1)
    RiskReport.objects.filter(pk=risk.pk).update(reported_at=last_year, observed_at=last_year)
    risk.refresh_from_db()
    return risk


@pytest.fixture
def veras_year(world):
    """Vera raised three concerns about Elsie this year: one has had two outcomes (it was
    reopened), one has one, one has none yet. Tom, the team leader, recorded a fourth for
    her from a phone call, and it has an outcome. She raised one last year, whose outcome
    came this year (good news this year, but not a concern of this year). Victor raised
    two this year, one with an outcome. Vera also had good news last year."""
    vera, cora = world.volunteer, world.coordinator
    reopened = RiskReportFactory(client=world.elsie, reported_by=vera, category=world.falls)
    outcome_for(reopened, cora)
    reopened = risk_services.risk_reopen(risk=reopened, by=cora, note="She fell again.")
    outcome_for(reopened, cora, "The falls team came back.")
    outcome_for(RiskReportFactory(client=world.elsie, reported_by=vera, category=world.medication), cora)
    RiskReportFactory(client=world.elsie, reported_by=vera, category=world.falls)
    by_phone = risk_services.risk_report(
        by=world.team_leader,
        on_behalf_of=vera,
        client=world.elsie,
        category=world.medication,
        severity=Severity.HIGH,
        what_was_seen="She has run out of her tablets.",
        observed_at=timezone.now() - datetime.timedelta(hours=1),
    )
    outcome_for(by_phone, cora)
    old = raised_last_year(RiskReportFactory(client=world.elsie, reported_by=vera, category=world.falls))
    outcome_for(old, cora)
    victors = RiskReportFactory(client=world.jack, reported_by=world.other_volunteer, category=world.falls)
    outcome_for(victors, cora)
    RiskReportFactory(client=world.jack, reported_by=world.other_volunteer, category=world.medication)
    NotificationFactory(
        recipient=vera,
        kind=Notification.Kind.GOOD_NEWS,
        created_at=start_of_year() - datetime.timedelta(days=3),
    )
    return world


def test_a_volunteers_year_counts_their_own_concerns_and_good_news(veras_year):
    difference = your_difference(veras_year.volunteer)

    # Three raised herself and one recorded for her by phone; last year's is not counted.
    assert difference.concerns == 4
    # The reopened concern counts once, though it had two outcomes.
    assert difference.with_outcome == 3
    # Five outcomes of her concerns were recorded this year (two on the reopened one, and
    # last year's concern's); last year's good news is not counted.
    assert difference.good_news == 5
    assert difference.year == timezone.localdate().year
    assert difference.sentences() == [
        "This year you raised 4 concerns.",
        "3 led to something being done.",
        "You have had 5 messages of good news.",
    ]


def test_another_volunteers_figures_are_their_own(veras_year):
    difference = your_difference(veras_year.other_volunteer)

    assert (difference.concerns, difference.with_outcome, difference.good_news) == (2, 1, 1)


def test_the_team_leader_who_recorded_a_concern_by_phone_is_not_its_volunteer(veras_year):
    # Tom recorded it as staff of the area: it is Vera's concern, not his.
    difference = your_difference(veras_year.team_leader)

    assert (difference.concerns, difference.with_outcome, difference.good_news) == (0, 0, 0)


def test_concerns_of_last_year_are_not_counted(world):
    raised_last_year(RiskReportFactory(client=world.elsie, reported_by=world.volunteer, category=world.falls))

    difference = your_difference(world.volunteer)

    assert (difference.concerns, difference.with_outcome, difference.good_news) == (0, 0, 0)


def test_the_home_page_tells_the_volunteer_their_difference(veras_year, login):
    page = login(veras_year.volunteer).get(reverse("home")).content.decode()

    assert f"{PANEL_HEADING} {timezone.localdate().year}" in page
    assert "This year you raised 4 concerns." in page
    assert "3 led to something being done." in page
    assert "You have had 5 messages of good news." in page
    assert reverse("risks:mine") in page
    # Her own figures only: nothing about the client or another volunteer.
    panel = page[page.index(PANEL_HEADING) :].split("</section>")[0]
    for name in ("Elsie", "Trewin", "Jack", "Victor"):
        assert name not in panel


def test_a_volunteer_with_nothing_yet_is_told_what_will_appear(world, login):
    page = login(world.volunteer).get(reverse("home")).content.decode()

    assert PANEL_HEADING in page
    assert "When you raise a concern, you will see here what difference it made." in page
    assert "This year you raised" not in page


@pytest.mark.parametrize("person", ["coordinator", "team_leader", "manager", "mdt_chair", "clinician"])
def test_staff_do_not_get_the_panel(veras_year, login, person):
    response = login(getattr(veras_year, person)).get(reverse("home"))

    assert response.status_code == 200
    assert "You are signed in as a" in response.content.decode()
    assert PANEL_HEADING not in response.content.decode()


def test_the_query_count_does_not_grow_with_the_volunteers_concerns(world):
    vera = world.volunteer
    outcome_for(
        RiskReportFactory(client=world.elsie, reported_by=vera, category=world.falls), world.coordinator
    )
    few = queries_for(lambda: your_difference(vera))

    copies = bulk_copies(RiskReportFactory(client=world.elsie, reported_by=vera, category=world.falls), 200)
    Outcome.objects.bulk_create(
        Outcome(
            risk=copy,
            kind=OutcomeKind.ADVICE_GIVEN,
            staff_summary="Advice given.",
            volunteer_message="Thank you.",
            recorded_by=world.coordinator,
        )
        for copy in copies[:50]
    )
    Notification.objects.bulk_create(
        Notification(recipient=vera, kind=Notification.Kind.GOOD_NEWS, title="Good news", body="Thank you.")
        for _ in range(50)
    )
    many = queries_for(lambda: your_difference(vera))

    assert len(many) == len(few) == 2
    difference = your_difference(vera)
    assert (difference.concerns, difference.with_outcome, difference.good_news) == (202, 51, 51)


@pytest.mark.parametrize(
    ("figures", "sentences"),
    [
        (
            (1, 0, 0),
            ["This year you raised 1 concern.", "It has no outcome yet: we will tell you when it does."],
        ),
        (
            (1, 1, 1),
            [
                "This year you raised 1 concern.",
                "It led to something being done.",
                "You have had 1 message of good news.",
            ],
        ),
        (
            (3, 0, 0),
            [
                "This year you raised 3 concerns.",
                "None of them has an outcome yet: we will tell you when they do.",
            ],
        ),
        (
            (2, 2, 2),
            [
                "This year you raised 2 concerns.",
                "All 2 led to something being done.",
                "You have had 2 messages of good news.",
            ],
        ),
        (
            (0, 0, 2),
            [
                "You have not raised a concern this year yet. When you do, you will see here what "
                "difference it made.",
                "You have had 2 messages of good news.",
            ],
        ),
    ],
)
def test_the_words_fit_the_numbers(figures, sentences):
    concerns, with_outcome, good_news = figures
    difference = YourDifference(year=2026, concerns=concerns, with_outcome=with_outcome, good_news=good_news)

    assert difference.sentences() == sentences
