"""Who may open each page of copies of records: every person of the cast, both ways. A POST
that is refused changes nothing."""

import pytest
from django.urls import reverse

from livingwell.records import services
from livingwell.records.models import ExportRequest, SecurityEvent
from tests.factories import UserFactory
from tests.support.access_table import LOGIN, assert_answer, cases, signed_in

# Columns: anonymous, volunteer, other_volunteer, coordinator, other_coordinator,
# team_leader, other_team_leader, mdt_chair, clinician, manager, no_role.
# Cora (coordinator of West) asked for the copy of Elsie's record; the team leader of West
# approved it where the page needs an approved copy.
PAGES = {
    "list": (LOGIN, 403, 403, 200, 200, 200, 200, 403, 403, 200, 403),
    "request_client": (LOGIN, 403, 404, 200, 404, 403, 404, 404, 404, 404, 404),
    "request_volunteer": (LOGIN, 404, 404, 200, 404, 403, 404, 404, 404, 404, 404),
    "detail": (LOGIN, 403, 403, 200, 404, 200, 404, 403, 403, 200, 403),
    "refuse_form": (LOGIN, 403, 403, 403, 404, 200, 404, 403, 403, 200, 403),
    "download": (LOGIN, 403, 403, 200, 404, 200, 404, 403, 403, 403, 403),
}

POSTS = {
    # Approving: only a second person of the area or a manager; never the requester.
    "approve": (LOGIN, 403, 403, 403, 404, 302, 404, 403, 403, 302, 403),
    "refuse": (LOGIN, 403, 403, 403, 404, 302, 404, 403, 403, 302, 403),
    "request_client": (LOGIN, 403, 404, 302, 404, 403, 404, 404, 404, 404, 404),
    "request_volunteer": (LOGIN, 404, 404, 302, 404, 403, 404, 404, 404, 404, 404),
}


@pytest.fixture
def asked(cast, world):
    return services.export_request_client(client=world.elsie, by=world.coordinator, reason="She asked.")


@pytest.fixture
def approved(asked, world):
    return services.export_approve(export=asked, by=world.team_leader)


def url_for(page: str, world, export) -> str:
    return {
        "list": reverse("records:exports"),
        "request_client": reverse("records:request_client", args=[world.elsie.pk]),
        "request_volunteer": reverse("records:request_volunteer", args=[world.volunteer.volunteer.pk]),
        "detail": reverse("records:export_detail", args=[export.pk]),
        "refuse_form": reverse("records:export_refuse", args=[export.pk]),
        "refuse": reverse("records:export_refuse", args=[export.pk]),
        "download": reverse("records:export_download", args=[export.pk]),
        "approve": reverse("records:export_approve", args=[export.pk]),
    }[page]


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "actor", "expected"), cases(PAGES))
def test_who_may_open_each_page(cast, world, page, actor, expected, request):
    export = request.getfixturevalue("approved" if page == "download" else "asked")
    response = signed_in(cast.people[actor]).get(url_for(page, world, export))
    assert_answer(response, expected)


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "actor", "expected"), cases(POSTS))
def test_who_may_send_each_form_and_a_refused_one_changes_nothing(cast, world, asked, page, actor, expected):
    before = (ExportRequest.objects.count(),)
    response = signed_in(cast.people[actor]).post(
        url_for(page, world, asked), {"reason": "Because they asked."}
    )
    assert_answer(response, expected)
    asked.refresh_from_db()
    if expected == 302:
        assert response["Location"].startswith("/records/exports/")
        changed = (
            asked.state != ExportRequest.State.REQUESTED or ExportRequest.objects.count() == before[0] + 1
        )
        assert changed
    else:
        assert asked.state == ExportRequest.State.REQUESTED
        assert asked.decided_by is None
        assert asked.archive is None
        assert ExportRequest.objects.count() == before[0]
        # Only sign-in events of the people signing in for the test; nothing about copies.
        assert (
            not SecurityEvent.objects.filter(kind__startswith="export_")
            .exclude(kind="export_requested")
            .exists()
        )


@pytest.mark.django_db
def test_a_superuser_sees_every_request_but_does_not_decide_outside_the_areas(cast, world, asked, login):
    admin = login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    assert admin.get(reverse("records:exports")).status_code == 200
    assert admin.get(reverse("records:export_detail", args=[asked.pk])).status_code == 200
    assert admin.post(reverse("records:export_approve", args=[asked.pk])).status_code == 403
    asked.refresh_from_db()
    assert asked.state == ExportRequest.State.REQUESTED


@pytest.mark.django_db
def test_approving_is_a_post(cast, world, asked, login):
    assert login(world.team_leader).get(reverse("records:export_approve", args=[asked.pk])).status_code == 405
    asked.refresh_from_db()
    assert asked.state == ExportRequest.State.REQUESTED
