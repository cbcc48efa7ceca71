"""The run's figures as one Markdown document: what was measured, on what, and how."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.template import engines

from livingwell.bench.good_news import GoodNewsResult
from livingwell.bench.http_load import LoadResult
from livingwell.bench.inprocess import MEDIAN_TARGET, P95_TARGET, PageTiming

COUNTED_TABLES = [
    ("clients", "clients_client"),
    ("volunteers", "volunteers_volunteer"),
    ("concerns", "risks_riskreport"),
    ("concern events", "risks_riskevent"),
    ("notifications", "notifications_notification"),
    ("meetings", "meetings_meeting"),
]


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for label, table in COUNTED_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[label] = cursor.fetchone()[0]
    return counts


def machine() -> dict[str, str]:
    cpu, cores = "unknown", 0
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name") and cpu == "unknown":
                cpu = line.split(":", 1)[1].strip()
            if line.startswith("processor"):
                cores += 1
    memory = "unknown"
    with open("/proc/meminfo") as info:
        for line in info:
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    return {
        "CPU": f"{cpu}, {cores} cores (os.cpu_count {os.cpu_count()})",
        "Memory": memory,
        "Operating system": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "PostgreSQL": f"{postgres} (shared_buffers {shared_buffers}, jit {jit})",
    }


def settings_used() -> dict[str, str]:
    engine = engines["django"].engine
    loaders = ", ".join(
        f"{loader.__module__}.{type(loader).__name__}"
        + (f" of {[type(inner).__name__ for inner in loader.loaders]}" if hasattr(loader, "loaders") else "")
        for loader in engine.template_loaders
    )
    debug_toolbar = any("debug_toolbar" in app for app in settings.INSTALLED_APPS)
    return {
        "DEBUG": str(settings.DEBUG),
        "Template loaders": loaders,
        "Debug toolbar installed": str(debug_toolbar),
        "Static files storage": settings.STORAGES["staticfiles"]["BACKEND"],
        "SECURE_SSL_REDIRECT": f"{settings.SECURE_SSL_REDIRECT} (plain HTTP on loopback)",
        "SESSION_SAVE_EVERY_REQUEST": str(settings.SESSION_SAVE_EVERY_REQUEST),
        "CONN_MAX_AGE": str(settings.DATABASES["default"].get("CONN_MAX_AGE")),
        "Password hasher": settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1],
        "Email backend": settings.EMAIL_BACKEND,
    }


def git_commit() -> str:
    try:
        found = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except OSError:
        return "unknown"
    return found.stdout.strip() or "unknown"


def ms(value: float) -> str:
    return f"{value:.1f}"


def page_table(timings: list[PageTiming]) -> list[str]:
    lines = [
        "| role | page | URL | status | queries | requests | median ms | p95 ms | floor median ms "
        "| median / floor | p95 / floor | targets |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for timing in timings:
        if not timing.ok:
            verdict = f"**error ({timing.status}, floor {timing.floor_status})**"
        elif timing.meets_targets:
            verdict = "met"
        else:
            verdict = "**missed**"
        lines.append(
            f"| {timing.page.role} | {timing.page.label} | `{timing.url}` "
            f"| {timing.status} | {timing.queries} | {timing.requests} "
            f"| {ms(timing.median_ms)} | {ms(timing.p95_ms)} | {ms(timing.floor_median_ms)} "
            f"| {timing.median_ratio:.1f} | {timing.p95_ratio:.1f} | {verdict} |"
        )
    return lines


CPU_PARTS = {
    "web": "gunicorn",
    "database": "PostgreSQL",
    "worker": "Celery worker",
    "load generator": "load generator",
}


def cpu_ms(load: LoadResult, part: str) -> str:
    figure = load.cpu_ms_per_report.get(part)
    return "—" if figure is None else f"{figure:.1f} ms"


def document(
    *,
    size_label: str,
    risks_asked: int,
    counts: dict[str, int],
    timings: list[PageTiming],
    missing: list[str],
    requests: int,
    loads: list[LoadResult],
    good_news: GoodNewsResult | None,
    web_workers: int,
    worker_concurrency: int,
    started: datetime,
    elapsed_s: float,
) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (scripts/bench.sh); every figure below comes from that run.",
        "",
        f"- Date: {started.astimezone(UTC):%Y-%m-%d %H:%M} UTC (the run took {elapsed_s:.0f} s)",
        f"- Git commit: `{git_commit()}`",
        f"- BENCH_SIZE: {size_label} ({risks_asked:,} concerns asked of seed_scale)",
        "- Rows before the run: " + ", ".join(f"{label} {count:,}" for label, count in counts.items()),
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in machine().items()],
        "",
        "## Settings",
        "",
        *[f"- {key}: {value}" for key, value in settings_used().items()],
        "",
        "## Pages, in-process",
        "",
        f"Django's test client in one process; each page {requests} times (5 when one request "
        "takes over 10 s) after 2 warm-up requests, "
        "each request interleaved with the same person's floor page "
        "(`/accounts/password_change/`: the same middleware, session and layout, no domain data). "
        "Queries: those of one request after the warm-up. "
        f"Targets: median at most {MEDIAN_TARGET:g} times the floor's median, "
        f"p95 at most {P95_TARGET:g} times it.",
        "",
        *page_table(timings),
    ]
    if missing:
        lines += ["", "Pages that could not be timed (nothing of the kind in this database):", ""]
        lines += [f"- **{what}**" for what in missing]
    lines += ["", "## Over HTTP", ""]
    lines += [
        f"gunicorn on loopback ({web_workers} workers, the settings above) and a Celery worker "
        f"(concurrency {worker_concurrency}); the load generator runs on the same machine.",
        "",
    ]
    if loads:

        def row(label, figure):
            return f"| {label} | " + " | ".join(figure(load) for load in loads) + " |"

        def verdict(load):
            equal = "equal" if load.consistent else "**NOT equal**"
            return f"{load.in_database:,} ({equal} to the acknowledged)"

        lines += [
            "| concern reports over HTTP | "
            + " | ".join(
                "opening the form and sending" if load.opens_form else "sending only" for load in loads
            )
            + " |",
            "|---|" + "---|" * len(loads),
            row("concurrent volunteers (each signed in through the form)", lambda load: str(load.volunteers)),
            row("duration", lambda load: f"{load.seconds:.1f} s"),
            row("reports acknowledged (302 to the concern)", lambda load: f"{load.acknowledged:,}"),
            row("reports accepted per second", lambda load: f"{load.per_second:.1f}"),
            row("sending the form: p50 / p95", lambda load: f"{ms(load.p50_ms)} ms / {ms(load.p95_ms)} ms"),
            row("errors", lambda load: str(load.errors)),
            row("new concerns in the database", verdict),
            *(
                row(f"CPU per report: {name}", lambda load, part=part: cpu_ms(load, part))
                for part, name in CPU_PARTS.items()
            ),
            "",
            "Sending only: the form is opened once per session, then every report is sent with that "
            "session's CSRF token and a new one-time key made by the sender, as a phone sends the "
            "reports it saved with no signal. Opening and sending: the form is opened for each report.",
            "CPU per report: processor time used during the run by each part (read from /proc), "
            "divided by the reports acknowledged; the web server's includes opening the form when "
            "it is opened.",
            "",
        ]
        lines += [f"- Error: {sample}" for load in loads for sample in load.error_samples]
    if good_news is not None:
        lines += [
            "| good news, outcome recorded over HTTP → delivered by the worker | figure |",
            "|---|---|",
            f"| outcomes recorded | {len(good_news.latencies)} of {good_news.asked} |",
            f"| p50 | {good_news.p50_s:.2f} s |",
            f"| p95 | {good_news.p95_s:.2f} s |",
            "",
        ]
        lines += [f"- Error: {error}" for error in good_news.errors[:10]]
    return "\n".join(lines).rstrip() + "\n"
