"""The charts beside the report tables (livingwell.reports.charts): SVG drawn on the server,
a bar per row in the table's order, no bar and no number for a withheld figure, nothing
that runs or loads from elsewhere, words a phone can read, and colours that stand out."""

import base64
import re
from xml.etree import ElementTree

import pytest

from livingwell.accounts.models import Route
from livingwell.reports import charts, tables
from livingwell.reports.disclosure import Cell, count_cell
from livingwell.reports.selectors import Journey, JourneyFigures
from livingwell.reports.tables import Chart, Column, Row, Table

SVG = "{http://www.w3.org/2000/svg}"


def parsed(drawn: charts.DrawnChart) -> ElementTree.Element:
    return ElementTree.fromstring(drawn.svg)


def bars_of(svg: ElementTree.Element) -> list[ElementTree.Element]:
    return [rect for rect in svg.iter(f"{SVG}rect") if "reactive" in rect.get("class", "")]


# The elements that carry words a person could read (the rest is drawing and stylesheet).
WORDY = {f"{SVG}{tag}" for tag in ("text", "tspan", "desc", "title")}


def words_of(svg: ElementTree.Element) -> list[str]:
    return [
        " ".join(node.text.split()) for node in svg.iter() if node.tag in WORDY and (node.text or "").strip()
    ]


def routes_table(*, suppress: bool) -> Table:
    """Three routes: 20 concerns at the formal meeting (a median of 130 hours to the first
    action), 3 at coffee mornings (a median of 777 hours), 17 by phone (2.5 hours)."""
    figures = JourneyFigures(
        total=Journey(concerns=40, to_first_action=(60.0, 300.0), acted_on=40),
        by_route={
            Route.FORMAL_MEETING: Journey(concerns=20, to_first_action=(130.0, 300.0), acted_on=20),
            Route.COFFEE_MORNING: Journey(concerns=3, to_first_action=(777.0, 999.0), acted_on=3),
            Route.TEAM_LEADER_PHONE: Journey(concerns=17, to_first_action=(2.5, 6.0), acted_on=17),
        },
    )
    return tables.route_comparison_table(figures, suppress=suppress)


def counts_table(counts: dict[str, int], *, suppress: bool = True) -> Table:
    return Table(
        key="things",
        title="Things",
        about="",
        columns=[Column("n", "Count")],
        rows=[
            *(Row(label, (count_cell(n, suppress=suppress),)) for label, n in counts.items()),
            Row("All", (count_cell(sum(counts.values()), suppress=suppress),), is_total=True),
        ],
        chart=Chart("n", "Things counted, by kind"),
    )


def test_each_row_but_the_total_gets_a_bar_in_the_tables_order():
    drawn = charts.draw(counts_table({"Apples": 40, "Pears": 10, "Plums": 20}))
    svg = parsed(drawn)
    bars = bars_of(svg)
    assert len(bars) == 3
    # The first row is at the top; the bars' lengths follow the figures.
    by_height = sorted(bars, key=lambda rect: float(rect.get("y")))
    widths = [float(rect.get("width")) for rect in by_height]
    assert widths[0] == pytest.approx(4 * widths[1])
    assert widths[2] == pytest.approx(2 * widths[1])
    assert [word for word in words_of(svg) if ": " in word] == ["Apples: 40", "Pears: 10", "Plums: 20"]


def test_a_withheld_figure_gets_no_bar_and_its_number_is_nowhere_in_the_chart():
    drawn = charts.draw(routes_table(suppress=True))
    svg = parsed(drawn)
    assert len(bars_of(svg)) == 2  # the formal meeting and the phone line
    words = words_of(svg)
    assert "Coffee morning: withheld" in words
    assert not any("777" in word or "32.4" in word for word in words)  # 777 hours is 32.4 days
    assert [bar.value for bar in charts.chart_bars(routes_table(suppress=True))] == [130.0, None, 2.5, None]


def test_a_count_of_three_is_fewer_than_5_in_a_managers_chart_and_3_in_a_coordinators():
    hidden = charts.draw(counts_table({"West Cornwall": 3, "Central Cornwall": 8}, suppress=True))
    words = words_of(parsed(hidden))
    assert "West Cornwall: fewer than 5" in words
    assert not any(re.search(r"\b3\b", word) for word in words)
    assert len(bars_of(parsed(hidden))) == 1

    shown = charts.draw(counts_table({"West Cornwall": 3, "Central Cornwall": 8}, suppress=False))
    assert "West Cornwall: 3" in words_of(parsed(shown))
    assert len(bars_of(parsed(shown))) == 2


def test_a_suppressed_cell_gets_no_bar_even_if_it_carried_a_number():
    table = counts_table({"Apples": 40, "Pears": 10})
    table.rows[1] = Row("Pears", (Cell("fewer than 5", 3, suppressed=True),))
    bars = charts.chart_bars(table)
    assert [bar.value for bar in bars] == [40.0, None]
    assert "Pears: 3" not in words_of(parsed(charts.draw(table)))


