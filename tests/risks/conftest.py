"""Concerns for the risks tests, about the people of the `world` fixture (tests/conftest.py):
West Cornwall: Cora (coordinator), Tom (team leader), Vera (volunteer, visits Elsie
Trewin), Victor (volunteer of the same area, visits Jack Nankervis); East Cornwall: Cory
(coordinator), Tess (team leader), Ewan (volunteer, visits Morwenna Penrose). Outsiders:
an MDT chair and a clinician of Elsie's practice, a manager, and somebody with no role."""

import pytest
from django.utils import timezone

from livingwell.accounts.models import Route
from risks import services
from risks.models import Severity, Status
from tests.factories import ClientFactory
from tests.risks.factories import RiskReportFactory, ensure_visits
from tests.support import access_table


@pytest.fixture
def risk(world):
    """Vera's medium concern about Elsie, just reported."""
    return RiskReportFactory(client=world.elsie, reported_by=world.volunteer, category=world.falls)


@pytest.fixture
def east_risk(world):
    """Ewan's concern about Morwenna, in East Cornwall."""
    return RiskReportFactory(client=world.morwenna, reported_by=world.east_volunteer, category=world.falls)


@pytest.fixture
def signed_in():
    """signed_in(user) -> a new test browser signed in as that user (None: anonymous)."""
    return access_table.signed_in


@pytest.fixture
def advance():
    """advance(risk, status, by) takes a just-reported risk to `status` through the services."""

    def to(risk, status, by, service=None):
        if status == Status.REPORTED:
            return risk
        services.risk_triage(risk=risk, by=by)
        if status in (Status.ESCALATED, Status.OUTCOME_RECORDED):
            services.risk_escalate(
                risk=risk, by=by, service=service, key_worker="" if service else "Dr Pengelly"
            )
        if status == Status.OUTCOME_RECORDED:
            services.risk_record_outcome(
                kind="support_arranged",
                risk=risk,
                by=by,
                staff_summary="Seen by the practice.",
                volunteer_message="All sorted.",
            )
        if status == Status.CLOSED:
            services.risk_close(risk=risk, by=by, reason="Resolved")
        risk.refresh_from_db()
        assert risk.status == status
        return risk

    return to


@pytest.fixture
def new_concern(world):
    """new_concern("Able", **fields): a concern about a new client, Mrs Able, reported by
    Vera (or `reporter`), or with area="east" by Ewan in East Cornwall."""

    def make(last_name, *, area="west", reporter=None, **fields):
        practice = world.elsie.gp_practice if area == "west" else world.morwenna.gp_practice
        reporter = reporter or (world.volunteer if area == "west" else world.east_volunteer)
        client = ClientFactory(first_name="Mrs", last_name=last_name, gp_practice=practice)
        return RiskReportFactory(client=client, reported_by=reporter, **{"category": world.falls, **fields})

    return make


@pytest.fixture
def varied(world, new_concern):
    """Concerns that each differ from the first (Mrs Able: West, falls, medium, reported,
    formal meeting, raised by Vera) in one way; Ivey's is closed, Jory's has an outcome."""
    able = new_concern("Able")
    new_concern("Baker", area="east")
    new_concern("Carne", category=world.medication)
    new_concern("Dunn", severity=Severity.HIGH)
    services.risk_triage(risk=new_concern("Eddy"), by=world.coordinator)
    new_concern("Fox", route=Route.COFFEE_MORNING)
    new_concern("Gill", reporter=world.other_volunteer)
    hicks = ClientFactory(first_name="Mrs", last_name="Hicks", gp_practice=world.elsie.gp_practice)
    ensure_visits(hicks, world.other_volunteer)
    services.risk_report(
        by=world.team_leader,
        on_behalf_of=world.other_volunteer,
        client=hicks,
        category=world.falls,
        severity=Severity.MEDIUM,
        what_was_seen="Rang about the boiler.",
        observed_at=timezone.now(),
    )
    services.risk_close(risk=new_concern("Ivey"), by=world.coordinator, reason="Resolved")
    jory = new_concern("Jory")
    services.risk_escalate(risk=jory, by=world.coordinator, key_worker="Dr Pengelly")
    services.risk_record_outcome(
        kind="support_arranged",
        risk=jory,
        by=world.coordinator,
        staff_summary="Seen.",
        volunteer_message="Thanks.",
    )
    return able
