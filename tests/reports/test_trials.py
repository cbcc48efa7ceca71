"""Trials with feedback cards (livingwell/reports/trials.py and its views).

The cast is tests/conftest.py's (the areas of the test world each belong to an
organisation of their own: Mona, who works in West Cornwall, manages its organisation),
with Otto, who works for East Cornwall's organisation as a manager, and the chair of another
West practice's Multi-Disciplinary Team meeting. The trial of the authorisation table runs
at Alverton Practice (Elsie's, in West Cornwall): it has ended and waits for its decision,
so cards and the decision are open."""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from livingwell.accounts.models import Route
from livingwell.accounts.roles import Role
from livingwell.notifications.models import Notification
from livingwell.reports import services, trials
from livingwell.reports.disclosure import FEWER_THAN_5, WITHHELD
from livingwell.reports.forms import TrialForm
from livingwell.reports.models import (
    CardWriterRole,
    FeedbackCard,
    ReportExport,
    Trial,
    TrialDecision,
    TrialModel,
    TrialStatus,
)
from livingwell.reports.periods import ReportPeriod
from meetings.models import (
    Attendance,
    AttendanceResponse,
    AttendanceRole,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from risks.models import RiskEvent, RiskReport, Status
from tests.factories import GPPracticeFactory, UserFactory, VolunteerFactory
from tests.risks.factories import RiskReportFactory
from tests.support.access_table import LOGIN, assert_answer, signed_in
from tests.support.forms import once
from tests.support.queries import queries_for

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def local(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def people(world):
    """The cast, with the extra columns."""
    other_practice = GPPracticeFactory(name="Morrab Surgery", area=world.west)
    return SimpleNamespace(
        **vars(world),
        other_manager=UserFactory(
            username="otto", roles=[Role.MANAGER], organisation=world.east.organisation
        ),
        other_chair=UserFactory(username="drpage", roles=[Role.MDT_CHAIR], practices=[other_practice]),
        other_practice=other_practice,
        practice=world.elsie.gp_practice,
    )


def make_trial(people, *, starts_on, ends_on, practice=True, model=TrialModel.VOLUNTEERS_AT_MDT, **kwargs):
    place = {"practice": people.practice} if practice else {"area": people.west}
    return services.trial_create(
        by=people.manager,
        title=kwargs.pop("title", "Volunteers at Alverton's meeting"),
        model=model,
        starts_on=starts_on,
        ends_on=ends_on,
        **place,
        **kwargs,
    )


@pytest.fixture
def ended_trial(people, today):
    """Alverton Practice's trial: ended yesterday, waiting for the decision."""
    return make_trial(people, starts_on=today - 30 * DAY, ends_on=today - DAY)


# --- Periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "baseline"),
    [
        # 31 days of March; February 2025 has 28 days, so the baseline starts on 29 January.
        ("2025-03-01", "2025-03-31", ("2025-01-29", "2025-02-28")),
        # A leap year: 29 February is one of the 31 days before.
        ("2024-03-01", "2024-03-31", ("2024-01-30", "2024-02-29")),
        ("2024-02-29", "2024-02-29", ("2024-02-28", "2024-02-28")),
        # A whole year of 365 days; the year before had 366, so the baseline is 2 January on.
        ("2025-01-01", "2025-12-31", ("2024-01-02", "2024-12-31")),
        ("2025-03-01", "2025-03-10", ("2025-02-19", "2025-02-28")),
    ],
)
def test_the_baseline_is_the_same_number_of_days_just_before_the_trial(starts_on, ends_on, baseline):
    day = datetime.date.fromisoformat
    trial = Trial(starts_on=day(starts_on), ends_on=day(ends_on))
    assert (trial.baseline_starts_on, trial.baseline_ends_on) == (day(baseline[0]), day(baseline[1]))
    assert trial.baseline == ReportPeriod(day(baseline[0]), day(baseline[1]))
    assert trial.baseline.days == trial.period.days
    assert trial.baseline == trial.period.before()


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "code"),
    [
        (datetime.date(1, 1, 1), datetime.date(1, 1, 31), "baseline_too_early"),
        (datetime.date(9999, 1, 1), datetime.date(9999, 12, 31), "too_far_ahead"),
        (datetime.date(2025, 3, 1), datetime.date(9999, 12, 31), "too_long"),
        (datetime.date(2025, 3, 31), datetime.date(2025, 3, 1), "ends_before_start"),
        (datetime.date(2024, 1, 1), datetime.date(2026, 1, 1), "too_long"),
        # 31 days from 10 January 2000: the baseline would start in December 1999.
        (datetime.date(2000, 1, 10), datetime.date(2000, 2, 9), "baseline_too_early"),
    ],
)
def test_odd_dates_are_refused_plainly_by_the_service_and_the_form(people, starts_on, ends_on, code):
    with pytest.raises(ValidationError) as refused:
        make_trial(people, starts_on=starts_on, ends_on=ends_on)
    assert refused.value.code == code
    assert not Trial.objects.exists()
    form = TrialForm(
        once(
            {
                "title": "A trial",
                "model": TrialModel.PHONE_LINE,
                "place": f"area-{people.west.pk}",
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
            }
        ),
        organisations=[people.west.organisation_id],
    )
    assert not form.is_valid()
    messages = " ".join(message for errors in form.errors.values() for message in errors)
    assert "Check the year" in messages or "before the first day" in messages or "two years" in messages


