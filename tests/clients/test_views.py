"""Client pages: lists, search, registering and editing, consent and allocation forms.
Who may open each page is in test_access.py; here, what the pages do with good and bad input."""

import datetime

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clients import access
from clients.models import Allocation, Client, Consent, ConsentScope
from tests.factories import ClientFactory, ConsentFactory, GPPracticeFactory, VolunteerFactory
from tests.support.forms import once
from tests.support.queries import queries_for

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

CLIENTS = reverse("clients:list")
CREATE = reverse("clients:create")


def client_form_data(practice, **overrides) -> dict:
    data = {
        "first_name": "Elsie",
        "last_name": "Trewin",
        "preferred_name": "",
        "date_of_birth": "1941-03-14",
        "address": "3 Chapel Street, Penzance",
        "postcode": "tr18  4aj",
        "phone": "",
        "nhs_number": "",
        "gp_practice": practice.pk,
        "area": "",
        "practical_needs": "Knock loudly.",
        "communication_needs": "",
        "next_of_kin_name": "",
        "next_of_kin_relationship": "",
        "next_of_kin_phone": "",
    }
    data.update(overrides)
    return once(data)


def edit_form_data(elsie, **overrides) -> dict:
    data = client_form_data(elsie.gp_practice, status="active", closed_reason="")
    data.update(
        first_name=elsie.first_name,
        last_name=elsie.last_name,
        date_of_birth=elsie.date_of_birth.isoformat(),
        area=elsie.area_id,
    )
    data.update(overrides)
    return data


# --- Registering a client ------------------------------------------------------------------


def test_coordinator_registers_a_client_in_the_practices_area(login, coordinator, west_practice):
    response = login(coordinator).post(
        CREATE, client_form_data(west_practice, nhs_number="9434765919", support_wanted=["driver"])
    )
    elsie = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:detail", args=[elsie.pk])
    assert elsie.area == west_practice.area
    assert elsie.nhs_number == "9434765919"
    assert elsie.postcode == "TR18 4AJ"
    assert elsie.support_wanted == ["driver"]
    assert elsie.created_by == coordinator
    assert "Elsie Trewin is registered." in login(coordinator).get(response["Location"]).text


@pytest.mark.parametrize(
    ("typed", "saved", "message"),
    [
        ("943 476 5919", "9434765919", None),
        ("943 476 5918", None, "This is not a valid NHS number: one of the digits is probably wrong."),
    ],
)
def test_an_nhs_number_typed_with_spaces_is_checked_by_its_digits(
    login, coordinator, west_practice, typed, saved, message
):
    response = login(coordinator).post(CREATE, client_form_data(west_practice, nhs_number=typed))
    if saved:
        assert response.status_code == 302
        assert Client.objects.get().nhs_number == saved
    else:
        assert message in response.text
        assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9434765918", "This is not a valid NHS number: one of the digits is probably wrong."),
        ("943476591A", "An NHS number has 10 digits, such as 943 476 5919."),
        ("94347", "An NHS number has 10 digits, such as 943 476 5919."),
    ],
)
def test_a_bad_nhs_number_gets_a_clear_message_and_nothing_is_saved(
    login, coordinator, west_practice, typed, message
):
    response = login(coordinator).post(CREATE, client_form_data(west_practice, nhs_number=typed))
    assert response.status_code == 200
    assert message in response.text
    assert not Client.objects.exists()


def test_a_date_of_birth_in_the_future_is_refused(login, coordinator, west_practice):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(coordinator).post(
        CREATE, client_form_data(west_practice, date_of_birth=tomorrow.isoformat())
    )
    assert response.status_code == 200
    assert "The date of birth cannot be in the future. Check the year." in response.text
    assert not Client.objects.exists()


def test_a_date_of_birth_before_1900_is_refused(login, coordinator, west_practice):
    response = login(coordinator).post(CREATE, client_form_data(west_practice, date_of_birth="1841-03-14"))
    assert "Check the year of birth: it is before 1900." in response.text
    assert not Client.objects.exists()


def test_a_possible_duplicate_is_shown_before_saving_and_saved_once_confirmed(
    login, coordinator, west_practice, east_practice
):
    ClientFactory(
        first_name="ELSIE",
        last_name="trewin",
        date_of_birth=datetime.date(1941, 3, 14),
        gp_practice=east_practice,
    )
    browser = login(coordinator)

    response = browser.post(CREATE, client_form_data(west_practice))
    assert response.status_code == 200
    assert "This may be someone already registered" in response.text
    # In another area: named by its area only, so its details stay with that area's staff.
    assert "A client in East Cornwall: ask the coordinator there" in response.text
    assert "ELSIE" not in response.text
    assert "tick this box if it is a different person" in response.text
    assert Client.objects.count() == 1

    response = browser.post(CREATE, client_form_data(west_practice, confirm_not_duplicate="on"))
    assert response.status_code == 302
    assert Client.objects.count() == 2
    assert Client.objects.filter(area=west_practice.area, first_name="Elsie").exists()


