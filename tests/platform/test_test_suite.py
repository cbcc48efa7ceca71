"""The test suite's own rules:

- one cast of people: each person of the authorisation tables is one fixture of
  tests/conftest.py, the same in `world`, in `cast` and in every test folder;
- no test module reads the clock when it is imported (`TODAY = timezone.localdate()`):
  the value is fixed when pytest collects, so a run that crosses midnight compares
  yesterday's date with the code's today and fails. Use the `today` fixture
  (tests/conftest.py), or read the clock inside the test;
- no test sleeps for a fixed time in place of the event it waits for: wait for the event
  itself, with a deadline (tests/support/processes.py `wait_for`), so that the test is
  neither slow on a fast machine nor flaky on a busy one.

The last two are checked by reading the suite's source with `ast`."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.access_table import ACTORS

TESTS = Path(__file__).resolve().parents[1]

# What reads the clock: timezone.now(), date.today(), datetime.datetime.now(), ...
CLOCKS = {
    "timezone": {"now", "localdate", "localtime"},
    "date": {"today"},
    "datetime": {"now", "today", "utcnow"},
}

# A sleep that is the behaviour under test, not a wait: the slow email server that lets a
# test kill a worker while it is sending.
SLEEP_ALLOWED = {"support/email_backends.py"}


def suite_files() -> list[Path]:
    return sorted(path for path in TESTS.rglob("*.py") if ".venv" not in path.parts)


def relative(path: Path) -> str:
    return path.relative_to(TESTS).as_posix()


def clock_names(tree: ast.Module) -> set[str]:
    """Names bound by `from django.utils.timezone import now` (or localdate, localtime)."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.timezone"
        for alias in node.names
        if alias.name in CLOCKS["timezone"]
    }


def reads_the_clock(call: ast.Call, imported: set[str]) -> bool:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id in imported
    if isinstance(function, ast.Attribute):
        owner = function.value
        # timezone.now(), date.today(), and datetime.date.today() / datetime.datetime.now()
        owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
        return function.attr in CLOCKS.get(owner_name, set())
    return False


def evaluated_at_import(tree: ast.Module) -> Iterator[ast.AST]:
    """Every expression that runs when the module is imported: module-level statements,
    class bodies, decorators and default values; not function bodies nor lambdas."""

    def expressions(node: ast.AST) -> Iterator[ast.AST]:
        if isinstance(node, ast.Lambda):
            yield from expressions(node.args)  # defaults run now; the body runs when called
            return
        yield node
        for child in ast.iter_child_nodes(node):
            yield from expressions(child)

    def statements(body: list[ast.stmt]) -> Iterator[ast.AST]:
        for statement in body:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in statement.decorator_list:
                    yield from expressions(decorator)
                yield from expressions(statement.args)
            elif isinstance(statement, ast.ClassDef):
                for part in [*statement.decorator_list, *statement.bases, *statement.keywords]:
                    yield from expressions(part)
                yield from statements(statement.body)
            else:
                for child in ast.iter_child_nodes(statement):
                    if isinstance(child, ast.stmt):
                        yield from statements([child])
                    elif isinstance(child, ast.ExceptHandler):
                        yield from statements(child.body)
                    else:
                        yield from expressions(child)

    yield from statements(tree.body)


def clock_reads_at_import(source: str) -> list[int]:
    """Line numbers where the module, as it is imported, reads the clock."""
    tree = ast.parse(source)
    imported = clock_names(tree)
    return sorted(
        {
            node.lineno
            for node in evaluated_at_import(tree)
            if isinstance(node, ast.Call) and reads_the_clock(node, imported)
        }
    )


