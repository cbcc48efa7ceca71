"""Each key page timed in this process with Django's test client, interleaved with the
same person's floor page (the password change form: the same middleware, session and
layout, and no domain data), so that both are measured in the same state of the machine."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from livingwell.accounts.models import User
from livingwell.bench.links import deepest_page
from livingwell.bench.pages import FLOOR_URL, KeyPage
from livingwell.bench.second_step import pass_second_step
from livingwell.bench.stats import median, p95

# The targets for every key page, against the floor.
MEDIAN_TARGET = 3.0
P95_TARGET = 4.0


@dataclass
class PageTiming:
    page: KeyPage
    url: str
    status: int
    queries: int
    median_ms: float
    p95_ms: float
    floor_median_ms: float
    floor_status: int
    requests: int

    @property
    def median_ratio(self) -> float:
        return self.median_ms / self.floor_median_ms

    @property
    def p95_ratio(self) -> float:
        return self.p95_ms / self.floor_median_ms

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.floor_status == 200

    @property
    def meets_targets(self) -> bool:
        return self.ok and self.median_ratio <= MEDIAN_TARGET and self.p95_ratio <= P95_TARGET


def signed_in(username: str) -> Client:
    client = Client(raise_request_exception=False)
    user = User.objects.get(username=username)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    pass_second_step(client, user)
    return client


def timed_get(client: Client, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url)
    return (time.perf_counter() - started) * 1000, response.status_code


def time_page(
    client: Client, page: KeyPage, url: str, requests: int, warm_up: int = 2, slow_s: float = 10.0
) -> PageTiming:
    for _ in range(warm_up):
        timed_get(client, FLOOR_URL)
        timed_get(client, url)
    # Counted once warm, as every later request runs: caches filled, session made.
    with CaptureQueriesContext(connection) as queries:
        elapsed, status = timed_get(client, url)
    counted = len(queries)
    if elapsed / 1000 > slow_s:
        # A page of many seconds would hold the run for hours at 30 requests; a few show it.
        requests = min(requests, 5)
    page_ms, floor_ms = [], []
    floor_status = 200
    for _ in range(requests):
        elapsed, floor_status_now = timed_get(client, FLOOR_URL)
        floor_ms.append(elapsed)
        floor_status = floor_status if floor_status != 200 else floor_status_now
        elapsed, status_now = timed_get(client, url)
        page_ms.append(elapsed)
        status = status if status != 200 else status_now
    return PageTiming(
        page=page,
        url=url,
        status=status,
        queries=counted,
        median_ms=median(page_ms),
        p95_ms=p95(page_ms),
        floor_median_ms=median(floor_ms),
        floor_status=floor_status,
        requests=requests,
    )


def page_text(client: Client, url: str) -> str:
    return client.get(url).content.decode()


def time_pages(pages: list[KeyPage], requests: int, say=print) -> list[PageTiming]:
    clients: dict[str, Client] = {}
    results = []
    for page in pages:
        client = clients.get(page.username) or clients.setdefault(page.username, signed_in(page.username))
        url = page.url
        if url == "queue-deepest":
            url = deepest_page("/risks/queue/", partial(page_text, client))
        result = time_page(client, page, url, requests)
        say(
            f"  {page.role:<18} {page.label:<30} {result.status} {result.queries:>3} q "
            f"{result.median_ms:7.1f} ms  {result.median_ratio:5.1f}x floor"
        )
        results.append(result)
    return results