def test_a_possible_duplicate_in_the_coordinators_own_area_is_shown_in_full(
    login, coordinator, west_practice
):
    match = ClientFactory(
        first_name="Elsie",
        last_name="Trewin",
        date_of_birth=datetime.date(1941, 3, 14),
        gp_practice=west_practice,
    )
    response = login(coordinator).post(CREATE, client_form_data(west_practice))
    assert f'<a href="/clients/{match.pk}/">Elsie Trewin</a>, born 14 March 1941' in response.text


def test_a_different_date_of_birth_is_not_a_duplicate(login, coordinator, west_practice):
    ClientFactory(first_name="Elsie", last_name="Trewin", date_of_birth=datetime.date(1941, 3, 15))
    response = login(coordinator).post(CREATE, client_form_data(west_practice))
    assert response.status_code == 302
    assert Client.objects.count() == 2


def test_a_coordinator_cannot_register_a_client_at_another_areas_practice(login, coordinator, east_practice):
    response = login(coordinator).post(CREATE, client_form_data(east_practice, area=east_practice.area_id))
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Client.objects.exists()


def test_the_registration_form_offers_only_the_coordinators_practices(
    login, coordinator, west_practice, east_practice
):
    response = login(coordinator).get(CREATE)
    assert west_practice.name in response.text
    assert east_practice.name not in response.text


# --- Editing a client ------------------------------------------------------------------------


def test_coordinator_edits_a_client(login, coordinator, elsie):
    url = reverse("clients:edit", args=[elsie.pk])
    response = login(coordinator).post(url, edit_form_data(elsie, phone="01736 123456"))
    assert response.status_code == 302
    elsie.refresh_from_db()
    assert elsie.phone == "01736 123456"


def test_closing_a_record_needs_a_reason_and_nothing_is_half_saved(login, coordinator, elsie):
    url = reverse("clients:edit", args=[elsie.pk])
    response = login(coordinator).post(url, edit_form_data(elsie, status="closed", phone="01736 999999"))
    assert response.status_code == 200
    assert "Say why the record is being closed." in response.text
    elsie.refresh_from_db()
    assert (elsie.status, elsie.phone) == ("active", "")

    login(coordinator).post(url, edit_form_data(elsie, status="closed", closed_reason="Moved to Devon"))
    elsie.refresh_from_db()
    assert (elsie.status, elsie.closed_reason) == ("closed", "Moved to Devon")


