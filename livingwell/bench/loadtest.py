"""`make loadtest`: volunteers and coordinators at work over HTTP while the services fail
under them, then checks that nothing was lost, sent twice or shown as a traceback.

scripts/loadtest.sh starts a private PostgreSQL and Redis, migrates and seeds, and runs
this module with the environment production would have (DEBUG off). This module then:

1. gives the load's accounts what they need: a session for each volunteer (signed in
   earlier in the day: 200 password checks at once would measure only the password
   hashing), and a password and authenticator app for each coordinator, who signs in with
   both steps during the run;
2. starts gunicorn, a Celery worker and Celery beat, as the Procfile does;
3. runs locust in a process of its own (livingwell/bench/loadtest_users.py) and, while it
   runs, kills the worker with SIGKILL and starts it again (as a supervisor would),
   restarts PostgreSQL, and stops Redis for a while (`FaultPlan`);
4. waits, with a deadline, for the outbox to deliver everything written during the run,
   and checks the figures (`judge`). Exit status 1 if any check fails.

Settings, from the environment: LOADTEST_VOLUNTEERS (200), LOADTEST_COORDINATORS (10),
LOADTEST_SECONDS (60); the faults' timings follow the run's length (`FaultPlan`), and
LOADTEST_REDIS_DOWN_SECONDS and LOADTEST_PG_DOWN_SECONDS set how long each is down."""

from __future__ import annotations

import json
import math
import os
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
# How long after PostgreSQL is back a page must be served again, and for how long after
# it comes back its restart may still be blamed for an error.
RECOVERY_LIMIT_SECONDS = 10.0
# How long the load goes on after the first page served after PostgreSQL's return, at least.
AFTER_RECOVERY_SECONDS = 3.0
GOOD_NEWS_SUBJECT = "Subject: Living Well: good news about a concern you raised"
EMAILED_ONCE = "every good news email due is sent exactly once"
IN_THE_RESTART = "during the restart only 503 'Please try again in a minute', never a traceback"


