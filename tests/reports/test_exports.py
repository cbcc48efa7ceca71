"""The reports as files: the dashboard as CSV and Excel, the de-identified extract of
concerns, and the record of every export. Files are read back the way a person's
spreadsheet or an analyst's script would read them."""

import csv
import datetime
import io
import tracemalloc

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Value
from django.db.models.functions import Concat
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from livingwell.accounts.models import User
from livingwell.reports.dashboard import build_dashboard
from livingwell.reports.disclosure import FEWER_THAN_5, WITHHELD
from livingwell.reports.extract import HEADINGS, WITHIN_TARGET
from livingwell.reports.models import ReportExport, Trial, TrialModel
from livingwell.reports.periods import ReportPeriod
from livingwell.reports.scope import report_scope_for
from livingwell.reports.services import record_export
from livingwell.reports.tables import ROUTE_LABELS
from risks import services as risk_services
from risks.models import (
    Outcome,
    OutcomeKind,
    Referral,
    RiskCategory,
    RiskEvent,
    RiskReport,
    Severity,
    Status,
    target_for,
)
from tests.factories import AreaFactory, ClientFactory, GPPracticeFactory, VolunteerFactory
from tests.risks.factories import RiskReportFactory
from tests.support.access_table import ACTORS, LOGIN, assert_answer, cases, signed_in
from tests.support.queries import queries_for
from volunteers.models import Volunteer

EXPORTS = ("reports:export_csv", "reports:export_xlsx", "reports:extract")
PLANTED = "ZQXJ-PLANTED"
PLANTED_NHS_NUMBER = "9434765919"
PLANTED_POSTCODE = "ZQ9 9XJ"


# --- Who is who, and what happened --------------------------------------------------------


@pytest.fixture(autouse=True)
def mona_works_for_west(fast_password_hashing, manager, west):
    """Mona manages for the organisation that runs West Cornwall (a manager's reports
    cover their organisation's areas; East Cornwall belongs to another organisation)."""
    manager.organisation = west.organisation
    manager.save(update_fields=["organisation"])
    return manager


@pytest.fixture
def period(today):
    return ReportPeriod(today - datetime.timedelta(days=30), today)


def address(period, **extra) -> dict:
    """The dashboard's query string for `period` (and any areas), as the page's links carry it."""
    return {"period": "custom", "start": period.start.isoformat(), "end": period.end.isoformat(), **extra}


def backdate(risk, *, reported_hours_ago: float, seen_hours_before: float = 2) -> None:
    """Move a concern's report back in time, before anyone acted on it."""
    reported_at = timezone.now() - datetime.timedelta(hours=reported_hours_ago)
    RiskReport.objects.filter(pk=risk.pk).update(
        reported_at=reported_at,
        observed_at=reported_at - datetime.timedelta(hours=seen_hours_before),
        due_at=reported_at + target_for(risk.severity),
    )
    RiskEvent.objects.filter(risk=risk, to_status=Status.REPORTED).update(at=reported_at)


