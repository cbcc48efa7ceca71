"""Small numbers suppressed, as NHS statistical disclosure control expects: a count from 1
to 4 is shown as "fewer than 5", and what is worked out from a small count (a median, a
percentage, a rate) is withheld. Every figure a report shows or exports passes through
here as a `Cell`, so the page, the CSV and the spreadsheet can never disagree."""

from __future__ import annotations

from dataclasses import dataclass

SMALLEST_SHOWN = 5
FEWER_THAN_5 = "fewer than 5"
WITHHELD = "withheld"
NOT_APPLICABLE = "none"


@dataclass(frozen=True)
class Cell:
    """One figure as shown: `text` for people; `value` the number for a spreadsheet (None
    when suppressed or when there is nothing to show); `suppressed` when disclosure control
    hid it."""

    text: str
    value: float | int | str | None = None
    suppressed: bool = False

    def __str__(self) -> str:
        return self.text


# A figure hidden only because, shown, it would let a reader work out a small one.
WITHHELD_TO_PROTECT = Cell(WITHHELD, None, True)

Position = tuple[int, int]


def hide_what_sums_reveal(grid: list[list[Cell]], sums: list[tuple[list[Position], Position]]) -> None:
    """Secondary suppression. Each of `sums` says that the counts at some positions of the
    grid (row, column) add up to the count at another. If exactly one of the parts is
    suppressed and the sum is shown, the sum minus the other parts gives it away: the
    smallest other part that is not zero is withheld too (or, failing that, the sum). Done
    until nothing changes, since hiding one figure can expose another sum."""
    changed = True
    while changed:
        changed = False
        for parts, total in sums:
            hidden = [p for p in parts if grid[p[0]][p[1]].suppressed]
            if len(hidden) != 1 or grid[total[0]][total[1]].suppressed:
                continue
            shown = [p for p in parts if not grid[p[0]][p[1]].suppressed and grid[p[0]][p[1]].value]
            target = min(shown, key=lambda p: grid[p[0]][p[1]].value) if shown else total
            grid[target[0]][target[1]] = WITHHELD_TO_PROTECT
            changed = True


def is_small(count: int | None) -> bool:
    return count is not None and 0 < count < SMALLEST_SHOWN


def text_cell(text: str) -> Cell:
    return Cell(text, text)


def count_cell(count: int, *, suppress: bool) -> Cell:
    if suppress and is_small(count):
        return Cell(FEWER_THAN_5, None, True)
    return Cell(f"{count:,}", count)


def duration_cell(hours: float | None, *, based_on: int, suppress: bool) -> Cell:
    """A median or percentile of `based_on` concerns, in hours or days."""
    if suppress and is_small(based_on):
        return Cell(WITHHELD, None, True)
    if hours is None:
        return Cell(NOT_APPLICABLE)
    return Cell(readable_hours(hours), round(hours, 1))


def share_cell(part: int, whole: int, *, suppress: bool) -> Cell:
    """`part` of `whole` as a percentage. Withheld when the part, the whole or the rest is
    a small count, since any of them could be worked back from the percentage."""
    if not whole:
        return Cell(NOT_APPLICABLE)
    if suppress and (is_small(part) or is_small(whole) or is_small(whole - part)):
        return Cell(WITHHELD, None, True)
    percent = 100 * part / whole
    return Cell(f"{percent:.0f}%", round(percent, 1))


def rate_cell(count: int, per: int, *, suppress: bool) -> Cell:
    """`count` per one of `per` (concerns per active volunteer), to one decimal place."""
    if not per:
        return Cell(NOT_APPLICABLE)
    if suppress and (is_small(count) or is_small(per)):
        return Cell(WITHHELD, None, True)
    rate = count / per
    return Cell(f"{rate:.1f}", round(rate, 1))


def difference_cell(before: Cell, after: Cell) -> Cell:
    """The change from `before` to `after` (numbers only); withheld if either was."""
    if before.suppressed or after.suppressed:
        return Cell(WITHHELD, None, True)
    if not isinstance(before.value, int | float) or not isinstance(after.value, int | float):
        return Cell(NOT_APPLICABLE)
    change = after.value - before.value
    if isinstance(change, float):
        change = round(change, 1)
    sign = "+" if change > 0 else ""
    return Cell(f"{sign}{change:,}", change)


def readable_hours(hours: float) -> str:
    """45 minutes; 3.5 hours; 2.2 days: rounded to what a reader needs."""
    minutes = round(hours * 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    if hours < 48:
        rounded = round(hours, 1)
        number = f"{rounded:g}"
        return f"{number} hour{'s' if rounded != 1 else ''}"
    days = round(hours / 24, 1)
    return f"{days:g} days"
