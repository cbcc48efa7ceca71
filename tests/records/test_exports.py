"""Asking for, deciding on and downloading a copy of a record (livingwell/records/services.py)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from livingwell.accounts.roles import Role
from livingwell.records import services
from livingwell.records.models import ExportRequest, SecurityEvent
from tests.factories import AreaFactory, OrganisationFactory, UserFactory
from tests.records.conftest import unzip
from tests.support.queries import queries_for

Kind = SecurityEvent.Kind


@pytest.fixture
def asked(world):
    return services.export_request_client(
        client=world.elsie, by=world.coordinator, reason="She asked in writing."
    )


@pytest.mark.django_db
def test_the_requester_can_never_approve_their_own_request(world, asked):
    with pytest.raises(PermissionDenied, match="Somebody else"):
        services.export_approve(export=asked, by=world.coordinator)
    asked.refresh_from_db()
    assert asked.state == ExportRequest.State.REQUESTED


@pytest.mark.django_db
def test_another_coordinator_of_the_area_may_approve(world, asked):
    second = UserFactory(roles=[Role.COORDINATOR], areas=[world.west])
    approved = services.export_approve(export=asked, by=second)
    assert approved.state == ExportRequest.State.APPROVED
    assert approved.decided_by == second
    assert approved.expires_at - approved.decided_at == datetime.timedelta(days=7)
    assert "index.html" in unzip(bytes(approved.archive))


@pytest.mark.django_db
def test_a_manager_of_another_organisation_may_not_decide(world, asked):
    elsewhere = AreaFactory(name="Devon", organisation=OrganisationFactory(name="Devon Care"))
    stranger = UserFactory(roles=[Role.MANAGER], areas=[elsewhere])
    with pytest.raises(PermissionDenied):
        services.export_approve(export=asked, by=stranger)


@pytest.mark.django_db
def test_a_team_leader_may_not_ask_for_a_copy(world):
    with pytest.raises(PermissionDenied):
        services.export_request_client(client=world.elsie, by=world.team_leader, reason="Asked.")
    assert not ExportRequest.objects.exists()


@pytest.mark.django_db
def test_a_request_needs_a_reason(world):
    with pytest.raises(ValidationError, match="Say why a copy is needed"):
        services.export_request_client(client=world.elsie, by=world.coordinator, reason="   ")


@pytest.mark.django_db
def test_a_request_is_decided_once(world, asked):
    services.export_refuse(export=asked, by=world.team_leader, reason="We could not confirm who asked.")
    with pytest.raises(ValidationError, match="already been decided"):
        services.export_approve(export=asked, by=world.manager)
    asked.refresh_from_db()
    assert asked.state == ExportRequest.State.REFUSED
    assert asked.archive is None


@pytest.mark.django_db
def test_only_the_requester_and_the_approver_may_download_and_each_download_is_recorded(world, asked):
    services.export_approve(export=asked, by=world.team_leader)
    services.export_download(export=asked, by=world.coordinator)
    services.export_download(export=asked, by=world.team_leader)
    with pytest.raises(PermissionDenied):
        services.export_download(export=asked, by=world.manager)
    downloads = SecurityEvent.objects.filter(kind=Kind.EXPORT_DOWNLOADED).order_by("pk")
    assert [event.user for event in downloads] == [world.coordinator, world.team_leader]
    assert {event.details["export"] for event in downloads} == {asked.pk}


@pytest.mark.django_db
def test_a_copy_cannot_be_downloaded_after_seven_days_and_is_then_emptied(world, asked):
    services.export_approve(export=asked, by=world.team_leader)
    ExportRequest.objects.filter(pk=asked.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError, match="no longer available"):
        services.export_download(export=asked, by=world.coordinator)
    assert services.exports_expire() == 1
    asked.refresh_from_db()
    assert asked.archive is None
    assert asked.state == ExportRequest.State.APPROVED


@pytest.mark.django_db
def test_asking_deciding_and_downloading_are_security_events(world, asked):
    services.export_approve(export=asked, by=world.team_leader)
    services.export_download(export=asked, by=world.coordinator)
    other = services.export_request_client(client=world.jack, by=world.coordinator, reason="He asked.")
    services.export_refuse(export=other, by=world.manager, reason="Not him.")
    kinds = list(
        SecurityEvent.objects.filter(kind__startswith="export_").order_by("pk").values_list("kind", "user")
    )
    assert kinds == [
        (Kind.EXPORT_REQUESTED, world.coordinator.pk),
        (Kind.EXPORT_APPROVED, world.team_leader.pk),
        (Kind.EXPORT_DOWNLOADED, world.coordinator.pk),
        (Kind.EXPORT_REQUESTED, world.coordinator.pk),
        (Kind.EXPORT_REFUSED, world.manager.pk),
    ]


@pytest.mark.django_db
def test_a_volunteer_copy_is_asked_for_by_a_coordinator_of_their_area_and_approved_by_another(world):
    vera = world.volunteer.volunteer
    with pytest.raises(PermissionDenied):
        services.export_request_volunteer(volunteer=vera, by=world.other_coordinator, reason="Asked.")
    export = services.export_request_volunteer(volunteer=vera, by=world.coordinator, reason="Vera asked.")
    assert export.area == world.west
    with pytest.raises(PermissionDenied):
        services.export_approve(export=export, by=world.coordinator)
    assert services.export_approve(export=export, by=world.team_leader).state == ExportRequest.State.APPROVED


@pytest.mark.django_db
def test_the_pages_take_a_request_from_the_client_page_to_the_download(world, login):
    cora = login(world.coordinator)
    record = cora.get(reverse("clients:detail", args=[world.elsie.pk])).content.decode()
    assert reverse("records:request_client", args=[world.elsie.pk]) in record
    response = cora.post(reverse("records:request_client", args=[world.elsie.pk]), {"reason": "She asked."})
    export = ExportRequest.objects.get()
    assert response["Location"] == reverse("records:export_detail", args=[export.pk])
    assert "Approve and make the copy" not in cora.get(response["Location"]).content.decode()

    tom = login(world.team_leader)
    assert "Approve and make the copy" in tom.get(response["Location"]).content.decode()
    tom.post(reverse("records:export_approve", args=[export.pk]))

    cora = login(world.coordinator)
    download = cora.get(reverse("records:export_download", args=[export.pk]))
    assert download["Content-Type"] == "application/zip"
    assert "attachment" in download["Content-Disposition"]
    assert "clients.client.json" in unzip(download.content)


@pytest.mark.django_db
def test_a_coordinator_finds_the_request_for_a_volunteer_copy_on_the_volunteer_page(world, login):
    vera = world.volunteer.volunteer
    request_page = reverse("records:request_volunteer", args=[vera.pk])
    page = login(world.coordinator).get(reverse("volunteers:detail", args=[vera.pk]))
    assert page.status_code == 200
    assert request_page in page.content.decode()
    page = login(world.team_leader).get(reverse("volunteers:detail", args=[vera.pk]))
    assert page.status_code == 200
    assert request_page not in page.content.decode()


@pytest.mark.django_db
def test_an_empty_reason_on_the_page_gets_a_plain_message_not_an_error_page(world, login):
    response = login(world.coordinator).post(
        reverse("records:request_client", args=[world.elsie.pk]), {"reason": ""}
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode() or "Say why" in response.content.decode()
    assert not ExportRequest.objects.exists()


@pytest.mark.django_db
def test_the_menu_shows_copies_of_records_to_the_people_who_may_use_it(world, login):
    assert "Copies of records" in login(world.coordinator).get(reverse("home")).content.decode()
    assert "Copies of records" in login(world.manager).get(reverse("home")).content.decode()
    assert "Copies of records" not in login(world.volunteer).get(reverse("home")).content.decode()
    assert "Copies of records" not in login(world.clinician).get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_list_of_copies_reads_the_same_number_of_queries_however_many_requests(world, login):
    page = reverse("records:exports")
    tom = login(world.team_leader)
    services.export_request_client(client=world.elsie, by=world.coordinator, reason="She asked.")
    few = len(queries_for(lambda: tom.get(page)))
    for _ in range(5):
        services.export_request_client(client=world.jack, by=world.coordinator, reason="He asked.")
        services.export_request_volunteer(
            volunteer=world.volunteer.volunteer, by=world.coordinator, reason="Asked."
        )
    response = tom.get(page)
    assert len(response.context["page_obj"].object_list) == 11
    assert len(queries_for(lambda: tom.get(page))) == few


@pytest.mark.django_db
def test_a_coordinator_of_another_area_does_not_see_the_request_in_the_list(world, login):
    services.export_request_client(client=world.elsie, by=world.coordinator, reason="She asked.")
    listed = login(world.other_coordinator).get(reverse("records:exports")).context["page_obj"].object_list
    assert list(listed) == []
    assert len(login(world.team_leader).get(reverse("records:exports")).context["page_obj"].object_list) == 1
