"""The reports dashboard (`/reports/`): who sees which figures, the filters kept in the
address, small numbers hidden from managers, a page that reads without script or inline
style, and a query count that does not grow with the number of concerns."""

import base64
import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from livingwell.accounts.models import Route
from livingwell.accounts.roles import Role
from risks.models import RiskCategory, RiskReport
from tests.factories import AreaFactory, ClientFactory, GPPracticeFactory, OrganisationFactory, UserFactory
from tests.risks.factories import RiskReportFactory, bulk_copies
from tests.support.queries import queries_for

DASHBOARD = reverse("reports:dashboard")


# --- Reading the page back -------------------------------------------------------------------


class DashboardPage(HTMLParser):
    """The tables of the page (by key: `#table-<key>`), each a list of rows of cell texts
    (the first row is the headings), and each table's chart image (its attributes)."""

    def __init__(self, html: str):
        super().__init__()
        self.sections: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self.labels: dict[str, list[str]] = {}
        self.images: dict[str, dict] = {}
        self._section = self._table = self._row = self._cell = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("id", "").startswith("table-"):
            self._section = attrs["id"].removeprefix("table-")
            self.sections.append(self._section)
        elif tag == "table" and self._section:
            self._table = self.tables[self._section] = []
            self.labels[self._section] = []
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("th", "td") and self._row is not None:
            self._cell = []
            if tag == "td":
                self.labels[self._section].append(attrs.get("data-label"))
        elif tag == "img" and self._section:
            self.images[self._section] = attrs

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = self._row = None
        elif tag == "section":
            self._section = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def figure(self, key: str, row: str, column: str) -> str:
        """The text of one cell: the row named `row`, under the heading `column`."""
        table = self.tables[key]
        index = table[0].index(column)
        return next(cells[index] for cells in table[1:] if cells[0] == row)

    def column(self, key: str, heading: str) -> list[str]:
        table = self.tables[key]
        index = table[0].index(heading)
        return [cells[index] for cells in table[1:]]

    def chart_words(self, key: str) -> list[str]:
        """Every piece of text in a table's chart (its SVG decoded from the image)."""
        src = self.images[key]["src"]
        prefix = "data:image/svg+xml;base64,"
        assert src.startswith(prefix)
        svg = ElementTree.fromstring(base64.b64decode(src.removeprefix(prefix)))
        wordy = {f"{{http://www.w3.org/2000/svg}}{tag}" for tag in ("text", "tspan", "desc", "title")}
        return [
            " ".join(node.text.split())
            for node in svg.iter()
            if node.tag in wordy and (node.text or "").strip()
        ]


def page_of(response) -> DashboardPage:
    assert response.status_code == 200
    return DashboardPage(response.text)


def address(**params) -> str:
    return f"{DASHBOARD}?{urlencode(params, doseq=True)}"


@pytest.fixture
def this_month(today):
    """A period that includes today, when the tests' concerns are reported."""
    return {
        "period": "custom",
        "start": (today - datetime.timedelta(days=30)).isoformat(),
        "end": today.isoformat(),
    }


# --- The people and their concerns --------------------------------------------------------


@pytest.fixture
def mona(manager, west):
    """The manager of the organisation West Cornwall belongs to."""
    manager.organisation = west.organisation
    manager.save(update_fields=["organisation"])
    return manager


@pytest.fixture
def central(west):
    """A second area of Mona's organisation."""
    return AreaFactory(name="Central Cornwall", organisation=west.organisation)


@pytest.fixture
def scilly(db):
    """An area of another organisation, with its own coordinator and concerns."""
    return AreaFactory(name="Isles of Scilly", organisation=OrganisationFactory(name="Island Neighbours"))


def concerns(client, count: int, *, route: str = Route.FORMAL_MEETING, **overrides) -> list[RiskReport]:
    """`count` concerns about `client`, reported now by a volunteer who visits them (the
    first through the service, the rest copied in one statement)."""
    first = RiskReportFactory(client=client)
    RiskReport.objects.filter(pk=first.pk).update(route=route, **overrides)
    first.refresh_from_db()
    return [first, *bulk_copies(first, count - 1)]


def client_of(area, **kwargs):
    return ClientFactory(gp_practice=GPPracticeFactory(area=area), **kwargs)


# --- Who may open the dashboard -----------------------------------------------------------


