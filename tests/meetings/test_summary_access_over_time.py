"""Access to a client's Multi-Disciplinary Team (MDT) summary over time, as a state machine
(hypothesis): the coordinator records and withdraws the client's consent to be discussed,
the chair puts them on the agenda and takes them off, publishes the agenda and may cancel
the meeting, in any order. A model kept by the test says what should hold; after every
step the chair and the invited clinician can open the summary exactly while the consent
is active, the client is on the agenda, the agenda is published and the meeting is not
cancelled, and the grant behind it is held exactly then. Refused steps change nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from clients.access import holds_mdt_summary
from clients.models import Consent, ConsentScope
from clients.services import consent_give, consent_withdraw
from meetings import services
from meetings.access import get_summary_for
from meetings.models import AgendaItem, AttendanceRole, MeetingKind
from tests.factories import ClientFactory


def rows():
    return (Consent.objects.count(), AgendaItem.objects.count())


class SummaryAccessOverTime(RuleBasedStateMachine):
    world = None  # set by the test, before the machine runs
    # Checks made while the summary should open and while it should not, over every run.
    checked = {"readable": 0, "not_readable": 0}

    def __init__(self):
        super().__init__()
        world = self.world
        self.chair, self.clinician, self.coordinator = world.mdt_chair, world.clinician, world.coordinator
        self.client = ClientFactory(gp_practice=world.elsie.gp_practice)
        day = timezone.localdate() + datetime.timedelta(days=7)
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        self.meeting = services.meeting_plan(
            by=self.chair,
            kind=MeetingKind.MDT,
            practice=world.elsie.gp_practice,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
            place="Meeting room 2",
            invitees=[(self.clinician, AttendanceRole.CLINICIAN)],
        )
        self.consent = self.on_agenda = self.published = self.cancelled = False

    # A walk from nothing reaches a published agenda in few runs (about one test in nine
    # saw none at all), so each run starts somewhere along the way to an open summary.
    STARTS = ("nothing yet", "consent given", "on the agenda", "agenda published")

    @initialize(start=st.sampled_from(STARTS))
    def start_from(self, start):
        steps = (self.consent_is_given, self.the_chair_adds_the_client, self.the_chair_publishes_the_agenda)
        for step in steps[: self.STARTS.index(start)]:
            step()

    def attempt(self, action, may: bool) -> None:
        """Runs `action`: it must succeed exactly when `may`, and a refusal changes nothing."""
        before = rows()
        try:
            action()
        except (ValidationError, PermissionDenied):
            assert not may, "refused, but should have been allowed"
            assert rows() == before
            return
        assert may, "allowed, but should have been refused"

    @rule()
    def consent_is_given(self):
        self.attempt(
            lambda: consent_give(
                client=self.client,
                scope=ConsentScope.SHARE_WITH_MDT,
                given_on=timezone.localdate(),
                how_given="verbal",
                by=self.coordinator,
            ),
            may=not self.consent,
        )
        self.consent = True

    @precondition(lambda self: self.consent)
    @rule()
    def consent_is_withdrawn(self):
        consent = self.client.consents.active().get(scope=ConsentScope.SHARE_WITH_MDT)
        consent_withdraw(consent=consent, by=self.coordinator)
        self.consent = False
        # Without consent the client leaves every open MDT agenda at once; a cancelled
        # meeting's agenda is kept as it was.
        self.on_agenda = self.on_agenda and self.cancelled

    @rule()
    def the_chair_adds_the_client(self):
        may = self.consent and not self.on_agenda and not self.cancelled
        self.attempt(
            lambda: services.mdt_agenda_add(meeting=self.meeting, by=self.chair, client=self.client), may
        )
        self.on_agenda = self.on_agenda or may

    @precondition(lambda self: self.on_agenda)
    @rule()
    def the_chair_takes_the_client_off(self):
        item = self.meeting.items.get(client=self.client)
        self.attempt(lambda: services.mdt_agenda_remove(item=item, by=self.chair), not self.cancelled)
        self.on_agenda = self.on_agenda and self.cancelled

    @rule()
    def the_chair_publishes_the_agenda(self):
        may = self.on_agenda and not self.cancelled
        self.attempt(lambda: services.mdt_agenda_publish(meeting=self.meeting, by=self.chair), may)
        self.published = self.published or may

    @rule()
    def the_chair_cancels_the_meeting(self):
        self.attempt(
            lambda: services.meeting_cancel(meeting=self.meeting, by=self.chair, reason="The GP is ill."),
            not self.cancelled,
        )
        self.cancelled = True

    @invariant()
    def the_summary_opens_exactly_while_everything_it_needs_holds(self):
        readable = self.consent and self.on_agenda and self.published and not self.cancelled
        self.checked["readable" if readable else "not_readable"] += 1
        self.meeting.refresh_from_db()
        for person in (self.chair, self.clinician):
            try:
                get_summary_for(person, self.meeting, self.client.pk)
                opened = True
            except Http404:
                opened = False
            assert opened == readable, (person, self.consent, self.on_agenda, self.published, self.cancelled)
        # The grant itself: held while the agenda gives summaries (cancelling a meeting
        # leaves the grant to expire, but the page is refused at once, above).
        if not self.cancelled:
            assert holds_mdt_summary(self.clinician, self.client) == readable


@pytest.mark.django_db
def test_an_mdt_summary_opens_exactly_while_consent_agenda_and_publication_allow(world):
    SummaryAccessOverTime.world = world
    SummaryAccessOverTime.checked = {"readable": 0, "not_readable": 0}
    run_state_machine_as_test(SummaryAccessOverTime, settings=hypothesis_settings(stateful_step_count=10))
    # The invariant held after every step; and it was checked both ways.
    assert SummaryAccessOverTime.checked["readable"] > 0
    assert SummaryAccessOverTime.checked["not_readable"] > 0


@pytest.mark.django_db
def test_consent_given_again_after_it_was_withdrawn_from_a_cancelled_meeting(world):
    """A run the state machine found: the client stays on the cancelled meeting's agenda
    when consent is withdrawn, and consent can then be given again; the summary stays shut."""
    SummaryAccessOverTime.world = world
    state = SummaryAccessOverTime()
    for step in (
        state.consent_is_given,
        state.the_chair_adds_the_client,
        state.the_chair_cancels_the_meeting,
        state.consent_is_withdrawn,
        state.consent_is_given,
    ):
        step()
        state.the_summary_opens_exactly_while_everything_it_needs_holds()
    assert state.client.consents.active().filter(scope=ConsentScope.SHARE_WITH_MDT).count() == 1
    assert state.meeting.items.filter(client=state.client).exists()
