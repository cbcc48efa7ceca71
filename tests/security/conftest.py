"""The scene of the authorisation matrix, made once for the module that walks it, and the
matrix's size and leaks printed at the end of the run."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from tests.security.scene import build_scene
from tests.security.walk import Walker

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# What the walk found, for the summary at the end of the run.
MATRIX_SUMMARY: dict[str, object] = {}


@pytest.fixture(scope="module")
def matrix_walker(django_db_setup, django_db_blocker):
    """The scene, with each kind of person signed in, made once for the module in a
    transaction that is rolled back after the module's tests."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHING, REPORT_FIGURES_CACHE_SECONDS=0),
        transaction.atomic(),
    ):
        yield Walker(build_scene())
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def walked_matrix(matrix_walker):
    """Every cell of the matrix asked once: {cell id: Cell}."""
    from tests.security.test_matrix import CELLS, COVERED

    cells = {}
    for cell in CELLS:
        cells[cell.id] = matrix_walker.ask(cell, *COVERED[cell.route])
    MATRIX_SUMMARY.update(
        routes=len({cell.route for cell in cells.values()}),
        kinds=len({cell.kind for cell in cells.values()}),
        cells=len(cells),
        by_method={method: sum(c.method == method for c in cells.values()) for method in ("GET", "POST")},
        leaks=[cell for cell in cells.values() if cell.leaks],
        mismatches=[cell for cell in cells.values() if not cell.matches],
        seconds=sum(cell.seconds for cell in cells.values()),
    )
    return cells


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """pytest-django makes the test database only when a test selected to run asks for it.
    The matrix's tests read what the module's walk found and need no database of their own
    (a transaction per test would add a minute): one of them is marked, so that running any
    part of the module makes the database the walk needs."""
    walking = [item for item in items if "matrix_walker" in getattr(item, "fixturenames", ())]
    if walking and not any(item.get_closest_marker("django_db") for item in walking):
        walking[0].add_marker(pytest.mark.django_db)


def pytest_terminal_summary(terminalreporter):
    if not MATRIX_SUMMARY:
        return
    summary = MATRIX_SUMMARY
    terminalreporter.section("authorisation matrix")
    by_method = summary["by_method"]
    terminalreporter.write_line(
        f"{summary['routes']} routes x {summary['kinds']} kinds of person x methods "
        f"(GET {by_method['GET']}, POST {by_method['POST']}) = {summary['cells']} cells, "
        f"asked in {summary['seconds']:.0f} s"
    )
    terminalreporter.write_line(f"leaks (someone got more than the table allows): {len(summary['leaks'])}")
    for cell in summary["leaks"]:
        terminalreporter.write_line(f"  LEAK {cell.describe()}")
    terminalreporter.write_line(f"cells answered otherwise than the table says: {len(summary['mismatches'])}")
