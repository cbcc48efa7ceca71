"""Races on real database connections, for tests that run with transaction=True."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.db import connection, transaction


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run each call in its own thread and database connection, released together by a
    barrier; return each one's result, or the exception it raised, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # surfaced by the caller's assertions rather than lost
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def someone_waits_for_a_lock(timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # pg_locks is read afresh each time (pg_stat_activity is cached per transaction).
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def while_holding_the_lock(first, second) -> dict:
    """Run first() in a transaction on one connection and second() on another, committing
    the first only once the second is waiting for its row lock: the race, every time."""
    holding = threading.Event()
    results: dict[str, object] = {}

    def hold():
        try:
            with transaction.atomic():
                results["first"] = first()
                holding.set()
                results["second waited"] = someone_waits_for_a_lock()
        except Exception as error:
            results["first"] = error
        finally:
            holding.set()
            connection.close()

    def follow():
        try:
            holding.wait(timeout=10)
            results["second"] = second()
        except Exception as error:
            results["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=hold), threading.Thread(target=follow)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results
