"""`make loadtest`'s driver end to end, short: 20 users for about 10 seconds, each fault
once (the worker killed and started again, PostgreSQL restarted, Redis down 3 s), on its
own PostgreSQL and Redis in a temporary folder. Every check the driver makes must pass;
and the checks themselves, on made-up logs, fail when they should."""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from livingwell.bench.loadtest import EMAILED_ONCE, Results, Timeline, judge, measure_requests
from tests.platform.test_make_run import TEST_ENVIRONMENT
from tests.support.processes import ROOT, free_port


def sent_twice(problem: str) -> bool:
    """Whether an email problem ("concern 12: 2 emails, expected 1") is a repeat."""
    emails, expected = (int(number) for number in re.findall(r"\d+", problem.split(": ")[1]))
    return emails > expected >= 1


@pytest.fixture
def results_file(tmp_path):
    return tmp_path / "loadtest.json"


def test_load_with_faults_loses_nothing_and_shows_no_traceback(results_file: Path):
    env = {key: value for key, value in os.environ.items() if key not in TEST_ENVIRONMENT}
    env.update(
        LOADTEST_VOLUNTEERS="18",
        LOADTEST_COORDINATORS="2",
        LOADTEST_SECONDS="10",
        LOADTEST_REDIS_DOWN_SECONDS="3",
        LOADTEST_PG_DOWN_SECONDS="1",
        LOADTEST_DRAIN_SECONDS="60",
        LOADTEST_STATIC_MANIFEST="false",
        LOADTEST_RESULTS=str(results_file),
        LW_LOADTEST_PG_PORT=str(free_port()),
        LW_LOADTEST_REDIS_PORT=str(free_port()),
        WEB_CONCURRENCY="2",
        WORKER_CONCURRENCY="1",
    )
    run = subprocess.run(
        ["bash", "scripts/loadtest.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    output = (run.stdout + run.stderr)[-6000:]
    assert results_file.exists(), output
    results = json.loads(results_file.read_text())

    # The load ran, every page kind was served, and the figures were printed.
    assert results["requests"] > 20, output
    assert results["requests_per_second"] > 0
    for kind in ("report form", "report send", "my concerns", "visit page", "sign in", "second step",
                 "triage queue", "concern", "triage", "record outcome"):  # fmt: skip
        assert results["pages"][kind]["count"] > 0, (kind, output)
        assert 0 < results["pages"][kind]["p50_ms"] <= results["pages"][kind]["p95_ms"]
    assert "requests/s" in run.stdout
    assert "| report send |" in run.stdout

    # Each fault happened, in its order, while the load ran.
    timeline = results["timeline"]
    assert (
        timeline["load_started"]
        <= timeline["worker_killed"]
        < timeline["worker_ready"]
        <= timeline["postgres_stopping"]
        < timeline["postgres_ready"]
        <= timeline["redis_stopped"]
        < timeline["redis_started"]
        < timeline["load_ended"]
    ), timeline
    assert timeline["redis_started"] - timeline["redis_stopped"] >= 3

    # Server errors only in PostgreSQL's restart, and only as the retry page. (Whether a
    # request falls inside a short restart at all is chance, so none there is no failure.)
    assert results["server_errors_outside_window"] == 0, output
    assert results["client_errors_outside_window"] == 0, output
    assert all(not error["traceback"] for error in results["bad_errors_in_window"]), output
    assert results["recovery_seconds"] is not None, output
    assert results["recovery_seconds"] <= 10, output

    # Nothing acknowledged was lost or made twice; every good news was delivered once.
    assert results["reports_acknowledged"] > 0
    assert results["reports_lost"] == 0, output
    assert results["reports_duplicated"] == 0, output
    assert results["outcomes_recorded"] > 0, output
    assert results["good_news_problems"] == [], output
    assert results["good_news_delivered_once"] == results["outcomes_recorded"]
    assert results["notifications_written"] >= results["outcomes_recorded"]
    assert results["notifications_undelivered"] == 0, output

    failed = {check["name"] for check in results["checks"] if not check["passed"]}
    assert failed == set(), output
    assert results["passed"] is True
    assert run.returncode == 0, output


def failed_checks(results: Results) -> set[str]:
    judge(results)
    return {check.name for check in results.checks if not check.passed}


def write_load(folder: Path, requests: list[str], errors: list[dict]) -> None:
    (folder / "requests.log").write_text("".join(f"{line}\n" for line in requests))
    (folder / "error_pages.jsonl").write_text("".join(json.dumps(error) + "\n" for error in errors))


RESTART = Timeline(load_started=1000, postgres_stopping=1040, postgres_stopped=1041, postgres_ready=1043)
RETRY_503 = {"status": 503, "retry_page": True, "retry_after": "60", "traceback": False}


def test_the_checks_pass_a_run_whose_only_errors_are_the_retry_page_during_the_restart(tmp_path):
    write_load(
        tmp_path,
        ["1001.0 0.2 report_send 302", "1040.5 0.1 my_concerns 503", "1043.5 0.2 visit_page 200"],
        [{"at": 1040.6, **RETRY_503}],
    )
    results = Results(reports_acknowledged=1, outcomes_recorded=1)
    measure_requests(results, tmp_path, RESTART)

    assert failed_checks(results) == set()
    assert results.recovery_seconds == pytest.approx(0.7)
    assert results.pages["report send"]["count"] == 1


def test_the_checks_fail_on_a_server_error_a_traceback_a_slow_recovery_or_a_lost_report(tmp_path):
    write_load(
        tmp_path,
        [
            "1010.0 0.1 my_concerns 500",  # long before the restart
            "1041.0 0.1 visit_page 500",  # during it, but not the retry page
            "1044.0 0.1 report_form 503",
            "1060.0 0.1 visit_page 200",  # the first page served, 17 s after PostgreSQL returned
            "1070.0 0.1 report_send 403",
        ],
        [
            {"at": 1010.1, "status": 500, "retry_page": False, "retry_after": "", "traceback": False},
            {"at": 1041.1, "status": 500, "retry_page": False, "retry_after": "", "traceback": False},
            {"at": 1044.1, **RETRY_503, "traceback": True},
            {"at": 1070.1, "status": 403, "retry_page": False, "retry_after": "", "traceback": False},
        ],
    )
    results = Results(
        reports_acknowledged=5, reports_lost=1, outcomes_recorded=2, notifications_undelivered=1
    )
    results.good_news_email_problems = ["concern 7: 2 emails, expected 1"]
    measure_requests(results, tmp_path, RESTART)

    assert results.server_errors_outside_window == 1
    assert results.server_errors_in_window == 2
    assert len(results.bad_errors_in_window) == 2
    assert failed_checks(results) == {
        "no server error outside PostgreSQL's restart",
        "no 4xx answer outside PostgreSQL's restart",
        "during the restart only 503 'Please try again in a minute', never a traceback",
        "pages served again within 10 s of PostgreSQL's return",
        "every acknowledged report is in the database exactly once",
        "everything written to the outbox during the run was delivered",
        EMAILED_ONCE,
    }
    assert not results.passed
    assert sent_twice(results.good_news_email_problems[0])
