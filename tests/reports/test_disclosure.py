"""Small numbers suppressed: counts from 1 to 4 read "fewer than 5" and what is worked out
from them is withheld, for managers and meeting chairs; coordinators see every number."""

import pytest

from livingwell.reports.disclosure import (
    FEWER_THAN_5,
    NOT_APPLICABLE,
    WITHHELD,
    Cell,
    count_cell,
    difference_cell,
    duration_cell,
    hide_what_sums_reveal,
    rate_cell,
    readable_hours,
    share_cell,
    text_cell,
)

# --- Counts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "text", "value", "suppressed"),
    [
        (0, "0", 0, False),  # nobody: nothing to protect, and a board needs to see the zero
        (1, FEWER_THAN_5, None, True),
        (4, FEWER_THAN_5, None, True),
        (5, "5", 5, False),
        (1234, "1,234", 1234, False),
    ],
)
def test_counts_with_suppression(count, text, value, suppressed):
    assert count_cell(count, suppress=True) == Cell(text, value, suppressed)


@pytest.mark.parametrize(("count", "text"), [(0, "0"), (1, "1"), (4, "4"), (5, "5"), (12345, "12,345")])
def test_counts_without_suppression_are_shown_as_they_are(count, text):
    assert count_cell(count, suppress=False) == Cell(text, count, False)


def test_a_cell_reads_as_its_text():
    assert str(count_cell(3, suppress=True)) == "fewer than 5"
    assert text_cell("Medical") == Cell("Medical", "Medical", False)


# --- Medians and percentiles -------------------------------------------------------------


@pytest.mark.parametrize("based_on", [1, 2, 3, 4])
def test_a_median_of_fewer_than_5_concerns_is_withheld(based_on):
    assert duration_cell(30.0, based_on=based_on, suppress=True) == Cell(WITHHELD, None, True)


@pytest.mark.parametrize("based_on", [1, 4])
def test_a_median_of_few_concerns_is_shown_without_suppression(based_on):
    assert duration_cell(30.0, based_on=based_on, suppress=False) == Cell("30 hours", 30.0, False)


def test_a_median_of_5_concerns_is_shown_rounded_to_a_tenth_of_an_hour():
    assert duration_cell(30.04, based_on=5, suppress=True) == Cell("30 hours", 30.0, False)
    assert duration_cell(100.0, based_on=5, suppress=True) == Cell("4.2 days", 100.0, False)


def test_a_median_of_no_concerns_says_none():
    assert duration_cell(None, based_on=0, suppress=True) == Cell(NOT_APPLICABLE, None, False)
    assert duration_cell(None, based_on=0, suppress=False) == Cell(NOT_APPLICABLE, None, False)


# --- Shares ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "whole", "why"),
    [
        (1, 10, "the part is small"),
        (4, 20, "the part is small"),
        (3, 3, "the whole (and the part) is small"),
        (0, 4, "the whole is small"),
        (6, 9, "the rest (3) is small"),
        (16, 20, "the rest (4) is small"),
    ],
)
def test_a_share_is_withheld_when_the_part_the_whole_or_the_rest_is_small(part, whole, why):
    assert share_cell(part, whole, suppress=True) == Cell(WITHHELD, None, True), why


@pytest.mark.parametrize(
    ("part", "whole", "text", "value"),
    [
        (0, 5, "0%", 0.0),
        (5, 5, "100%", 100.0),
        (5, 10, "50%", 50.0),
        (10, 15, "67%", 66.7),
        (15, 20, "75%", 75.0),
    ],
)
def test_a_share_is_shown_when_part_whole_and_rest_are_0_or_at_least_5(part, whole, text, value):
    assert share_cell(part, whole, suppress=True) == Cell(text, value, False)


def test_a_share_without_suppression_is_always_shown():
    assert share_cell(1, 3, suppress=False) == Cell("33%", 33.3, False)
    assert share_cell(6, 9, suppress=False) == Cell("67%", 66.7, False)


def test_a_share_of_nothing_says_none():
    assert share_cell(0, 0, suppress=True) == Cell(NOT_APPLICABLE, None, False)
    assert share_cell(0, 0, suppress=False) == Cell(NOT_APPLICABLE, None, False)


# --- Rates -------------------------------------------------------------------------------


def test_rates():
    # 12 concerns by 5 active volunteers: 2.4 each.
    assert rate_cell(12, 5, suppress=True) == Cell("2.4", 2.4, False)
    assert rate_cell(0, 5, suppress=True) == Cell("0.0", 0.0, False)
    # Worked out from a small count: withheld.
    assert rate_cell(4, 10, suppress=True) == Cell(WITHHELD, None, True)
    assert rate_cell(12, 3, suppress=True) == Cell(WITHHELD, None, True)
    assert rate_cell(12, 3, suppress=False) == Cell("4.0", 4.0, False)
    # Nobody to divide by.
    assert rate_cell(3, 0, suppress=True) == Cell(NOT_APPLICABLE, None, False)


# --- Differences (a trial against its baseline) -----------------------------------------------


