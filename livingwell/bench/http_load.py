"""Concern reports accepted per second over HTTP: volunteers, each with their own session
signed in through the login form, each in a loop; then the database must hold exactly the
concerns that were acknowledged. Two loops are measured:

- sending only: the form is opened once per session, then each report is sent with the
  session's CSRF token and a one-time key made by the sender, as a phone that saved reports
  with no signal sends them (any new key is a new report);
- opening and sending: the form is opened for every report (a fresh key from the server),
  as a volunteer at a laptop does."""

from __future__ import annotations

import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import connection

from livingwell.bench.browser import Browser, hidden_fields, input_value, options, radio_values
from livingwell.bench.cpu import CpuMeter, per_item_ms
from livingwell.bench.stats import median, p95

ACKNOWLEDGED = re.compile(r"/risks/(\d+)/$")


@dataclass
class LoadResult:
    volunteers: int
    seconds: float
    opens_form: bool = True
    acknowledged: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)  # of the sending of the form, s
    concern_ids: set[int] = field(default_factory=set)
    in_database: int = 0
    cpu_ms_per_report: dict[str, float] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.acknowledged / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return median(self.latencies) * 1000

    @property
    def p95_ms(self) -> float:
        return p95(self.latencies) * 1000

    @property
    def consistent(self) -> bool:
        return self.acknowledged > 0 and self.in_database == self.acknowledged == len(self.concern_ids)


def volunteers_with_clients(count: int) -> list[str]:
    """Scale volunteers granted at least one client's visit page, spread over the areas."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT u.username, u.id FROM clients_clientuserobjectpermission AS p
            JOIN auth_permission AS perm ON perm.id = p.permission_id
            JOIN accounts_user AS u ON u.id = p.user_id
            WHERE perm.codename = 'view_client_visit_page' AND u.username LIKE 'scale-volunteer-%%'
              AND u.is_active
            ORDER BY u.id LIMIT %s
            """,
            [count],
        )
        return [row[0] for row in cursor.fetchall()]


class Reporter:
    """One volunteer's session and the report form's answers they give."""

    def __init__(self, port: int, username: str, password: str):
        self.username = username
        self.browser = Browser(port)
        if not self.browser.sign_in(username, password):
            raise RuntimeError(f"{username} could not sign in")
        status, _, page, _ = self.browser.get("/risks/new/")
        if status != 200:
            raise RuntimeError(f"{username}: the report form answered {status}")
        self.form_fields = {**hidden_fields(page), "observed_at": input_value(page, "observed_at") or ""}
        severities = radio_values(page, "severity")
        calm = [value for value in severities if value in ("low", "medium")]
        self.answers = {
            "client": (options(page, "client") or [""])[0],
            "category": (options(page, "category") or [""])[0],
            "severity": (calm or severities or [""])[0],
            "what_was_seen": "She seemed more unsteady on her feet than last week.",
            "action_taken": "",
            "client_wishes": "",
        }

    def report_once(self, result: LoadResult, lock: threading.Lock):
        try:
            if result.opens_form:
                status, _, page, _ = self.browser.get("/risks/new/")
                if status != 200:
                    raise RuntimeError(f"report form answered {status}")
                fields = {
                    **self.answers,
                    **hidden_fields(page),
                    "observed_at": input_value(page, "observed_at") or "",
                }
            else:
                fields = {**self.answers, **self.form_fields, "submission_key": str(uuid.uuid4())}
            status, location, _, elapsed = self.browser.post("/risks/new/", fields)
            found = ACKNOWLEDGED.search(location) if status == 302 else None
            if not found:
                raise RuntimeError(f"the report was answered {status} {location}")
        except Exception as error:  # every failure of any kind is counted, none stops the run
            with lock:
                result.errors += 1
                if len(result.error_samples) < 5:
                    result.error_samples.append(f"{self.username}: {type(error).__name__}: {error}")
            return
        with lock:
            result.acknowledged += 1
            result.latencies.append(elapsed)
            result.concern_ids.add(int(found.group(1)))


def concerns_by(usernames: list[str], after_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM risks_riskreport AS r JOIN accounts_user AS u ON u.id = r.reported_by_id
            WHERE r.id > %s AND u.username = ANY(%s)
            """,
            [after_id, usernames],
        )
        return cursor.fetchone()[0]


def last_concern_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM risks_riskreport")
        return cursor.fetchone()[0]


def reports_per_second(
    port: int,
    usernames: list[str],
    password: str,
    seconds: float,
    *,
    opens_form: bool = True,
    cpu: CpuMeter | None = None,
) -> LoadResult:
    # Signing in hashes a password (a deliberate quarter of a second or more): done before
    # the clock starts, a few at a time.
    with ThreadPoolExecutor(max_workers=4) as pool:
        reporters = list(pool.map(lambda username: Reporter(port, username, password), usernames))
    before = last_concern_id()
    result = LoadResult(volunteers=len(reporters), seconds=0.0, opens_form=opens_form)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop(reporter: Reporter):
        while time.monotonic() < deadline:
            reporter.report_once(result, lock)

    threads = [threading.Thread(target=loop, args=(reporter,), daemon=True) for reporter in reporters]
    cpu_before = cpu.snapshot() if cpu else None
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    if cpu:
        result.cpu_ms_per_report = per_item_ms(cpu_before, cpu.snapshot(), result.acknowledged)
    for reporter in reporters:
        reporter.browser.close()
    result.in_database = concerns_by(usernames, before)
    return result