def test_anonymous_visitors_are_asked_to_sign_in(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("person", ["volunteer", "clinician", "team_leader", "no_role"])
def test_volunteers_clinicians_team_leaders_and_people_without_a_role_get_no_reports(login, world, person):
    response = login(getattr(world, person)).get(DASHBOARD)
    assert response.status_code == 403


def test_a_manager_of_no_organisation_gets_no_reports(login, make_person):
    assert login(make_person(Role.MANAGER)).get(DASHBOARD).status_code == 403


def test_a_manager_sees_every_area_of_their_organisation_and_nothing_of_another(
    login, world, mona, central, scilly, this_month
):
    concerns(world.elsie, 6)
    concerns(client_of(central), 5, route=Route.COFFEE_MORNING)
    concerns(client_of(scilly), 7)
    concerns(world.morwenna, 8)  # East Cornwall: another organisation too

    response = login(mona).get(address(**this_month))
    page = page_of(response)

    assert page.figure("routes", "Concerns", "All routes") == "11"
    assert page.figure("routes", "Concerns", "Formal monthly meeting") == "6"
    assert page.figure("routes", "Concerns", "Coffee morning") == "5"
    assert page.tables["areas"][0][1:] == ["Central Cornwall", "West Cornwall", "All areas"]
    for outsider in ("Isles of Scilly", "Island Neighbours", "East Cornwall"):
        assert outsider not in response.text
    assert west_organisation_named(response, mona)


def west_organisation_named(response, mona) -> bool:
    return f"<dd>{mona.organisation.name}</dd>" in response.text


def test_a_coordinator_sees_only_the_areas_they_coordinate(login, world, central, this_month):
    concerns(world.elsie, 6)
    concerns(client_of(central), 9)
    concerns(world.morwenna, 8)

    response = login(world.coordinator).get(address(**this_month))
    page = page_of(response)

    assert page.figure("routes", "Concerns", "All routes") == "6"
    assert page.tables["areas"][0][1:] == ["West Cornwall", "All areas"]
    assert "The areas you coordinate" in response.text
    for elsewhere in ("Central Cornwall", "East Cornwall"):
        assert elsewhere not in response.text


def test_a_meeting_chair_sees_only_their_practices_multi_disciplinary_team_figures(login, world, this_month):
    concerns(world.elsie, 5, route=Route.MDT)  # Alverton Practice, at its MDT meeting
    concerns(world.elsie, 9, route=Route.FORMAL_MEETING)  # Alverton, at the area's meeting
    concerns(client_of(world.west), 7, route=Route.MDT)  # another practice of West Cornwall

    response = login(world.mdt_chair).get(address(**this_month))
    page = page_of(response)

    assert page.tables["routes"][0][1:] == ["GP practice Multi-Disciplinary Team meeting", "All routes"]
    assert page.figure("routes", "Concerns", "All routes") == "5"
    assert page.tables["meetings"][0][1:] == ["Multi-Disciplinary Team meeting"]
    assert page.sections == ["routes", "categories", "outcomes", "referrals", "meetings"]
    assert "The Multi-Disciplinary Team meetings of Alverton Practice" in response.text
    assert "The journey of a concern: GP practice Multi-Disciplinary Team meeting" in response.text
    assert "The four routes side by side" not in response.text
    # Their reports are their practice's meeting figures: no row-level file of the area.
    assert reverse("reports:extract") not in response.text


# --- The filters, kept in the address -----------------------------------------------------


def test_an_area_of_another_organisation_in_the_address_is_refused_and_counted_nowhere(
    login, world, mona, scilly, today
):
    # Reported in the middle of last month: inside the period asked for.
    in_the_default_period = timezone.make_aware(
        datetime.datetime.combine(today.replace(day=1) - datetime.timedelta(days=15), datetime.time(12))
    )
    concerns(world.elsie, 6, reported_at=in_the_default_period)
    concerns(client_of(scilly), 7, reported_at=in_the_default_period)

    response = login(mona).get(address(period="last_12_months", area=[scilly.pk]))
    page = page_of(response)

    assert "Some of what was asked for could not be used" in response.text
    assert "Areas: This is not one of the choices. Choose one from the list." in response.text
    assert "So the figures below are for" in response.text
    # The period asked for still counts: only the wrong area is left out.
    assert "(the last 12 complete months)" in response.text
    assert page.figure("routes", "Concerns", "All routes") == "6"
    assert "Isles of Scilly" not in response.text


def test_the_period_comes_from_the_address(login, world, mona, today):
    recent = concerns(world.elsie, 6)
    older = concerns(world.elsie, 5)
    RiskReport.objects.filter(pk__in=[risk.pk for risk in older]).update(
        reported_at=timezone.now() - datetime.timedelta(days=60)
    )
    client = login(mona)
    last_fortnight = {
        "period": "custom",
        "start": (today - datetime.timedelta(days=14)).isoformat(),
        "end": today.isoformat(),
    }
    page = page_of(client.get(address(**last_fortnight)))
    assert page.figure("routes", "Concerns", "All routes") == str(len(recent))

    since_spring = {**last_fortnight, "start": (today - datetime.timedelta(days=90)).isoformat()}
    response = client.get(address(**since_spring))
    assert page_of(response).figure("routes", "Concerns", "All routes") == "11"
    start = today - datetime.timedelta(days=90)
    assert f"{start.day} {start:%B} {start.year} to {today.day} {today:%B} {today.year}" in response.text


def test_a_preset_period_is_named_with_its_dates(login, mona, today):
    response = login(mona).get(address(period="last_12_months"))
    assert response.status_code == 200
    assert "(the last 12 complete months)" in response.text
    assert 'value="last_12_months" selected' in response.text


def test_the_default_period_is_the_last_three_complete_months(login, mona, today):
    response = login(mona).get(DASHBOARD)
    this_month_starts = today.replace(day=1)
    last_day = this_month_starts - datetime.timedelta(days=1)
    assert f"to {last_day.day} {last_day:%B} {last_day.year}" in response.text
    assert "(the last 3 complete months)" in response.text


def test_the_areas_come_from_the_address(login, world, mona, central, this_month):
    concerns(world.elsie, 6)
    concerns(client_of(central), 5)

    response = login(mona).get(address(**this_month, area=[central.pk]))
    page = page_of(response)

    assert page.figure("routes", "Concerns", "All routes") == "5"
    assert page.tables["areas"][0][1:] == ["Central Cornwall", "All areas"]
    assert "Central Cornwall (1 of your 2 areas)" in response.text
    assert re.search(rf'<input [^>]*value="{central.pk}"[^>]*checked', response.text)
    assert not re.search(rf'<input [^>]*value="{world.west.pk}"[^>]*checked', response.text)


# --- Small numbers ------------------------------------------------------------------------


def test_a_count_of_three_is_fewer_than_5_to_a_manager_and_3_to_a_coordinator(login, world, mona, this_month):
    concerns(world.elsie, 3)
    client = login(mona)

    response = client.get(address(**this_month))
    page = page_of(response)
    assert page.figure("routes", "Concerns", "Formal monthly meeting") == "fewer than 5"
    assert page.figure("areas", "Concerns", "West Cornwall") == "fewer than 5"
    assert "3" not in page.column("areas", "West Cornwall")
    assert "Some small numbers are hidden" in response.text
    # The area chart has no bar for West Cornwall, and its words never give the number.
    words = page.chart_words("areas") if "areas" in page.images else []
    assert not any(re.search(r"\b3\b", word) for word in words)
    assert "West Cornwall: 3" not in words

    client.force_login(world.coordinator)
    response = client.get(address(**this_month))
    page = page_of(response)
    assert page.figure("routes", "Concerns", "Formal monthly meeting") == "3"
    assert page.figure("areas", "Concerns", "West Cornwall") == "3"
    assert "West Cornwall: 3" in page.chart_words("areas")
    assert "Some small numbers are hidden" not in response.text


def test_a_manager_sees_counts_of_five_and_more_and_their_charts(login, world, mona, this_month):
    concerns(world.elsie, 12)
    page = page_of(login(mona).get(address(**this_month)))
    assert page.figure("areas", "Concerns", "West Cornwall") == "12"
    assert "West Cornwall: 12" in page.chart_words("areas")
    assert page.images["areas"]["alt"].startswith("Bar chart: concerns reported, by area.")


# --- What the page is made of -------------------------------------------------------------


def test_every_table_has_a_caption_headings_and_phone_labels_and_is_in_the_contents(
    login, world, mona, this_month
):
    concerns(world.elsie, 6)
    response = login(mona).get(address(**this_month))
    page = page_of(response)
    html = response.text
    assert page.sections == [
        "routes",
        "areas",
        "categories",
        "outcomes",
        "referrals",
        "volunteers",
        "meetings",
        "coffee",
    ]
    # No referral was made: that table says so instead of showing an empty table.
    assert "referrals" not in page.tables
    assert "No referrals were made in this period." in html
    for key in page.sections:
        assert f'<a href="#table-{key}">' in html
    for key in page.tables:
        assert f'<caption id="table-{key}-caption"' in html
        assert all(page.labels[key]), f"a cell of {key} has no label for phones"
    assert html.count('<th scope="col">') >= sum(len(table[0]) for table in page.tables.values())
    assert html.count('<th scope="row">') == sum(len(table) - 1 for table in page.tables.values())


def test_the_heading_says_whose_figures_which_areas_and_which_period(
    login, world, mona, central, this_month, today
):
    response = login(mona).get(address(**this_month))
    html = response.text
    assert "<h1>Reports</h1>" in html
    assert west_organisation_named(response, mona)
    assert "Central Cornwall, West Cornwall (all of yours)" in html
    assert f"to {today.day} {today:%B} {today.year}</dd>" in html
    assert "How these figures are worked out" in html


def test_the_downloads_keep_the_address_of_the_figures_shown(login, world, mona, this_month):
    query = urlencode(this_month)
    response = login(mona).get(f"{DASHBOARD}?{query}")
    html = response.text
    escaped = query.replace("&", "&amp;")
    assert f'href="{reverse("reports:export_xlsx")}?{escaped}">Download as Excel' in html
    assert f'href="{reverse("reports:export_csv")}?{escaped}">Download as CSV' in html
    assert f'href="{reverse("reports:extract")}?{escaped}">De-identified concerns, one row each (CSV)' in html


def test_the_page_has_no_inline_script_or_style(login, world, mona, this_month):
    concerns(world.elsie, 12)
    html = login(mona).get(address(**this_month)).text
    assert '<img src="data:image/svg+xml;base64,' in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"<style\b", html) == []
    assert re.findall(r"\sstyle=", html) == []
    assert re.findall(r"\son[a-z]+=", html) == []