def test_a_coordinator_cannot_move_a_client_to_an_area_they_do_not_work_in(login, coordinator, elsie, east):
    response = login(coordinator).post(
        reverse("clients:edit", args=[elsie.pk]), edit_form_data(elsie, area=east.pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    elsie.refresh_from_db()
    assert elsie.area != east


def test_a_coordinator_cannot_move_a_client_to_another_areas_practice(
    login, coordinator, elsie, east_practice
):
    response = login(coordinator).post(
        reverse("clients:edit", args=[elsie.pk]), edit_form_data(elsie, gp_practice=east_practice.pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    elsie.refresh_from_db()
    assert elsie.gp_practice != east_practice


def test_editing_does_not_warn_about_the_client_being_a_duplicate_of_themselves(login, coordinator, elsie):
    response = login(coordinator).post(reverse("clients:edit", args=[elsie.pk]), edit_form_data(elsie))
    assert response.status_code == 302


# --- The client's page ------------------------------------------------------------------------


def test_the_clients_page_shows_allocations_and_the_whole_consent_history(
    login, coordinator, elsie, vera, allocate
):
    allocate(elsie, vera, by=coordinator)
    given = ConsentFactory(
        client=elsie,
        scope=ConsentScope.SHARE_WITH_MDT,
        given_on=datetime.date(2026, 1, 5),
        recorded_by=coordinator,
    )
    Consent.objects.filter(pk=given.pk).update(
        withdrawn_at=timezone.now(),
        withdrawn_on=datetime.date(2026, 2, 1),
        withdrawn_by=coordinator,
        withdrawal_note="Changed her mind",
    )
    ConsentFactory(client=elsie, scope=ConsentScope.SHARE_WITH_MDT, recorded_by=coordinator)
    response = login(coordinator).get(reverse("clients:detail", args=[elsie.pk]))
    assert "Vera Pascoe" in response.text
    text = response.text.split('id="consent-heading"', 1)[1]
    assert text.count("Multi-Disciplinary Team meeting") >= 2
    assert "1 Feb 2026, recorded by" in text
    assert "Changed her mind" in text
    # The "Withdrawn" column says when, or that the consent still holds: not an "Active" badge.
    assert text.count('<td data-label="Withdrawn">Still in force</td>') == 1
    assert "Active</span>" not in text


def test_the_box_to_end_a_visit_has_a_label_everyone_can_see(login, coordinator, elsie, vera, allocate):
    allocation = allocate(elsie, vera, by=coordinator)
    page = login(coordinator).get(reverse("clients:detail", args=[elsie.pk])).text
    label = (
        f'<label for="reason-{allocation.pk}" class="form-label mb-1">'
        "Why Vera Pascoe stops visiting (optional)</label>"
    )
    assert label in page
    assert f'id="reason-{allocation.pk}"' in page
    assert 'class="visually-hidden">Why' not in page


def test_the_who_has_looked_list_names_each_viewer_newest_first(login, coordinator, elsie, vera, allocate):
    allocate(elsie, vera, by=coordinator)
    volunteer_browser = Browser()
    volunteer_browser.force_login(vera.user, backend="django.contrib.auth.backends.ModelBackend")
    volunteer_browser.get(reverse("clients:detail", args=[elsie.pk]))
    response = login(coordinator).get(reverse("clients:detail", args=[elsie.pk]))
    viewers = response.text.split("Who has looked at this record", 1)[1]
    assert viewers.index(f"{escape(str(coordinator))}, ") < viewers.index("Vera Pascoe, ")


# --- Consent ------------------------------------------------------------------------------------


def test_coordinator_records_consent(login, coordinator, elsie):
    response = login(coordinator).post(
        reverse("clients:consent_new", args=[elsie.pk]),
        once(
            {
                "scope": ConsentScope.VOLUNTEER_AT_MDT,
                "given_on": "2026-01-05",
                "how_given": "written",
                "note": " x ",
            }
        ),
    )
    assert response.status_code == 302
    consent = elsie.consents.get()
    assert (consent.scope, consent.how_given, consent.note) == ("volunteer_at_mdt", "written", "x")
    assert consent.recorded_by == coordinator


def test_consent_dated_in_the_future_is_refused(login, coordinator, elsie):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(coordinator).post(
        reverse("clients:consent_new", args=[elsie.pk]),
        once({"scope": ConsentScope.SHARE_WITH_MDT, "given_on": tomorrow.isoformat(), "how_given": "verbal"}),
    )
    assert response.status_code == 200
    assert "The date they agreed cannot be in the future." in response.text
    assert not Consent.objects.exists()


def test_recording_a_consent_that_is_already_active_says_so(login, coordinator, elsie):
    ConsentFactory(client=elsie, scope=ConsentScope.SHARE_WITH_MDT, recorded_by=coordinator)
    response = login(coordinator).post(
        reverse("clients:consent_new", args=[elsie.pk]),
        once({"scope": ConsentScope.SHARE_WITH_MDT, "given_on": "2026-01-05", "how_given": "verbal"}),
    )
    assert response.status_code == 200
    assert "This consent is already recorded" in response.text
    assert Consent.objects.count() == 1


def test_withdrawing_consent_keeps_the_record(login, coordinator, elsie):
    consent = ConsentFactory(client=elsie, given_on=datetime.date(2026, 1, 5), recorded_by=coordinator)
    response = login(coordinator).post(
        reverse("clients:consent_withdraw", args=[consent.pk]),
        {"withdrawn_on": timezone.localdate().isoformat(), "note": "Phoned the office"},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_by == coordinator
    assert consent.withdrawal_note == "Phoned the office"
    assert Consent.objects.count() == 1
    followed = login(coordinator).get(response["Location"])
    assert "Consent withdrawn. It took effect straight away." in followed.text
    assert "Phoned the office" in followed.text


def test_withdrawing_twice_gets_a_clear_message_and_changes_nothing(login, coordinator, elsie):
    consent = ConsentFactory(client=elsie, given_on=datetime.date(2026, 1, 5), recorded_by=coordinator)
    url = reverse("clients:consent_withdraw", args=[consent.pk])
    browser = login(coordinator)
    browser.post(url, {"withdrawn_on": timezone.localdate().isoformat(), "note": "first"})
    consent.refresh_from_db()
    first = (consent.withdrawn_at, consent.withdrawn_on, consent.withdrawal_note)

    response = browser.post(url, {"withdrawn_on": "2026-01-10", "note": "second"})
    assert response.status_code == 200
    assert "This consent has already been withdrawn." in response.text
    consent.refresh_from_db()
    assert (consent.withdrawn_at, consent.withdrawn_on, consent.withdrawal_note) == first


@pytest.mark.parametrize(
    ("withdrawn_on", "message"),
    [
        ("tomorrow", "The date they withdrew cannot be in the future."),
        (datetime.date(2026, 1, 4), "Consent cannot be withdrawn before the date it was given."),
    ],
)
def test_a_withdrawal_date_that_cannot_be_right_is_refused(
    login, coordinator, elsie, today, withdrawn_on, message
):
    if withdrawn_on == "tomorrow":
        withdrawn_on = today + datetime.timedelta(days=1)
    consent = ConsentFactory(client=elsie, given_on=datetime.date(2026, 1, 5), recorded_by=coordinator)
    response = login(coordinator).post(
        reverse("clients:consent_withdraw", args=[consent.pk]), {"withdrawn_on": withdrawn_on.isoformat()}
    )
    assert response.status_code == 200
    assert message in response.text
    consent.refresh_from_db()
    assert consent.is_active


# --- Allocation ------------------------------------------------------------------------------------


def test_coordinator_allocates_a_volunteer_from_the_suggestions(login, coordinator, elsie, vera):
    url = reverse("clients:allocate", args=[elsie.pk])
    browser = login(coordinator)
    page = browser.get(url)
    assert "1. Vera Pascoe" in page.text
    assert "Has room for 2 more clients" in page.text

    response = browser.post(url, {"volunteer": vera.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("clients:detail", args=[elsie.pk])
    assert "Vera Pascoe now visits Elsie Trewin." in response.text
    allocation = Allocation.objects.get()
    assert (allocation.client, allocation.volunteer, allocation.allocated_by) == (elsie, vera, coordinator)
    assert vera.user.has_perm(f"clients.{access.VISIT_PAGE}", elsie)


def test_allocating_a_volunteer_of_another_area_gets_a_clear_message_and_no_allocation(
    login, coordinator, elsie, east
):
    outsider = VolunteerFactory(areas=[east])
    response = login(coordinator).post(
        reverse("clients:allocate", args=[elsie.pk]), {"volunteer": outsider.pk}
    )
    assert response.status_code == 200
    assert "Choose a volunteer from the list: that one does not volunteer in this client&#x27;s area." in (
        response.text
    )
    assert not Allocation.objects.exists()
    assert not outsider.user.has_perm(f"clients.{access.VISIT_PAGE}", elsie)


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"volunteer": "abc"}, "Choose a volunteer from the list: that one does not volunteer"),
        ({"volunteer": "99999999"}, "Choose a volunteer from the list: that one does not volunteer"),
        ({"volunteer": "1 OR 1=1"}, "Choose a volunteer from the list: that one does not volunteer"),
        ({"volunteer": ""}, "Choose a volunteer from the list."),
        pytest.param({}, "Choose a volunteer from the list.", id="nothing-posted"),
    ],
)
def test_allocating_with_a_nonsense_volunteer_gets_a_clear_message(
    login, coordinator, elsie, posted, message
):
    response = login(coordinator).post(reverse("clients:allocate", args=[elsie.pk]), posted)
    assert response.status_code == 200
    assert message in response.text
    assert not Allocation.objects.exists()


def test_a_paused_volunteer_cannot_be_allocated(login, coordinator, elsie, west):
    paused = VolunteerFactory(areas=[west], status="paused")
    response = login(coordinator).post(reverse("clients:allocate", args=[elsie.pk]), {"volunteer": paused.pk})
    assert "Choose a volunteer from the list" in response.text
    assert not Allocation.objects.exists()


def test_allocating_the_same_volunteer_twice_says_so(login, coordinator, elsie, vera, allocate):
    allocate(elsie, vera, by=coordinator)
    response = login(coordinator).post(reverse("clients:allocate", args=[elsie.pk]), {"volunteer": vera.pk})
    assert response.status_code == 200
    assert "Vera Pascoe already visits Elsie Trewin." in response.text
    assert Allocation.objects.count() == 1


def test_a_closed_clients_record_must_be_reopened_before_allocating(login, coordinator, elsie, vera):
    Client.objects.filter(pk=elsie.pk).update(status="closed", closed_reason="Moved")
    response = login(coordinator).post(reverse("clients:allocate", args=[elsie.pk]), {"volunteer": vera.pk})
    assert "reopen it before allocating a volunteer" in response.text
    assert not Allocation.objects.exists()


def test_ending_an_allocation_needs_a_post(login, coordinator, elsie, vera, allocate):
    allocation = allocate(elsie, vera, by=coordinator)
    response = login(coordinator).get(reverse("clients:allocation_end", args=[allocation.pk]))
    assert response.status_code == 405
    allocation.refresh_from_db()
    assert allocation.ended_on is None


def test_ending_an_allocation_twice_gets_a_clear_message(login, coordinator, elsie, vera, allocate):
    allocation = allocate(elsie, vera, by=coordinator)
    url = reverse("clients:allocation_end", args=[allocation.pk])
    browser = login(coordinator)
    browser.post(url)
    response = browser.post(url, follow=True)
    assert "This allocation has already ended." in response.text


def test_an_end_reason_that_is_too_long_is_refused_and_the_allocation_goes_on(
    login, coordinator, elsie, vera, allocate
):
    allocation = allocate(elsie, vera, by=coordinator)
    response = login(coordinator).post(
        reverse("clients:allocation_end", args=[allocation.pk]), {"reason": "x" * 201}, follow=True
    )
    assert "it has 201 characters, and the most it can have is 200" in response.text
    allocation.refresh_from_db()
    assert allocation.ended_on is None


# --- Lists and search ------------------------------------------------------------------------------


def test_coordinator_searches_clients_by_name_postcode_and_nhs_number(login, coordinator, west_practice):
    ClientFactory(
        first_name="Elsie",
        last_name="Trewin",
        postcode="TR18 4AJ",
        nhs_number="9434765919",
        gp_practice=west_practice,
    )
    ClientFactory(first_name="Jack", last_name="Nance", postcode="TR26 1AB", gp_practice=west_practice)
    browser = login(coordinator)
    for query in ("trewin", "Elsie Trewin", "TR18", "943 476 5919"):
        text = browser.get(CLIENTS, {"q": query}).text
        assert "Trewin, Elsie" in text, query
        assert "Nance" not in text, query
    assert "No clients match" in browser.get(CLIENTS, {"q": "Pengelly"}).text


def test_the_status_filter_shows_only_that_status(login, coordinator, west_practice):
    ClientFactory(last_name="Trewin", gp_practice=west_practice)
    ClientFactory(last_name="Nance", gp_practice=west_practice, status="paused")
    text = login(coordinator).get(CLIENTS, {"status": "paused"}).text
    assert "Nance" in text
    assert "Trewin" not in text


def test_asking_for_another_areas_clients_by_url_shows_none_of_them(
    login, coordinator, west_practice, east_practice
):
    ClientFactory(last_name="Trewin", gp_practice=west_practice)
    ClientFactory(last_name="Penrose", gp_practice=east_practice)
    text = login(coordinator).get(CLIENTS, {"area": east_practice.area_id}).text
    assert "Penrose" not in text


def test_the_client_list_counts_active_volunteers(login, coordinator, elsie, vera, west, allocate):
    allocate(elsie, vera, by=coordinator)
    ended = allocate(elsie, VolunteerFactory(areas=[west]), by=coordinator)
    from clients.services import allocation_end

    allocation_end(allocation=ended, by=coordinator)
    ClientFactory(last_name="Nance", gp_practice=elsie.gp_practice)
    text = login(coordinator).get(CLIENTS).text
    trewin_row = text.split("Trewin, Elsie", 1)[1].split("</tr>", 1)[0]
    nance_row = text.split("Nance", 1)[1].split("</tr>", 1)[0]
    assert '<td data-label="Volunteers">1</td>' in trewin_row
    assert "None yet" in nance_row


def test_the_client_list_is_paginated(login, coordinator, west_practice):
    Client.objects.bulk_create(ClientFactory.build_batch(30, gp_practice=west_practice))
    browser = login(coordinator)
    first = browser.get(CLIENTS)
    assert "30 clients found." in first.text
    assert len(first.context["page_obj"].object_list) == 25
    second = browser.get(CLIENTS, {"page": 2})
    assert second.context["page_obj"].number == 2
    assert len(second.context["page_obj"].object_list) == 5


def test_my_clients_leaves_out_closed_records_and_past_allocations(login, coordinator, elsie, vera, allocate):
    allocate(elsie, vera, by=coordinator)
    closed = ClientFactory(last_name="Kitto", gp_practice=elsie.gp_practice)
    allocate(closed, vera, by=coordinator)
    Client.objects.filter(pk=closed.pk).update(status="closed", closed_reason="Died")
    past = allocate(ClientFactory(last_name="Nance", gp_practice=elsie.gp_practice), vera, by=coordinator)
    from clients.services import allocation_end

    allocation_end(allocation=past, by=coordinator)
    text = login(vera.user).get(CLIENTS).text
    assert "My clients" in text
    assert "Trewin" in text
    assert "Kitto" not in text
    assert "Nance" not in text


def test_a_volunteer_with_no_clients_is_told_what_happens_next(login, vera):
    assert "You have no clients yet." in login(vera.user).get(CLIENTS).text


# --- (d) Lists run the same number of queries for 10 and for 200 rows ------------------------------


def bulk_clients(count, practice) -> list[Client]:
    return Client.objects.bulk_create(ClientFactory.build_batch(count, gp_practice=practice))


def bulk_allocate(clients, volunteer, by) -> None:
    """Allocations as the service makes them, with the volunteer's access granted."""
    made = Allocation.objects.bulk_create(
        [Allocation(client=each, volunteer=volunteer, allocated_by=by) for each in clients]
    )
    for allocation in made:
        access.allocation_started(allocation)


def test_the_client_list_runs_the_same_queries_for_10_and_200_clients(
    login, coordinator, west_practice, vera
):
    browser = login(coordinator)
    clients = bulk_clients(10, west_practice)
    bulk_allocate(clients[:5], vera, coordinator)
    browser.get(CLIENTS)  # the first request of a session writes it; measure the ones after

    with_10 = queries_for(lambda: browser.get(CLIENTS))
    more = bulk_clients(190, west_practice)
    bulk_allocate(more[:100], vera, coordinator)
    with_200 = queries_for(lambda: browser.get(CLIENTS))

    assert "200 clients found." in browser.get(CLIENTS).text
    assert len(with_10) == len(with_200), with_200


def test_my_clients_runs_the_same_queries_for_10_and_200_clients(login, coordinator, west_practice, vera):
    browser = login(vera.user)
    bulk_allocate(bulk_clients(10, west_practice), vera, coordinator)
    browser.get(CLIENTS)

    with_10 = queries_for(lambda: browser.get(CLIENTS))
    bulk_allocate(bulk_clients(190, west_practice), vera, coordinator)
    with_200 = queries_for(lambda: browser.get(CLIENTS))

    assert browser.get(CLIENTS).text.count('<article class="card h-100"') == 200
    assert len(with_10) == len(with_200), with_200


def test_the_clients_record_page_runs_the_same_queries_however_long_its_history(
    login, coordinator, elsie, west
):
    browser = login(coordinator)
    url = reverse("clients:detail", args=[elsie.pk])
    browser.get(url)
    small = queries_for(lambda: browser.get(url))
    for scope in ConsentScope.values:
        ConsentFactory(client=elsie, scope=scope, recorded_by=coordinator)
    volunteers = [VolunteerFactory(areas=[west]) for _ in range(3)]
    Allocation.objects.bulk_create(
        [Allocation(client=elsie, volunteer=each, allocated_by=coordinator) for each in volunteers]
    )
    large = queries_for(lambda: browser.get(url))
    assert len(small) == len(large), large


def test_another_practice_is_just_another_row(login, coordinator, west):
    """Clients at several practices of the area all appear, with their practice's name."""
    practices = [GPPracticeFactory(area=west, name=f"Practice {n}") for n in range(3)]
    for practice in practices:
        ClientFactory(gp_practice=practice)
    text = login(coordinator).get(CLIENTS).text
    assert all(practice.name in text for practice in practices)


def test_a_possible_duplicate_in_another_area_is_named_by_area_only(
    login, coordinator, west_practice, east_practice
):
    from tests.factories import ClientFactory

    ClientFactory(
        first_name="Ada",
        last_name="Hosken",
        date_of_birth="1940-05-06",
        gp_practice=east_practice,
        postcode="PL14 9ZZ",
    )
    response = login(coordinator).post(
        reverse("clients:create"),
        once(
            {
                "first_name": "Ada",
                "last_name": "Hosken",
                "date_of_birth": "1940-05-06",
                "address": "2 Fore Street",
                "postcode": "TR18 1AA",
                "gp_practice": west_practice.pk,
            }
        ),
    )
    assert "A client in East Cornwall: ask the coordinator there" in response.text
    assert "PL14 9ZZ" not in response.text


# --- Input that is invisible, absurd or foreign ---------------------------------------------------

SUPERSCRIPT_TWO = "\u00b2"
ARABIC_INDIC = "".join(chr(0x0660 + int(digit)) for digit in "9434765919")
FULL_WIDTH = "".join(chr(0xFF10 + int(digit)) for digit in "9434765919")


@pytest.mark.parametrize(
    "typed",
    [
        f"943476591{SUPERSCRIPT_TWO}",
        ARABIC_INDIC,
        FULL_WIDTH,
        "943 476 591\u00b9",
        "943476591\u0669",
        "\u00bd434765919",
    ],
)
def test_an_nhs_number_with_digits_that_are_not_0_to_9_gets_a_clear_message_not_an_error(
    login, coordinator, west_practice, typed
):
    response = login(coordinator).post(CREATE, client_form_data(west_practice, nhs_number=typed))
    assert response.status_code == 200
    assert "Use the digits 0 to 9 only" in response.text
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    "typed", ["943-476-5919", " 943 476 5919 ", "943\u200b476\u200b5919", "943\u2010476\u20105919"]
)
def test_an_nhs_number_typed_with_hyphens_or_invisible_spaces_is_stored_as_ten_digits(
    login, coordinator, west_practice, typed
):
    response = login(coordinator).post(CREATE, client_form_data(west_practice, nhs_number=typed))
    assert response.status_code == 302
    assert Client.objects.get().nhs_number == "9434765919"


@pytest.mark.parametrize("field", ["first_name", "last_name", "address"])
@pytest.mark.parametrize(
    "typed", ["\u200b", "\u200b\u200b\u200c\u200d", "\ufeff\u2060", "\u202e\u2066", "\u3164"]
)
def test_a_name_or_address_made_only_of_invisible_characters_is_refused(
    login, coordinator, west_practice, field, typed
):
    response = login(coordinator).post(CREATE, client_form_data(west_practice, **{field: typed}))
    assert response.status_code == 200
    assert "This has no letters or numbers that can be seen. Type the words themselves." in response.text
    assert not Client.objects.exists()


def test_names_are_stored_without_invisible_characters_and_composed(login, coordinator, west_practice):
    response = login(coordinator).post(
        CREATE,
        client_form_data(west_practice, first_name="\u200bEdith\u200b", last_name="Bro\u0308wn\u202e"),
    )
    assert response.status_code == 302
    client = Client.objects.get()
    assert (client.first_name, client.last_name) == ("Edith", "Br\u00f6wn")


def test_a_name_with_an_invisible_space_is_caught_by_the_duplicate_check(login, coordinator, west_practice):
    ClientFactory(
        first_name="Edith",
        last_name="Trewin",
        date_of_birth=datetime.date(1941, 3, 14),
        gp_practice=west_practice,
    )
    response = login(coordinator).post(
        CREATE, client_form_data(west_practice, first_name="Edith\u200b", last_name="\ufeffTrewin")
    )
    assert response.status_code == 200
    assert "This may be someone already registered" in response.text
    assert Client.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("phone", "javascript:alert(1)"),
        ("phone", "01736 1"),
        ("phone", "+1 212 555 0100"),
        ("next_of_kin_phone", "javascript:alert(1)"),
        ("next_of_kin_phone", "".join(chr(0x0660 + int(digit)) for digit in "01736362321")),
    ],
)
def test_a_phone_that_is_not_a_uk_number_is_refused(login, coordinator, west_practice, field, typed):
    response = login(coordinator).post(CREATE, client_form_data(west_practice, **{field: typed}))
    assert response.status_code == 200
    assert "UK phone number" in response.text
    assert not Client.objects.exists()