def test_a_two_year_trial_starting_in_2002_is_accepted(people):
    trial = make_trial(people, starts_on=datetime.date(2002, 1, 1), ends_on=datetime.date(2003, 12, 31))
    # 730 days, and 2000 was a leap year: the baseline starts on its second day.
    assert trial.baseline == ReportPeriod(datetime.date(2000, 1, 2), datetime.date(2001, 12, 31))


def test_status_follows_the_dates_and_the_decision(people, today):
    planned = make_trial(people, starts_on=today + DAY, ends_on=today + 10 * DAY)
    running = make_trial(people, starts_on=today, ends_on=today + 10 * DAY)
    ended = make_trial(people, starts_on=today - 10 * DAY, ends_on=today - DAY)
    assert [planned.status, running.status, ended.status] == [
        TrialStatus.PLANNED,
        TrialStatus.RUNNING,
        TrialStatus.AWAITING_DECISION,
    ]
    services.trial_decide(
        trial=ended, by=people.manager, decision=TrialDecision.STOP, reason="It did not help."
    )
    ended.refresh_from_db()
    assert ended.status == TrialStatus.DECIDED


# --- Setting up --------------------------------------------------------------------------------


def test_a_manager_sets_up_trials_only_in_their_own_organisation(people, today, east_practice):
    with pytest.raises(PermissionDenied):
        services.trial_create(
            by=people.manager,
            title="East",
            model=TrialModel.PHONE_LINE,
            area=people.east,
            starts_on=today,
            ends_on=today + 9 * DAY,
        )
    with pytest.raises(PermissionDenied):
        services.trial_create(
            by=people.manager,
            title="East",
            model=TrialModel.PHONE_LINE,
            practice=east_practice,
            starts_on=today,
            ends_on=today + 9 * DAY,
        )
    with pytest.raises(PermissionDenied):
        services.trial_create(
            by=people.coordinator,
            title="West",
            model=TrialModel.PHONE_LINE,
            area=people.west,
            starts_on=today,
            ends_on=today + 9 * DAY,
        )
    assert not Trial.objects.exists()


def test_setting_up_a_trial_asks_the_people_who_work_there_for_a_card(people, today):
    trial = make_trial(people, starts_on=today, ends_on=today + 9 * DAY)
    link = reverse("reports:card_new", args=[trial.pk])
    asked = set(Notification.objects.filter(link=link).values_list("recipient__username", flat=True))
    # Alverton Practice's trial: West's volunteers and staff, and the practice's chair and nurse.
    assert {"vera", "victor", "cora", "tom", "drchen", "nurse"} <= asked
    assert not asked & {"ewan", "cory", "tess", "drpage", "nobody", "mona", "otto"}


def test_the_trials_form_offers_only_the_managers_places_and_sets_up_a_trial(people, login, today):
    browser = login(people.manager)
    page = browser.get(reverse("reports:trials")).content.decode()
    assert "Set up a trial" in page
    assert "Alverton Practice" in page
    assert "East Cornwall" not in page
    response = browser.post(
        reverse("reports:trial_new"),
        once(
            {
                "title": "Phone line in West",
                "model": TrialModel.PHONE_LINE,
                "place": f"area-{people.west.pk}",
                "starts_on": (today - 5 * DAY).isoformat(),
                "ends_on": (today + 5 * DAY).isoformat(),
            }
        ),
    )
    trial = Trial.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:trial", args=[trial.pk])
    assert (trial.area, trial.practice, trial.organisation) == (people.west, None, people.west.organisation)


# --- The figures, side by side -----------------------------------------------------------------