def arabic_indic(text: str) -> str:
    """`text` with its digits written in Arabic-Indic digits (which Python's int() reads)."""
    return "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in text)


ODD_ADDRESSES = [
    {"period": "custom", "start": "0001-01-01", "end": "0001-12-31"},
    {"period": "custom", "start": "9999-01-01", "end": "9999-12-31"},
    {"period": "custom", "start": "2024-05-01", "end": "2024-04-01"},
    {"period": "custom", "start": "2024-02-30", "end": "2024-03-01"},
    {"period": "custom", "start": "2001-01-01", "end": "2024-03-01"},
    {"period": "custom"},
    {"period": "custom", "start": arabic_indic("2024-01-01"), "end": arabic_indic("2024-02-01")},
    {"period": "nonsense"},
    {"period": "x" * 5000},
    {"start": "not a date", "end": "9" * 5000},
    {"area": ["999999"]},
    {"area": ["abc"]},
    {"area": [""]},
    {"area": ["\u0661"]},  # an Arabic-Indic 1
    {"area": ["-1", "99999999999999999999999999"]},
    {"area": ["1" * 5000]},
    {"period": "\x00", "area": "\x00"},
    {"period": ["last_month", "last_12_months"]},
]


@pytest.mark.parametrize("params", ODD_ADDRESSES, ids=range(len(ODD_ADDRESSES)))
def test_odd_addresses_get_the_default_figures_and_a_plain_message_never_an_error(login, mona, params):
    response = login(mona).get(address(**params))
    assert response.status_code == 200
    assert "The four routes side by side" in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"period": "custom", "start": "0001-01-01", "end": "0001-12-31"},
            "The date cannot be before 1 January 2000",
        ),
        (
            {"period": "custom", "start": "9999-01-01", "end": "9999-12-31"},
            "The first day cannot be in the future.",
        ),
        (
            {"period": "custom", "start": "2024-05-01", "end": "2024-04-01"},
            "The last day cannot be before the first day.",
        ),
        ({"period": "custom"}, "Give both the first and the last day, or choose a period."),
        (
            {"period": "nonsense"},
            "Period: This is not one of the choices. Choose one from the list.",
        ),
    ],
)
def test_a_period_that_cannot_be_used_says_why_and_which_figures_are_shown(login, mona, params, message):
    response = login(mona).get(address(**params))
    assert "Some of what was asked for could not be used" in response.text
    assert message in response.text
    assert "(the last 3 complete months)" in response.text


