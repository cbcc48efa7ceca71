"""The reports written as files: a CSV and an Excel workbook of the same tables the page
shows (suppressed figures written as "fewer than 5" or "withheld", never as numbers), each
opening with what the file covers."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator

import xlsxwriter
from django.utils import timezone

from livingwell.dates import long_date
from livingwell.reports.dashboard import Dashboard
from livingwell.reports.scope import ReportScope
from livingwell.reports.tables import Table

REPORT_TITLE = "Living Well: the concerns volunteers raised, how they were handled and what came of them"
SUPPRESSION_NOTE = (
    'Small numbers are suppressed: a count from 1 to 4 is written as "fewer than 5", and '
    'figures worked out from one (medians, percentages) as "withheld".'
)
NOTHING_SUPPRESSED_NOTE = (
    "Small numbers are suppressed in this file, as for every manager's and meeting chair's "
    "report; none of these figures needed it."
)
EXACT_NOTE = "Exact figures: small numbers are not suppressed in this file."
WHO_MAY_SEE_SUPPRESSED = (
    "Staff and board members of the Living Well programme. Small numbers are suppressed, so "
    "these figures may go in a board paper; do not publish the file itself."
)
WHO_MAY_SEE_EXACT = (
    "Sensitive: only the coordinators and managers of these areas. This file has exact small "
    "numbers, which could point to a client: do not put it in a board paper, publish it or "
    "send it outside the programme (a manager's file, with small numbers suppressed, is the "
    "one to share)."
)


def made_at_text(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{long_date(local.date())} at {local:%H:%M}"


def dashboard_about(
    dashboard: Dashboard,
    *,
    chosen_from: ReportScope,
    period_chosen: str,
    made_at: datetime.datetime,
    not_used: Iterable[str] = (),
) -> list[tuple[str, str]]:
    """What a dashboard file covers, for its first lines: the report, whose figures, the
    period, the areas chosen (of `chosen_from`, all the person may see), when it was made,
    who may see it and how small numbers are treated. `not_used` are the messages about
    filters in the address that could not be used (the file then covers the defaults)."""
    scope = dashboard.scope
    organisations = sorted({area.organisation.name for area in scope.areas})
    about = [("Report", REPORT_TITLE), ("Organisation", ", ".join(organisations))]
    if scope.mdt_only:
        about += [
            ("GP practice", dashboard.place),
            (
                "Covers",
                "Multi-Disciplinary Team meetings only: the concerns that went to the practice's "
                "meeting, and its meetings.",
            ),
        ]
    else:
        about.append(("Areas", dashboard.place))
        if len(scope.areas) == len(chosen_from.areas):
            about.append(("Areas chosen", "All the areas you may see"))
        else:
            about.append(
                ("Areas chosen", f"{dashboard.place} (of the {len(chosen_from.areas)} areas you may see)")
            )
    period = dashboard.period
    about += [
        ("Period", period.label),
        ("Period chosen", period_chosen),
        ("First day", period.start.isoformat()),
        ("Last day", period.end.isoformat()),
    ]
    if period.ends_at > made_at:
        about.append(
            ("Counted up to", f"{made_at_text(made_at)}: the period had not ended when this was made")
        )
    else:
        about.append(("Counted up to", "The end of the period"))
    about.append(("Made", made_at_text(made_at)))
    if scope.suppress_small_numbers:
        about.append(("Who may see it", WHO_MAY_SEE_SUPPRESSED))
        about.append(
            ("Small numbers", SUPPRESSION_NOTE if dashboard.has_suppressed else NOTHING_SUPPRESSED_NOTE)
        )
    else:
        about.append(("Who may see it", WHO_MAY_SEE_EXACT))
        about.append(("Small numbers", EXACT_NOTE))
    problems = list(not_used)
    if problems:
        about.append(
            (
                "Filters not used",
                " ".join(problems) + " The file covers the default period and areas instead.",
            )
        )
    return about


# A spreadsheet opening a CSV takes a cell that starts with one of these for a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """`value`, with text that a spreadsheet would run as a formula made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table_rows(table: Table) -> Iterator[list]:
    """The table as rows of values: the heading row, then one row per line of the table
    (or, when it has none, the sentence the page shows instead)."""
    yield ["", *(column.heading_with_unit for column in table.columns)]
    if table.is_empty:
        yield [table.empty_text]
    for row in table.rows:
        yield [row.label, *(cell.value if cell.value is not None else cell.text for cell in row.cells)]


def csv_lines(about: Iterable[tuple[str, str]], tables: Iterable[Table]) -> Iterator[str]:
    """The CSV, a line at a time: the `about` lines (label, value), then each table with its
    title and what it counts above it and a blank line after it. Text a spreadsheet would
    run as a formula is written as plain text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_safe(value) for value in values])
        return buffer.getvalue()

    for label, value in about:
        yield line([label, value])
    yield line([])
    for table in tables:
        yield line([table.title])
        yield line([table.about])
        for values in table_rows(table):
            yield line(values)
        yield line([])


SHEET_NAME_LENGTH = 31


def _sheet_name(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook. A
    longer title is cut at its first comma or colon ("Coffee mornings: did each concern get
    an owner?" becomes "Coffee mornings"), or else after its last whole word that fits."""
    name = title
    if len(name) > SHEET_NAME_LENGTH:
        head = re.split(r"[,:]", name, maxsplit=1)[0].strip()
        name = head if head and head != name else name
    name = " ".join("".join(" " if ch in "[]:*?/\\" else ch for ch in name).split())
    if len(name) > SHEET_NAME_LENGTH:
        cut = name[: SHEET_NAME_LENGTH + 1]
        name = (cut.rsplit(" ", 1)[0] if " " in cut else cut)[:SHEET_NAME_LENGTH].rstrip(" ,;.-")
    name = name or "Table"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def workbook(about: list[tuple[str, str]], tables: list[Table]) -> bytes:
    """An Excel workbook: an "About" sheet, then one sheet per table."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(
        output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    taken: set[str] = set()
    about_sheet = book.add_worksheet(_sheet_name("About", taken))
    about_sheet.set_column(0, 0, 28)
    about_sheet.set_column(1, 1, 90)
    for row, (label, value) in enumerate(about):
        about_sheet.write_string(row, 0, label, bold)
        about_sheet.write_string(row, 1, value, wrap)
    for table in tables:
        sheet = book.add_worksheet(_sheet_name(table.title, taken))
        sheet.write_string(0, 0, table.title, bold)
        sheet.write_string(1, 0, table.about, wrap)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, len(table.columns), 18)
        for row_number, values in enumerate(table_rows(table), start=3):
            for column, value in enumerate(values):
                fmt = bold if row_number == 3 or column == 0 else None
                if isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(row_number, column, value, fmt)
                else:
                    sheet.write_string(row_number, column, str(value), fmt)
        sheet.freeze_panes(4, 1)
    book.close()
    return output.getvalue()
