"""The life of a concern as a state machine (hypothesis): random people of the `world`
fixture attempt random transitions, in random orders, on a concern Vera reported.

After every step:
- each accepted transition wrote exactly one event, and the concern's status is the last
  event's;
- a refused attempt changed nothing (the concern's row, its events, referrals, outcomes
  and the notifications are as they were);
- only the people permitted succeed: the coordinator and team leader of West Cornwall,
  never Vera who raised it, East Cornwall's staff, the manager, the clinician or the
  meeting chair (who may act only while a meeting discusses the client);
- the status is what the rules say it is (ALLOWED in risks/services.py)."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.utils import timezone
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from livingwell.notifications.models import Notification
from risks import services
from risks.models import Outcome, Referral, RiskEvent, Severity, Status

PEOPLE = [
    "coordinator",
    "team_leader",
    "volunteer",
    "other_volunteer",
    "other_coordinator",
    "other_team_leader",
    "manager",
    "clinician",
    "mdt_chair",
]
PERMITTED = {"coordinator", "team_leader"}
TO = {
    "triage": Status.TRIAGED,
    "escalate": Status.ESCALATED,
    "record_outcome": Status.OUTCOME_RECORDED,
    "close": Status.CLOSED,
    "reopen": Status.TRIAGED,
}


def attempt(action: str, risk, by):
    if action == "triage":
        return services.risk_triage(risk=risk, by=by, note="Looking at it.")
    if action == "escalate":
        return services.risk_escalate(risk=risk, by=by, key_worker="Dr Pengelly", note="Asked the GP.")
    if action == "record_outcome":
        return services.risk_record_outcome(
            risk=risk,
            by=by,
            kind="support_arranged",
            staff_summary="Seen by the practice.",
            volunteer_message="All sorted.",
        )
    if action == "close":
        return services.risk_close(risk=risk, by=by, reason="Resolved")
    return services.risk_reopen(risk=risk, by=by, note="It happened again.")


def snapshot(risk) -> tuple:
    risk.refresh_from_db()
    return (
        model_to_dict(risk),
        list(RiskEvent.objects.filter(risk=risk).values_list("pk", flat=True)),
        Referral.objects.filter(risk=risk).count(),
        Outcome.objects.filter(risk=risk).count(),
        Notification.objects.count(),
    )


class LifeOfAConcern(RuleBasedStateMachine):
    world = None  # set by the test, before the machine runs
    # What every run together tried, for the test to see that both sides were exercised.
    seen = {"accepted": 0, "refused": 0}

    def __init__(self):
        super().__init__()
        self.risk = services.risk_report(
            by=self.world.volunteer,
            client=self.world.elsie,
            category=self.world.falls,
            severity=Severity.MEDIUM,
            what_was_seen="She has had two falls on the stairs this month.",
            observed_at=timezone.now() - datetime.timedelta(hours=2),
        )
        self.expected_status = Status.REPORTED
        self.accepted = 0

    @rule(action=st.sampled_from(sorted(TO)), person=st.sampled_from(PEOPLE))
    def someone_attempts_a_transition(self, action, person):
        before = snapshot(self.risk)
        allowed_now = self.expected_status in services.ALLOWED[action]
        try:
            attempt(action, self.risk, getattr(self.world, person))
        except (PermissionDenied, ValidationError):
            assert snapshot(self.risk) == before, (action, person)
            assert not (person in PERMITTED and allowed_now), f"{person} was refused {action}"
            self.seen["refused"] += 1
            return
        assert person in PERMITTED, f"{person} was allowed to {action}"
        assert allowed_now, f"{action} was accepted from {self.expected_status}"
        self.expected_status = TO[action]
        self.accepted += 1
        self.seen["accepted"] += 1

    @invariant()
    def one_event_per_accepted_transition_and_the_status_is_the_last_events(self):
        self.risk.refresh_from_db()
        events = list(RiskEvent.objects.filter(risk=self.risk).order_by("at", "pk"))
        assert len(events) == 1 + self.accepted
        assert events[0].to_status == Status.REPORTED
        assert self.risk.status == events[-1].to_status == self.expected_status
        assert all(later.from_status == earlier.to_status for earlier, later in itertools.pairwise(events))


@pytest.mark.django_db
def test_the_life_of_a_concern_follows_the_rules_whoever_attempts_what(world):
    LifeOfAConcern.world = world
    LifeOfAConcern.seen = {"accepted": 0, "refused": 0}
    run_state_machine_as_test(
        LifeOfAConcern,
        settings=hypothesis_settings(stateful_step_count=15),
    )
    # The invariants held after every step of every run; and the runs did try both.
    assert LifeOfAConcern.seen["accepted"] > 0
    assert LifeOfAConcern.seen["refused"] > 0