TRIAL_STARTS, TRIAL_ENDS = datetime.date(2025, 3, 1), datetime.date(2025, 3, 10)  # baseline 19-28 Feb


def concern(people, *, route, reported_on, first_action_after=None):
    """A concern of Elsie's (Alverton Practice), reported at 9:00 on a day, seen an hour
    before, due in 7 days (medium), first acted on `first_action_after` later (or never)."""
    risk = RiskReportFactory(client=people.elsie, reported_by=people.volunteer, route=route)
    reported_at = local(reported_on)
    RiskReport.objects.filter(pk=risk.pk).update(
        reported_at=reported_at, observed_at=reported_at - HOUR, due_at=reported_at + 7 * DAY
    )
    RiskEvent.objects.filter(risk=risk).update(at=reported_at)
    if first_action_after is not None:
        RiskEvent.objects.create(
            risk=risk,
            actor=people.coordinator,
            at=reported_at + first_action_after,
            from_status=Status.REPORTED,
            to_status=Status.TRIAGED,
        )
        RiskReport.objects.filter(pk=risk.pk).update(status=Status.TRIAGED)
    return risk


@pytest.fixture
def figures_data(people):
    """Before (19-28 February 2025): two phone-line concerns, first acted on after 2 and 4
    hours. During (1-10 March): three phone-line concerns, acted on after 1, 2 and 6 hours,
    and one formal-meeting concern nobody acted on; and a formal meeting a clinician came to."""
    phone, formal = Route.TEAM_LEADER_PHONE, Route.FORMAL_MEETING
    concern(people, route=phone, reported_on=datetime.date(2025, 2, 20), first_action_after=2 * HOUR)
    concern(people, route=phone, reported_on=datetime.date(2025, 2, 25), first_action_after=4 * HOUR)
    for day, hours in ((2, 1), (4, 2), (6, 6)):
        concern(people, route=phone, reported_on=datetime.date(2025, 3, day), first_action_after=hours * HOUR)
    concern(people, route=formal, reported_on=datetime.date(2025, 3, 2))
    meeting = Meeting.objects.create(
        kind=MeetingKind.FORMAL,
        area=people.west,
        place="Penzance",
        starts_at=local(datetime.date(2025, 3, 5), 10),
        ends_at=local(datetime.date(2025, 3, 5), 12),
        chair=people.coordinator,
        status=MeetingStatus.HELD,
        created_by=people.coordinator,
    )
    Attendance.objects.create(
        meeting=meeting,
        person=people.clinician,
        role=AttendanceRole.CLINICIAN,
        response=AttendanceResponse.ATTENDED,
    )
    return make_trial(
        people,
        starts_on=TRIAL_STARTS,
        ends_on=TRIAL_ENDS,
        practice=False,
        model=TrialModel.CLINICIANS_AT_VOLUNTEER_MEETINGS,
        title="Clinicians at West's meetings",
    )


def table(figures, key):
    return next(table for table in figures.tables if table.key == key)


def row(table, label):
    found = next(row for row in table.rows if row.label == label)
    return [cell.text for cell in found.cells]


def test_both_periods_side_by_side_with_the_difference_hand_computed(figures_data):
    figures = trials.trial_figures(figures_data, suppress=False)
    assert (figures.baseline.label, figures.trial.label) == (
        "19 February 2025 to 28 February 2025",
        "1 March 2025 to 10 March 2025",
    )
    assert not figures.so_far
    assert figures.started
    phone = table(figures, f"journey-{Route.TEAM_LEADER_PHONE}")
    assert phone.title == "Team leader phone line route"
    assert [column.label for column in phone.columns] == [
        "Before the trial",
        "During the trial",
        "Difference",
    ]
    assert row(phone, "Concerns") == ["2", "3", "+1"]
    # Medians: (2 + 4) / 2 = 3 hours before; 1, 2, 6 -> 2 hours during.
    assert row(phone, "Reported to first action: median") == ["3 hours", "2 hours", "\N{MINUS SIGN}1 hour"]
    assert row(phone, "Seen to reported: median") == ["1 hour", "1 hour", "no change"]
    assert row(phone, "Still open at the end of the period") == ["2", "3", "+1"]
    everything = table(figures, "journey-all")
    assert row(everything, "Concerns") == ["2", "4", "+2"]
    # All acted on in time before; 3 of 4 during (the formal one was due, and never acted on).
    assert row(everything, "Acted on within the target for its severity") == [
        "100%",
        "75%",
        "\N{MINUS SIGN}25 percentage points",
    ]
    # "Overdue now" counts today's waiting concerns, the same in both periods: not compared.
    assert "Overdue now" not in [row.label for row in everything.rows]
    formal = table(figures, f"journey-{Route.FORMAL_MEETING}")
    assert row(formal, "Concerns") == ["0", "1", "+1"]
    assert row(formal, "Reported to first action: median") == ["none", "none", "none"]
    # No concern took the coffee morning or MDT routes in either period.
    assert f"journey-{Route.COFFEE_MORNING}" not in [table.key for table in figures.tables]
    assert "Coffee morning route" in figures.empty
    meetings = table(figures, f"meetings-{MeetingKind.FORMAL}")
    assert row(meetings, "Held") == ["0", "1", "+1"]
    assert row(meetings, "Clinicians who attended") == ["0", "1", "+1"]