def test_phones_and_postcodes_are_stored_in_one_format(login, coordinator, west_practice):
    response = login(coordinator).post(
        CREATE,
        client_form_data(
            west_practice, phone="+44 1736 362321", next_of_kin_phone="07700900123", postcode="tr184aj"
        ),
    )
    assert response.status_code == 302
    client = Client.objects.get()
    assert (client.phone, client.next_of_kin_phone, client.postcode) == (
        "01736 362321",
        "07700 900123",
        "TR18 4AJ",
    )


@pytest.mark.parametrize("typed", ["<>!!", "TR18", "12345", "TR18\u200b"])
def test_a_postcode_that_is_not_a_uk_postcode_is_refused(login, coordinator, west_practice, typed):
    response = login(coordinator).post(CREATE, client_form_data(west_practice, postcode=typed))
    assert response.status_code == 200
    assert "Enter a UK postcode, such as TR18 4AB." in response.text
    assert not Client.objects.exists()


def test_practical_needs_longer_than_the_limit_are_refused(login, coordinator, west_practice):
    response = login(coordinator).post(CREATE, client_form_data(west_practice, practical_needs="x" * 2001))
    assert response.status_code == 200
    assert "it has 2,001 characters, and the most it can have is 2,000" in response.text
    assert not Client.objects.exists()


