"""The time from a coordinator recording an outcome over HTTP to the volunteer's good news
being delivered by the worker (its `delivered_at`), on the same machine's clock."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import connection

from livingwell.accounts.models import User
from livingwell.bench.browser import Browser, hidden_fields, options
from livingwell.bench.second_step import app_device, next_code
from livingwell.bench.stats import median, p95


@dataclass
class GoodNewsResult:
    asked: int
    latencies: list[float] = field(default_factory=list)  # seconds
    errors: list[str] = field(default_factory=list)

    @property
    def p50_s(self) -> float:
        return median(self.latencies)

    @property
    def p95_s(self) -> float:
        return p95(self.latencies)


def escalated_concerns_of(username: str, count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.id FROM risks_riskreport AS r
            WHERE r.status = 'escalated' AND r.area_id IN (
                SELECT m.area_id FROM accounts_areamembership AS m JOIN accounts_user AS u ON u.id = m.user_id
                WHERE u.username = %s AND m.ended_on IS NULL)
            ORDER BY r.id DESC LIMIT %s
            """,
            [username, count],
        )
        return [row[0] for row in cursor.fetchall()]


def concern_status(concern_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM risks_riskreport WHERE id = %s", [concern_id])
        return cursor.fetchone()[0]


def delivered_at(concern_id: int, since: float) -> float | None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT extract(epoch FROM delivered_at) FROM notifications_notification
            WHERE kind = 'good_news' AND link = %s AND created_at >= to_timestamp(%s)
              AND delivered_at IS NOT NULL
            """,
            [f"/risks/{concern_id}/", since - 1],
        )
        row = cursor.fetchone()
    return float(row[0]) if row else None


def good_news_latency(
    port: int, username: str, password: str, count: int, timeout: float = 60
) -> GoodNewsResult:
    result = GoodNewsResult(asked=count)
    browser = Browser(port)
    device = app_device(User.objects.get(username=username))
    if not browser.sign_in(username, password, second_step_code=lambda: next_code(device)):
        result.errors.append(f"{username} could not sign in")
        return result
    concerns = escalated_concerns_of(username, count)
    if len(concerns) < count:
        result.errors.append(f"only {len(concerns)} escalated concerns in {username}'s areas")
    for concern_id in concerns:
        status, _, page, _ = browser.get(f"/risks/{concern_id}/")
        kinds = options(page, "kind")
        if status != 200 or not kinds:
            result.errors.append(f"concern {concern_id}: page {status}, outcome kinds {kinds}")
            continue
        action = f"/risks/{concern_id}/record_outcome/"
        fields = {
            **hidden_fields(page),
            "kind": kinds[0],
            "staff_summary": "The falls team visited and fitted a rail by the stairs.",
            "volunteer_message": "Thank you: the falls team visited and she has a rail by the stairs now.",
        }
        sent = time.time()
        status, _, _, _ = browser.post(action, fields)
        # The page answers with a redirect either way; the concern's status says whether it took.
        if status != 302 or concern_status(concern_id) != "outcome_recorded":
            result.errors.append(f"concern {concern_id}: the outcome was not recorded ({status})")
            continue
        deadline = time.monotonic() + timeout
        delivered = None
        while delivered is None and time.monotonic() < deadline:
            delivered = delivered_at(concern_id, sent)
            if delivered is None:
                time.sleep(0.02)
        if delivered is None:
            result.errors.append(f"concern {concern_id}: good news not delivered within {timeout:.0f} s")
        else:
            result.latencies.append(max(delivered - sent, 0.0))
    browser.close()
    return result