def test_the_figures_that_matter_for_the_model_are_marked(figures_data):
    figures = trials.trial_figures(figures_data, suppress=False)
    keys = {(table.key, row.label) for table in figures.tables for row in table.rows if row.key}
    assert keys == {
        (f"meetings-{MeetingKind.FORMAL}", "Clinicians who attended"),
        (f"meetings-{MeetingKind.FORMAL}", "Meetings a clinician came to"),
    }
    figures_data.model = TrialModel.PHONE_LINE
    figures = trials.trial_figures(figures_data, suppress=False)
    # The model's route comes first, every one of its figures marked.
    assert figures.tables[0].key == f"journey-{Route.TEAM_LEADER_PHONE}"
    assert all(row.key for row in figures.tables[0].rows)
    assert not any(row.key for table in figures.tables[1:] for row in table.rows)


def test_the_trial_page_shows_the_comparison_to_a_coordinator(people, figures_data, login):
    page = login(people.coordinator).get(reverse("reports:trial", args=[figures_data.pk])).content.decode()
    assert "Team leader phone line route" in page
    assert "3 hours" in page
    assert "\N{MINUS SIGN}1 hour" in page
    assert "Key figure" in page
    assert FEWER_THAN_5 not in page


def test_small_numbers_are_suppressed_for_a_manager_on_the_page_and_in_the_spreadsheet(
    people, figures_data, login
):
    browser = login(people.manager)
    page = browser.get(reverse("reports:trial", args=[figures_data.pk])).content.decode()
    assert FEWER_THAN_5 in page
    assert WITHHELD in page
    assert "3 hours" not in page
    assert "\N{MINUS SIGN}1 hour" not in page
    assert "75%" not in page
    report = browser.get(reverse("reports:trial_report", args=[figures_data.pk])).content.decode()
    assert FEWER_THAN_5 in report
    assert "3 hours" not in report
    book = openpyxl.load_workbook(
        io.BytesIO(browser.get(reverse("reports:trial_xlsx", args=[figures_data.pk])).content)
    )
    phone = book["Team leader phone line route"]
    values = {row[0]: row[1:4] for row in phone.iter_rows(min_row=5, values_only=True)}
    assert values["Concerns"] == (FEWER_THAN_5, FEWER_THAN_5, WITHHELD)
    assert values["Reported to first action: median (hours)"] == (WITHHELD, WITHHELD, WITHHELD)
    for sheet in book.worksheets[1:]:
        for line in sheet.iter_rows(min_row=5, values_only=True):
            numbers = [value for value in line[1:] if isinstance(value, int | float)]
            assert all(number == 0 or number >= 5 for number in numbers), (sheet.title, line)


def test_small_numbers_are_suppressed_for_the_practices_meeting_chair_too(people, login):
    for day in (2, 3):
        concern(
            people,
            route=Route.TEAM_LEADER_PHONE,
            reported_on=datetime.date(2025, 3, day),
            first_action_after=2 * HOUR,
        )
    trial = make_trial(people, starts_on=TRIAL_STARTS, ends_on=TRIAL_ENDS)
    page = login(people.mdt_chair).get(reverse("reports:trial", args=[trial.pk])).content.decode()
    assert FEWER_THAN_5 in page
    assert "2 hours" not in page
    coordinators_page = signed_in(people.coordinator).get(reverse("reports:trial", args=[trial.pk]))
    assert "2 hours" in coordinators_page.content.decode()