def from_env(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    return float(value) if value.strip() else default


@dataclass(frozen=True)
class FaultPlan:
    """When each fault starts, in seconds from the start of the load, and how long it lasts.
    One after the other (a fault starts late if the one before ran over), Redis last, when
    the coordinators, who sign in first, are recording outcomes: their good news must then
    wait in the outbox until Redis is back."""

    worker_killed_at: float
    postgres_stopped_at: float
    postgres_down_for: float
    redis_down_at: float
    redis_down_for: float

    @classmethod
    def for_run(cls, seconds: float) -> FaultPlan:
        return cls(
            worker_killed_at=0.15 * seconds,
            postgres_stopped_at=0.25 * seconds,
            postgres_down_for=from_env("LOADTEST_PG_DOWN_SECONDS", max(1.0, 0.05 * seconds)),
            redis_down_at=0.4 * seconds,
            redis_down_for=from_env("LOADTEST_REDIS_DOWN_SECONDS", 0.5 * seconds),
        )


@dataclass(frozen=True)
class Settings:
    volunteers: int
    coordinators: int
    seconds: float
    data: Path  # the run's temporary folder (PostgreSQL, Redis, logs, mail)
    pg_port: int
    redis_port: int
    web_workers: int
    drain_seconds: float
    results: Path | None

    @classmethod
    def from_env(cls) -> Settings:
        results = os.environ.get("LOADTEST_RESULTS", "")
        return cls(
            volunteers=int(from_env("LOADTEST_VOLUNTEERS", 200)),
            coordinators=int(from_env("LOADTEST_COORDINATORS", 10)),
            seconds=from_env("LOADTEST_SECONDS", 60),
            data=Path(os.environ["LOADTEST_DATA"]),
            pg_port=int(os.environ["LOADTEST_PG_PORT"]),
            redis_port=int(os.environ["LOADTEST_REDIS_PORT"]),
            web_workers=int(from_env("WEB_CONCURRENCY", 3)),
            drain_seconds=from_env("LOADTEST_DRAIN_SECONDS", 120),
            results=Path(results) if results else None,
        )

    @property
    def logs(self) -> Path:
        return self.data / "logs"

    @property
    def output(self) -> Path:
        """What the locust users write: requests, acknowledged reports, error pages."""
        return self.data / "locust"

    @property
    def mail(self) -> Path:
        return self.data / "mail"


# The services, stopped and started with scripts/lib.sh, the same code `make test` uses.
def lib_sh(function: str, *args: str) -> None:
    subprocess.run(
        ["bash", "-c", f'source "$0" && {function} "$@"', str(ROOT / "scripts" / "lib.sh"), *args],
        check=True,
        stdout=subprocess.DEVNULL,
    )


# -- the accounts ---------------------------------------------------------------------


def prepare_accounts(settings_: Settings) -> dict:
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.test import Client

    from livingwell.accounts import services as accounts_services
    from livingwell.accounts.models import Area, Organisation, User
    from livingwell.accounts.roles import Role
    from livingwell.bench.http_load import volunteers_with_clients
    from livingwell.bench.second_step import BENCH_SECRET, app_device
    from livingwell.scale import SCALE_PREFIX

    usernames = volunteers_with_clients(settings_.volunteers)
    if len(usernames) < settings_.volunteers:
        raise SystemExit(
            f"only {len(usernames)} volunteers with clients were seeded, not {settings_.volunteers}"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT u.username, array_agg(p.content_object_id ORDER BY p.content_object_id)
            FROM clients_clientuserobjectpermission AS p
            JOIN auth_permission AS perm ON perm.id = p.permission_id
            JOIN accounts_user AS u ON u.id = p.user_id
            WHERE perm.codename = 'view_client_visit_page' AND u.username = ANY(%s)
            GROUP BY u.username
            """,
            [usernames],
        )
        clients_of = dict(cursor.fetchall())
    volunteers = []
    for user in User.objects.filter(username__in=usernames).order_by("pk"):
        browser = Client()
        browser.force_login(user)
        volunteers.append(
            {
                "username": user.username,
                "session": browser.cookies[settings.SESSION_COOKIE_NAME].value,
                "clients": [int(pk) for pk in clients_of[user.username]],
            }
        )

    # The coordinators the load needs beyond the demo's, spread over the areas.
    password = secrets.token_urlsafe(24)
    coordinator_group = Group.objects.get(name=Role.COORDINATOR)
    organisation = Organisation.objects.order_by("pk").first()
    areas = list(Area.objects.order_by("pk"))
    coordinators = []
    with transaction.atomic():
        for number in range(1, settings_.coordinators + 1):
            user, created = User.objects.get_or_create(
                username=f"{SCALE_PREFIX}coordinator-{number}",
                defaults={
                    "first_name": "Coordinator",
                    "last_name": str(number),
                    "email": f"{SCALE_PREFIX}coordinator-{number}@example.org",
                    "organisation": organisation,
                },
            )
            user.set_password(password)
            user.save()
            user.groups.add(coordinator_group)
            if created:
                accounts_services.area_membership_start(user=user, area=areas[number % len(areas)])
            app_device(user)
            coordinators.append({"username": user.username, "password": password})
    return {
        "volunteers": volunteers,
        "coordinators": coordinators,
        "coordinator_users": settings_.coordinators,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "second_step_secret": BENCH_SECRET,
        # A report answered with "Please try again in a minute" is sent again this often.
        "report_attempts": 60,
        "retry_wait_seconds": 1.0,
        # Volunteers arrive over the first tenth of the run (10 s at most), then pause this
        # long between pages.
        "arrival_seconds": min(0.1 * settings_.seconds, 10.0),
        "volunteer_pause_seconds": [10, 30],
    }


# -- the processes --------------------------------------------------------------------


class Services:
    """gunicorn, the Celery worker and beat, each in a process group of its own."""

    def __init__(self, settings_: Settings):
        from livingwell.bench import servers

        self.settings = settings_
        self.servers = servers
        self.port = servers.free_port()
        self.web = None
        self.worker = None
        self.beat = None
        self.workers_started = 0

    def start(self):
        self.web = self.servers.start_web(self.port, self.settings.web_workers, self.settings.logs)
        self.start_worker()
        self.beat = self.servers.Process(
            [
                sys.executable, "-m", "celery", "-A", "livingwell", "beat", "--loglevel=INFO",
                f"--schedule={self.settings.data / 'beat-schedule'}",
            ],
            self.settings.logs / "beat.log",
            dict(os.environ),
        )  # fmt: skip

    def start_worker(self):
        self.workers_started += 1
        log_path = self.settings.logs / f"worker-{self.workers_started}.log"
        worker = self.servers.Process(
            [
                sys.executable, "-m", "celery", "-A", "livingwell", "worker", "--loglevel=INFO",
                f"--concurrency={int(from_env('WORKER_CONCURRENCY', 2))}", "--without-gossip",
                "--without-mingle", f"--hostname=loadtest-{self.workers_started}@%h",
            ],
            log_path,
            dict(os.environ),
        )  # fmt: skip
        self.servers.wait_for(
            lambda: b"ready." in log_path.read_bytes() or worker.died(), 60, "the Celery worker"
        )
        if worker.died():
            raise RuntimeError(f"the Celery worker exited:\n{worker.log()}")
        self.worker = worker

    def kill_worker(self):
        """SIGKILL to the worker and its pool, as the kernel's OOM killer would send it."""
        os.killpg(self.worker.process.pid, signal.SIGKILL)
        self.worker.process.wait(10)

    def stop(self):
        for process in (self.web, self.worker, self.beat):
            if process is not None:
                process.stop()


# -- the run --------------------------------------------------------------------------


@dataclass
class Timeline:
    """Wall-clock times (time.time()) of the run and of each fault."""

    load_started: float = 0.0
    load_ended: float = 0.0
    redis_stopped: float = 0.0
    redis_started: float = 0.0
    worker_killed: float = 0.0
    worker_ready: float = 0.0
    postgres_stopping: float = 0.0
    postgres_stopped: float = 0.0
    postgres_ready: float = 0.0


def run_locust(settings_: Settings, services: Services, plan: FaultPlan) -> Timeline:
    users = settings_.volunteers + settings_.coordinators
    spawn_rate = max(users / max(0.1 * settings_.seconds, 1.0), 1.0)
    env = {
        **os.environ,
        "LOADTEST_ACCOUNTS": str(settings_.data / "accounts.json"),
        "LOADTEST_OUTPUT": str(settings_.output),
    }
    command = [
        sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("loadtest_users.py")),
        "--headless", "--host", f"http://127.0.0.1:{services.port}",
        "--users", str(users), "--spawn-rate", f"{spawn_rate:.1f}",
        # Stopped by the driver (SIGTERM), once the run's time is up and PostgreSQL has had
        # its time to come back; this is only the backstop.
        "--run-time", f"{math.ceil(settings_.seconds + RECOVERY_LIMIT_SECONDS) + 120}s",
        "--stop-timeout", "0",
        "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    timeline = Timeline()
    with open(settings_.logs / "locust.log", "wb") as log:
        locust = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    started = settings_.output / "started"
    services.servers.wait_for(lambda: started.exists() or locust.poll() is not None, 60, "locust to start")
    if locust.poll() is not None:
        raise RuntimeError(f"locust exited:\n{(settings_.logs / 'locust.log').read_text()[-3000:]}")
    timeline.load_started = float(started.read_text().split()[0])
    try:
        inject_faults(settings_, services, plan, timeline, locust)
    finally:
        if locust.poll() is None:
            locust.kill()
    timeline.load_ended = time.time()
    return timeline


def inject_faults(
    settings_: Settings, services: Services, plan: FaultPlan, timeline: Timeline, locust: subprocess.Popen
) -> None:
    def at(offset: float):
        time.sleep(max(timeline.load_started + offset - time.time(), 0))

    data = settings_.data
    at(plan.worker_killed_at)
    say("Killing the Celery worker (SIGKILL) and starting it again")
    timeline.worker_killed = time.time()
    services.kill_worker()
    services.start_worker()
    timeline.worker_ready = time.time()

    at(plan.postgres_stopped_at)
    say(f"Restarting PostgreSQL ({plan.postgres_down_for:.0f} s down)")
    timeline.postgres_stopping = time.time()
    lib_sh("pg_stop", str(data / "postgres"))
    timeline.postgres_stopped = time.time()
    time.sleep(plan.postgres_down_for)
    lib_sh("pg_start", str(data / "postgres"), str(settings_.pg_port))
    timeline.postgres_ready = time.time()

    at(plan.redis_down_at)
    say(f"Stopping Redis for {plan.redis_down_for:.0f} s")
    timeline.redis_stopped = time.time()
    lib_sh("redis_stop", str(data / "redis"))
    time.sleep(plan.redis_down_for)
    lib_sh("redis_start", str(data / "redis"), str(settings_.redis_port), "--save", "", "--appendonly", "no")
    timeline.redis_started = time.time()

    # The load goes on for the run's length, and after PostgreSQL's return until pages have
    # been served again for a while (or the recovery allowance has passed), so that the
    # recovery is measured and what follows it is seen.
    end_by = timeline.load_started + settings_.seconds
    give_up_at = timeline.postgres_ready + RECOVERY_LIMIT_SECONDS
    while time.time() < end_by or time.time() < give_up_at:
        served = first_served_after(settings_.output, timeline.postgres_ready)
        if time.time() >= end_by and served is not None and time.time() >= served + AFTER_RECOVERY_SECONDS:
            break
        time.sleep(0.5)
    locust.send_signal(signal.SIGTERM)
    try:
        locust.wait(60)
    except subprocess.TimeoutExpired:
        raise RuntimeError("locust did not stop") from None


def first_served_after(output: Path, moment: float) -> float | None:
    """When the first page answered with 2xx after `moment` was answered, if any."""
    first = None
    for started, seconds, _, status in read_lines(output / "requests.log"):
        ended = float(started) + float(seconds)
        if 200 <= int(status) < 300 and ended >= moment and (first is None or ended < first):
            first = ended
    return first


def undelivered(since: float) -> tuple[int, int]:
    """(outcomes recorded since `since` whose good news is not delivered, notifications of
    any kind written since then and not delivered)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT (SELECT count(*) FROM risks_outcome AS o
                    WHERE o.recorded_at >= to_timestamp(%(since)s) AND NOT EXISTS (
                        SELECT 1 FROM notifications_notification AS n
                        WHERE n.kind = 'good_news' AND n.link = '/risks/' || o.risk_id || '/'
                          AND n.created_at >= to_timestamp(%(since)s) AND n.delivered_at IS NOT NULL)),
                   (SELECT count(*) FROM notifications_notification
                    WHERE created_at >= to_timestamp(%(since)s) AND delivered_at IS NULL)
            """,
            {"since": since},
        )
        return cursor.fetchone()


def wait_for_the_outbox(since: float, deadline_s: float) -> float:
    """Seconds until everything written to the outbox since `since` is delivered, or the
    deadline passed (then the checks say what was not)."""
    started = time.monotonic()
    while time.monotonic() - started < deadline_s and any(undelivered(since)):
        time.sleep(0.5)
    return time.monotonic() - started


# -- the checks -----------------------------------------------------------------------


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


@dataclass
class Results:
    requests: int = 0
    seconds: float = 0.0
    requests_per_second: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    pages: dict[str, dict] = field(default_factory=dict)  # kind: {count, p50_ms, p95_ms}
    recovery_seconds: float | None = None
    server_errors_outside_window: int = 0
    client_errors_outside_window: int = 0  # 4xx: none of the load's requests should get one
    server_errors_in_window: int = 0
    bad_errors_in_window: list[dict] = field(default_factory=list)
    reports_acknowledged: int = 0
    reports_lost: int = 0
    reports_duplicated: int = 0
    reports_unacknowledged_but_saved: int = 0
    outcomes_recorded: int = 0
    good_news_delivered_once: int = 0
    good_news_problems: list[str] = field(default_factory=list)
    good_news_emails_expected: int = 0
    good_news_emailed_once: int = 0
    good_news_email_problems: list[str] = field(default_factory=list)
    notifications_written: int = 0
    notifications_undelivered: int = 0
    drain_seconds: float = 0.0
    timeline: dict = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(check.passed for check in self.checks)


def read_lines(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [line.split() for line in path.read_text().splitlines() if line.strip()]


def measure_requests(results: Results, output: Path, timeline: Timeline) -> None:
    from livingwell.bench.stats import median, p95

    window = (timeline.postgres_stopping, timeline.postgres_ready + RECOVERY_LIMIT_SECONDS)
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: Counter[str] = Counter()
    first = last = None
    for started_s, seconds_s, name, status_s in read_lines(output / "requests.log"):
        started, seconds, status = float(started_s), float(seconds_s), int(status_s)
        ended = started + seconds
        first = started if first is None else min(first, started)
        last = ended if last is None else max(last, ended)
        statuses[status_s] += 1
        if 0 < status < 400:
            latencies[name.replace("_", " ")].append(seconds)
        elif status >= 500 or status == 0:
            if window[0] <= ended <= window[1]:
                results.server_errors_in_window += 1
            else:
                results.server_errors_outside_window += 1
        elif not window[0] <= ended <= window[1]:
            results.client_errors_outside_window += 1
    results.requests = sum(statuses.values())
    results.seconds = (last - first) if first is not None else 0.0
    results.requests_per_second = results.requests / results.seconds if results.seconds else 0.0
    results.statuses = dict(sorted(statuses.items()))
    results.pages = {
        name: {"count": len(values), "p50_ms": median(values) * 1000, "p95_ms": p95(values) * 1000}
        for name, values in sorted(latencies.items())
    }
    recovered_at = first_served_after(output, timeline.postgres_ready)
    if recovered_at is not None:
        results.recovery_seconds = max(recovered_at - timeline.postgres_ready, 0.0)
    for line in (
        (output / "error_pages.jsonl").read_text().splitlines()
        if (output / "error_pages.jsonl").exists()
        else []
    ):
        error = json.loads(line)
        in_window = window[0] <= error["at"] <= window[1]
        retry_page = error["status"] == 503 and error["retry_page"] and error["retry_after"]
        if in_window and (not retry_page or error["traceback"]):
            results.bad_errors_in_window.append(error)


def check_reports(results: Results, output: Path, since: float, volunteers: list[str]) -> None:
    """Every acknowledged report is in the database once: its key was claimed, the claim
    names the concern the server answered with, and no concern of the load's volunteers
    was made without a claim."""
    from django.db import connection

    acknowledged = {key: int(concern) for key, concern, _ in read_lines(output / "acknowledged.log")}
    results.reports_acknowledged = len(acknowledged)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.key::text, s.object_id,
                   EXISTS (SELECT 1 FROM risks_riskreport AS r WHERE r.id::text = s.object_id)
            FROM submissions_submission AS s WHERE s.key = ANY(%s::uuid[])
            """,
            [list(acknowledged)],
        )
        claimed = {key: (object_id, exists) for key, object_id, exists in cursor.fetchall()}
        cursor.execute(
            """
            SELECT count(*) FROM risks_riskreport AS r JOIN accounts_user AS u ON u.id = r.reported_by_id
            WHERE u.username = ANY(%s) AND r.reported_at >= to_timestamp(%s)
              AND NOT EXISTS (
                SELECT 1 FROM submissions_submission AS s
                JOIN django_content_type AS t ON t.id = s.content_type_id
                WHERE t.app_label = 'risks' AND t.model = 'riskreport' AND s.object_id = r.id::text)
            """,
            [volunteers, since],
        )
        made_without_a_claim = cursor.fetchone()[0]
    unanswered = {line[0] for line in read_lines(output / "unanswered.log")} - set(acknowledged)
    if unanswered:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM submissions_submission WHERE key = ANY(%s::uuid[]) AND object_id <> ''",
                [list(unanswered)],
            )
            results.reports_unacknowledged_but_saved = cursor.fetchone()[0]
    lost = [key for key, concern in acknowledged.items() if not claimed.get(key, ("", False))[1]]
    answered_with_another = [
        key for key, concern in acknowledged.items() if key in claimed and claimed[key][0] != str(concern)
    ]
    shared = sum(count - 1 for count in Counter(acknowledged.values()).values() if count > 1)
    results.reports_lost = len(lost)
    results.reports_duplicated = made_without_a_claim + len(answered_with_another) + shared


def check_good_news(results: Results, since: float, mail: Path) -> None:
    """Each outcome recorded in the run has one good-news notification, delivered, and (its
    volunteer having an email address) one email."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT o.risk_id, u.email <> '' AND u.is_active,
                   count(n.id), count(n.id) FILTER (WHERE n.delivered_at IS NOT NULL)
            FROM risks_outcome AS o
            JOIN risks_riskreport AS r ON r.id = o.risk_id
            JOIN accounts_user AS u ON u.id = r.reported_by_id
            LEFT JOIN notifications_notification AS n
              ON n.kind = 'good_news' AND n.link = '/risks/' || o.risk_id || '/'
             AND n.created_at >= to_timestamp(%s)
            WHERE o.recorded_at >= to_timestamp(%s)
            GROUP BY o.risk_id, u.email, u.is_active
            """,
            [since, since],
        )
        rows = cursor.fetchall()
    emails = Counter()
    separator = "\n" + "-" * 79 + "\n"
    for path in sorted(mail.glob("*.log")) if mail.exists() else []:
        for text in path.read_text(errors="replace").split(separator):
            if GOOD_NEWS_SUBJECT in text:
                for risk_id in {int(found) for found in _risk_links(text)}:
                    emails[risk_id] += 1
    results.outcomes_recorded = len(rows)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE delivered_at IS NULL) FROM notifications_notification "
            "WHERE created_at >= to_timestamp(%s)",
            [since],
        )
        results.notifications_written, results.notifications_undelivered = cursor.fetchone()
    for risk_id, has_email, notifications, delivered in rows:
        if notifications == delivered == 1:
            results.good_news_delivered_once += 1
        else:
            results.good_news_problems.append(
                f"concern {risk_id}: {notifications} notifications, {delivered} delivered"
            )
        expected_emails = 1 if has_email else 0
        results.good_news_emails_expected += expected_emails
        if emails[risk_id] == expected_emails:
            results.good_news_emailed_once += expected_emails
        else:
            results.good_news_email_problems.append(
                f"concern {risk_id}: {emails[risk_id]} emails, expected {expected_emails}"
            )


def _risk_links(text: str) -> list[str]:
    import re

    return re.findall(r"/risks/(\d+)/", text)


def judge(results: Results) -> None:
    recovery = results.recovery_seconds
    results.checks = [
        Check("requests were made", results.requests > 0, f"{results.requests} requests"),
        Check(
            "no server error outside PostgreSQL's restart",
            results.server_errors_outside_window == 0,
            f"{results.server_errors_outside_window} outside, {results.server_errors_in_window} during it",
        ),
        Check(
            "no 4xx answer outside PostgreSQL's restart",
            results.client_errors_outside_window == 0,
            f"{results.client_errors_outside_window}",
        ),
        Check(
            IN_THE_RESTART,
            not results.bad_errors_in_window,
            f"{len(results.bad_errors_in_window)} other errors: {results.bad_errors_in_window[:3]}",
        ),
        Check(
            f"pages served again within {RECOVERY_LIMIT_SECONDS:.0f} s of PostgreSQL's return",
            recovery is not None and recovery <= RECOVERY_LIMIT_SECONDS,
            "no page served after it" if recovery is None else f"{recovery:.2f} s",
        ),
        Check(
            "every acknowledged report is in the database exactly once",
            results.reports_acknowledged > 0
            and results.reports_lost == 0
            and results.reports_duplicated == 0,
            f"{results.reports_acknowledged} acknowledged, {results.reports_lost} lost, "
            f"{results.reports_duplicated} duplicated",
        ),
        Check(
            "every good news due is delivered exactly once",
            results.outcomes_recorded > 0 and not results.good_news_problems,
            f"{results.good_news_delivered_once} of {results.outcomes_recorded} outcomes; "
            f"{results.good_news_problems[:3]}",
        ),
        Check(
            "everything written to the outbox during the run was delivered",
            results.notifications_undelivered == 0,
            f"{results.notifications_written - results.notifications_undelivered} of "
            f"{results.notifications_written} notifications of every kind",
        ),
        Check(
            EMAILED_ONCE,
            not results.good_news_email_problems,
            f"{results.good_news_emailed_once} of {results.good_news_emails_expected}; "
            f"{results.good_news_email_problems[:3]}",
        ),
    ]


def say(text: str) -> None:
    print(f"\033[1m==> {text}\033[0m", flush=True)


def report(results: Results, settings_: Settings, timeline: Timeline) -> str:
    def _at(moment: float) -> str:
        return f"{moment - timeline.load_started:.1f}"

    def _span(start: float, end: float) -> str:
        return f"{end - start:.1f} s from {_at(start)}"

    lines = [
        "",
        f"Load with faults: {settings_.volunteers} volunteers and {settings_.coordinators} coordinators "
        f"for {settings_.seconds:.0f} s",
        f"Faults (s from the start): worker killed (SIGKILL) at {_at(timeline.worker_killed)} and "
        f"ready again at {_at(timeline.worker_ready)}; PostgreSQL stopping at "
        f"{_at(timeline.postgres_stopping)}, "
        f"down {_span(timeline.postgres_stopped, timeline.postgres_ready)}; "
        f"Redis down {_span(timeline.redis_stopped, timeline.redis_started)}; "
        f"load stopped at {_at(timeline.load_ended)}",
        "",
        f"requests: {results.requests:,} in {results.seconds:.1f} s = "
        f"{results.requests_per_second:.1f} requests/s",
        "statuses: " + ", ".join(f"{status}: {count:,}" for status, count in results.statuses.items()),
        "",
        "| page kind | answered (< 400) | p50 ms | p95 ms |",
        "|---|---|---|---|",
    ]
    for name, page in results.pages.items():
        lines.append(f"| {name} | {page['count']:,} | {page['p50_ms']:.0f} | {page['p95_ms']:.0f} |")
    recovery = "none" if results.recovery_seconds is None else f"{results.recovery_seconds:.2f} s"
    lines += [
        "",
        f"server errors (5xx or no answer): {results.server_errors_outside_window} outside PostgreSQL's "
        f"restart, {results.server_errors_in_window} during it",
        f"recovery after PostgreSQL returned (first 2xx answered): {recovery}",
        f"concern reports: {results.reports_acknowledged:,} acknowledged, {results.reports_lost} lost, "
        f"{results.reports_duplicated} duplicated ({results.reports_unacknowledged_but_saved} more saved "
        "whose acknowledgement never arrived)",
        f"good news: {results.outcomes_recorded:,} outcomes recorded, {results.good_news_delivered_once:,} "
        f"delivered exactly once, {results.good_news_emailed_once:,} of "
        f"{results.good_news_emails_expected:,} emails sent exactly once; "
        f"the outbox ({results.notifications_written:,} notifications of every kind, "
        f"{results.notifications_undelivered} undelivered) was waited for "
        f"{results.drain_seconds:.1f} s after the load",
        "",
    ]
    for check in results.checks:
        lines.append(f"{'PASS' if check.passed else 'FAIL'}  {check.name} ({check.detail})")
    return "\n".join(lines)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livingwell.settings")
    # The killed worker leaves the rows it was sending claimed: they are sent again once the
    # claim expires (15 minutes in production), which must fall within the run's drain
    # wait. It must still outlast PostgreSQL's restart, through which a worker keeps trying
    # to record an email it has sent, or that email would go twice.
    os.environ.setdefault("NOTIFICATION_SENDING_TIMEOUT_SECONDS", "20")
    django.setup()
    from django.db import connection

    settings_ = Settings.from_env()
    plan = FaultPlan.for_run(settings_.seconds)
    for folder in (settings_.logs, settings_.output, settings_.mail):
        folder.mkdir(parents=True, exist_ok=True)

    say("Preparing the load's accounts")
    accounts = prepare_accounts(settings_)
    (settings_.data / "accounts.json").write_text(json.dumps(accounts))
    volunteers = [account["username"] for account in accounts["volunteers"]]
    connection.close()  # PostgreSQL restarts under the run: reconnect afterwards

    services = Services(settings_)
    say(f"Starting gunicorn ({settings_.web_workers} workers), a Celery worker and beat")
    services.start()
    try:
        users = settings_.volunteers + settings_.coordinators
        say(f"Running locust: {users} users for {settings_.seconds:.0f} s")
        timeline = run_locust(settings_, services, plan)
        say(f"Waiting up to {settings_.drain_seconds:.0f} s for the outbox to deliver everything")
        results = Results(timeline=asdict(timeline))
        results.drain_seconds = wait_for_the_outbox(timeline.load_started, settings_.drain_seconds)
    finally:
        services.stop()
    measure_requests(results, settings_.output, timeline)
    check_reports(results, settings_.output, timeline.load_started, volunteers)
    check_good_news(results, timeline.load_started, settings_.mail)
    judge(results)
    print(report(results, settings_, timeline), flush=True)
    if settings_.results:
        settings_.results.write_text(
            json.dumps({**asdict(results), "plan": asdict(plan), "passed": results.passed}, indent=2)
        )
    return 0 if results.passed else 1


if __name__ == "__main__":
    sys.exit(main())