def fixed_sleeps(source: str) -> list[int]:
    """Line numbers of sleep() calls that are not inside a loop, where a loop that checks
    for the event (with a deadline) is what makes a sleep a poll rather than a guess."""
    found = []

    def visit(node: ast.AST, in_loop: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            in_loop = False  # a helper's loop does not cover its caller, nor the reverse
        if isinstance(node, ast.While | ast.For | ast.AsyncFor):
            in_loop = True
        if isinstance(node, ast.Call):
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
            if name in ("sleep", "wait_for_timeout") and not in_loop:
                found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, in_loop)

    visit(ast.parse(source), in_loop=False)
    return found


# --- The rules, on every file of the suite ------------------------------------------------


def test_each_person_of_the_authorisation_tables_is_one_fixture_everywhere(request, world, cast):
    people = [actor for actor in ACTORS if actor != "anonymous"]
    for actor in people:
        person = request.getfixturevalue(actor)
        assert getattr(world, actor) == person, actor
        assert cast.people[actor] == person, actor
    assert len({getattr(world, actor).pk for actor in people}) == len(people)
    assert cast.people["anonymous"] is None
    vera = request.getfixturevalue("vera")
    assert (world.volunteer, cast.visiting) == (vera.user, vera)


def test_no_test_module_reads_the_clock_when_it_is_imported():
    found = {
        relative(path): lines for path in suite_files() if (lines := clock_reads_at_import(path.read_text()))
    }
    assert found == {}, (
        "these modules read the clock at import (file: lines); use the `today` fixture "
        f"or read it inside the test: {found}"
    )


def test_no_test_sleeps_a_fixed_time_instead_of_waiting_for_the_event():
    found = {
        relative(path): lines
        for path in suite_files()
        if relative(path) not in SLEEP_ALLOWED and (lines := fixed_sleeps(path.read_text()))
    }
    assert found == {}, (
        "these tests sleep for a fixed time (file: lines); wait for the event with "
        f"tests.support.processes.wait_for instead: {found}"
    )


# --- The checks themselves catch what they are meant to catch -----------------------------


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils import timezone\nTODAY = timezone.localdate()\n",
        "from django.utils import timezone\nNOW: object = timezone.now()\n",
        "import datetime\nTODAY = datetime.date.today()\n",
        "from datetime import date\nLAST_WEEK = date.today() - 7\n",
        "from datetime import datetime\nSTARTED = datetime.now()\n",
        "from django.utils.timezone import localdate as today\nTODAY = today()\n",
        "from django.utils import timezone\nDATES = [timezone.localdate() + d for d in range(3)]\n",
        "from django.utils import timezone\nif True:\n    TODAY = timezone.localdate()\n",
        "from django.utils import timezone\nclass Dates:\n    TODAY = timezone.localdate()\n",
        "import pytest\nfrom django.utils import timezone\n"
        "@pytest.mark.parametrize('day', [timezone.localdate()])\ndef test(day): pass\n",
        "from django.utils import timezone\ndef test(day=timezone.localdate()): pass\n",
    ],
)
def test_the_clock_check_finds_a_date_fixed_at_import(source):
    assert clock_reads_at_import(source)


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils import timezone\ndef test():\n    today = timezone.localdate()\n",
        "import factory\nfrom django.utils import timezone\n"
        "WHEN = factory.LazyFunction(timezone.localdate)\n",
        "from django.utils import timezone\nLATER = lambda: timezone.now()\n",
        "import datetime\nONE_DAY = datetime.timedelta(days=1)\nFIXED = datetime.date(2026, 1, 1)\n",
    ],
)
def test_the_clock_check_lets_a_date_read_when_the_test_runs_pass(source):
    assert clock_reads_at_import(source) == []


def test_the_sleep_check_tells_a_fixed_sleep_from_a_poll():
    fixed = "import time\ndef test():\n    deliver()\n    time.sleep(3)\n    check()\n"
    poll = (
        "import time\ndef wait(condition, deadline):\n"
        "    while time.monotonic() < deadline:\n"
        "        if condition():\n            return\n        time.sleep(0.1)\n"
    )
    assert fixed_sleeps(fixed) == [4]
    assert fixed_sleeps(poll) == []