def test_a_trial_that_has_not_ended_says_its_figures_are_so_far(people, login, today):
    running = make_trial(people, starts_on=today - 3 * DAY, ends_on=today + 3 * DAY)
    planned = make_trial(people, starts_on=today + 3 * DAY, ends_on=today + 5 * DAY)
    browser = login(people.coordinator)
    page = browser.get(reverse("reports:trial", args=[running.pk])).content.decode()
    assert "figures so far" in page
    assert "During the trial so far" in page
    page = browser.get(reverse("reports:trial", args=[planned.pk])).content.decode()
    assert "it has no figures of its own yet" in page


def test_a_practice_trial_counts_only_the_practice_patients_concerns(people, today):
    jack_elsewhere = VolunteerFactory(areas=[people.west]).user
    from tests.factories import ClientFactory

    other = ClientFactory(gp_practice=people.other_practice)
    RiskReportFactory(client=other, reported_by=jack_elsewhere, route=Route.TEAM_LEADER_PHONE)
    RiskReportFactory(client=people.elsie, reported_by=people.volunteer, route=Route.TEAM_LEADER_PHONE)
    trial = make_trial(people, starts_on=today - DAY, ends_on=today + DAY)
    figures = trials.trial_figures(trial, suppress=False)
    assert row(table(figures, "journey-all"), "Concerns")[1] == "1"


def test_the_trial_page_runs_as_many_queries_for_more_concerns_and_cards(people, login, today):
    trial = make_trial(people, starts_on=today - 10 * DAY, ends_on=today - DAY, practice=False)
    browser = login(people.manager)
    url = reverse("reports:trial", args=[trial.pk])

    def add(count):
        for index in range(count):
            services.card_write(
                trial=trial,
                by=people.manager,
                opportunities=f"Chance {index}",
                limitations="None",
                board_member=True,
            )
            concern(people, route=Route.FORMAL_MEETING, reported_on=today - 5 * DAY, first_action_after=HOUR)

    add(1)
    few = len(queries_for(lambda: browser.get(url)))
    add(6)
    assert len(queries_for(lambda: browser.get(url))) == few


# --- Feedback cards ----------------------------------------------------------------------------


@pytest.fixture
def running_trial(people, today):
    return make_trial(people, starts_on=today - 5 * DAY, ends_on=today + 5 * DAY)


def card_data(**extra):
    return once(
        {"opportunities": "Clients are heard sooner.", "limitations": "Hard to find the time.", **extra}
    )


def test_a_card_shows_its_writers_role_and_never_their_name(people, running_trial, login):
    writer = VolunteerFactory(
        user__username="zqf", user__first_name="Zebedee", user__last_name="Quillfeather", areas=[people.west]
    ).user
    response = login(writer).post(reverse("reports:card_new", args=[running_trial.pk]), card_data())
    assert response.status_code == 302
    card = FeedbackCard.objects.get()
    assert (card.writer_role, card.entered_by) == (CardWriterRole.VOLUNTEER, writer)
    browser = signed_in(people.manager)
    for name in ("reports:trial", "reports:trial_report"):
        page = browser.get(reverse(name, args=[running_trial.pk])).content.decode()
        assert "Clients are heard sooner." in page
        assert "Volunteer" in page
        assert "Zebedee" not in page
        assert "Quillfeather" not in page
        assert "zqf" not in page
    book = openpyxl.load_workbook(
        io.BytesIO(browser.get(reverse("reports:trial_xlsx", args=[running_trial.pk])).content)
    )
    cards = list(book["Feedback cards"].iter_rows(min_row=4, values_only=True))
    assert cards[1] == ("Card 1", "Volunteer", "Clients are heard sooner.", "Hard to find the time.")
    everything = " ".join(
        str(value)
        for sheet in book.worksheets
        for line in sheet.iter_rows(values_only=True)
        for value in line
    )
    assert "Zebedee" not in everything
    assert "Quillfeather" not in everything
    assert "zqf" not in everything


def test_the_card_page_shows_the_trial_and_the_questions_but_no_figures(people, running_trial, login):
    page = login(people.volunteer).get(reverse("reports:card_new", args=[running_trial.pk])).content.decode()
    assert running_trial.title.replace("'", "&#x27;") in page
    assert "Alverton Practice" in page
    assert "What opportunities for coproduction does this approach create?" in page
    assert "What limitations does this approach have?" in page
    assert "Before the trial" not in page
    assert "<table" not in page
    assert reverse("reports:trial", args=[running_trial.pk]) not in page


