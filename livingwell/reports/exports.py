"""The reports written as files: a CSV and an Excel workbook of the same tables the page
shows (suppressed figures written as "fewer than 5" or "withheld", never as numbers), each
opening with what the file covers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

import xlsxwriter

from livingwell.reports.tables import Table

SUPPRESSION_NOTE = (
    'Small numbers are suppressed: a count from 1 to 4 is written as "fewer than 5", and '
    'figures worked out from one (medians, percentages) as "withheld".'
)


def table_rows(table: Table) -> Iterator[list]:
    """The table as rows of values: the heading row, then one row per line of the table."""
    yield ["", *(column.heading_with_unit for column in table.columns)]
    for row in table.rows:
        yield [row.label, *(cell.value if cell.value is not None else cell.text for cell in row.cells)]


def csv_lines(about: Iterable[tuple[str, str]], tables: Iterable[Table]) -> Iterator[str]:
    """The CSV, a line at a time: the `about` lines (label, value), then each table with its
    title above it and a blank line after it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    for label, value in about:
        yield line([label, value])
    yield line([])
    for table in tables:
        yield line([table.title])
        for values in table_rows(table):
            yield line(values)
        yield line([])


def _sheet_name(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31].strip()
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