@pytest.fixture
def story(world):
    """West Cornwall: six concerns to the formal meeting (four acted on, one passed on to a
    key worker, given an outcome, closed and reopened) and three urgent ones by the team
    leader's phone line: one acted on within 4 hours, one after, one not yet due. Central
    Cornwall (Mona's organisation too) has one concern; East Cornwall (another
    organisation) two."""
    coordinator = world.coordinator
    formal = []
    for index, hours_ago in enumerate((5, 15, 25, 35, 45, 55)):
        risk = RiskReportFactory(
            client=world.elsie,
            reported_by=world.volunteer,
            severity=Severity.MEDIUM,
            category=world.falls if index % 2 else world.medication,
        )
        backdate(risk, reported_hours_ago=hours_ago, seen_hours_before=index + 1)
        formal.append(risk)
    for risk in formal[:4]:
        risk_services.risk_triage(risk=risk, by=coordinator, note="Rang her daughter")
    journey = formal[0]
    risk_services.risk_escalate(
        risk=journey, by=coordinator, key_worker="Pat Key", reference="REF-1", note="Passed to Pat"
    )
    risk_services.risk_record_outcome(
        risk=journey,
        by=coordinator,
        kind=OutcomeKind.HOME_MADE_SAFER,
        staff_summary="Grab rails fitted",
        volunteer_message="Thank you: rails are fitted",
    )
    risk_services.risk_close(risk=journey, by=coordinator, reason="Done")
    risk_services.risk_reopen(risk=journey, by=coordinator, note="She fell again")

    phone = {}
    for name, hours_ago in (("in_time", 1), ("not_yet_due", 2), ("late", 6)):
        risk = RiskReportFactory(
            client=world.elsie, reported_by=world.volunteer, severity=Severity.URGENT, category=world.falls
        )
        backdate(risk, reported_hours_ago=hours_ago)
        phone[name] = risk
    risk_services.risk_triage(risk=phone["in_time"], by=coordinator)
    risk_services.risk_triage(risk=phone["late"], by=coordinator)

    central = AreaFactory(name="Central Cornwall", organisation=world.west.organisation)
    central_client = ClientFactory(gp_practice=GPPracticeFactory(area=central, name="Truro Practice"))
    central_risk = RiskReportFactory(
        client=central_client, reported_by=VolunteerFactory(areas=[central]).user
    )
    backdate(central_risk, reported_hours_ago=10)
    for _ in range(2):
        east_risk = RiskReportFactory(client=world.morwenna, reported_by=world.east_volunteer)
        backdate(east_risk, reported_hours_ago=20)
    return {"formal": formal, "journey": journey, "phone": phone, "central": central}


# --- Reading the files back -----------------------------------------------------------------


def csv_blocks(content: bytes) -> list[list[list[str]]]:
    """The CSV as a spreadsheet would read it, split into its blocks (about, then tables)."""
    text = content.decode("utf-8")
    assert text.startswith("\ufeff"), "a spreadsheet needs the byte order mark to read UTF-8"
    blocks, block = [], []
    for row in csv.reader(io.StringIO(text[1:])):
        if row:
            block.append(row)
        elif block:
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    return blocks


def read_csv(content: bytes) -> tuple[dict, dict]:
    """(about, cells): the about lines as a dict, and every figure keyed by (table title,
    row label, column heading), as text."""
    about_block, *table_blocks = csv_blocks(content)
    about = dict(about_block)
    cells = {}
    for title_row, _about_row, headings, *rows in table_blocks:
        for row in rows:
            for heading, value in zip(headings[1:], row[1:], strict=False):
                cells[(title_row[0], row[0], heading)] = value
    return about, cells


