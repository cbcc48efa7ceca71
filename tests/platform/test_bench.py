"""`make bench` end to end at the small size, as a smoke test: it must work, not be fast.
Its own PostgreSQL and Redis in a temporary folder, few requests and short HTTP runs."""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.platform.test_make_run import TEST_ENVIRONMENT
from tests.support.processes import ROOT, free_port

# Every key page the issue names, by role: the benchmark must time each one.
KEY_PAGES = {
    "volunteer": ["Home", "Report a concern", "My concerns", "My clients", "A client's visit page"],
    "volunteer (vera)": ["Home", "Report a concern", "My concerns", "My clients"],
    "coordinator": [
        "Home",
        "Triage queue",
        "Triage queue, deepest page",
        "Triage queue, urgent",
        "Clients",
        "Clients, search",
        "A client's record",
        "A concern",
        "Volunteers",
        "Directory",
        "Rota",
        "Meetings",
        "A meeting",
        "Stories",
    ],
    "team leader": ["Phone form, volunteer found", "Phone form, volunteer chosen"],
    "manager": ["Reports", "Reports, last 12 months", "Trials"],
    "MDT chair": ["Meetings", "An MDT meeting"],
}


@pytest.fixture
def bench_dir():
    # Not pytest's tmp_path: the postgres user must be able to enter the folder.
    folder = Path(tempfile.mkdtemp(prefix="livingwell-bench-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_make_bench_small_times_every_key_page_and_the_http_figures_add_up(bench_dir):
    env = {key: value for key, value in os.environ.items() if key not in TEST_ENVIRONMENT}
    output = bench_dir / "benchmarks.md"
    env.update(
        BENCH_SIZE="small",
        BENCH_REQUESTS="3",
        BENCH_HTTP_SECONDS="3",
        BENCH_VOLUNTEERS="5",
        BENCH_GOOD_NEWS="3",
        BENCH_OUTPUT=str(output),
        LW_BENCH_DATA=str(bench_dir / "data"),
        LW_BENCH_PG_PORT=str(free_port()),
        LW_BENCH_REDIS_PORT=str(free_port()),
        BENCH_STATIC_MANIFEST="false",
        WEB_CONCURRENCY="2",
        WORKER_CONCURRENCY="1",
    )
    run = subprocess.run(["make", "bench"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, (run.stdout + run.stderr)[-6000:]
    report = output.read_text()
    assert report in run.stdout  # the table printed is the table written

    rows = {}
    for line in report.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 12 and cells[3].isdigit():
            rows[(cells[0], cells[1])] = cells
    for role, labels in KEY_PAGES.items():
        for label in labels:
            cells = rows.get((role, label))
            assert cells, f"no row for {role}: {label}\n{report}"
            assert cells[3] == "200", cells
            assert int(cells[4]) > 0, cells
            assert int(cells[5]) == 3, cells
            assert float(cells[6]) > 0, cells
            assert float(cells[8]) > 0, cells
    # The small database's queue has several pages: the deepest is not the first.
    assert rows[("coordinator", "Triage queue, deepest page")][2] != "`/risks/queue/`"

    # Both loops: sending only, and opening the form for every report.
    assert "| concern reports over HTTP | sending only | opening the form and sending |" in report
    acknowledged = re.search(
        r"reports acknowledged \(302 to the concern\) \| ([\d,]+) \| ([\d,]+) \|", report
    )
    in_database = re.search(
        r"new concerns in the database \| ([\d,]+) \((\w+) [^|]*\| ([\d,]+) \((\w+)", report
    )
    for loop in (0, 1):
        count = int(acknowledged[1 + loop].replace(",", ""))
        assert count > 0
        assert int(in_database[1 + 2 * loop].replace(",", "")) == count
        assert in_database[2 + 2 * loop] == "equal"
    assert re.search(r"\| errors \| 0 \| 0 \|", report)
    # Where the CPU went, per report: the web server's and the database's share were found.
    for part in ("gunicorn", "PostgreSQL"):
        cpu = re.search(rf"\| CPU per report: {part} \| (\d+\.\d) ms \| (\d+\.\d) ms \|", report)
        assert cpu, report
        assert float(cpu[1]) > 0, cpu[0]
        assert float(cpu[2]) > 0, cpu[0]
    assert re.search(r"outcomes recorded \| 3 of 3 \|", report)
    assert re.search(r"\| p95 \| \d+\.\d\d s \|", report)
    for heading in ("- CPU: ", "- PostgreSQL: ", "- Python: ", "- DEBUG: False", "- Git commit: "):
        assert heading in report
    assert not (bench_dir / "data" / "postgres" / "pgdata" / "postmaster.pid").exists(), (
        "PostgreSQL still running"
    )
