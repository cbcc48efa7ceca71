"""Create forms sent twice (a double tap, a retry, two tabs) make one record, also when the
copies arrive at the same moment on different connections."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, Consent
from livingwell.accounts.roles import Role
from livingwell.notifications.models import Notification
from risks.models import Referral, RiskEvent, RiskReport, Severity
from tests.factories import GPPracticeFactory, UserFactory, VolunteerFactory
from tests.risks.factories import RiskReportFactory, category, ensure_visits
from tests.support.access_table import signed_in
from tests.support.concurrency import at_once
from tests.support.forms import once
from volunteers.models import ConfidentialityAgreement, Volunteer


@pytest.fixture
def scene(fast_password_hashing):
    from types import SimpleNamespace

    from tests.factories import ClientFactory

    practice = GPPracticeFactory(name="Alverton Practice", area__name="West Cornwall")
    west = practice.area
    vera = VolunteerFactory(user__username="vera", areas=[west])
    elsie = ClientFactory(first_name="Elsie", last_name="Trewin", gp_practice=practice)
    ensure_visits(elsie, vera.user)
    return SimpleNamespace(
        west=west,
        practice=practice,
        vera=vera,
        elsie=elsie,
        cora=UserFactory(username="cora", roles=[Role.COORDINATOR], areas=[west]),
        tom=UserFactory(username="tom", roles=[Role.TEAM_LEADER], areas=[west]),
        falls=category("falls-mobility"),
    )


def concern(scene) -> dict:
    seen = timezone.localtime(timezone.now() - datetime.timedelta(minutes=20))
    return once(
        {
            "client": scene.elsie.pk,
            "category": scene.falls.pk,
            "severity": Severity.URGENT,
            "what_was_seen": "She had fallen in the kitchen.",
            "observed_at": seen.strftime("%Y-%m-%dT%H:%M"),
        }
    )


def new_client(scene) -> dict:
    return once(
        {
            "first_name": "Jack",
            "last_name": "Nance",
            "date_of_birth": "1938-01-02",
            "address": "1 The Quay, Newlyn",
            "postcode": "TR18 5HW",
            "gp_practice": scene.practice.pk,
        }
    )


@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_of_a_concern_at_once_make_one_concern(scene):
    data = concern(scene)
    post = lambda: signed_in(scene.vera.user).post(reverse("risks:new"), data)  # noqa: E731

    answers = at_once(post, post, post)

    risk = RiskReport.objects.get()
    assert [getattr(answer, "status_code", answer) for answer in answers] == [302, 302, 302]
    assert {answer["Location"] for answer in answers} == {reverse("risks:detail", args=[risk.pk])}
    assert RiskEvent.objects.count() == 1
    assert Notification.objects.count() == 1  # the urgent alert, once


@pytest.mark.django_db(transaction=True)
def test_three_posts_of_the_client_form_at_once_register_one_client(scene):
    data = new_client(scene)
    post = lambda: signed_in(scene.cora).post(reverse("clients:create"), data)  # noqa: E731

    answers = at_once(post, post, post)

    client = Client.objects.get(first_name="Jack")
    assert [getattr(answer, "status_code", answer) for answer in answers] == [302, 302, 302]
    assert {answer["Location"] for answer in answers} == {reverse("clients:detail", args=[client.pk])}


def test_a_repeated_concern_answers_already_sent_with_the_concern_itself(db, scene):
    data = concern(scene)
    browser = signed_in(scene.vera.user)
    first = browser.post(reverse("risks:new"), data)
    browser.get(first["Location"])  # the thank-you page, seen once

    repeat = browser.post(reverse("risks:new"), data, follow=True)

    risk = RiskReport.objects.get()
    assert repeat.redirect_chain == [(reverse("risks:detail", args=[risk.pk]), 302)]
    assert "Already sent: this was saved at " in repeat.text
    assert "Thank you. Your concern has been sent." not in repeat.text


def test_the_same_client_form_sent_again_later_registers_nobody_new(db, scene):
    data = new_client(scene)
    browser = signed_in(scene.cora)
    browser.post(reverse("clients:create"), data)

    repeat = browser.post(reverse("clients:create"), data, follow=True)

    assert Client.objects.filter(first_name="Jack", last_name="Nance").count() == 1
    assert "Already sent" in repeat.text
    assert "Jack Nance" in repeat.text


def test_every_create_form_carries_a_one_time_key(db, scene):
    pages = [
        (scene.vera.user, reverse("risks:new")),
        (scene.tom, reverse("risks:phone") + f"?volunteer={scene.vera.user.pk}"),
        (scene.cora, reverse("clients:create")),
        (scene.cora, reverse("clients:consent_new", args=[scene.elsie.pk])),
        (scene.cora, reverse("volunteers:create")),
        (scene.cora, reverse("volunteers:record_add", args=[scene.vera.pk, "dbs"])),
        (scene.cora, reverse("volunteers:record_add", args=[scene.vera.pk, "training"])),
        (scene.cora, reverse("volunteers:record_add", args=[scene.vera.pk, "agreement"])),
        (scene.cora, reverse("directory:new")),
        (scene.cora, reverse("risks:shift_new")),
    ]
    for person, url in pages:
        page = signed_in(person).get(url)
        assert page.status_code == 200, url
        assert 'type="hidden" name="submission_key"' in page.text, url


def test_a_form_without_its_key_is_not_saved_and_can_be_sent_again(db, scene):
    data = concern(scene)
    del data["submission_key"]

    response = signed_in(scene.vera.user).post(reverse("risks:new"), data)

    assert response.status_code == 200
    assert "Please check the details and send the form again." in response.text
    assert 'name="submission_key" value="' in response.text  # a new key to send again with
    assert not RiskReport.objects.exists()


def test_a_referral_sent_twice_is_made_once(db, scene):
    risk = RiskReportFactory(client=scene.elsie, reported_by=scene.vera.user, category=scene.falls)
    data = once({"key_worker": "Dr Pengelly, district nurse"})
    browser = signed_in(scene.cora)
    url = reverse("risks:transition", args=[risk.pk, "escalate"])

    browser.post(url, data)
    repeat = browser.post(url, data, follow=True)

    assert Referral.objects.count() == 1
    assert "Already sent" in repeat.text


def test_consent_sent_twice_is_recorded_once_without_an_error(db, scene):
    data = once({"scope": "outcome_to_volunteer", "given_on": "2026-01-05", "how_given": "verbal"})
    browser = signed_in(scene.cora)
    url = reverse("clients:consent_new", args=[scene.elsie.pk])

    browser.post(url, data)
    repeat = browser.post(url, data, follow=True)

    assert Consent.objects.count() == 1
    assert "Already sent" in repeat.text
    assert "already recorded" not in repeat.text


@pytest.mark.django_db(transaction=True)
def test_a_volunteer_registered_twice_at_once_is_registered_once(scene):
    data = once(
        {
            "username": "jenna",
            "first_name": "Jenna",
            "last_name": "Rowe",
            "areas": [scene.west.pk],
            "capacity": 2,
        }
    )
    post = lambda: signed_in(scene.cora).post(reverse("volunteers:create"), data)  # noqa: E731

    answers = at_once(post, post)

    assert [getattr(answer, "status_code", answer) for answer in answers] == [302, 302]
    assert Volunteer.objects.filter(user__username="jenna").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_agreement_saved_twice_at_once_gives_a_clear_answer_not_an_error(scene):
    # Two different forms (two keys), the same signature: the unique constraint decides.
    url = reverse("volunteers:record_add", args=[scene.vera.pk, "agreement"])
    posts = [
        (lambda data: lambda: signed_in(scene.cora).post(url, data))(
            once({"version": "2026.1", "signed_on": timezone.localdate().isoformat()})
        )
        for _ in range(2)
    ]

    answers = at_once(*posts)

    codes = sorted(getattr(answer, "status_code", answer) for answer in answers)
    assert codes == [200, 302], answers
    refused = next(answer for answer in answers if answer.status_code == 200)
    assert "Version 2026.1 of the agreement is already recorded as signed." in refused.text
    assert ConfidentialityAgreement.objects.count() == 1