def test_differences_between_counts():
    assert difference_cell(count_cell(5, suppress=True), count_cell(12, suppress=True)) == Cell("+7", 7)
    assert difference_cell(count_cell(12, suppress=True), count_cell(5, suppress=True)) == Cell("-7", -7)
    assert difference_cell(count_cell(7, suppress=True), count_cell(7, suppress=True)) == Cell("0", 0)
    assert difference_cell(count_cell(0, suppress=True), count_cell(1500, suppress=True)) == Cell(
        "+1,500", 1500
    )


def test_differences_between_durations_and_shares_are_rounded():
    before = duration_cell(30.2, based_on=5, suppress=True)
    after = duration_cell(30.5, based_on=5, suppress=True)
    # 30.5 - 30.2 is 0.3000000000000007 in floating point: shown as 0.3.
    assert difference_cell(before, after) == Cell("+0.3", 0.3)
    assert difference_cell(share_cell(10, 15, suppress=True), share_cell(5, 10, suppress=True)) == Cell(
        "-16.7", -16.7
    )


def test_a_difference_from_a_suppressed_figure_is_withheld():
    small, large = count_cell(3, suppress=True), count_cell(40, suppress=True)
    assert difference_cell(small, large) == Cell(WITHHELD, None, True)
    assert difference_cell(large, small) == Cell(WITHHELD, None, True)
    withheld_median = duration_cell(10.0, based_on=2, suppress=True)
    assert difference_cell(withheld_median, duration_cell(5.0, based_on=9, suppress=True)).suppressed


def test_a_difference_with_nothing_on_one_side_says_none():
    nothing = duration_cell(None, based_on=0, suppress=True)
    assert difference_cell(nothing, duration_cell(5.0, based_on=9, suppress=True)) == Cell(NOT_APPLICABLE)
    assert difference_cell(text_cell("Medical"), text_cell("Medical")) == Cell(NOT_APPLICABLE)


# --- Durations in words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        (0, "0 minutes"),
        (1 / 60, "1 minute"),
        (0.25, "15 minutes"),
        (0.5, "30 minutes"),
        (59 / 60, "59 minutes"),
        # 59.7 minutes rounds to an hour, not to "60 minutes".
        (0.995, "1 hour"),
        (1, "1 hour"),
        (1.04, "1 hour"),
        (1.5, "1.5 hours"),
        (2, "2 hours"),
        (23.96, "24 hours"),
        (47.9, "47.9 hours"),
        (48, "2 days"),
        (100, "4.2 days"),
        (720, "30 days"),
    ],
)
def test_readable_hours(hours, words):
    assert readable_hours(hours) == words


# --- Secondary suppression: no suppressed count worked out of a total -----------------------


def column(*counts, suppress=True):
    """A one-column grid: the parts, then their total."""
    return [[count_cell(n, suppress=suppress)] for n in [*counts, sum(counts)]]


def texts(grid):
    return [row[0].text for row in grid]


def test_one_small_part_beside_a_shown_total_takes_the_next_smallest_part_with_it():

    grid = column(3, 9, 7, 20)
    hide_what_sums_reveal(grid, [([(0, 0), (1, 0), (2, 0), (3, 0)], (4, 0))])

    assert texts(grid) == ["fewer than 5", "9", "withheld", "20", "39"]
    assert grid[2][0].suppressed
    assert grid[2][0].value is None


def test_two_small_parts_already_protect_each_other_and_zeros_are_never_withheld():

    two_small = column(3, 2, 12)
    hide_what_sums_reveal(two_small, [([(0, 0), (1, 0), (2, 0)], (3, 0))])
    beside_zeros = column(0, 3, 0)
    hide_what_sums_reveal(beside_zeros, [([(0, 0), (1, 0), (2, 0)], (3, 0))])

    assert texts(two_small) == ["fewer than 5", "fewer than 5", "12", "17"]
    # The total is the small count itself, so it is suppressed already.
    assert texts(beside_zeros) == ["0", "fewer than 5", "0", "fewer than 5"]


def test_withholding_one_figure_is_followed_through_every_sum_it_belongs_to():

    # Two rows of two severities with their row totals, and the column totals below.
    grid = [
        [count_cell(3, suppress=True), count_cell(6, suppress=True), count_cell(9, suppress=True)],
        [count_cell(8, suppress=True), count_cell(7, suppress=True), count_cell(15, suppress=True)],
        [count_cell(11, suppress=True), count_cell(13, suppress=True), count_cell(24, suppress=True)],
    ]
    sums = [
        ([(0, 0), (0, 1)], (0, 2)),
        ([(1, 0), (1, 1)], (1, 2)),
        ([(0, 0), (1, 0)], (2, 0)),
        ([(0, 1), (1, 1)], (2, 1)),
    ]
    hide_what_sums_reveal(grid, sums)

    for parts, total in sums:
        hidden = [p for p in parts if grid[p[0]][p[1]].suppressed]
        assert len(hidden) != 1 or grid[total[0]][total[1]].suppressed, (parts, total)
    assert grid[0][0].text == "fewer than 5"
    assert not any(cell.value == 3 for row in grid for cell in row)