def read_xlsx(content: bytes) -> tuple[dict, dict]:
    """(about, cells) as `read_csv`, from the workbook, with numbers as numbers."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    about = dict(book["About"].iter_rows(values_only=True))
    cells = {}
    for sheet in book.worksheets[1:]:
        rows = list(sheet.iter_rows(values_only=True))
        title, headings = rows[0][0], rows[3]
        for row in rows[4:]:
            for heading, value in zip(headings[1:], row[1:], strict=False):
                cells[(title, row[0], heading)] = "" if value is None else value
    return about, cells


def dashboard_cells(user, period, area_ids=()) -> dict:
    """The page's figures for `user`, keyed as the files are: what a cell holds in a file
    (its number, or its words when there is no number)."""
    scope = report_scope_for(user).narrowed_to(area_ids)
    dashboard = build_dashboard(scope, period)
    cells = {}
    for table in dashboard.tables:
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells, strict=True):
                value = cell.value if cell.value is not None else cell.text
                cells[(table.title, row.label, column.heading_with_unit)] = value
    return cells


def filename(stem: str, period: ReportPeriod, extension: str) -> str:
    return f"living-well-{stem}-{period.start.isoformat()}-to-{period.end.isoformat()}.{extension}"


def download(user, name: str, query: dict):
    response = signed_in(user).get(reverse(name), query)
    assert response.status_code == 200, response.status_code
    return response


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def extract_rows(content: bytes) -> list[dict]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.reader(io.StringIO(text[1:]))
    assert tuple(next(reader)) == HEADINGS
    return [dict(zip(HEADINGS, row, strict=True)) for row in reader]


def monday_of(moment: datetime.datetime) -> str:
    day = timezone.localtime(moment).date()
    return (day - datetime.timedelta(days=day.weekday())).isoformat()


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_count_column(heading: str) -> bool:
    """Counts have no unit in their heading; hours and percentages are worked out from counts."""
    return "(" not in heading


# --- The dashboard as files -------------------------------------------------------------------


def test_dashboard_csv_says_what_it_covers_and_has_the_pages_figures(story, manager, period, west):
    response = download(manager, "reports:export_csv", address(period, area=[west.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (f'attachment; filename="{filename("report", period, "csv")}"')
    about, cells = read_csv(response.content)
    assert about["Period"] == period.label
    assert about["First day"] == period.start.isoformat()
    assert about["Last day"] == period.end.isoformat()
    assert about["Period chosen"] == "Dates of my choosing"
    assert about["Organisation"] == west.organisation.name
    assert about["Areas"] == "West Cornwall"
    assert about["Areas chosen"] == "West Cornwall (of the 2 areas you may see)"
    assert "suppressed" in about["Small numbers"]
    assert "board paper" in about["Who may see it"]
    assert about["Made"]
    expected = dashboard_cells(manager, period, [west.pk])
    assert cells == {key: str(value) for key, value in expected.items()}


def test_dashboard_xlsx_says_what_it_covers_and_has_the_pages_figures(story, coordinator, period):
    response = download(coordinator, "reports:export_xlsx", address(period))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == (f'attachment; filename="{filename("report", period, "xlsx")}"')
    about, cells = read_xlsx(response.content)
    assert about["Period"] == period.label
    assert about["Areas"] == "West Cornwall"
    assert about["Areas chosen"] == "All the areas you may see"
    assert about["Small numbers"] == "Exact figures: small numbers are not suppressed in this file."
    assert about["Who may see it"].startswith("Sensitive")
    assert cells == dashboard_cells(coordinator, period)
    route_concerns = ("The four routes side by side", ROUTE_LABELS["team_leader_phone"], "Concerns")
    assert cells[route_concerns] == 3


def test_each_sheet_is_named_by_its_title_cut_at_a_word(story, manager, period):
    content = download(manager, "reports:export_xlsx", address(period)).content
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    assert book.sheetnames[0] == "About"
    for sheet in book.worksheets[1:]:
        title = next(sheet.iter_rows(max_row=1, values_only=True))[0]
        assert len(sheet.title) <= 31
        assert title.startswith(sheet.title)
        assert title[len(sheet.title) : len(sheet.title) + 1] in ("", " ", ",", ":"), (sheet.title, title)
    assert "Coffee mornings" in book.sheetnames


def assert_small_numbers_never_shown(shown: dict, exact: dict) -> int:
    """Cell by cell, the manager's file against the coordinator's exact figures for the same
    areas and period: a count from 1 to 4 is never shown, and where the two differ the
    manager's says "fewer than 5" or "withheld". Returns how many cells were hidden."""
    assert shown.keys() == exact.keys()
    hidden = 0
    for key, value in shown.items():
        heading = key[2]
        true = exact[key]
        if is_number(true) and is_count_column(heading) and 1 <= true <= 4:
            assert value == FEWER_THAN_5, key
        if value in (FEWER_THAN_5, WITHHELD):
            hidden += 1
            assert str(true) != value, key
            continue
        assert value == true, key
        if is_number(value) and is_count_column(heading):
            assert not 1 <= value <= 4, key
    return hidden


def test_small_numbers_never_appear_in_a_managers_csv(story, manager, coordinator, period, west):
    query = address(period, area=[west.pk])
    _, shown = read_csv(download(manager, "reports:export_csv", query).content)
    _, exact = read_csv(download(coordinator, "reports:export_csv", query).content)

    phone = ("The four routes side by side", ROUTE_LABELS["team_leader_phone"])
    assert exact[(*phone, "Concerns")] == "3"
    assert shown[(*phone, "Concerns")] == FEWER_THAN_5
    assert shown[(*phone, "Reported to first action: median (hours)")] == WITHHELD
    assert exact[(*phone, "Reported to first action: median (hours)")] not in (WITHHELD, "none")
    assert shown[(*phone, "Seen to reported: median (hours)")] == WITHHELD
    # Compare as the spreadsheet would: numbers as numbers.
    as_numbers = {key: _number_or_text(value) for key, value in shown.items()}
    exact_numbers = {key: _number_or_text(value) for key, value in exact.items()}
    assert assert_small_numbers_never_shown(as_numbers, exact_numbers) >= 10


