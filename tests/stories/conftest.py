"""The stories tests use the cast of tests/conftest.py. West Cornwall and East Cornwall
belong to two different organisations. Vera raised a concern about Elsie Trewin (3 Chapel
Street, Penzance, TR18 4AJ; known as Nell; NHS number 943 476 5919), and Cora, coordinator
of West Cornwall, recorded its outcome: the outcome stories are written from. Mona, the
manager, works in West Cornwall, so she is a manager of its organisation."""

import pytest

from clients.models import Client
from livingwell.accounts.roles import Role
from stories import services
from stories.models import StoryStatus
from tests.factories import UserFactory
from tests.risks.factories import RiskReportFactory
from tests.stories.factories import CLEAN_BODY, CLEAN_TITLE, StoryFactory, outcome_for, published
from tests.support import access_table

NHS_NUMBER = "9434765919"


@pytest.fixture
def elsie_in_full(world):
    """Elsie with every detail a story must not contain."""
    Client.objects.filter(pk=world.elsie.pk).update(preferred_name="Nell", nhs_number=NHS_NUMBER)
    world.elsie.refresh_from_db()
    return world.elsie


@pytest.fixture
def outcome(world, elsie_in_full):
    """The outcome Cora recorded on Vera's concern about Elsie."""
    risk = RiskReportFactory(client=elsie_in_full, reported_by=world.volunteer, category=world.falls)
    return outcome_for(risk, world.coordinator, "Thanks to you, Elsie has grab rails now.")


@pytest.fixture
def east_outcome(world):
    """An outcome in East Cornwall: Ewan's concern about Morwenna, recorded by Cory."""
    risk = RiskReportFactory(client=world.morwenna, reported_by=world.east_volunteer, category=world.falls)
    return outcome_for(risk, world.other_coordinator)


@pytest.fixture
def second_coordinator(world):
    """Cath, another coordinator of West Cornwall: she may approve Cora's stories."""
    return UserFactory(
        username="cath", first_name="Cath", last_name="Angove", roles=[Role.COORDINATOR], areas=[world.west]
    )


@pytest.fixture
def draft(world, outcome):
    """Cora's clean draft about Elsie's outcome, written through the service."""
    return services.story_write(by=world.coordinator, outcome=outcome, title=CLEAN_TITLE, body=CLEAN_BODY)


@pytest.fixture
def submitted(world, draft):
    return services.story_submit(story=draft, by=world.coordinator)


@pytest.fixture
def published_story(world, submitted):
    return services.story_publish(story=submitted, by=world.manager)


@pytest.fixture
def waiting_with(world, outcome):
    """waiting_with(title=..., body=...): a story waiting for approval with those words,
    as if they had passed the check (the client's record changed since, say)."""

    def make(**words):
        return StoryFactory(
            outcome=outcome, written_by=world.coordinator, status=StoryStatus.SUBMITTED, **words
        )

    return make


@pytest.fixture
def east_story(world, east_outcome):
    """A published story of East Cornwall (another organisation)."""
    story = StoryFactory(outcome=east_outcome, written_by=world.other_coordinator, title="East's good news")
    return published(story, by=UserFactory(roles=[Role.COORDINATOR], areas=[world.east]))


@pytest.fixture
def signed_in():
    return access_table.signed_in


# Real Celery workers, for the digest's test through the broker.
from tests.notifications.conftest import start_worker  # noqa: E402, F401
