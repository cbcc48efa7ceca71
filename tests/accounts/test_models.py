import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from livingwell.accounts.models import AreaMembership, Route
from livingwell.accounts.roles import Role
from tests.factories import AreaFactory, AreaMembershipFactory, UserFactory


def test_an_areas_default_route_must_be_one_it_allows(db):
    area = AreaFactory.build(default_route=Route.MDT, allowed_routes=[Route.FORMAL_MEETING])
    with pytest.raises(ValidationError, match="Choose a default route from the routes this area allows"):
        area.clean()


def test_an_area_must_allow_at_least_one_route(db):
    area = AreaFactory.build(allowed_routes=[])
    with pytest.raises(ValidationError, match="Allow at least one route"):
        area.clean()


def test_an_area_allows_only_known_routes(db):
    area = AreaFactory.build(allowed_routes=[Route.FORMAL_MEETING, "carrier_pigeon"])
    with pytest.raises(ValidationError, match="Unknown routes: carrier_pigeon"):
        area.clean()


def test_a_new_area_allows_every_route_by_default(db):
    area = AreaFactory.build()
    assert sorted(area.allowed_routes) == sorted(Route.values)
    assert area.allows(Route.TEAM_LEADER_PHONE)


def test_roles_come_from_role_groups_only(db):
    person = UserFactory(roles=[Role.COORDINATOR, Role.TEAM_LEADER])
    person.groups.create(name="book club")
    assert person.roles == {Role.COORDINATOR, Role.TEAM_LEADER}
    assert person.has_role(Role.TEAM_LEADER, Role.MANAGER)
    assert not person.has_role(Role.VOLUNTEER)
    assert person.role_labels == ["Coordinator", "Team leader"]


def test_a_switched_off_account_holds_no_role(db):
    person = UserFactory(roles=[Role.COORDINATOR], is_active=False)
    assert person.roles == frozenset()


def test_current_memberships_exclude_ended_and_future_ones(db):
    today = timezone.localdate()
    current = AreaMembershipFactory(started_on=today - datetime.timedelta(days=30))
    AreaMembershipFactory(started_on=today - datetime.timedelta(days=30), ended_on=today)
    AreaMembershipFactory(started_on=today + datetime.timedelta(days=1))
    assert list(AreaMembership.objects.current()) == [current]


def test_a_membership_cannot_end_before_it_starts(db):
    membership = AreaMembershipFactory.build(
        started_on=datetime.date(2026, 5, 1), ended_on=datetime.date(2026, 4, 1)
    )
    with pytest.raises(ValidationError, match="cannot be before the start date"):
        membership.clean()