def _number_or_text(value: str):
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


def test_small_numbers_never_appear_in_a_managers_xlsx(story, manager, coordinator, period, west):
    query = address(period, area=[west.pk])
    about, shown = read_xlsx(download(manager, "reports:export_xlsx", query).content)
    _, exact = read_xlsx(download(coordinator, "reports:export_xlsx", query).content)

    assert "fewer than 5" in about["Small numbers"]
    phone = ("The four routes side by side", ROUTE_LABELS["team_leader_phone"])
    assert exact[(*phone, "Concerns")] == 3
    assert shown[(*phone, "Concerns")] == FEWER_THAN_5
    assert shown[(*phone, "Acted on within the target for its severity (%)")] == WITHHELD
    assert assert_small_numbers_never_shown(shown, exact) >= 10


def test_a_suppressed_count_cannot_be_worked_out_from_its_total(story, manager, period, west):
    _, shown = read_csv(download(manager, "reports:export_csv", address(period, area=[west.pk])).content)
    title = "The four routes side by side"
    routes = [
        ROUTE_LABELS[route] for route in ("formal_meeting", "coffee_morning", "team_leader_phone", "mdt")
    ]
    worked_out = []
    for heading in ("Concerns", "Still open at the end of the period"):
        parts = [shown[(title, route, heading)] for route in routes]
        total = shown[(title, "All routes", heading)]
        hidden = [part for part in parts if not part.isdigit()]
        assert FEWER_THAN_5 in hidden
        if len(hidden) == 1 and total.isdigit():
            worked_out.append((heading, int(total) - sum(int(part) for part in parts if part.isdigit())))
    assert worked_out == []


def test_a_coordinators_files_show_exact_small_numbers(story, coordinator, period):
    _, cells = read_csv(download(coordinator, "reports:export_csv", address(period)).content)
    assert FEWER_THAN_5 not in cells.values()
    assert WITHHELD not in cells.values()
    assert cells[("The four routes side by side", ROUTE_LABELS["team_leader_phone"], "Concerns")] == "3"


def test_a_meeting_chairs_files_hold_their_practices_meeting_figures_only(story, mdt_chair, period):
    about, cells = read_csv(download(mdt_chair, "reports:export_csv", address(period)).content)
    assert about["GP practice"] == "Alverton Practice"
    assert "Multi-Disciplinary Team" in about["Covers"]
    assert "suppressed" in about["Small numbers"]
    # One route, so its table is named for it rather than "The four routes side by side".
    mdt_journey = f"The journey of a concern: {ROUTE_LABELS['mdt']}"
    routes = {row for title, row, _ in cells if title == mdt_journey}
    assert routes == {ROUTE_LABELS["mdt"], "All routes"}
    assert "The four routes side by side" not in {title for title, _, _ in cells}
    assert "The journey of a concern, by area" not in {title for title, _, _ in cells}


def test_a_managers_files_never_hold_another_organisations_areas(story, manager, period):
    csv_content = download(manager, "reports:export_csv", address(period)).content.decode()
    xlsx_about, xlsx_cells = read_xlsx(download(manager, "reports:export_xlsx", address(period)).content)
    extract = streamed(download(manager, "reports:extract", address(period))).decode()

    assert "West Cornwall" in csv_content
    assert "Central Cornwall" in csv_content
    assert xlsx_about["Areas"] == "Central Cornwall, West Cornwall"
    assert {row for title, row, _ in xlsx_cells if title == "The journey of a concern, by area"} == {
        "Central Cornwall",
        "West Cornwall",
        "All areas",
    }
    assert "Central Cornwall" in extract
    assert "West Cornwall" in extract
    for content in (csv_content, str(xlsx_about), str(xlsx_cells), extract):
        assert "East Cornwall" not in content


