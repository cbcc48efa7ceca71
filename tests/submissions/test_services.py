"""submit_once: a record is made once per one-time key, however the repeats arrive."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from livingwell.submissions.models import Submission
from livingwell.submissions.services import submit_once
from risks import services as risk_services
from risks.models import RiskEvent, RiskReport, Severity
from tests.factories import ClientFactory, GPPracticeFactory, VolunteerFactory
from tests.risks.factories import category, ensure_visits
from tests.support.concurrency import while_holding_the_lock


@pytest.fixture
def scene(fast_password_hashing):
    """Vera, a volunteer of West Cornwall, visits Elsie (made here: transactional tests start
    from empty tables)."""
    from types import SimpleNamespace

    from django.utils import timezone

    practice = GPPracticeFactory(area__name="West Cornwall")
    vera = VolunteerFactory(user__username="vera", areas=[practice.area]).user
    elsie = ClientFactory(first_name="Elsie", gp_practice=practice)
    ensure_visits(elsie, vera)
    falls = category("falls-mobility")

    def report():
        return risk_services.risk_report(
            by=vera,
            client=elsie,
            category=falls,
            severity=Severity.MEDIUM,
            what_was_seen="A loose stair carpet.",
            observed_at=timezone.now(),
        )

    return SimpleNamespace(vera=vera, elsie=elsie, report=report)


def test_the_first_submission_makes_the_record_and_a_repeat_gets_the_same_one(db, scene):
    key = uuid.uuid4()

    first = submit_once(key=key, by=scene.vera, create=scene.report)
    repeat = submit_once(key=key, by=scene.vera, create=scene.report)

    assert (first.is_repeat, repeat.is_repeat) == (False, True)
    assert repeat.record == first.record
    assert RiskReport.objects.count() == 1
    assert repeat.already_sent_message.startswith("Already sent: this was saved at ")


def test_a_refused_submission_keeps_nothing_so_the_corrected_form_can_be_sent(db, scene):
    key = uuid.uuid4()

    def refused():
        raise ValidationError("Say what you saw.")

    with pytest.raises(ValidationError):
        submit_once(key=key, by=scene.vera, create=refused)
    assert not Submission.objects.exists()

    assert submit_once(key=key, by=scene.vera, create=scene.report).is_repeat is False
    assert RiskReport.objects.count() == 1


def test_someone_elses_key_neither_shows_their_record_nor_makes_another(db, scene, make_person):
    key = uuid.uuid4()
    submit_once(key=key, by=scene.vera, create=scene.report)

    with pytest.raises(ValidationError, match="already been used"):
        submit_once(key=key, by=make_person("volunteer"), create=scene.report)
    assert RiskReport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_repeat_that_arrives_while_the_first_is_being_saved_waits_and_gets_the_same_record(scene):
    key = uuid.uuid4()
    results = while_holding_the_lock(
        lambda: submit_once(key=key, by=scene.vera, create=scene.report),
        lambda: submit_once(key=key, by=scene.vera, create=scene.report),
    )

    assert results["second waited"] is True  # on the key's unique index, not a check-then-insert
    first, second = results["first"], results["second"]
    assert (first.is_repeat, second.is_repeat) == (False, True), results
    assert second.record == first.record
    assert RiskReport.objects.count() == 1
    assert RiskEvent.objects.count() == 1
