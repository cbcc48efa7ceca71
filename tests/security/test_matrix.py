"""The authorisation matrix: every route of the URLconf, asked by every kind of person with
every method its row lists, through Django's test client (tests/security/matrix.py has the
table, scene.py the people and objects, walk.py the asking). A route without rows fails, a
row without a route fails, and a refused POST must change nothing."""

from __future__ import annotations

import pytest

from tests.security import matrix
from tests.security.routes import all_routes
from tests.security.walk import Cell


def coverage(routes) -> tuple[list[str], list[str]]:
    """(routes no row or rule covers, rows whose route no longer exists)."""
    uncovered = sorted(key for key, route in routes.items() if matrix.row_for(route) is None)
    stale = sorted(set(matrix.ROWS) - set(routes))
    return uncovered, stale


def _covered() -> dict:
    found = {}
    for key, route in all_routes().items():
        row = matrix.row_for(route)
        if row is not None:
            found[key] = (route, row)
    return found


COVERED = _covered()
CELLS = [
    Cell(route=key, kind=kind, method=method, expected=expected)
    for key, (route, row) in COVERED.items()
    for method, table in row.methods().items()
    for kind, expected in table.items()
]


def _param(cell: Cell):
    reason = matrix.KNOWN_LEAKS.get((cell.route, cell.kind, cell.method))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(cell.id, id=cell.id, marks=marks)


def test_every_route_has_rows():
    uncovered, stale = coverage(all_routes())
    assert not uncovered, f"Routes with no rows in tests/security/matrix.py: {', '.join(uncovered)}"
    assert not stale, f"Rows for routes that no longer exist: {', '.join(stale)}"


@pytest.mark.urls("tests.security.urls_with_dummy")
def test_a_route_without_rows_fails():
    uncovered, stale = coverage(all_routes())
    assert uncovered == ["dummy_without_rows"]
    assert stale == []


def test_a_row_without_a_route_fails():
    routes = all_routes()
    del routes["healthz"]
    uncovered, stale = coverage(routes)
    assert uncovered == []
    assert stale == ["healthz"]


def test_every_row_answers_every_kind_of_person():
    for key, (_route, row) in COVERED.items():
        for method, table in row.methods().items():
            assert set(table) == set(matrix.KINDS), (key, method)
            assert all(answer is not None for answer in table.values()), (key, method)


def test_the_matrix_leaks_nothing(walked_matrix):
    known = set(matrix.KNOWN_LEAKS)
    leaks = [
        cell
        for cell in walked_matrix.values()
        if cell.leaks and (cell.route, cell.kind, cell.method) not in known
    ]
    assert len(walked_matrix) == len(CELLS)
    assert leaks == [], "Cells where someone got more than the table allows:\n" + "\n".join(
        cell.describe() for cell in leaks
    )


def test_a_refused_post_that_changes_something_is_a_leak(matrix_walker):
    """The walk's own check: a table that wrongly refused the coordinator triaging Elsie's
    concern would be told what her POST changed."""
    route = all_routes()["risks:transition"]
    refusing = matrix.Row(
        get=matrix.answers(matrix.FORBIDDEN),
        post=matrix.answers(matrix.FORBIDDEN),
        kwargs=matrix.ROWS["risks:transition"].kwargs,
        target=matrix.ROWS["risks:transition"].target,
    )
    cell = Cell(route=route.key, kind="coordinator", method=matrix.POST, expected=matrix.FORBIDDEN)

    matrix_walker.ask(cell, route, refusing)

    assert cell.answer == matrix.ELSEWHERE
    assert cell.leaks
    assert not cell.matches
    assert any(change.startswith("risks_riskevent (") for change in cell.changed), cell.changed
    assert f"RiskReport {matrix_walker.scene.untriaged.pk}'s fields" in cell.changed


def test_a_refused_post_that_changes_nothing_is_no_leak(matrix_walker):
    route = all_routes()["risks:transition"]
    cell = Cell(route=route.key, kind="team_leader_left", method=matrix.POST, expected=matrix.NOT_FOUND)

    matrix_walker.ask(cell, route, matrix.ROWS["risks:transition"])

    assert (cell.answer, cell.changed, cell.leaks, cell.matches) == (matrix.NOT_FOUND, [], False, True)


@pytest.mark.parametrize("cell_id", [_param(cell) for cell in CELLS])
def test_cell(walked_matrix, cell_id):
    cell = walked_matrix[cell_id]
    assert cell.matches, cell.describe()