def test_asking_for_another_organisations_area_gives_the_defaults_and_says_so(story, manager, east, period):
    about, cells = read_csv(download(manager, "reports:export_csv", address(period, area=[east.pk])).content)
    assert "This is not one of the choices" in about["Filters not used"]
    assert about["Areas"] == "Central Cornwall, West Cornwall"
    assert not any("East Cornwall" in row for _, row, _ in cells)


def test_formula_like_names_are_written_as_text_in_the_csv(story, coordinator, period, west):
    west.name = "=HYPERLINK(1)"
    west.save()
    _, cells = read_csv(download(coordinator, "reports:export_csv", address(period)).content)
    assert ("The journey of a concern, by area", "'=HYPERLINK(1)", "Concerns") in cells


# --- The de-identified extract ----------------------------------------------------------------


def test_extract_has_one_row_per_concern_with_the_week_of_each_step(story, coordinator, period):
    response = download(coordinator, "reports:extract", address(period))
    assert response["Content-Disposition"] == (
        f'attachment; filename="{filename("concerns", period, "csv")}"'
    )
    rows = extract_rows(streamed(response))

    assert len(rows) == 9
    assert {row["Area"] for row in rows} == {"West Cornwall"}
    journey = RiskReport.objects.get(pk=story["journey"].pk)
    events = {}
    for event in journey.events.order_by("-at"):
        events[event.to_status] = event.at  # the first time it reached each step
    reopened = [row for row in rows if row["Reopened"] == "Yes"]
    assert reopened == [
        {
            "Area": "West Cornwall",
            "Route": "Formal monthly meeting",
            "Kind of concern": journey.category.get_group_display(),
            "Category": journey.category.name,
            "Severity": "Medium",
            "Seen (week beginning)": monday_of(journey.observed_at),
            "Reported (week beginning)": monday_of(journey.reported_at),
            "First action (week beginning)": monday_of(events[Status.TRIAGED]),
            "Referred or passed on (week beginning)": monday_of(events[Status.ESCALATED]),
            "Outcome recorded (week beginning)": monday_of(events[Status.OUTCOME_RECORDED]),
            "Closed (week beginning)": monday_of(events[Status.CLOSED]),
            "What came of it (latest outcome)": OutcomeKind.HOME_MADE_SAFER.label,
            "Acted on within the target for its severity": "Yes",
            "Reopened": "Yes",
            "Status now": Status.TRIAGED.label,
        }
    ]
    urgent = [row for row in rows if row["Severity"] == "Urgent"]
    assert sorted(row["Acted on within the target for its severity"] for row in urgent) == [
        "No",
        "Not yet due",
        "Yes",
    ]
    assert all(row["Route"] == "Team leader phone line" for row in urgent)
    waiting = [row for row in rows if row["Status now"] == Status.REPORTED.label]
    assert len(waiting) == 3  # two at the formal meeting, one urgent not yet due
    assert all(row["First action (week beginning)"] == "" for row in waiting)


def test_the_dashboard_and_the_extract_agree_on_a_reopened_late_concern(world, coordinator, period):
    """Reopening gives the new work a new due time; the first action is still judged, in
    both, against the target the concern had when it was reported."""
    risk = RiskReportFactory(
        client=world.elsie, reported_by=world.volunteer, severity=Severity.URGENT, category=world.falls
    )
    backdate(risk, reported_hours_ago=6)
    risk_services.risk_triage(risk=risk, by=coordinator)
    risk_services.risk_close(risk=risk, by=coordinator, reason="Sorted")
    risk_services.risk_reopen(risk=risk, by=coordinator, note="It happened again")

    [row] = extract_rows(streamed(download(coordinator, "reports:extract", address(period))))
    _, cells = read_csv(download(coordinator, "reports:export_csv", address(period)).content)
    share = cells[
        ("The four routes side by side", "All routes", "Acted on within the target for its severity (%)")
    ]
    assert row["Acted on within the target for its severity"] == "No"
    assert row["Reopened"] == "Yes"
    assert row["Status now"] == Status.TRIAGED.label
    assert share == "0.0"


