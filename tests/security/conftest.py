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
def walked_matrix(django_db_setup, django_db_blocker, request):
    """Every cell of the matrix asked once: {cell id: Cell}. The scene is made in a
    transaction that is rolled back after the module's tests."""
    from tests.security.test_matrix import CELLS, COVERED

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHING, REPORT_FIGURES_CACHE_SECONDS=0),
        transaction.atomic(),
    ):
        walker = Walker(build_scene())
        cells = {}
        for cell in CELLS:
            cells[cell.id] = walker.ask(cell, *COVERED[cell.route])
        MATRIX_SUMMARY.update(
            routes=len({cell.route for cell in cells.values()}),
            kinds=len({cell.kind for cell in cells.values()}),
            cells=len(cells),
            by_method={method: sum(c.method == method for c in cells.values()) for method in ("GET", "POST")},
            leaks=[cell for cell in cells.values() if cell.leaks],
            mismatches=[cell for cell in cells.values() if not cell.matches],
        )
        yield cells
        transaction.set_rollback(True)


def pytest_terminal_summary(terminalreporter):
    if not MATRIX_SUMMARY:
        return
    summary = MATRIX_SUMMARY
    terminalreporter.section("authorisation matrix")
    terminalreporter.write_line(
        f"{summary['routes']} routes x {summary['kinds']} kinds of person x methods "
        f"(GET {summary['by_method']['GET']}, POST {summary['by_method']['POST']}) = {summary['cells']} cells"
    )
    terminalreporter.write_line(f"leaks (someone got more than the table allows): {len(summary['leaks'])}")
    for cell in summary["leaks"]:
        terminalreporter.write_line(f"  LEAK {cell.describe()}")
    terminalreporter.write_line(f"cells answered otherwise than the table says: {len(summary['mismatches'])}")
