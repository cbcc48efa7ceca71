"""The chart beside each report table: a bar per row of one column, drawn on the server as
SVG by pygal and shown as an image (`<img src="data:image/svg+xml;base64,...">`), so the
page needs no script and its strict Content Security Policy stands.

Each row gets two lanes: its name and figure written out in full (as the table writes
them: "3.5 hours", "45%", "fewer than 5"), and the bar under it. Written out, a long name
wraps instead of being cut short, and a phone shows the chart at a readable size. A figure
that disclosure control withheld gets no bar, and the chart is never given its number
(only the words the table shows), so no chart can reveal what a table hides.
"""

from __future__ import annotations

import base64
import textwrap
from dataclasses import dataclass

import pygal
from pygal.style import Style
from pygal.view import Box

from livingwell.reports.tables import Table

WIDTH = 360
MARGIN = 8
FONT_SIZE = 19
LINE_HEIGHT = 24
# Characters of a row's name per line: a generous average width of a character, so that
# wide letters still fit in the chart's width.
CHARACTERS_PER_LINE = int((WIDTH - 2 * MARGIN) / (FONT_SIZE * 0.58))
TEXT_COLOUR = "#1b1b1b"  # 17:1 on white
BAR_COLOUR = "#0b5563"  # the site's deep teal: 8.3:1 on white
FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground=TEXT_COLOUR,
    foreground_strong=TEXT_COLOUR,
    foreground_subtle=TEXT_COLOUR,
    font_family=FONT_FAMILY,
    # The first series is the (empty) lane for each row's name; the second holds the bars.
    colors=("#ffffff", BAR_COLOUR),
    opacity="1",
    opacity_hover="1",
    transition="0s",
)


@dataclass(frozen=True)
class Bar:
    """One row of a chart: the row's name, its figure as the table writes it, and the
    length of its bar (None: no bar, because the figure was withheld or there is none)."""

    label: str
    text: str
    value: float | None

    @property
    def caption(self) -> str:
        return f"{self.label}: {self.text}"


@dataclass(frozen=True)
class DrawnChart:
    title: str
    alt: str
    svg: str | None
    # Why there is no picture, when there is none.
    note: str = ""

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


def chart_bars(table: Table) -> list[Bar]:
    """The bars of `table`'s chart, one per row except totals, in the table's order (a
    figure below zero, such as a fall in a difference, is drawn with no length)."""
    if table.chart is None:
        return []
    index = table.column_index(table.chart.column)
    rows = table.charted_rows()
    bars = []
    for row, (_, value) in zip(rows, table.chart_values(), strict=True):
        cell = row.cells[index]
        # A suppressed figure never reaches pygal, whatever `chart_values` says of it.
        shown = None if cell.suppressed or value is None else max(float(value), 0.0)
        bars.append(Bar(label=row.label, text=cell.text, value=shown))
    return bars


def draw(table: Table) -> DrawnChart | None:
    """The chart of `table` (None if the table has none). When no row has a bar to draw
    (every figure zero, empty or withheld) there is no picture, and `note` says why."""
    if table.chart is None:
        return None
    title = table.chart.title
    bars = chart_bars(table)
    # "Concerns by kind" reads on after "Bar chart:" in lower case; "GP practices" does not.
    lowered = title[0].lower() + title[1:] if title[1:2].islower() else title
    alt = f'Bar chart: {lowered}. Every figure it shows is in the table "{table.title}" that follows.'
    if not any(bar.value for bar in bars):
        withheld = any(bar.value is None and bar.text not in ("", "none") for bar in bars)
        note = (
            "There is no chart: its figures are too small to show."
            if withheld
            else "There is no chart: there is nothing to count in this period."
        )
        return DrawnChart(title=title, alt=alt, svg=None, note=note)
    return DrawnChart(title=title, alt=alt, svg=render_svg(title, bars))


def render_svg(title: str, bars: list[Bar]) -> str:
    captions = [textwrap.wrap(bar.caption, CHARACTERS_PER_LINE) or [""] for bar in bars]
    lines = max(len(wrapped) for wrapped in captions)
    # Each row is two lanes of the same height: the caption's, then the bar's.
    lane = lines * LINE_HEIGHT + 12
    # pygal leaves a sliver (`Box.margin`) of the plot empty at each end of the rows.
    ends = Box.margin * len(bars) * 2 * lane
    chart = pygal.HorizontalBar(
        style=STYLE,
        width=WIDTH,
        height=round(2 * lane * len(bars) + 2 * ends + 2 * MARGIN),
        margin=MARGIN,
        spacing=0,
        show_legend=False,
        show_x_labels=False,
        show_y_labels=False,
        show_x_guides=False,
        show_y_guides=False,
        print_values=False,
        # No script in the picture (pygal adds its tooltips' script by default), and nothing
        # fetched from anywhere: its stylesheets are written into the SVG.
        js=[],
        disable_xml_declaration=True,
    )
    # pygal draws the first value at the bottom: reversed, the chart reads as the table.
    chart.add("", [None] * len(bars))
    chart.add(title, [bar.value for bar in reversed(bars)])
    chart.add_xml_filter(_finish(title, captions, lane, ends))
    return chart.render()


def _finish(title: str, captions: list[list[str]], lane: float, ends: float):
    """An XML filter for pygal's tree: drop what an image does not need (scripts, tooltips,
    comments), name the picture, and write each row's caption above its bar."""

    def finish(root):
        for parent in list(root.iter()):
            for child in list(parent):
                # Comments (pygal's banner, with the date) have no tag name.
                is_comment = not isinstance(child.tag, str)
                if is_comment or child.tag.endswith("script") or "tooltip-overlay" in child.get("class", ""):
                    parent.remove(child)
        for child in root:
            if child.tag.endswith("title"):
                child.text = title
        plot = next(g for g in root.iter() if g.get("class") == "plot")
        # Where the bars start (the zero of the scale), so captions line up with them.
        starts = [float(rect.get("x")) for rect in plot.iter() if "reactive" in rect.get("class", "")]
        left = min(starts) if starts else 0.0
        captions_node = plot.makeelement("g", {"class": "captions"})
        plot.append(captions_node)
        for row, wrapped in enumerate(captions):
            # The caption sits right above its bar, its last line at the bottom of its lane.
            last_line = ends + 2 * lane * row + lane - 6
            for line, words in enumerate(wrapped):
                text = captions_node.makeelement(
                    "text",
                    {
                        "x": f"{left:.1f}",
                        "y": f"{last_line - (len(wrapped) - 1 - line) * LINE_HEIGHT:.1f}",
                        "font-size": str(FONT_SIZE),
                        "font-family": FONT_FAMILY,
                        "fill": TEXT_COLOUR,
                    },
                )
                text.text = words
                captions_node.append(text)
        return root

    return finish
