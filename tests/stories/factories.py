"""Factories for the stories tests.

`outcome_for(risk, by)` records an outcome the way the application does. `StoryFactory`
writes a story row directly, in any state: for the states a test needs to start from (a
story waiting for approval that names its client, as one would after the client's record
changed), never to test the services' own rules."""

import factory
from django.utils import timezone

from risks import services as risk_services
from risks.models import Outcome, Status
from stories.models import StoryStatus, SuccessStory
from tests.risks.factories import RiskReportFactory

CLEAN_TITLE = "Warm again for the winter"
CLEAN_BODY = (
    "A volunteer noticed that the older lady she visits was keeping the heating off because of "
    "the bills. Within a fortnight she had help with the costs, and her home is warm again."
)


def outcome_for(risk, by, message: str = "All sorted: she has help now.") -> Outcome:
    """Take `risk` to an outcome through the services, as staff member `by`."""
    if risk.status == Status.REPORTED:
        risk_services.risk_triage(risk=risk, by=by)
    return risk_services.risk_record_outcome(
        kind="support_arranged",
        risk=risk,
        by=by,
        staff_summary="Seen by the practice.",
        volunteer_message=message,
    )


class StoryFactory(factory.django.DjangoModelFactory):
    """A story about `outcome` (a new concern's, in a new area, unless given)."""

    class Meta:
        model = SuccessStory

    outcome = factory.LazyFunction(lambda: outcome_for(*_new_risk_and_coordinator()))
    area = factory.LazyAttribute(lambda story: story.outcome.risk.area)
    title = CLEAN_TITLE
    body = CLEAN_BODY
    status = StoryStatus.DRAFT
    written_by = factory.LazyAttribute(lambda story: story.outcome.recorded_by)
    written_at = factory.LazyFunction(timezone.now)
    submitted_at = factory.LazyAttribute(
        lambda story: timezone.now() if story.status != StoryStatus.DRAFT else None
    )


def _new_risk_and_coordinator():
    from livingwell.accounts.roles import Role
    from tests.factories import UserFactory

    risk = RiskReportFactory()
    return risk, UserFactory(roles=[Role.COORDINATOR], areas=[risk.area])


def published(story: SuccessStory, *, by, at=None) -> SuccessStory:
    """Mark `story` published by `by` (who must not be its author), at `at` (now)."""
    story.status, story.approved_by = StoryStatus.PUBLISHED, by
    story.published_at = at or timezone.now()
    story.submitted_at = story.submitted_at or story.published_at
    story.save()
    return story