def test_extract_covers_only_the_period_and_areas_chosen(story, manager, period, today):
    central = story["central"]
    rows = extract_rows(streamed(download(manager, "reports:extract", address(period, area=[central.pk]))))
    assert [row["Area"] for row in rows] == ["Central Cornwall"]

    earlier = ReportPeriod(today - datetime.timedelta(days=60), today - datetime.timedelta(days=31))
    assert extract_rows(streamed(download(manager, "reports:extract", address(earlier)))) == []


def test_an_extract_of_dates_that_cannot_be_used_is_refused_plainly(story, coordinator, today):
    backwards = {"period": "custom", "start": today.isoformat(), "end": "2020-01-01"}
    response = signed_in(coordinator).get(reverse("reports:extract"), backwards)

    assert response.status_code == 400
    assert "The last day cannot be before the first day." in response.content.decode()
    assert not ReportExport.objects.exists()


def test_a_dashboard_file_of_dates_that_cannot_be_used_says_it_covers_the_defaults(story, coordinator, today):
    backwards = {"period": "custom", "start": today.isoformat(), "end": "2020-01-01"}
    about, _ = read_csv(download(coordinator, "reports:export_csv", backwards).content)

    assert about["Filters not used"] == (
        "The last day cannot be before the first day. The file covers the default period and areas instead."
    )
    assert about["Period chosen"] == "The last 3 complete months"


@pytest.fixture
def planted(story, world):
    """The distinctive string in every free-text field and name the extract could leak:
    clients, concerns, their timelines, referrals, outcomes, volunteers and every person."""
    Client.objects.update(
        first_name=PLANTED,
        last_name=PLANTED,
        preferred_name=PLANTED,
        address=PLANTED,
        postcode=PLANTED_POSTCODE,
        nhs_number=PLANTED_NHS_NUMBER,
        practical_needs=PLANTED,
        communication_needs=PLANTED,
        next_of_kin_name=PLANTED,
        next_of_kin_relationship=PLANTED,
    )
    RiskReport.objects.update(
        what_was_seen=PLANTED, action_taken=PLANTED, client_wishes=PLANTED, close_reason=PLANTED
    )
    RiskEvent.objects.update(note=PLANTED)
    Referral.objects.update(key_worker=PLANTED, reference=PLANTED)
    Outcome.objects.update(staff_summary=PLANTED, volunteer_message=PLANTED)
    Volunteer.objects.update(
        address=PLANTED,
        postcode=PLANTED_POSTCODE,
        background=PLANTED,
        languages=PLANTED,
        availability=PLANTED,
    )
    User.objects.update(
        first_name=PLANTED,
        last_name=PLANTED,
        username=Concat(Value(PLANTED + "-"), "id", output_field=CharField()),
        email="",
    )
    assert RiskEvent.objects.exclude(note=PLANTED).count() == 0
    assert Referral.objects.count() == 1
    assert Outcome.objects.count() == 1


def test_extract_holds_no_client_volunteer_staff_or_free_text(planted, manager, coordinator, period):
    for person in (manager, coordinator):
        content = streamed(download(person, "reports:extract", address(period))).decode()
        assert PLANTED not in content
        assert PLANTED.lower() not in content.lower()
        assert PLANTED_NHS_NUMBER not in content
        assert PLANTED_POSTCODE not in content


def test_every_value_in_the_extract_is_a_label_or_a_monday(planted, manager, period):
    """Nothing outside a fixed vocabulary can reach the file: no ids, no names, no days."""
    labels = {
        "Area": {"West Cornwall", "Central Cornwall"},
        "Route": set(ROUTE_LABELS.values()),
        "Kind of concern": set(dict(RiskCategory.Group.choices).values()),
        "Category": set(RiskCategory.objects.values_list("name", flat=True)),
        "Severity": set(dict(Severity.choices).values()),
        "What came of it (latest outcome)": {*dict(OutcomeKind.choices).values(), ""},
        "Acted on within the target for its severity": set(WITHIN_TARGET.values()),
        "Reopened": {"Yes", "No"},
        "Status now": set(dict(Status.choices).values()),
    }
    rows = extract_rows(streamed(download(manager, "reports:extract", address(period))))
    assert len(rows) == 10
    for row in rows:
        for heading, value in row.items():
            if heading in labels:
                assert value in labels[heading], (heading, value)
            else:
                assert heading.endswith("(week beginning)")
                if value:
                    assert datetime.date.fromisoformat(value).weekday() == 0, (heading, value)
    assert not any("id" in heading.lower().split() for heading in HEADINGS)