@pytest.mark.parametrize("params", [{"period": "x" * 5000}, {"area": ["1" * 5000]}], ids=["period", "area"])
def test_a_long_value_is_not_written_out_whole_in_the_message(login, mona, params):
    response = login(mona).get(address(**params))
    messages = re.search(r'<div class="alert alert-danger.*?</div>', response.text, re.S).group()
    assert "This is not one of the choices" in messages
    assert "x" * 300 not in messages
    assert "1" * 300 not in messages
    assert len(messages) < 1500


def test_dates_left_in_the_address_are_ignored_when_a_preset_period_is_chosen(login, mona):
    response = login(mona).get(address(period="last_month", start="junk", end="9999-99-99"))
    assert "could not be used" not in response.text
    assert "(last month)" in response.text


# --- Queries ------------------------------------------------------------------------------


def test_the_dashboard_runs_the_same_queries_for_10_and_for_10000_concerns(
    login, world, mona, central, this_month
):
    first = concerns(world.elsie, 1)[0]
    categories = list(RiskCategory.objects.values_list("pk", flat=True))
    routes = [Route.FORMAL_MEETING, Route.COFFEE_MORNING, Route.TEAM_LEADER_PHONE, Route.MDT]
    bulk_copies(
        first, 9, category_id=lambda i: categories[i % len(categories)], route=lambda i: routes[i % 4]
    )
    client = login(mona)
    url = address(**this_month)
    client.get(url)  # caches warmed (content types, sessions)

    with_10 = queries_for(lambda: client.get(url))
    add_concerns(first, 9_990, categories, routes, central)
    assert RiskReport.objects.count() == 10_000
    with_10000 = queries_for(lambda: client.get(url))

    assert len(with_10000) == len(with_10)
    page = page_of(client.get(url))
    assert page.figure("routes", "Concerns", "All routes") == "10,000"


