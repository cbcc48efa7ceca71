"""What a volunteer's phone keeps (GET /offline/data/): their current clients by name and
street, whom to phone, and a CSRF token; nothing else about a client, and nothing for anybody
but a volunteer."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clients.services import allocation_end
from livingwell.accounts.models import AreaMembership
from livingwell.accounts.roles import Role
from livingwell.offline.selectors import street_of
from tests.factories import ClientFactory, UserFactory
from tests.risks.factories import OnCallShiftFactory, ensure_visits
from tests.support.queries import queries_for
from tests.support.second_factor import app_device, sign_in_with_password_only

DATA = reverse("offline:data")
HOUR = datetime.timedelta(hours=1)


def phone_data(browser) -> dict:
    response = browser.get(DATA)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_volunteers_phone_gets_their_current_clients_by_name_and_street(world, signed_in):
    world.elsie.preferred_name = "Elsie May"
    world.elsie.save()
    noah = ClientFactory(first_name="Noah", last_name="Angove", gp_practice=world.elsie.gp_practice)
    ensure_visits(noah, world.volunteer)
    allocation_end(allocation=noah.allocations.get(), by=world.coordinator, reason="Moved away")
    pearl = ClientFactory(
        first_name="Pearl",
        last_name="Bone",
        address="12a Fore Street\nTruro",
        gp_practice=world.elsie.gp_practice,
    )
    ensure_visits(pearl, world.volunteer)

    data = phone_data(signed_in(world.volunteer))

    assert data["user"] == {"id": world.volunteer.pk, "name": "Vera Pascoe"}
    assert data["clients"] == [
        {"id": pearl.pk, "name": "Pearl Bone", "street": "Fore Street, Truro"},
        {"id": world.elsie.pk, "name": "Elsie May Trewin", "street": "Chapel Street, Penzance"},
    ]


def test_another_volunteers_clients_never_reach_the_phone(world, signed_in):
    text = signed_in(world.volunteer).get(DATA).content.decode()
    assert "Nankervis" not in text  # Victor's client, same area
    assert "Penrose" not in text  # Ewan's, another area
    assert [client["name"] for client in json.loads(text)["clients"]] == ["Elsie Trewin"]


def test_the_phone_gets_no_date_of_birth_nhs_number_needs_or_postcode(world, signed_in):
    world.elsie.nhs_number = "9434765919"
    world.elsie.communication_needs = "Hard of hearing in her left ear."
    world.elsie.next_of_kin_name = "Ruth Trewin"
    world.elsie.phone = "01736 555123"
    world.elsie.save()

    text = signed_in(world.volunteer).get(DATA).content.decode()

    for kept_off_the_phone in (
        "1941-03-14",  # her date of birth, in any format
        "14 March 1941",
        "14/03/1941",
        "9434765919",
        "943 476 5919",
        "Knock loudly",  # practical needs
        "Hard of hearing",
        "Ruth",
        "555123",
        "TR18",  # postcode
        "3 Chapel",  # house number
        "Alverton",  # GP practice
    ):
        assert kept_off_the_phone not in text
    assert set(json.loads(text)["clients"][0]) == {"id", "name", "street"}


@pytest.mark.parametrize(
    ("address", "street"),
    [
        ("3 Chapel Street\nPenzance", "Chapel Street, Penzance"),
        ("Flat 2, 14 Lemon Street\nTruro", "Lemon Street, Truro"),
        ("Rose Cottage\nTrewellard\nPendeen", "Rose Cottage, Trewellard, Pendeen"),
        ("7\nChurch Road\nMadron", "Church Road, Madron"),
        ("Flat 2\n14 Lemon Street\nTruro", "Lemon Street, Truro"),
        ("Rose Cottage, 5 High Street\nSt Ives", "High Street, St Ives"),
        ("12-14 Fore Street\nTruro", "Fore Street, Truro"),
        ("Flat 3/4, Mill House, 2 Quay Road", "Quay Road"),
        ("1 The Terrace, Mousehole", "The Terrace, Mousehole"),
        ("  \n", ""),
    ],
)
def test_the_street_is_the_address_without_the_house_number(address, street):
    assert street_of(address) == street


def test_the_phone_gets_the_response_headers_and_a_csrf_token(world, signed_in):
    response = signed_in(world.volunteer).get(DATA)
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert len(data["csrf_token"]) >= 32
    assert response.cookies["csrftoken"].value
    refreshed_at = parse_datetime(data["refreshed_at"])
    assert abs(refreshed_at - timezone.now()) < datetime.timedelta(minutes=1)


def test_the_phone_knows_who_is_on_call_for_the_next_two_days(world, signed_in):
    now = timezone.now()
    tom, tess = world.team_leader, world.other_team_leader
    for person, phone in ((tom, "01736 000001"), (tess, "01579 000002")):
        person.phone = phone
        person.save()
    morrow = UserFactory(
        first_name="Demelza",
        last_name="Morrow",
        phone="01736 000003",
        roles=[Role.TEAM_LEADER],
        areas=[world.west],
    )
    now_shift = OnCallShiftFactory(
        area=world.west, team_leader=tom, starts_at=now - HOUR, ends_at=now + 8 * HOUR
    )
    tomorrow = OnCallShiftFactory(
        area=world.west, team_leader=morrow, starts_at=now + 30 * HOUR, ends_at=now + 38 * HOUR
    )
    OnCallShiftFactory(area=world.west, team_leader=tom, starts_at=now + 50 * HOUR, ends_at=now + 58 * HOUR)
    OnCallShiftFactory(area=world.west, team_leader=tom, starts_at=now - 10 * HOUR, ends_at=now - HOUR)
    OnCallShiftFactory(area=world.east, team_leader=tess, starts_at=now - HOUR, ends_at=now + 8 * HOUR)

    on_call = phone_data(signed_in(world.volunteer))["on_call"]

    assert [(shift["name"], shift["phone"], shift["area"]) for shift in on_call] == [
        ("Tom Hosking", "01736 000001", "West Cornwall"),
        ("Demelza Morrow", "01736 000003", "West Cornwall"),
    ]
    for shift, made in zip(on_call, (now_shift, tomorrow), strict=True):
        assert parse_datetime(shift["from"]) == made.starts_at.replace(microsecond=0)
        assert parse_datetime(shift["until"]) == made.ends_at.replace(microsecond=0)
        assert parse_datetime(shift["from"]).utcoffset() is not None


def test_the_phone_knows_whom_to_phone_when_nobody_is_on_call(world, signed_in):
    for person, phone in (
        (world.coordinator, "01736 111111"),
        (world.team_leader, "01736 222222"),
        (world.other_coordinator, "01579 333333"),  # East Cornwall
        (world.manager, "01872 444444"),  # works in West, not a coordinator or team leader
        (world.other_volunteer, "07700 900555"),
    ):
        person.phone = phone
        person.save()
    UserFactory(first_name="Nophone", roles=[Role.COORDINATOR], areas=[world.west])
    gone = UserFactory(first_name="Gone", phone="01736 666666", roles=[Role.TEAM_LEADER], areas=[world.west])
    AreaMembership.objects.filter(user=gone).update(ended_on=timezone.localdate())

    contacts = phone_data(signed_in(world.volunteer))["contacts"]

    assert contacts == [
        {"area": "West Cornwall", "name": "Tom Hosking", "role": "Team leader", "phone": "01736 222222"},
        {"area": "West Cornwall", "name": "Cora Nance", "role": "Coordinator", "phone": "01736 111111"},
    ]


@pytest.mark.parametrize(
    "person", ["coordinator", "team_leader", "manager", "mdt_chair", "clinician", "no_role"]
)
def test_only_volunteers_get_the_phones_data(world, signed_in, person):
    response = signed_in(getattr(world, person)).get(DATA)
    assert response.status_code == 403
    assert response.json() == {"message": "Only volunteers can report concerns from their phone."}


def test_a_signed_out_phone_is_asked_to_sign_in_again_in_json(world, client):
    response = client.get(DATA)
    assert response.status_code == 401
    assert response.json() == {"message": "Please sign in again."}


def test_the_phones_data_is_read_not_written(world, signed_in):
    assert signed_in(world.volunteer).post(DATA).status_code == 405


def test_a_volunteer_who_has_not_passed_their_second_step_is_sent_to_it(world, client):
    """Volunteers may turn two-step sign-in on; until the code is typed, the session reaches
    nothing, the phone's data included (the middleware's redirect, as for every page)."""
    app_device(world.volunteer)
    sign_in_with_password_only(client, world.volunteer)

    response = client.get(DATA)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_step_verify"))
    assert "Elsie" not in response.content.decode()


def test_the_phones_data_takes_the_same_queries_however_many_clients_and_shifts(world, signed_in):
    browser = signed_in(world.volunteer)
    browser.get(DATA)  # the session and the CSRF cookie, made once
    few = len(queries_for(lambda: phone_data(browser)))
    now = timezone.now()
    for index in range(6):
        client = ClientFactory(last_name=f"Client{index}", gp_practice=world.elsie.gp_practice)
        ensure_visits(client, world.other_volunteer if index == 0 else world.volunteer)
        leader = UserFactory(phone=f"01736 00000{index}", roles=[Role.TEAM_LEADER], areas=[world.west])
        OnCallShiftFactory(
            area=world.west,
            team_leader=leader,
            starts_at=now + index * HOUR,
            ends_at=now + (index + 2) * HOUR,
        )

    many = queries_for(lambda: phone_data(browser))
    data = phone_data(browser)

    assert len(data["clients"]) == 6
    assert len(data["on_call"]) == 6
    assert len(data["contacts"]) == 6
    assert len(many) == few
