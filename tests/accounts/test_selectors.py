"""The one rule for "staff of this area": coordinators and team leaders who work there today."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from livingwell.accounts.models import AreaMembership
from livingwell.accounts.roles import STAFF_ROLES, Role
from livingwell.accounts.selectors import (
    areas_of,
    is_staff_of,
    staff_area_ids_of,
    staff_areas_of,
    staff_areas_today,
)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.TEAM_LEADER])
def test_coordinators_and_team_leaders_are_staff_of_the_areas_where_they_work(make_person, west, east, role):
    person = make_person(role, areas=[west])
    assert is_staff_of(person, west)
    assert is_staff_of(person, west.pk)
    assert not is_staff_of(person, east)
    assert staff_area_ids_of(person) == {west.pk}


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.MDT_CHAIR, Role.CLINICIAN, Role.MANAGER])
def test_other_roles_are_staff_of_no_area_even_where_they_work(make_person, west, role):
    person = make_person(role, areas=[west])
    assert not is_staff_of(person, west)
    assert staff_area_ids_of(person) == set()


def test_somebody_with_no_role_or_not_signed_in_is_staff_of_nothing(make_person, west):
    assert not is_staff_of(make_person(areas=[west]), west)
    assert not is_staff_of(AnonymousUser(), west)
    assert not staff_areas_of(AnonymousUser()).exists()


def test_staff_who_left_the_area_or_start_tomorrow_are_not_its_staff(make_person, west, east):
    today = timezone.localdate()
    person = make_person(Role.COORDINATOR, areas=[west])
    AreaMembership.objects.filter(user=person).update(
        started_on=today - datetime.timedelta(days=30), ended_on=today
    )
    AreaMembership.objects.create(user=person, area=east, started_on=today + datetime.timedelta(days=1))
    assert not is_staff_of(person, west)
    assert not is_staff_of(person, east)


def test_the_areas_read_once_per_request_follow_the_same_rule(
    make_person, west, east, django_assert_num_queries
):
    """`User.areas_today` (and `staff_areas_today`, from it) are the areas of today's
    memberships, each once although the person worked there before, by name, in one query
    however often a request asks."""
    today = timezone.localdate()
    person = make_person(Role.COORDINATOR, areas=[west])
    AreaMembership.objects.create(
        user=person, area=west, started_on=today - datetime.timedelta(days=90), ended_on=today
    )
    AreaMembership.objects.create(user=person, area=east, started_on=today + datetime.timedelta(days=1))
    person.roles  # noqa: B018 - read before counting: the roles are another query
    with django_assert_num_queries(1):
        assert person.areas_today == [west]
        assert staff_areas_today(person) == [west]
        assert staff_areas_today(person, roles={Role.COORDINATOR}) == [west]
    assert list(areas_of(person)) == [west]
    assert staff_areas_today(person, roles={Role.TEAM_LEADER}) == []


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.MDT_CHAIR, Role.CLINICIAN, Role.MANAGER])
def test_people_who_are_not_staff_have_no_staff_areas_today(make_person, west, role):
    person = make_person(role, areas=[west])
    assert person.areas_today == [west]
    assert staff_areas_today(person) == []
    assert staff_areas_today(AnonymousUser()) == []


def test_roles_narrow_the_rule_to_coordinators_or_team_leaders(make_person, west):
    leader = make_person(Role.TEAM_LEADER, areas=[west])
    coordinator = make_person(Role.COORDINATOR, areas=[west])
    assert is_staff_of(leader, west, roles={Role.TEAM_LEADER})
    assert not is_staff_of(leader, west, roles={Role.COORDINATOR})
    assert is_staff_of(coordinator, west, roles={Role.COORDINATOR})
    assert not is_staff_of(coordinator, west, roles={Role.TEAM_LEADER})


def test_the_staff_roles_are_defined_once_and_every_view_module_uses_that_definition():
    """The pair lived in four files; a fifth copy would drift."""
    import clients.views
    import livingwell.accounts.sections
    import risks.home
    import risks.views
    import volunteers.views

    assert {Role.COORDINATOR, Role.TEAM_LEADER} == STAFF_ROLES
    for module in (clients.views, risks.views, risks.home, volunteers.views, livingwell.accounts.sections):
        assert not hasattr(module, "STAFF"), module.__name__
        assert module.STAFF_ROLES is STAFF_ROLES, module.__name__
