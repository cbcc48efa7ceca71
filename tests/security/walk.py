"""Asking every cell of the matrix: a real request through Django's test client, as each
kind of person, in a savepoint that is rolled back so that no cell sees another's changes."""

from __future__ import annotations

import time
from copy import deepcopy
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.test import Client as Browser
from django.urls import reverse
from django.utils.http import urlencode

from tests.security import matrix


@dataclass
class Cell:
    route: str
    kind: str
    method: str
    expected: object
    url: str = ""
    answer: object = None
    changed: list[str] = field(default_factory=list)  # what a refused request changed
    seconds: float = 0.0

    @property
    def id(self) -> str:
        return f"{self.route}|{self.kind}|{self.method}"

    @property
    def leaks(self) -> bool:
        """Someone got more than the table allows: a refusal answered as a success, or a
        refused request that changed something."""
        if self.changed:
            return True
        if matrix.same(self.expected, self.answer):
            return False
        return not matrix.grants(self.expected) and matrix.grants(self.answer)

    @property
    def matches(self) -> bool:
        return not self.changed and matrix.same(self.expected, self.answer)

    def describe(self) -> str:
        told = f"{self.method} {self.url} as {self.kind}: expected {self.expected!r}, got {self.answer!r}"
        return told + (f"; it changed {', '.join(self.changed)}" if self.changed else "")


def answer_of(response) -> object:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if location.startswith(f"{reverse('login')}?next="):
            return matrix.LOGIN
        if location.startswith(f"{reverse('admin:login')}?next="):
            return matrix.ADMIN_LOGIN
        return matrix.ELSEWHERE
    return response.status_code


def row_counts() -> dict[str, int]:
    """The number of rows of every table, in one query."""
    tables = sorted(connection.introspection.table_names(include_views=False))
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT %s, COUNT(*) FROM {quote(table)}" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return dict(cursor.fetchall())


def values_of(instance) -> dict | None:
    if instance is None:
        return None
    return type(instance)._base_manager.filter(pk=instance.pk).values().first()


def differences(before: dict, after: dict, ignored=()) -> list[str]:
    return [
        f"{table} ({before.get(table)} -> {after.get(table)} rows)"
        for table in sorted(set(before) | set(after))
        if table not in ignored and before.get(table) != after.get(table)
    ]


class Walker:
    """Signs each kind of person in once, then asks cells one by one. The scene and the
    sessions are made before the first cell and every cell's changes are rolled back, so
    the counts and values taken once at the start are the 'before' of every cell."""

    def __init__(self, scene):
        self.scene = scene
        self.browsers = {}
        for kind, person in scene.people.items():
            browser = Browser()
            if person is not None:
                browser.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
            self.browsers[kind] = browser
        self.counts = row_counts()
        self.targets = {}

    def target_values(self, route_key: str, row) -> tuple[object, dict | None]:
        if route_key not in self.targets:
            target = row.target(self.scene) if row.target else None
            self.targets[route_key] = (target, values_of(target))
        return self.targets[route_key]

    def ask(self, cell: Cell, route, row) -> Cell:
        started = time.perf_counter()
        browser = self.browsers[cell.kind]
        cookies = deepcopy(browser.cookies)
        target, target_before = self.target_values(cell.route, row)
        try:
            with transaction.atomic():
                cell.url = route.url(row.kwargs(self.scene) if row.kwargs else {})
                if row.query:
                    cell.url += "?" + urlencode(row.query(self.scene))
                if cell.method == matrix.GET:
                    response = browser.get(cell.url)
                else:
                    response = browser.post(cell.url, row.data(self.scene) if row.data else {})
                cell.answer = answer_of(response)
                if cell.method == matrix.POST and not matrix.grants(cell.expected):
                    cell.changed = differences(
                        self.counts, row_counts(), ignored=matrix.TABLES_A_REFUSAL_WRITES
                    )
                    if target is not None and values_of(target) != target_before:
                        cell.changed.append(f"{type(target).__name__} {target.pk}'s fields")
                transaction.set_rollback(True)
        except Exception as error:  # a cell that errors is reported, not fatal
            cell.answer = f"error: {type(error).__name__}: {error}"[:300]
        finally:
            # A sign-out or a new session in a rolled-back cell: the person's own session
            # (made before the first cell) is still there; the browser goes back to it.
            browser.cookies = cookies
        cell.seconds = time.perf_counter() - started
        return cell