@pytest.mark.parametrize(
    ("writer", "role"),
    [
        ("volunteer", CardWriterRole.VOLUNTEER),
        ("coordinator", CardWriterRole.COORDINATOR),
        ("team_leader", CardWriterRole.TEAM_LEADER),
        ("mdt_chair", CardWriterRole.MDT_CHAIR),
        ("clinician", CardWriterRole.CLINICIAN),
        ("manager", CardWriterRole.MANAGER),
    ],
)
def test_each_writes_in_the_role_they_work_in_the_trials_place(people, running_trial, writer, role):
    card = services.card_write(
        trial=running_trial, by=getattr(people, writer), opportunities="Yes.", limitations="No."
    )
    assert card.writer_role == role


def test_a_chair_who_is_also_a_clinician_writes_as_the_chair(people, running_trial):
    people.mdt_chair.groups.add(*people.clinician.groups.all())
    people.mdt_chair = type(people.mdt_chair).objects.get(pk=people.mdt_chair.pk)
    card = services.card_write(
        trial=running_trial, by=people.mdt_chair, opportunities="Yes.", limitations="No."
    )
    assert card.writer_role == CardWriterRole.MDT_CHAIR


def test_people_who_do_not_work_in_the_trials_place_write_no_card(people, running_trial):
    for outsider in (people.other_coordinator, people.other_chair, people.other_manager, people.no_role):
        with pytest.raises(PermissionDenied):
            services.card_write(trial=running_trial, by=outsider, opportunities="Yes.", limitations="No.")
    ewan = VolunteerFactory(areas=[people.east]).user
    with pytest.raises(PermissionDenied):
        services.card_write(trial=running_trial, by=ewan, opportunities="Yes.", limitations="No.")
    assert not FeedbackCard.objects.exists()


def test_an_area_trial_takes_cards_from_every_practice_of_the_area_but_chairs_see_only_their_practices_trials(
    people, today
):
    trial = make_trial(people, starts_on=today - DAY, ends_on=today + DAY, practice=False)
    card = services.card_write(trial=trial, by=people.other_chair, opportunities="Yes.", limitations="No.")
    assert card.writer_role == CardWriterRole.MDT_CHAIR
    assert not trials.trials_visible_to(people.mdt_chair).filter(pk=trial.pk).exists()
    assert signed_in(people.mdt_chair).get(reverse("reports:trial", args=[trial.pk])).status_code == 404
    assert signed_in(people.coordinator).get(reverse("reports:trial", args=[trial.pk])).status_code == 200


def test_one_card_per_person_and_a_double_submit_makes_one(people, running_trial, login):
    browser = login(people.volunteer)
    url = reverse("reports:card_new", args=[running_trial.pk])
    data = card_data()
    assert browser.post(url, data).status_code == 302
    repeat = browser.post(url, data, follow=True)
    assert "Already sent" in repeat.content.decode()
    assert FeedbackCard.objects.count() == 1
    second = browser.post(url, card_data(opportunities="Something else."))
    assert second.status_code == 200
    assert "already written your card" in second.content.decode()
    with pytest.raises(ValidationError):
        services.card_write(
            trial=running_trial, by=people.volunteer, opportunities="Again.", limitations="Again."
        )
    assert FeedbackCard.objects.count() == 1


def test_a_manager_types_up_several_board_members_cards_and_may_write_their_own(people, running_trial, login):
    browser = login(people.manager)
    url = reverse("reports:card_new", args=[running_trial.pk])
    for text in ("A board member's view.", "Another board member's view."):
        assert browser.post(url, card_data(whose="board_member", opportunities=text)).status_code == 302
    assert browser.post(url, card_data(whose="own")).status_code == 302
    assert browser.post(url, card_data(whose="own")).status_code == 200
    roles = sorted(FeedbackCard.objects.values_list("writer_role", flat=True))
    assert roles == [CardWriterRole.BOARD_MEMBER, CardWriterRole.BOARD_MEMBER, CardWriterRole.MANAGER]
    page = browser.get(reverse("reports:trial", args=[running_trial.pk])).content.decode()
    assert "Board members (2 cards)" in page
    assert "Another board member&#x27;s view." in page


def test_only_managers_of_the_organisation_type_up_board_members_cards(people, running_trial, login):
    with pytest.raises(PermissionDenied):
        services.card_write(
            trial=running_trial,
            by=people.coordinator,
            opportunities="Yes.",
            limitations="No.",
            board_member=True,
        )
    # The choice is not offered to a coordinator: their card is their own.
    login(people.coordinator).post(
        reverse("reports:card_new", args=[running_trial.pk]), card_data(whose="board_member")
    )
    assert list(FeedbackCard.objects.values_list("writer_role", flat=True)) == [CardWriterRole.COORDINATOR]