def add_concerns(template: RiskReport, count: int) -> None:
    """`count` more concerns like `template`, each a minute earlier than the last, with their
    first step, and an outcome for every third, in three set-based statements."""
    columns = [f.column for f in RiskReport._meta.concrete_fields if not f.primary_key and not f.generated]
    shifted = {"reported_at", "observed_at", "due_at"}
    select = [
        f"r.{column} - (g + %(offset)s) * interval '1 minute'" if column in shifted else f"r.{column}"
        for column in columns
    ]
    offset = RiskReport.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO risks_riskreport ({", ".join(columns)})
                SELECT {", ".join(select)} FROM risks_riskreport AS r, generate_series(1, %(count)s) AS g
                WHERE r.id = %(template)s RETURNING id""",
            {"count": count, "template": template.pk, "offset": offset},
        )
        new_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            """INSERT INTO risks_riskevent (risk_id, actor_id, at, from_status, to_status, note)
               SELECT id, reported_by_id, reported_at, '', 'reported', '' FROM risks_riskreport
               WHERE id = ANY(%(ids)s)""",
            {"ids": new_ids},
        )
        cursor.execute(
            """INSERT INTO risks_outcome (risk_id, kind, volunteer_told_detail, staff_summary,
                   volunteer_message, recorded_by_id, recorded_at)
               SELECT id, 'advice_given', false, 'x', 'y', reported_by_id, reported_at + interval '1 hour'
               FROM risks_riskreport WHERE id = ANY(%(ids)s) AND id %% 3 = 0""",
            {"ids": new_ids},
        )


@pytest.fixture
def template_concern(world, today):
    risk = RiskReportFactory(client=world.elsie, reported_by=world.volunteer, category=world.falls)
    backdate(risk, reported_hours_ago=3)
    return risk


def measure_stream(user, query) -> tuple[int, int]:
    """(rows, peak bytes of Python memory while the response is read), reading it block by
    block as a server writes it out, keeping none of it."""
    response = signed_in(user).get(reverse("reports:extract"), query)
    assert isinstance(response, StreamingHttpResponse)
    lines = 0
    stream = iter(response.streaming_content)
    tracemalloc.start()
    try:
        while (block := next(stream, None)) is not None:
            lines += block.count(b"\n")
            del block  # as a server does once it has written the block out
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return lines - 1, peak


def test_extract_streams_in_constant_memory(template_concern, coordinator, period):
    response = signed_in(coordinator).get(reverse("reports:extract"), address(period))
    assert isinstance(response, StreamingHttpResponse)
    assert response.streaming
    stream = response.streaming_content
    assert iter(stream) is stream  # an iterator, read as it is sent, not a body in memory
    streamed(response)

    add_concerns(template_concern, 1_999)
    small_rows, small_peak = measure_stream(coordinator, address(period))
    add_concerns(template_concern, 18_000)
    large_rows, large_peak = measure_stream(coordinator, address(period))

    assert (small_rows, large_rows) == (2_000, 20_000)
    # Ten times the rows, the same memory: one chunk at a time, whatever the total.
    assert large_peak < small_peak * 1.5, (small_peak, large_peak)


def test_extract_runs_the_same_queries_for_10_and_for_100_concerns(template_concern, manager, period):
    query = address(period)
    browser = signed_in(manager)
    streamed(browser.get(reverse("reports:extract"), query))  # first use fills the caches

    add_concerns(template_concern, 9)
    few = queries_for(lambda: streamed(browser.get(reverse("reports:extract"), query)))
    add_concerns(template_concern, 90)
    many = queries_for(lambda: streamed(browser.get(reverse("reports:extract"), query)))

    assert len(few) == len(many)
    assert len([sql for sql in many if "risks_riskevent" in sql]) == 1


# --- Every export is on record ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("reports:export_csv", ReportExport.Kind.DASHBOARD_CSV),
        ("reports:export_xlsx", ReportExport.Kind.DASHBOARD_XLSX),
        ("reports:extract", ReportExport.Kind.EXTRACT_CSV),
    ],
)
def test_each_export_is_recorded_once_with_who_what_when_and_filters(
    story, manager, period, west, name, kind
):
    before = timezone.now()
    response = download(manager, name, address(period, area=[west.pk]))

    # Recorded before a byte of the file has been read.
    export = ReportExport.objects.get()
    assert export.kind == kind
    assert export.taken_by == manager
    assert before <= export.taken_at <= timezone.now()
    assert (export.period_start, export.period_end) == (period.start, period.end)
    assert export.filters["areas"] == ["West Cornwall"]
    assert export.filters["period"] == "custom"
    assert export.filters["small_numbers_suppressed"] is True
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(ReportExport))
    entry = entries.get()
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == manager
    assert entry.object_id == export.pk
    assert entry.additional_data == {
        "export": kind,
        "period": [period.start.isoformat(), period.end.isoformat()],
        "filters": export.filters,
        "trial": None,
    }
    if response.streaming:
        streamed(response)
    assert ReportExport.objects.count() == 1


def test_a_trials_export_is_recorded_with_its_trial(manager, west, period):
    trial = Trial.objects.create(
        title="Volunteers at West's MDT",
        model=TrialModel.VOLUNTEERS_AT_MDT,
        organisation=west.organisation,
        area=west,
        starts_on=period.start,
        ends_on=period.end,
        created_by=manager,
    )
    export = record_export(
        by=manager,
        kind=ReportExport.Kind.TRIAL_XLSX,
        period=period,
        filters={"trial": trial.title},
        trial=trial,
    )
    assert export.trial == trial
    entry = LogEntry.objects.get(object_id=export.pk, content_type__model="reportexport")
    assert entry.actor == manager
    assert entry.additional_data["trial"] == trial.pk


def test_an_unknown_kind_of_export_is_refused(manager, period):
    with pytest.raises(ValueError, match="Unknown kind of export"):
        record_export(by=manager, kind="everything", period=period, filters={})
    assert not ReportExport.objects.exists()


# --- Who may take them ------------------------------------------------------------------------

OK, NO = 200, 403
ACCESS = {
    # anonymous, volunteer, other_volunteer, coordinator, other_coordinator, team_leader,
    # other_team_leader, mdt_chair, clinician, manager, no_role
    "reports:export_csv": (LOGIN, NO, NO, OK, OK, NO, NO, OK, NO, OK, NO),
    "reports:export_xlsx": (LOGIN, NO, NO, OK, OK, NO, NO, OK, NO, OK, NO),
    "reports:extract": (LOGIN, NO, NO, OK, OK, NO, NO, NO, NO, OK, NO),
}
assert set(ACCESS) == set(EXPORTS)
assert all(len(row) == len(ACTORS) for row in ACCESS.values())


@pytest.mark.parametrize(("view", "actor", "expected"), cases(ACCESS))
def test_who_may_take_each_export(cast, view, actor, expected):
    response = signed_in(cast.people[actor]).get(reverse(view))
    assert_answer(response, expected)
    if expected == OK:
        assert ReportExport.objects.get().taken_by == cast.people[actor]
    else:
        assert not ReportExport.objects.exists()
        assert not LogEntry.objects.filter(content_type__model="reportexport").exists()


def test_a_manager_of_no_organisation_has_no_exports(manager, today):
    """No organisation of her own, and no area she works in today (whose organisation would
    be hers)."""
    manager.organisation = None
    manager.save(update_fields=["organisation"])
    manager.area_memberships.update(ended_on=today)
    for view in EXPORTS:
        assert signed_in(manager).get(reverse(view)).status_code == 403
