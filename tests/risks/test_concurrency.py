"""Two staff of one area act on the same concern at the same moment, on two real database
connections: the row lock in the services lets exactly one of them take it, and tells the
other who did."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from livingwell.accounts.roles import Role
from risks import services
from risks.models import RiskEvent, RiskReport, Status
from tests.factories import ClientFactory, UserFactory
from tests.risks.factories import RiskReportFactory, category
from tests.support.concurrency import while_holding_the_lock

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


def test_two_coordinators_taking_a_shared_service_out_of_their_areas_at_once_never_leave_it_with_none(
    fast_password_hashing,
):
    """West's coordinator and East's each untick their own area of a service the two share.
    The second waits for the first, sees the service is now West's only, and is refused
    rather than leaving a service that covers nowhere."""
    from risks.models import Service
    from tests.factories import AreaFactory
    from tests.risks.factories import ServiceFactory

    west, east = AreaFactory(name="West Cornwall"), AreaFactory(name="East Cornwall")
    cora = UserFactory(roles=[Role.COORDINATOR], areas=[west])
    cory = UserFactory(roles=[Role.COORDINATOR], areas=[east])
    shared = ServiceFactory(name="Cornwall Dial-a-Ride", areas=[west, east])
    fields = {"name": shared.name, "kind": shared.kind, "helps_with": shared.helps_with, "areas": []}

    results = while_holding_the_lock(
        lambda: services.service_update(service=shared, by=cory, **fields),
        lambda: services.service_update(service=shared, by=cora, **fields),
    )

    assert results["second waited"] is True
    assert isinstance(results["first"], Service), results
    assert isinstance(results["second"], ValidationError), results
    assert list(Service.objects.get(pk=shared.pk).areas.all()) == [west]