def test_cards_are_taken_from_the_first_day_until_the_decision(people, today):
    planned = make_trial(people, starts_on=today + DAY, ends_on=today + 5 * DAY)
    with pytest.raises(ValidationError, match="when the trial starts"):
        services.card_write(trial=planned, by=people.volunteer, opportunities="Yes.", limitations="No.")
    ended = make_trial(people, starts_on=today - 5 * DAY, ends_on=today - DAY)
    services.card_write(trial=ended, by=people.volunteer, opportunities="Yes.", limitations="No.")
    services.trial_decide(trial=ended, by=people.manager, decision=TrialDecision.ADOPT, reason="It worked.")
    with pytest.raises(ValidationError, match="no more cards"):
        services.card_write(trial=ended, by=people.coordinator, opportunities="Yes.", limitations="No.")
    assert FeedbackCard.objects.count() == 1


def test_both_answers_are_required(people, running_trial, login):
    response = login(people.volunteer).post(
        reverse("reports:card_new", args=[running_trial.pk]), once({"opportunities": "  ", "limitations": ""})
    )
    assert response.status_code == 200
    assert not FeedbackCard.objects.exists()
    with pytest.raises(ValidationError, match="Answer the second question"):
        services.card_write(
            trial=running_trial, by=people.volunteer, opportunities="Yes.", limitations="\u200b"
        )


# --- The decision ------------------------------------------------------------------------------


def test_the_decision_is_recorded_only_once_the_trial_has_ended(people, running_trial):
    with pytest.raises(ValidationError, match="once it has ended"):
        services.trial_decide(
            trial=running_trial, by=people.manager, decision=TrialDecision.ADOPT, reason="Early."
        )
    running_trial.refresh_from_db()
    assert not running_trial.is_decided


def test_only_managers_of_the_organisation_decide(people, ended_trial):
    for person in (people.coordinator, people.other_manager, people.mdt_chair):
        with pytest.raises(PermissionDenied):
            services.trial_decide(trial=ended_trial, by=person, decision=TrialDecision.ADOPT, reason="Yes.")
    ended_trial.refresh_from_db()
    assert not ended_trial.is_decided


def test_the_decision_needs_a_reason_and_is_recorded_once(people, ended_trial, login):
    with pytest.raises(ValidationError, match="Say why"):
        services.trial_decide(trial=ended_trial, by=people.manager, decision=TrialDecision.ADOPT, reason=" ")
    browser = login(people.manager)
    url = reverse("reports:trial_decide", args=[ended_trial.pk])
    refused = browser.post(url, {"decision": TrialDecision.EXTEND, "reason": ""})
    assert refused.status_code == 200
    assert "Say why" in refused.content.decode()
    assert (
        browser.post(
            url, {"decision": TrialDecision.EXTEND, "reason": "Too few meetings to tell."}
        ).status_code
        == 302
    )
    again = browser.post(url, {"decision": TrialDecision.STOP, "reason": "Changed my mind."})
    assert again.status_code == 200
    assert "already" in again.content.decode()
    ended_trial.refresh_from_db()
    assert (ended_trial.decision, ended_trial.decision_reason, ended_trial.decided_by) == (
        TrialDecision.EXTEND,
        "Too few meetings to tell.",
        people.manager,
    )
    for name in ("reports:trial", "reports:trial_report"):
        page = signed_in(people.coordinator).get(reverse(name, args=[ended_trial.pk])).content.decode()
        assert "The decision: Extend the trial" in page
        assert "Too few meetings to tell." in page
    book = openpyxl.load_workbook(
        io.BytesIO(browser.get(reverse("reports:trial_xlsx", args=[ended_trial.pk])).content)
    )
    about = dict(book["About"].iter_rows(values_only=True))
    assert (about["Decision"], about["Why"]) == ("Extend the trial", "Too few meetings to tell.")


# --- The report and its spreadsheet ------------------------------------------------------------


def test_the_printable_report_has_no_navigation(people, ended_trial, login):
    page = login(people.manager).get(reverse("reports:trial_report", args=[ended_trial.pk])).content.decode()
    assert 'aria-label="Main"' not in page
    assert "Sign out" not in page
    assert "Trial report: " in page
    assert "Feedback cards" in page
    assert "The figures, before and during the trial" in page


