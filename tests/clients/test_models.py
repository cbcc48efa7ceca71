import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clients.models import (
    Allocation,
    Client,
    Consent,
    ConsentScope,
    normalise_nhs_number,
    validate_nhs_number,
)
from livingwell.accounts import services as accounts_services
from livingwell.accounts.roles import Role
from tests.factories import ClientFactory, ConsentFactory, VolunteerFactory

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

ONE_DAY = datetime.timedelta(days=1)


# --- NHS numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "9434765919",  # the NHS's own example
        "4010232137",
        "0100000010",  # weighted sum divisible by 11: the check digit is 0
        "943 476 5919",
        "943\t476\u00a05919",
    ],
)
def test_valid_nhs_numbers_pass(number):
    assert validate_nhs_number(number) is None


@pytest.mark.parametrize(
    "number",
    [
        "9434765918",  # one digit wrong
        "9434765991",  # two digits swapped
        "1234567890",  # the check digit would be 10: no such NHS number
        "1234567891",
    ],
)
def test_a_wrong_check_digit_fails_with_advice(number):
    with pytest.raises(ValidationError, match="one of the digits is probably wrong"):
        validate_nhs_number(number)


@pytest.mark.parametrize("number", ["943476591", "94347659190", "943476591X", "943_476_5919", "", "   "])
def test_a_number_that_is_not_ten_digits_fails_with_an_example(number):
    with pytest.raises(ValidationError, match="An NHS number has 10 digits, such as 943 476 5919"):
        validate_nhs_number(number)


def test_normalising_an_nhs_number_removes_every_space():
    assert normalise_nhs_number(" 943 476\t5919 ") == "9434765919"


def test_a_client_may_have_no_nhs_number(west_practice):
    assert ClientFactory.build(gp_practice=west_practice, nhs_number="").full_clean() is None


def test_a_client_with_a_wrong_nhs_number_does_not_validate(west_practice):
    with pytest.raises(ValidationError) as error:
        ClientFactory.build(gp_practice=west_practice, nhs_number="9434765918").full_clean()
    assert "nhs_number" in error.value.message_dict


# --- Client ---------------------------------------------------------------------------------


def test_a_client_is_called_by_their_preferred_name_when_they_have_one():
    elsie = ClientFactory.build(first_name="Elizabeth", last_name="Trewin", preferred_name="Elsie")
    assert elsie.full_name == "Elizabeth Trewin"
    assert str(elsie) == "Elizabeth Trewin"
    assert elsie.called == "Elsie"
    elsie.preferred_name = ""
    assert elsie.called == "Elizabeth"


def test_support_wanted_labels_are_plain_words_and_skip_unknown_values():
    elsie = ClientFactory.build(support_wanted=["driver", "juggling", "befriender"])
    assert elsie.support_wanted_labels() == ["Driver with own car", "Befriender"]


def test_a_closed_record_needs_a_reason(west_practice):
    elsie = ClientFactory.build(gp_practice=west_practice, status=Client.Status.CLOSED, closed_reason="")
    with pytest.raises(ValidationError, match=r"Say why the client's record is closed\."):
        elsie.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        elsie.save()
    elsie.closed_reason = "Moved to Devon"
    elsie.full_clean()
    elsie.save()
    assert Client.objects.get().status == Client.Status.CLOSED


# --- Who may see which client (the QuerySet methods) --------------------------------------


def test_staff_see_the_clients_of_the_areas_where_they_work_today(
    make_person, west, east, elsie, east_practice
):
    penrose = ClientFactory(last_name="Penrose", gp_practice=east_practice)
    owner = make_person(Role.COORDINATOR, areas=[west])
    other = make_person(Role.TEAM_LEADER, areas=[east])
    both = make_person(Role.COORDINATOR, areas=[west, east])
    assert list(Client.objects.visible_to(owner)) == [elsie]
    assert list(Client.objects.visible_to(other)) == [penrose]
    assert set(Client.objects.visible_to(both)) == {elsie, penrose}


@pytest.mark.parametrize("role", [Role.MANAGER, Role.MDT_CHAIR, Role.CLINICIAN, Role.VOLUNTEER])
def test_other_roles_with_a_membership_in_the_area_see_no_client(make_person, west, elsie, role):
    outsider = make_person(role, areas=[west])
    assert not Client.objects.visible_to(outsider).exists()
    assert not Client.objects.in_staff_areas_of(outsider).exists()


def test_an_anonymous_visitor_sees_no_client(elsie):
    assert not Client.objects.visible_to(AnonymousUser()).exists()


