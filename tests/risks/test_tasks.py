"""Reminders of overdue concerns: the sweep (risks.services.risks_remind_overdue) and the
scheduled task that runs it (risks.tasks.remind_overdue_risks)."""

import datetime

import pytest
from django.utils import timezone

from livingwell.accounts.roles import Role
from livingwell.notifications.models import Notification
from risks import services
from risks.models import RiskReport, Severity, Status
from risks.tasks import remind_overdue_risks
from tests.factories import UserFactory

DAY = datetime.timedelta(days=1)


def reminders():
    return Notification.objects.filter(kind=Notification.Kind.REMINDER)


def overdue(risk, by=datetime.timedelta(hours=5)):
    RiskReport.objects.filter(pk=risk.pk).update(due_at=timezone.now() - by)
    risk.refresh_from_db()
    return risk


def test_the_owner_of_an_overdue_concern_is_reminded(world, risk, advance):
    advance(risk, Status.TRIAGED, world.team_leader)
    overdue(risk)

    assert services.risks_remind_overdue() == 1

    [reminder] = reminders()
    assert reminder.recipient == world.team_leader
    assert reminder.title == "Overdue: Falls and mobility concern about Elsie Trewin"
    assert reminder.body == ("This medium concern is 5 hours past its target time and is being looked at.")
    assert reminder.link == f"/risks/{risk.pk}/"
    assert RiskReport.objects.get(pk=risk.pk).last_reminded_on == timezone.localdate()


def test_an_unowned_overdue_concern_reminds_every_coordinator_of_its_area(world, risk):
    second = UserFactory(roles=[Role.COORDINATOR], areas=[world.west])
    overdue(risk)

    services.risks_remind_overdue()

    assert sorted(reminder.recipient.pk for reminder in reminders()) == sorted(
        [world.coordinator.pk, second.pk]
    )  # not East's coordinator, nor West's team leader


def test_a_concern_is_reminded_once_a_day(world, risk):
    overdue(risk)
    now = timezone.now()

    assert services.risks_remind_overdue(now=now) == 1
    assert services.risks_remind_overdue(now=now + datetime.timedelta(minutes=5)) == 0
    assert reminders().count() == 1

    assert services.risks_remind_overdue(now=now + DAY) == 1
    assert reminders().count() == 2


def test_a_concern_that_is_not_yet_due_is_not_reminded(world, risk):
    assert services.risks_remind_overdue() == 0
    assert not reminders().exists()


@pytest.mark.parametrize("state", [Status.ESCALATED, Status.OUTCOME_RECORDED, Status.CLOSED])
def test_a_concern_passed_on_or_finished_is_not_reminded(world, risk, advance, state):
    advance(risk, state, world.coordinator)
    overdue(risk, by=DAY)

    assert services.risks_remind_overdue(now=timezone.now() + 3 * DAY) == 0
    assert not reminders().exists()


def test_a_reopened_concern_is_reminded_again_when_it_falls_overdue(world, risk, advance):
    overdue(risk)
    services.risks_remind_overdue()
    advance(risk, Status.CLOSED, world.coordinator)
    services.risk_reopen(risk=risk, by=world.team_leader, note="Worse again")
    overdue(risk)

    assert services.risks_remind_overdue() == 1
    assert [reminder.recipient for reminder in reminders().order_by("pk")] == [
        world.coordinator,  # unowned the first time: the area's coordinator
        world.team_leader,  # who reopened it and so owns it now
    ]


def test_only_concerns_past_their_target_are_reminded(world, risk, new_concern):
    urgent = new_concern("Urgent", severity=Severity.URGENT)
    in_five_hours = timezone.now() + datetime.timedelta(hours=5)

    assert services.risks_remind_overdue(now=in_five_hours) == 1  # the urgent one: 4 hours

    [reminder] = reminders()
    assert reminder.title.endswith("about Mrs Urgent")
    assert RiskReport.objects.get(pk=risk.pk).last_reminded_on is None
    assert RiskReport.objects.get(pk=urgent.pk).last_reminded_on == timezone.localdate(in_five_hours)


def test_the_scheduled_task_sends_the_reminders_and_is_safe_to_run_twice(world, risk):
    overdue(risk)

    assert remind_overdue_risks.apply().get() == 1
    assert remind_overdue_risks.apply().get() == 0
    assert reminders().count() == 1


def test_an_owner_who_has_left_the_area_is_not_reminded_its_coordinators_are(world, risk, advance):
    from livingwell.accounts.models import AreaMembership

    advance(risk, Status.TRIAGED, world.team_leader)
    AreaMembership.objects.filter(user=world.team_leader).update(ended_on=timezone.localdate())
    overdue(risk)

    assert services.risks_remind_overdue() == 1

    assert [reminder.recipient for reminder in reminders()] == [world.coordinator]