def test_the_spreadsheet_is_recorded_as_an_export(people, ended_trial, login):
    response = login(people.manager).get(reverse("reports:trial_xlsx", args=[ended_trial.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith(f'attachment; filename="trial-{ended_trial.pk}-')
    export = ReportExport.objects.get()
    assert (export.kind, export.taken_by, export.trial) == (
        ReportExport.Kind.TRIAL_XLSX,
        people.manager,
        ended_trial,
    )
    assert (export.period_start, export.period_end) == (ended_trial.baseline_starts_on, ended_trial.ends_on)
    assert export.filters["small_numbers_suppressed"] is True
    access = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_pk=str(export.pk))
    assert (access.actor, access.additional_data["trial"]) == (people.manager, ended_trial.pk)


# --- Who may do what: every trial address, every person, GET and POST --------------------------

COLUMNS = (
    "anonymous",
    "manager",
    "other_manager",
    "coordinator",
    "other_coordinator",
    "mdt_chair",
    "other_chair",
    "volunteer",
    "east_volunteer",
    "clinician",
    "team_leader",
    "no_role",
)
L = LOGIN
# anon, manager, other manager, coordinator, other coordinator, chair, other chair,
# volunteer, East volunteer, clinician, team leader, no role
GET = {
    "trials": (L, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403),
    "trial_new": (L, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    "trial": (L, 200, 404, 200, 404, 200, 404, 403, 403, 403, 403, 403),
    "card_new": (L, 200, 404, 200, 404, 200, 404, 200, 404, 200, 200, 403),
    "trial_decide": (L, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    "trial_report": (L, 200, 404, 200, 404, 200, 404, 403, 403, 403, 403, 403),
    "trial_xlsx": (L, 200, 404, 200, 404, 200, 404, 403, 403, 403, 403, 403),
}
POST = {
    "trials": (L, 405, 405, 405, 405, 405, 405, 403, 403, 403, 403, 403),
    # Another organisation's manager is not offered West Cornwall: the form says so.
    "trial_new": (L, 302, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    "trial": (L, 405, 405, 405, 405, 405, 405, 403, 403, 403, 403, 403),
    "card_new": (L, 302, 404, 302, 404, 302, 404, 302, 404, 302, 302, 403),
    "trial_decide": (L, 302, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    "trial_report": (L, 405, 405, 405, 405, 405, 405, 403, 403, 403, 403, 403),
    "trial_xlsx": (L, 405, 405, 405, 405, 405, 405, 403, 403, 403, 403, 403),
}


def table_cases():
    return [
        pytest.param(method, view, actor, expected, id=f"{method}-{view}-{actor}")
        for method, table in (("get", GET), ("post", POST))
        for view, answers in table.items()
        for actor, expected in zip(COLUMNS, answers, strict=True)
    ]


def post_data(view, people, today):
    return {
        "trial_new": once(
            {
                "title": "Phone line in West",
                "model": TrialModel.PHONE_LINE,
                "place": f"area-{people.west.pk}",
                "starts_on": today.isoformat(),
                "ends_on": (today + 9 * DAY).isoformat(),
            }
        ),
        "card_new": card_data(whose="own"),
        "trial_decide": {"decision": TrialDecision.ADOPT, "reason": "Clients were heard sooner."},
    }.get(view, {})


def state() -> dict:
    return {
        "trials": list(Trial.objects.order_by("pk").values()),
        "cards": list(FeedbackCard.objects.order_by("pk").values()),
        "exports": ReportExport.objects.count(),
        "log_entries": LogEntry.objects.count(),
        "notifications": Notification.objects.count(),
    }


@pytest.mark.parametrize(("method", "view", "actor", "expected"), table_cases())
def test_who_may_open_each_trial_address(people, ended_trial, today, method, view, actor, expected):
    if actor == "east_volunteer":
        person = people.east_volunteer
    else:
        person = None if actor == "anonymous" else getattr(people, actor)
    url = reverse(f"reports:{view}", args=[] if view in ("trials", "trial_new") else [ended_trial.pk])
    before = state()
    browser = signed_in(person) if person else Browser()
    response = browser.get(url) if method == "get" else browser.post(url, post_data(view, people, today))
    assert_answer(response, expected)
    changes = (method == "post" and expected == 302) or (view == "trial_xlsx" and expected == 200)
    if not changes:
        assert state() == before
    elif view == "card_new":
        assert FeedbackCard.objects.filter(entered_by=person, trial=ended_trial).count() == 1
    elif view == "trial_decide":
        ended_trial.refresh_from_db()
        assert ended_trial.decision == TrialDecision.ADOPT
    elif view == "trial_xlsx":
        assert ReportExport.objects.filter(taken_by=person, trial=ended_trial).count() == 1