def test_staff_whose_membership_ended_see_no_client(make_person, west, elsie, today):
    former = make_person(Role.COORDINATOR)
    membership = accounts_services.area_membership_start(user=former, area=west, started_on=today - ONE_DAY)
    assert Client.objects.visible_to(former).exists()
    accounts_services.area_membership_end(membership=membership)
    assert not Client.objects.visible_to(former).exists()


def test_a_volunteer_sees_only_the_clients_they_are_allocated_to(west, elsie, west_practice, allocate):
    mine, theirs = VolunteerFactory(areas=[west]), VolunteerFactory(areas=[west])
    kitto = ClientFactory(last_name="Kitto", gp_practice=west_practice)
    allocate(elsie, mine)
    allocate(kitto, theirs)
    assert list(Client.objects.allocated_to(mine.user)) == [elsie]
    assert list(Client.objects.visible_to(mine.user)) == [elsie]
    assert list(Client.objects.visible_to(theirs.user)) == [kitto]


def test_visible_to_lists_each_client_once_for_someone_who_is_both_staff_and_allocated(west, elsie, allocate):
    both = VolunteerFactory(user__roles=[Role.VOLUNTEER, Role.COORDINATOR], areas=[west])
    allocate(elsie, both)
    assert list(Client.objects.visible_to(both.user)) == [elsie]


# --- Allocation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_in_days", "ends_in_days", "active"),
    [
        (0, None, True),
        (-10, 1, True),
        (-10, 0, False),  # ends today: no longer visiting
        (-10, -1, False),
        (1, None, False),  # not started yet
    ],
)
def test_an_allocation_is_active_from_its_start_until_its_end(
    elsie, west, today, starts_in_days, ends_in_days, active
):
    started_on = today + starts_in_days * ONE_DAY
    ended_on = None if ends_in_days is None else today + ends_in_days * ONE_DAY
    allocation = Allocation.objects.create(
        client=elsie, volunteer=VolunteerFactory(areas=[west]), started_on=started_on, ended_on=ended_on
    )
    assert allocation.is_active is active
    assert Allocation.objects.active().filter(pk=allocation.pk).exists() is active


def test_active_allocations_on_a_given_day(elsie, west):
    allocation = Allocation.objects.create(
        client=elsie,
        volunteer=VolunteerFactory(areas=[west]),
        started_on=datetime.date(2026, 1, 1),
        ended_on=datetime.date(2026, 2, 1),
    )
    assert list(Allocation.objects.active(on=datetime.date(2026, 1, 15))) == [allocation]
    assert not Allocation.objects.active(on=datetime.date(2025, 12, 31)).exists()
    assert not Allocation.objects.active(on=datetime.date(2026, 2, 1)).exists()


def test_a_pair_can_have_only_one_open_allocation_but_any_number_of_past_ones(elsie, vera, today):
    Allocation.objects.create(client=elsie, volunteer=vera, ended_on=today)
    Allocation.objects.create(client=elsie, volunteer=vera, ended_on=today)
    first_open = Allocation.objects.create(client=elsie, volunteer=vera)
    assert str(first_open) == f"Vera Pascoe visits {elsie.full_name}"
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(client=elsie, volunteer=vera)
    assert Allocation.objects.filter(ended_on__isnull=True).count() == 1


# --- Consent --------------------------------------------------------------------------------


def test_consent_is_active_until_withdrawn(elsie, coordinator):
    consent = ConsentFactory(client=elsie, recorded_by=coordinator)
    assert consent.is_active
    assert list(Consent.objects.active()) == [consent]
    consent.withdrawn_at = timezone.now()
    consent.save()
    assert not consent.is_active
    assert not Consent.objects.active().exists()


def test_one_active_consent_per_scope_but_history_is_kept(elsie, coordinator):
    first = ConsentFactory(client=elsie, scope=ConsentScope.SHARE_WITH_MDT, recorded_by=coordinator)
    ConsentFactory(client=elsie, scope=ConsentScope.OUTCOME_TO_VOLUNTEER, recorded_by=coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentFactory(client=elsie, scope=ConsentScope.SHARE_WITH_MDT, recorded_by=coordinator)
    Consent.objects.filter(pk=first.pk).update(withdrawn_at=timezone.now())
    ConsentFactory(client=elsie, scope=ConsentScope.SHARE_WITH_MDT, recorded_by=coordinator)
    assert elsie.consents.filter(scope=ConsentScope.SHARE_WITH_MDT).count() == 2


def test_a_consent_names_the_client_and_what_they_agreed_to(elsie, coordinator):
    consent = ConsentFactory(client=elsie, scope=ConsentScope.OUTCOME_TO_VOLUNTEER, recorded_by=coordinator)
    assert str(consent) == f"{elsie.full_name}: Their volunteer may be told what happened about a concern"
