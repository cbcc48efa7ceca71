"""Access over time as a state machine (hypothesis): a coordinator allocates a volunteer to
clients and ends allocations at random; the volunteer leaves the area and comes back,
leaves the programme and returns. A model kept by the test says which allocations are
active; after every step the volunteer may open the visit page of exactly those clients
(the access check the page uses, and the guardian permission behind it), and every refusal
changed nothing.

The Multi-Disciplinary Team summaries' grants over time (consent, agenda, publication)
are tested by tests/meetings/test_access.py and tests/meetings/test_views.py."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from clients import services
from clients.access import VISIT_PAGE, ClientPage, client_page_for
from clients.models import Allocation, ClientUserObjectPermission
from livingwell.accounts import services as accounts_services
from livingwell.accounts.models import AreaMembership
from tests.factories import ClientFactory, VolunteerFactory
from volunteers import services as volunteer_services
from volunteers.models import Volunteer

CLIENTS = 2


def rows():
    return (
        Allocation.objects.count(),
        ClientUserObjectPermission.objects.count(),
        AreaMembership.objects.count(),
    )


class AccessOverTime(RuleBasedStateMachine):
    world = None  # set by the test, before the machine runs
    # Checks made with a visit open and with none, over every run.
    checked = {"visiting": 0, "not_visiting": 0}

    def __init__(self):
        super().__init__()
        world = self.world
        self.coordinator = world.coordinator
        self.volunteer = VolunteerFactory(areas=[world.west])
        self.clients = [ClientFactory(gp_practice=world.elsie.gp_practice) for _ in range(CLIENTS)]
        self.visits = [False] * CLIENTS  # the model: which allocations are active
        self.in_area, self.has_left = True, False

    def refused(self, action, *errors) -> bool:
        """Runs `action`; True when refused with one of `errors`, having changed nothing."""
        before = rows()
        try:
            action()
        except errors:
            assert rows() == before
            return True
        return False

    @rule(index=st.integers(0, CLIENTS - 1))
    def allocate(self, index):
        may = self.in_area and not self.has_left and not self.visits[index]
        refused = self.refused(
            lambda: services.allocation_start(
                client=self.clients[index], volunteer=self.volunteer, by=self.coordinator
            ),
            ValidationError,
        )
        assert refused != may, f"allocating {index}: expected {'success' if may else 'refusal'}"
        self.visits[index] = self.visits[index] or may

    @rule(index=st.integers(0, CLIENTS - 1))
    def end_allocation(self, index):
        allocation = (
            Allocation.objects.filter(volunteer=self.volunteer, client=self.clients[index])
            .order_by("-ended_on", "-pk")
            .first()
        )
        if allocation is None:
            return
        refused = self.refused(
            lambda: services.allocation_end(allocation=allocation, by=self.coordinator), ValidationError
        )
        assert refused != self.visits[index]
        self.visits[index] = False

    @precondition(lambda self: self.in_area)
    @rule()
    def leaves_the_area(self):
        membership = AreaMembership.objects.current().get(user=self.volunteer.user, area=self.world.west)
        accounts_services.area_membership_end(membership=membership, by=self.coordinator)
        self.in_area, self.visits = False, [False] * CLIENTS

    @precondition(lambda self: not self.in_area)
    @rule()
    def comes_back_to_the_area(self):
        # A membership ended today cannot start again today: the administrator backdates
        # nothing, so the test removes today's ended one first, as a fresh start would be.
        AreaMembership.objects.filter(user=self.volunteer.user, area=self.world.west).delete()
        accounts_services.area_membership_start(user=self.volunteer.user, area=self.world.west)
        self.in_area = True

    @rule(status=st.sampled_from([Volunteer.Status.LEFT, Volunteer.Status.ACTIVE]))
    def status_changes(self, status):
        may = self.in_area  # the coordinator manages only volunteers of her areas
        refused = self.refused(
            lambda: volunteer_services.volunteer_update(
                volunteer=self.volunteer, by=self.coordinator, status=status
            ),
            PermissionDenied,
        )
        assert refused != may
        if may:
            self.has_left = status == Volunteer.Status.LEFT
            if self.has_left:
                self.visits = [False] * CLIENTS

    @invariant()
    def the_volunteer_opens_exactly_the_clients_visited_now(self):
        user = self.volunteer.user
        for client, visiting in zip(self.clients, self.visits, strict=True):
            page = client_page_for(user, client)
            assert page == (ClientPage.VISIT if visiting else None), (client, visiting)
            assert user.has_perm(f"clients.{VISIT_PAGE}", client) == visiting
            active = Allocation.objects.active().filter(volunteer=self.volunteer, client=client).exists()
            assert active == visiting
            self.checked["visiting" if visiting else "not_visiting"] += 1


@pytest.mark.django_db
def test_a_volunteer_opens_a_visit_page_exactly_while_an_allocation_is_active(world):
    AccessOverTime.world = world
    AccessOverTime.checked = {"visiting": 0, "not_visiting": 0}
    run_state_machine_as_test(AccessOverTime, settings=hypothesis_settings(stateful_step_count=10))
    # The invariant held after every step; and it was checked both while visiting and not.
    assert AccessOverTime.checked["visiting"] > 0
    assert AccessOverTime.checked["not_visiting"] > 0
