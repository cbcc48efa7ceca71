"""Recording an outcome sends the good news to the volunteer who raised the concern,
through the outbox, the real Redis and a real Celery worker; what it says follows the
client's consent."""

import pytest
from django.utils import timezone

from clients import services as client_services
from clients.models import Client, ConsentScope
from livingwell.notifications.models import Notification
from risks import services as risk_services
from risks.models import RiskCategory, RiskReport, Severity
from risks.taxonomy import ensure_categories
from tests.support.processes import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MESSAGE = "Thanks to you, Ivy now has grab rails by her back door and a falls pendant."


@pytest.fixture
def raise_and_resolve_a_concern(coordinator, vera, west_practice):
    """raise_and_resolve_a_concern(consent=...): Vera raises a concern about Ivy, whom she
    visits, and Cora records its outcome; returns the good news notification for Vera."""

    def raise_and_resolve(*, consent: bool) -> Notification:
        return concern_raised_and_resolved(coordinator, vera, west_practice, consent=consent)

    return raise_and_resolve


def concern_raised_and_resolved(coordinator, volunteer, practice, *, consent: bool) -> Notification:
    ensure_categories(RiskCategory)
    area = practice.area
    volunteer_user = volunteer.user
    client = Client.objects.create(
        first_name="Ivy",
        last_name="Tregarthen",
        date_of_birth="1936-02-02",
        address="1 Fore Street",
        postcode="TR18 2AA",
        gp_practice=practice,
        area=area,
    )
    client_services.allocation_start(client=client, volunteer=volunteer, by=coordinator)
    if consent:
        client_services.consent_give(
            client=client,
            scope=ConsentScope.OUTCOME_TO_VOLUNTEER,
            given_on=timezone.localdate(),
            how_given="written",
            by=coordinator,
        )
    risk = risk_services.risk_report(
        by=volunteer_user,
        client=client,
        category=RiskCategory.objects.get(slug="falls-mobility"),
        severity=Severity.HIGH,
        what_was_seen="Ivy fell by the back door.",
        observed_at=timezone.now(),
    )
    risk_services.risk_triage(risk=risk, by=coordinator)
    risk_services.risk_record_outcome(
        kind="support_arranged",
        risk=risk,
        by=coordinator,
        staff_summary="Falls team visited.",
        volunteer_message=MESSAGE,
    )
    return Notification.objects.get(recipient=volunteer_user, kind=Notification.Kind.GOOD_NEWS)


def delivered(notification: Notification) -> bool:
    notification.refresh_from_db()
    return notification.delivered_at is not None


def test_good_news_with_consent_carries_the_message_to_the_volunteer(
    start_worker, raise_and_resolve_a_concern
):
    worker = start_worker("worker")
    notification = raise_and_resolve_a_concern(consent=True)

    assert notification.body == MESSAGE
    today = timezone.localtime(RiskReport.objects.get().reported_at)
    assert notification.title == (
        f"Good news about the falls and mobility concern you raised on {today.day} {today:%b} for Ivy"
    )
    wait_for(lambda: delivered(notification), 30, "the good news to be delivered")
    # Vera gets one email. (The coordinator may get one too: with no formal meeting
    # planned, the concern could not wait for one.)
    emails = [email for email in worker.emails() if "vera@example.org" in email.read_text()]
    assert len(emails) == 1
    text = emails[0].read_text()
    assert "good news about a concern you raised" in text
    # The email itself says there is news; the message is read in the app.
    assert MESSAGE not in text
    assert "Ivy" not in text


def test_good_news_without_consent_thanks_the_volunteer_without_client_detail(
    start_worker, raise_and_resolve_a_concern
):
    worker = start_worker("worker")
    notification = raise_and_resolve_a_concern(consent=False)

    assert "followed up and acted on" in notification.body
    assert MESSAGE not in notification.body
    assert "Ivy" not in notification.title + notification.body
    wait_for(lambda: delivered(notification), 30, "the good news to be delivered")
    # Vera gets one email. (The coordinator may get one too: with no formal meeting
    # planned, the concern could not wait for one.)
    emails = [email for email in worker.emails() if "vera@example.org" in email.read_text()]
    assert len(emails) == 1
    text = emails[0].read_text()
    assert "good news about a concern you raised" in text
    assert MESSAGE not in text
    assert "Ivy" not in text
    assert "Tregarthen" not in text