def test_the_chart_runs_nothing_and_loads_nothing_from_elsewhere():
    drawn = charts.draw(routes_table(suppress=False))
    assert "<script" not in drawn.svg
    assert "href" not in drawn.svg
    assert "@import" not in drawn.svg
    assert "url(" not in drawn.svg
    assert "googleapis" not in drawn.svg
    # The only address in it is the SVG namespace.
    assert re.findall(r"https?://[^\s\"'<>]+", drawn.svg) == ["http://www.w3.org/2000/svg"]
    assert "<!--" not in drawn.svg


def test_the_image_is_a_data_address_of_the_svg():
    drawn = charts.draw(routes_table(suppress=False))
    prefix = "data:image/svg+xml;base64,"
    assert drawn.data_uri.startswith(prefix)
    assert base64.b64decode(drawn.data_uri.removeprefix(prefix)).decode() == drawn.svg


def test_the_alt_text_says_what_the_chart_shows_and_points_to_its_table():
    drawn = charts.draw(routes_table(suppress=False))
    assert drawn.alt == (
        "Bar chart: median time from report to first action, by route. "
        'Every figure it shows is in the table "The four routes side by side" that follows.'
    )
    assert parsed(drawn).find(f"{SVG}title").text == "Median time from report to first action, by route"


def test_the_chart_scales_to_its_box_and_keeps_words_readable_on_a_phone():
    svg = parsed(charts.draw(routes_table(suppress=False)))
    # No fixed size: the viewBox lets the page scale it with max-width: 100%.
    assert svg.get("width") is None
    assert svg.get("height") is None
    assert svg.get("viewBox").startswith(f"0 0 {charts.WIDTH} ")
    # On a 320 pixel phone the chart is about 290 pixels wide: its words stay 14 pixels or more.
    assert charts.FONT_SIZE * 290 / charts.WIDTH >= 14


def test_a_long_name_wraps_onto_lines_instead_of_being_cut():
    name = "Home made safer (equipment, adaptations, repairs) and a great deal more besides"
    svg = parsed(charts.draw(counts_table({name: 12, "Other": 6})))
    words = " ".join(words_of(svg))
    assert f"{name}: 12" in words
    assert all(len(word) <= charts.CHARACTERS_PER_LINE for word in words_of(svg))
    assert "…" not in words


def relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_bars_and_words_stand_out_against_the_white_background():
    assert contrast(charts.TEXT_COLOUR, "#ffffff") >= 7
    assert contrast(charts.BAR_COLOUR, "#ffffff") >= 4.5
    svg = charts.draw(counts_table({"Apples": 40})).svg
    assert f'fill="{charts.TEXT_COLOUR}"' in svg
    assert charts.BAR_COLOUR in svg


@pytest.mark.parametrize(
    ("counts", "note"),
    [
        ({"Apples": 3, "Pears": 2}, "There is no chart: its figures are too small to show."),
        ({"Apples": 0, "Pears": 0}, "There is no chart: there is nothing to count in this period."),
    ],
)
def test_no_picture_when_there_is_no_bar_to_draw(counts, note):
    drawn = charts.draw(counts_table(counts))
    assert drawn.svg is None
    assert drawn.note == note


def test_a_table_without_a_chart_draws_none():
    table = counts_table({"Apples": 12})
    table.chart = None
    assert charts.draw(table) is None
    assert charts.chart_bars(table) == []


def test_a_title_starting_with_capitals_keeps_them_in_the_alt_text():
    table = counts_table({"Alverton": 12})
    table.chart = Chart("n", "GP practices by size")
    assert charts.draw(table).alt.startswith("Bar chart: GP practices by size. ")


def test_the_volunteers_and_coffee_mornings_tables_chart_only_their_counts_of_one_kind():
    from livingwell.reports.selectors import CoffeeMorningFigures, VolunteerFigures
    from livingwell.reports.tables import coffee_morning_table, volunteer_table

    volunteers = volunteer_table(
        VolunteerFigures(
            active=40,
            reporting=20,
            concerns=60,
            good_news_with_detail=12,
            good_news_thanks_only=7,
            mdt_opted_in=9,
        ),
        suppress=True,
    )
    coffee = coffee_morning_table(CoffeeMorningFigures(concerns=30, owned_within_two_days=24), suppress=True)

    assert [(bar.label, bar.value) for bar in charts.chart_bars(volunteers)] == [
        ("Good news sent with what happened", 12.0),
        ("Good news sent as thanks only (the client had not agreed to share details)", 7.0),
    ]
    assert [(bar.label, bar.value) for bar in charts.chart_bars(coffee)] == [
        ("Concerns raised at coffee mornings", 30.0),
        ("Given an owner within 2 days", 24.0),
    ]
