"""Two people deciding on one request at the same moment: the second waits for the first,
then finds it decided. One decision, one copy, one security event."""

import pytest
from django.core.exceptions import ValidationError

from livingwell.accounts.roles import Role
from livingwell.records import services
from livingwell.records.models import ExportRequest, SecurityEvent
from tests.factories import ClientFactory, UserFactory
from tests.support.concurrency import while_holding_the_lock

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def request_waiting(fast_password_hashing, west_practice, coordinator, team_leader):
    elsie = ClientFactory(first_name="Elsie", last_name="Trewin", gp_practice=west_practice)
    return services.export_request_client(client=elsie, by=coordinator, reason="She asked in writing.")


def test_an_approval_and_a_refusal_at_once_give_one_decision(request_waiting, team_leader, west):
    carys = UserFactory(roles=[Role.COORDINATOR], areas=[west])
    results = while_holding_the_lock(
        lambda: services.export_approve(export=request_waiting, by=team_leader),
        lambda: services.export_refuse(export=request_waiting, by=carys, reason="Not confirmed."),
    )
    assert results["second waited"] is True
    assert isinstance(results["first"], ExportRequest), results
    assert isinstance(results["second"], ValidationError), results
    decided = ExportRequest.objects.get(pk=request_waiting.pk)
    assert (decided.state, decided.decided_by) == (ExportRequest.State.APPROVED, team_leader)
    assert decided.archive is not None
    assert SecurityEvent.objects.filter(kind__in=["export_approved", "export_refused"]).count() == 1
