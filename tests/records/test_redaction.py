"""Withdrawing a client's consent to their volunteer being told what happened takes the
detail out of the good news the volunteer already has, in the same transaction."""

import pytest
from django.db import transaction

from clients.models import ConsentScope
from clients.services import consent_give, consent_withdraw
from livingwell.notifications.models import Notification
from livingwell.notifications.services import REDACTED_GOOD_NEWS_BODY, REDACTED_GOOD_NEWS_TITLE
from risks import services as risk_services
from tests.risks.factories import RiskReportFactory


def good_news_for(client, volunteer_user, coordinator, today) -> Notification:
    consent = consent_give(
        client=client,
        scope=ConsentScope.OUTCOME_TO_VOLUNTEER,
        given_on=today,
        how_given="verbal",
        by=coordinator,
    )
    concern = RiskReportFactory(client=client, reported_by=volunteer_user)
    risk_services.risk_triage(risk=concern, by=coordinator)
    risk_services.risk_record_outcome(
        risk=concern,
        by=coordinator,
        kind="home_made_safer",
        staff_summary="Rail fitted.",
        volunteer_message=f"{client.first_name}'s bathroom has a new rail thanks to you.",
    )
    news = Notification.objects.get(kind=Notification.Kind.GOOD_NEWS, link=f"/risks/{concern.pk}/")
    news.consent = consent
    return news


@pytest.fixture
def news(world, today):
    return (
        good_news_for(world.elsie, world.volunteer, world.coordinator, today),
        good_news_for(world.jack, world.other_volunteer, world.coordinator, today),
    )


@pytest.mark.django_db
def test_the_good_news_names_the_client_and_what_happened_while_consent_holds(news):
    elsie_news, _ = news
    assert "for Elsie" in elsie_news.title
    assert "Elsie's bathroom has a new rail" in elsie_news.body


@pytest.mark.django_db
def test_withdrawing_consent_redacts_the_good_news_already_sent_about_that_client(world, news):
    elsie_news, _ = news
    consent_withdraw(consent=elsie_news.consent, by=world.coordinator, note="She prefers it private.")
    elsie_news.refresh_from_db()
    assert elsie_news.title == REDACTED_GOOD_NEWS_TITLE
    assert elsie_news.body == REDACTED_GOOD_NEWS_BODY
    assert "There was good news about a concern you raised" in elsie_news.body
    assert "Elsie" not in elsie_news.title + elsie_news.body
    assert "rail" not in elsie_news.body


@pytest.mark.django_db
def test_another_clients_good_news_is_untouched(world, news):
    elsie_news, jack_news = news
    before = (jack_news.title, jack_news.body)
    consent_withdraw(consent=elsie_news.consent, by=world.coordinator)
    jack_news.refresh_from_db()
    assert (jack_news.title, jack_news.body) == before
    assert "Jack's bathroom has a new rail" in jack_news.body


@pytest.mark.django_db
def test_withdrawing_another_kind_of_consent_leaves_the_good_news(world, news, today):
    elsie_news, _ = news
    mdt = consent_give(
        client=world.elsie,
        scope=ConsentScope.SHARE_WITH_MDT,
        given_on=today,
        how_given="verbal",
        by=world.coordinator,
    )
    consent_withdraw(consent=mdt, by=world.coordinator)
    elsie_news.refresh_from_db()
    assert "Elsie's bathroom has a new rail" in elsie_news.body


@pytest.mark.django_db
def test_a_withdrawal_rolled_back_leaves_the_good_news_as_it_was(world, news):
    elsie_news, _ = news
    before = (elsie_news.title, elsie_news.body)

    class SavingFailed(Exception):
        pass

    seen_inside = []

    def withdraw_then_fail():
        with transaction.atomic():
            consent_withdraw(consent=elsie_news.consent, by=world.coordinator)
            seen_inside.append(Notification.objects.get(pk=elsie_news.pk).body)
            raise SavingFailed

    with pytest.raises(SavingFailed):
        withdraw_then_fail()
    # Inside the transaction the redaction had happened; it is undone with the withdrawal.
    assert seen_inside == [REDACTED_GOOD_NEWS_BODY]
    elsie_news.refresh_from_db()
    assert (elsie_news.title, elsie_news.body) == before
    elsie_news.consent.refresh_from_db()
    assert elsie_news.consent.withdrawn_at is None


@pytest.mark.django_db
def test_the_volunteers_inbox_shows_the_redacted_news(world, news, login):
    elsie_news, _ = news
    consent_withdraw(consent=elsie_news.consent, by=world.coordinator)
    inbox = login(world.volunteer).get("/notifications/").content.decode()
    assert "There was good news about a concern you raised" in inbox
    assert "Elsie&#x27;s bathroom" not in inbox
    assert "Elsie's bathroom" not in inbox