def test_the_client_form_shows_each_boxs_limit_for_the_counter(login, coordinator):
    text = login(coordinator).get(CREATE).text
    assert 'name="practical_needs"' in text
    assert 'data-counter="2000"' in text
    assert 'data-counter="100"' in text  # first and last names
    assert 'type="tel"' in text


@pytest.mark.parametrize(
    ("given_on", "message"),
    [
        ("0001-01-01", "Check the year: consent recorded here was given in 2000 or later."),
        ("1999-12-31", "Check the year: consent recorded here was given in 2000 or later."),
        ("9999-12-31", "The date they agreed cannot be in the future."),
    ],
)
def test_consent_dated_in_year_1_or_9999_is_refused_plainly(login, coordinator, elsie, given_on, message):
    response = login(coordinator).post(
        reverse("clients:consent_new", args=[elsie.pk]),
        once({"scope": ConsentScope.SHARE_WITH_MDT, "given_on": given_on, "how_given": "verbal"}),
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Consent.objects.exists()


@pytest.mark.parametrize("withdrawn_on", ["0001-01-01", "9999-12-31"])
def test_a_withdrawal_in_year_1_or_9999_is_refused_plainly(login, coordinator, elsie, withdrawn_on):
    consent = ConsentFactory(client=elsie, given_on=datetime.date(2026, 1, 5), recorded_by=coordinator)
    response = login(coordinator).post(
        reverse("clients:consent_withdraw", args=[consent.pk]), {"withdrawn_on": withdrawn_on}
    )
    assert response.status_code == 200
    assert "Check the year" in response.text or "cannot be in the future" in response.text
    consent.refresh_from_db()
    assert consent.is_active


def test_a_consent_note_of_two_megabytes_is_refused(login, coordinator, elsie):
    response = login(coordinator).post(
        reverse("clients:consent_new", args=[elsie.pk]),
        once(
            {
                "scope": ConsentScope.SHARE_WITH_MDT,
                "given_on": "2026-01-05",
                "how_given": "verbal",
                "note": "x" * (2 * 1024 * 1024),
            }
        ),
    )
    assert response.status_code == 200
    assert "the most it can have is 1,000" in response.text
    assert not Consent.objects.exists()


def test_search_finds_an_nhs_number_typed_with_hyphens_and_other_digits_do_not_fail(
    login, coordinator, west_practice
):
    ClientFactory(first_name="Elsie", last_name="Trewin", nhs_number="9434765919", gp_practice=west_practice)
    browser = login(coordinator)
    for query in (ARABIC_INDIC, FULL_WIDTH, f"943476591{SUPERSCRIPT_TWO}"):
        response = browser.get(CLIENTS, {"q": query})
        assert response.status_code == 200
        assert "Trewin, Elsie" not in response.text
    assert "Trewin, Elsie" in browser.get(CLIENTS, {"q": "943-476-5919"}).text


def test_a_search_of_the_client_list_runs_the_same_queries_for_10_and_200_matches(
    login, coordinator, west_practice, vera
):
    browser = login(coordinator)
    bulk_allocate(bulk_clients(10, west_practice), vera, coordinator)
    search = {"q": "TR18"}
    browser.get(CLIENTS, search)

    with_10 = queries_for(lambda: browser.get(CLIENTS, search))
    bulk_allocate(bulk_clients(190, west_practice)[:100], vera, coordinator)
    with_200 = queries_for(lambda: browser.get(CLIENTS, search))

    assert "200 clients found." in browser.get(CLIENTS, search).text
    assert len(with_10) == len(with_200), with_200


def test_the_client_list_counts_visits_for_the_rows_shown_without_grouping_the_area(
    login, coordinator, west_practice, vera
):
    """Each row's count of volunteers is a correlated subquery, which PostgreSQL computes
    after the LIMIT; a join and GROUP BY would count the visits of every client of the area
    before taking the page, and the paginator's COUNT would group them again."""
    browser = login(coordinator)
    clients = bulk_clients(30, west_practice)
    bulk_allocate(clients[:3], vera, coordinator)

    queries = queries_for(lambda: browser.get(CLIENTS))
    response = browser.get(CLIENTS)

    assert not [sql for sql in queries if "GROUP BY" in sql and "clients_client" in sql], queries
    visited = {client.pk for client in clients[:3]}
    for client in response.context["page_obj"]:
        assert client.active_allocation_count == (1 if client.pk in visited else 0)


def test_the_allocation_page_runs_the_same_queries_for_3_and_30_volunteers(
    login, coordinator, elsie, west, west_practice
):
    browser = login(coordinator)
    url = reverse("clients:allocate", args=[elsie.pk])
    others = bulk_clients(5, west_practice)
    for _ in range(3):
        volunteer = VolunteerFactory(areas=[west])
        bulk_allocate(others[:2], volunteer, coordinator)
    browser.get(url)

    few = queries_for(lambda: browser.get(url))
    for _ in range(27):
        VolunteerFactory(areas=[west])
    many = queries_for(lambda: browser.get(url))

    assert len(few) == len(many), many