def add_concerns(like: RiskReport, count: int, categories, routes, other_area) -> None:
    """`count` more concerns like `like`, in one statement, of every category and route,
    half of them in `other_area`, each with the two steps of its timeline."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO risks_riskreport (
                client_id, area_id, category_id, severity, route, status, what_was_seen,
                action_taken, client_wishes, observed_at, reported_by_id, reported_at, due_at,
                close_reason)
            SELECT r.client_id,
                   CASE WHEN n %% 2 = 0 THEN r.area_id ELSE %(other_area)s END,
                   (%(categories)s::int[])[1 + n %% cardinality(%(categories)s::int[])],
                   r.severity,
                   (%(routes)s::text[])[1 + n %% 4],
                   'triaged', r.what_was_seen, '', '', r.observed_at, r.reported_by_id,
                   r.reported_at - n * interval '1 second', r.due_at, ''
            FROM risks_riskreport AS r, generate_series(1, %(count)s) AS n
            WHERE r.id = %(like)s
            """,
            {
                "like": like.pk,
                "count": count,
                "categories": categories,
                "routes": [str(route) for route in routes],
                "other_area": other_area.pk,
            },
        )
        cursor.execute(
            """
            INSERT INTO risks_riskevent (risk_id, actor_id, at, from_status, to_status, note)
            SELECT r.id, r.reported_by_id, r.reported_at + step.after, step.from_status, step.to_status, ''
            FROM risks_riskreport AS r,
                 (VALUES (interval '0 hours', '', 'reported'),
                         (interval '5 hours', 'reported', 'triaged')) AS step(after, from_status, to_status)
            WHERE r.id <> %(like)s AND NOT EXISTS (SELECT 1 FROM risks_riskevent AS e WHERE e.risk_id = r.id)
            """,
            {"like": like.pk},
        )


# --- Navigation ---------------------------------------------------------------------------


def test_a_managers_home_page_leads_to_the_reports(login, mona):
    html = login(mona).get(reverse("home")).text
    assert (
        f'<a class="btn btn-primary" href="{DASHBOARD}">See the figures for the last 3 complete months'
        in html
    )
    assert f"The figures of the areas of {mona.organisation.name}, without names" in html
    assert f'href="{DASHBOARD}?period=last_12_months"' in html


def test_a_coordinators_home_page_has_no_reports_panel(login, coordinator):
    html = login(coordinator).get(reverse("home")).text
    assert "See the figures for" not in html


def test_a_person_with_several_roles_sees_the_widest_scope(login, world, central, this_month):
    both = UserFactory(
        roles=[Role.COORDINATOR, Role.MDT_CHAIR], areas=[world.west], practices=[world.elsie.gp_practice]
    )
    concerns(world.elsie, 6)
    page = page_of(login(both).get(address(**this_month)))
    assert page.figure("routes", "Concerns", "All routes") == "6"
    assert "areas" in page.tables
