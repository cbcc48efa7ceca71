import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from livingwell.accounts import services
from tests.factories import AreaFactory, GPPracticeFactory, UserFactory


def test_starting_and_ending_an_area_membership(db):
    person, area = UserFactory(), AreaFactory()
    membership = services.area_membership_start(user=person, area=area)
    assert membership.started_on == timezone.localdate()
    assert list(person.area_memberships.current()) == [membership]

    services.area_membership_end(membership=membership)
    membership.refresh_from_db()
    assert membership.ended_on == timezone.localdate()
    assert not person.area_memberships.current().exists()


def test_a_person_cannot_join_an_area_twice_at_once(db):
    person, area = UserFactory(), AreaFactory(name="West Cornwall")
    services.area_membership_start(user=person, area=area)
    with pytest.raises(ValidationError, match="already works in West Cornwall"):
        services.area_membership_start(user=person, area=area)
    assert person.area_memberships.count() == 1


def test_an_ended_membership_cannot_end_again(db):
    membership = services.area_membership_start(user=UserFactory(), area=AreaFactory())
    services.area_membership_end(membership=membership)
    with pytest.raises(ValidationError, match="already ended"):
        services.area_membership_end(membership=membership)


def test_a_membership_cannot_end_before_it_started(db):
    membership = services.area_membership_start(
        user=UserFactory(), area=AreaFactory(), started_on=datetime.date(2026, 6, 1)
    )
    with pytest.raises(ValidationError, match="cannot be before the start date"):
        services.area_membership_end(membership=membership, ended_on=datetime.date(2026, 5, 1))
    membership.refresh_from_db()
    assert membership.ended_on is None


def test_a_person_cannot_join_a_practice_twice_at_once(db):
    person, practice = UserFactory(), GPPracticeFactory(name="Alverton Practice")
    services.practice_membership_start(user=person, practice=practice)
    with pytest.raises(ValidationError, match="already works at Alverton Practice"):
        services.practice_membership_start(user=person, practice=practice)
