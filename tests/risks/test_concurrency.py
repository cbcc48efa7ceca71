"""Two staff of one area act on the same concern at the same moment, on two real database
connections: the row lock in the services lets exactly one of them take it, and tells the
other who did."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from livingwell.accounts.roles import Role
from risks import services
from risks.models import RiskEvent, RiskReport, Status
from tests.factories import ClientFactory, UserFactory
from tests.risks.factories import RiskReportFactory, category

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(fast_password_hashing, west_practice, coordinator, volunteer):
    """A West concern just reported by Vera, and two coordinators of West: Cora and Carys
    (transactional tests start from empty tables, so the categories are made here too)."""
    from types import SimpleNamespace

    area = west_practice.area
    carys = UserFactory(first_name="Carys", last_name="Bolitho", roles=[Role.COORDINATOR], areas=[area])
    risk = RiskReportFactory(
        client=ClientFactory(gp_practice=west_practice),
        reported_by=volunteer,
        category=category("falls-mobility"),
    )
    return SimpleNamespace(cora=coordinator, carys=carys, risk=risk)


def test_two_coordinators_triaging_one_concern_at_once_exactly_one_wins(scene):
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def take(coordinator):
        try:
            barrier.wait(timeout=10)
            services.risk_triage(risk=scene.risk, by=coordinator)
            outcomes[str(coordinator)] = "won"
        except ValidationError as error:
            outcomes[str(coordinator)] = error
        except Exception as error:  # surfaced by the assertions below rather than lost in the thread
            outcomes[str(coordinator)] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(person,)) for person in (scene.cora, scene.carys)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads)
    winners = [name for name, outcome in outcomes.items() if outcome == "won"]
    refusals = [outcome for outcome in outcomes.values() if isinstance(outcome, ValidationError)]
    assert len(winners) == 1, outcomes
    assert len(refusals) == 1, outcomes
    # Who it names is checked, with the race forced, in the test below.
    assert " took this concern at " in refusals[0].messages[0]
    risk = RiskReport.objects.get(pk=scene.risk.pk)
    assert risk.status == Status.TRIAGED
    assert str(risk.owner) == winners[0]
    assert RiskEvent.objects.filter(risk=risk, to_status=Status.TRIAGED).count() == 1


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


def triage_by(scene, person):
    return lambda: services.risk_triage(risk=scene.risk, by=person)


def test_the_coordinator_who_waited_for_the_lock_is_refused_and_the_first_keeps_the_concern(scene):
    results = while_holding_the_lock(triage_by(scene, scene.cora), triage_by(scene, scene.carys))

    assert results["second waited"] is True
    assert isinstance(results["first"], RiskReport), results
    assert isinstance(results["second"], ValidationError), results
    risk = RiskReport.objects.get(pk=scene.risk.pk)
    assert (risk.status, risk.owner) == (Status.TRIAGED, scene.cora)
    assert list(RiskEvent.objects.filter(to_status=Status.TRIAGED).values_list("actor", flat=True)) == [
        scene.cora.pk
    ]


def test_the_coordinator_who_waited_for_the_lock_is_told_who_took_the_concern(scene):
    results = while_holding_the_lock(triage_by(scene, scene.cora), triage_by(scene, scene.carys))

    assert results["second waited"] is True
    assert isinstance(results["second"], ValidationError), results
    assert results["second"].messages[0].startswith("Cora Nance took this concern at ")


def test_escalating_while_another_coordinator_takes_the_concern_leaves_them_its_owner(scene):
    escalate = lambda: services.risk_escalate(risk=scene.risk, by=scene.carys, key_worker="Dr Pengelly")  # noqa: E731
    results = while_holding_the_lock(triage_by(scene, scene.cora), escalate)

    assert results["second waited"] is True
    risk = RiskReport.objects.get(pk=scene.risk.pk)
    assert risk.status == Status.ESCALATED
    assert risk.owner == scene.cora
