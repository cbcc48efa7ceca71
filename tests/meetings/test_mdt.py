"""The MDT meeting's confidentiality-safe agenda: consent to be discussed before a client is
added; every condition of the local protocol before a volunteer presents; volunteers'
items first; summaries for the chair and invited clinicians from publication until 14 days
after; withdrawn consent ends it all at once; actions and outcomes through the risk."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from clients.access import holds_mdt_summary
from clients.models import Allocation, ClientUserObjectPermission, Consent, ConsentScope
from clients.services import allocation_end, consent_withdraw
from livingwell.accounts.models import Route
from livingwell.accounts.roles import Role
from livingwell.notifications.models import Notification
from meetings import services
from meetings.models import (
    Action,
    AgendaItem,
    AttendanceResponse,
    AttendanceRole,
    LocalProtocol,
    Meeting,
)
from risks.models import Outcome, Status
from tests.factories import ClientFactory, ConfidentialityAgreementFactory, GPPracticeFactory, UserFactory
from tests.risks.factories import RiskReportFactory

# --- Who may be put on the agenda -----------------------------------------------------------


def test_a_client_without_consent_to_be_discussed_cannot_be_added(world, mdt_meeting, put_on_agenda):
    with pytest.raises(ValidationError) as refused:
        put_on_agenda(mdt_meeting, world.elsie)

    assert "Elsie Trewin has not agreed to be discussed at this meeting" in refused.value.messages[0]
    assert not mdt_meeting.items.exists()
    assert not ClientUserObjectPermission.objects.filter(
        permission__codename="view_client_mdt_summary"
    ).exists()


def test_a_client_whose_consent_was_withdrawn_cannot_be_added(
    world, mdt_meeting, consented_client, put_on_agenda
):
    consent_withdraw(consent=consented_client.consents.get(), by=world.coordinator)

    with pytest.raises(ValidationError, match="has not agreed to be discussed"):
        put_on_agenda(mdt_meeting, consented_client)

    assert not mdt_meeting.items.exists()


def test_a_consented_client_of_another_practice_cannot_be_added(
    world, mdt_meeting, give_consent, put_on_agenda
):
    give_consent(world.morwenna, by=world.other_coordinator)

    with pytest.raises(ValidationError, match="not a patient of Alverton Practice"):
        put_on_agenda(mdt_meeting, world.morwenna)

    assert not mdt_meeting.items.exists()


def test_a_consented_client_is_added_once(world, mdt_meeting, consented_client, put_on_agenda):
    item = put_on_agenda(mdt_meeting, consented_client)

    with pytest.raises(ValidationError, match="already on the agenda"):
        put_on_agenda(mdt_meeting, consented_client)

    assert list(mdt_meeting.items.all()) == [item]
    assert (item.client, item.added_by, item.presented_by_volunteer) == (world.elsie, world.mdt_chair, False)


# --- The local protocol, one condition at a time ------------------------------------------------


def confirm(scene, **kwargs):
    return services.mdt_volunteer_confirm(
        item=scene.item, by=scene.meeting.chair, volunteer=scene.vera, **kwargs
    )


def assert_kept_off(scene, message):
    """The chair's confirmation is refused, naming the one condition missing, and the item
    and the meeting are as they were."""
    with pytest.raises(ValidationError) as refused:
        confirm(scene)

    assert refused.value.messages == [message]
    item = AgendaItem.objects.get(pk=scene.item.pk)
    assert item.presenter is None
    assert item.presented_by_volunteer is False
    assert item.protocol is None
    assert item.protocol_confirmed_at is None
    assert not scene.meeting.attendances.filter(person=scene.vera.user).exists()
    assert not Notification.objects.filter(recipient=scene.vera.user, kind=Notification.Kind.MEETING).exists()


def test_every_condition_met_lets_the_chair_confirm_the_volunteer(vera_may_present):
    checklist = services.protocol_checklist(item=vera_may_present.item, volunteer=vera_may_present.vera)

    assert [condition.name for condition in checklist] == [
        "visits",
        "client_consent",
        "opted_in",
        "agreement",
        "practice_welcomes",
        "not_a_patient",
        "protocol",
    ]
    assert all(condition.met for condition in checklist)
    item = confirm(vera_may_present)
    assert item.presenter == vera_may_present.vera.user
    assert item.presented_by_volunteer is True


def test_volunteer_who_does_not_visit_the_client_is_kept_off(world, vera_may_present):
    allocation = Allocation.objects.active().get(client=world.elsie, volunteer=vera_may_present.vera)
    allocation_end(allocation=allocation, by=world.coordinator, reason="Moved away")

    assert_kept_off(vera_may_present, "Vera Pascoe does not visit Elsie Trewin.")


def test_volunteer_is_kept_off_without_the_clients_consent_to_their_attending(world, vera_may_present):
    consent_withdraw(consent=vera_may_present.volunteer_consent, by=world.coordinator)

    assert_kept_off(
        vera_may_present, "Elsie Trewin has not agreed that their volunteer may attend this meeting."
    )


def test_volunteer_who_has_not_opted_in_is_kept_off(vera_may_present):
    vera_may_present.vera.mdt_opt_in = False
    vera_may_present.vera.save(update_fields=["mdt_opt_in"])

    assert_kept_off(
        vera_may_present, "Vera Pascoe has not chosen to attend Multi-Disciplinary Team meetings."
    )


def test_volunteer_who_signed_only_an_older_confidentiality_agreement_is_kept_off(vera_may_present, settings):
    vera_may_present.vera.agreements.all().delete()
    ConfidentialityAgreementFactory(volunteer=vera_may_present.vera, version="2025.1")

    assert_kept_off(
        vera_may_present,
        "Vera Pascoe has not signed the current confidentiality agreement "
        f"(version {settings.CONFIDENTIALITY_AGREEMENT_VERSION}).",
    )


def test_volunteer_is_kept_off_when_a_new_agreement_version_is_current(vera_may_present, settings):
    settings.CONFIDENTIALITY_AGREEMENT_VERSION = "2027.1"

    assert_kept_off(
        vera_may_present,
        "Vera Pascoe has not signed the current confidentiality agreement (version 2027.1).",
    )


def test_volunteer_is_kept_off_where_the_practice_does_not_welcome_volunteers(world, vera_may_present):
    practice = world.elsie.gp_practice
    practice.mdt_welcomes_volunteers = False
    practice.save(update_fields=["mdt_welcomes_volunteers"])

    assert_kept_off(
        vera_may_present, "Alverton Practice does not take part in the trial of volunteers at this meeting."
    )


def test_volunteer_who_is_a_patient_of_the_practice_is_kept_off_without_a_reason(world, vera_may_present):
    vera_may_present.vera.own_gp_practice = world.elsie.gp_practice
    vera_may_present.vera.save(update_fields=["own_gp_practice"])

    assert_kept_off(
        vera_may_present,
        "Vera Pascoe is a patient of Alverton Practice: "
        "record why that is acceptable, or choose another volunteer.",
    )


def test_volunteer_who_is_a_patient_of_the_practice_is_allowed_with_a_recorded_reason(
    world, vera_may_present
):
    vera_may_present.vera.own_gp_practice = world.elsie.gp_practice
    vera_may_present.vera.save(update_fields=["own_gp_practice"])

    item = confirm(vera_may_present, conflict_reason="She sees a different GP, and the chair has agreed.")

    item.refresh_from_db()
    assert item.presenter == world.volunteer
    assert item.conflict_reason == "She sees a different GP, and the chair has agreed."


def test_volunteer_is_kept_off_while_the_practice_has_no_protocol(world, vera_may_present):
    LocalProtocol.objects.filter(practice=world.elsie.gp_practice).delete()

    assert_kept_off(
        vera_may_present, "Alverton Practice has no local protocol for volunteers yet: publish one first."
    )


def test_the_confirmation_records_who_when_and_the_protocol_version(world, vera_may_present):
    second = services.protocol_publish(
        practice=world.elsie.gp_practice, by=world.mdt_chair, text="Version two: leave after your item."
    )
    before = timezone.now()

    confirm(vera_may_present)

    item = AgendaItem.objects.get(pk=vera_may_present.item.pk)
    assert item.protocol == second
    assert item.protocol.version == 2
    assert item.protocol_confirmed_by == world.mdt_chair
    assert before <= item.protocol_confirmed_at <= timezone.now()
    assert item.conflict_reason == ""
    attendance = vera_may_present.meeting.attendances.get(person=world.volunteer)
    assert attendance.role == AttendanceRole.VOLUNTEER
    # The earlier version is kept.
    assert list(world.elsie.gp_practice.protocols.values_list("version", flat=True)) == [2, 1]


def test_protocol_publish_refuses_the_same_text_again(world, protocol):
    with pytest.raises(ValidationError, match="same as the current version"):
        services.protocol_publish(practice=world.elsie.gp_practice, by=world.mdt_chair, text=protocol.text)

    assert LocalProtocol.objects.count() == 1


# --- Volunteers first, with clock times ---------------------------------------------------------


def test_volunteer_presented_items_come_first_with_clock_times(
    world, vera_may_present, give_consent, put_on_agenda
):
    meeting = vera_may_present.meeting
    others = []
    for last_name, minutes in (("Able", 15), ("Baker", 20)):
        client = ClientFactory(first_name="Mrs", last_name=last_name, gp_practice=world.elsie.gp_practice)
        give_consent(client)
        others.append(put_on_agenda(meeting, client, minutes=minutes))
    # Elsie was put on first; moving the others above her changes nothing once Vera presents.
    for item in others:
        services.agenda_item_move(item=item, by=world.mdt_chair, up=True)

    confirm(vera_may_present)

    slots = services.agenda_slots(meeting)
    start = meeting.starts_at
    assert [(slot.item.client.last_name, slot.starts_at, slot.ends_at) for slot in slots] == [
        ("Trewin", start, start + datetime.timedelta(minutes=10)),
        ("Able", start + datetime.timedelta(minutes=10), start + datetime.timedelta(minutes=25)),
        ("Baker", start + datetime.timedelta(minutes=25), start + datetime.timedelta(minutes=45)),
    ]
    assert services.volunteers_leave_at(slots) == start + datetime.timedelta(minutes=10)
    assert timezone.localtime(services.volunteers_leave_at(slots)).strftime("%H:%M") == "09:10"


def test_a_volunteer_whose_slot_moves_is_sent_the_new_times(
    world, vera_may_present, give_consent, put_on_agenda
):
    from icalendar import Calendar

    meeting = vera_may_present.meeting
    confirm(vera_may_present)
    later_client = ClientFactory(first_name="Mrs", last_name="Able", gp_practice=world.elsie.gp_practice)
    give_consent(later_client)
    later = put_on_agenda(meeting, later_client, minutes=20)
    invitations = Notification.objects.filter(recipient=world.volunteer, kind=Notification.Kind.MEETING)
    assert invitations.count() == 1  # an item after hers moves nothing of hers

    services.agenda_item_set_minutes(item=later, by=world.mdt_chair, minutes=30)
    assert invitations.count() == 1

    services.agenda_item_set_minutes(item=vera_may_present.item, by=world.mdt_chair, minutes=25)

    assert invitations.count() == 2
    changed = invitations.order_by("-created_at", "-pk").first()
    assert changed.title.startswith("Your time has changed")
    assert "Please arrive by 09:00; you can leave at 09:25" in changed.body
    assert "Able" not in changed.body + changed.attachment_content
    event = Calendar.from_ical(changed.attachment_content).walk("VEVENT")[0]
    assert event["DTEND"].dt == meeting.starts_at + datetime.timedelta(minutes=25)
    assert int(event["SEQUENCE"]) > 0


def test_the_volunteer_is_invited_to_their_own_slot_only(
    world, vera_may_present, give_consent, put_on_agenda
):
    from icalendar import Calendar

    meeting = vera_may_present.meeting
    client = ClientFactory(first_name="Mrs", last_name="Able", gp_practice=world.elsie.gp_practice)
    give_consent(client)
    put_on_agenda(meeting, client, minutes=30)

    confirm(vera_may_present)

    invitation = Notification.objects.get(recipient=world.volunteer, kind=Notification.Kind.MEETING)
    assert "Please arrive by 09:00; you can leave at 09:10" in invitation.body
    assert "Able" not in invitation.body + invitation.attachment_content
    event = Calendar.from_ical(invitation.attachment_content).walk("VEVENT")[0]
    assert event["DTSTART"].dt == meeting.starts_at
    assert event["DTEND"].dt == meeting.starts_at + datetime.timedelta(minutes=10)


def test_no_volunteer_items_means_nobody_leaves_early(mdt_meeting, consented_client, put_on_agenda):
    put_on_agenda(mdt_meeting, consented_client)

    assert services.volunteers_leave_at(services.agenda_slots(mdt_meeting)) is None


# --- Summaries ------------------------------------------------------------------------------------


@pytest.fixture
def second_nurse(world, mdt_meeting, make_person):
    """Another clinician of Alverton Practice, invited to the MDT meeting, who sends apologies."""
    nurse = make_person(Role.CLINICIAN, practices=[world.elsie.gp_practice])
    attendance = services.meeting_invite(
        meeting=mdt_meeting, by=world.mdt_chair, person=nurse, role=AttendanceRole.CLINICIAN
    )
    services.attendance_record(
        meeting=mdt_meeting, by=world.mdt_chair, responses={attendance.pk: AttendanceResponse.APOLOGIES}
    )
    return nurse


def test_publishing_grants_the_summary_to_the_chair_and_invited_clinicians_only(
    world, mdt_meeting, consented_client, put_on_agenda, second_nurse, make_person
):
    not_invited = make_person(Role.CLINICIAN, practices=[world.elsie.gp_practice])
    put_on_agenda(mdt_meeting, consented_client)
    assert not holds_mdt_summary(world.mdt_chair, consented_client)

    services.mdt_agenda_publish(meeting=mdt_meeting, by=world.mdt_chair)

    assert holds_mdt_summary(world.mdt_chair, consented_client)
    assert holds_mdt_summary(world.clinician, consented_client)
    assert not holds_mdt_summary(second_nurse, consented_client)
    assert not holds_mdt_summary(not_invited, consented_client)
    assert not holds_mdt_summary(world.volunteer, consented_client)
    assert not holds_mdt_summary(world.coordinator, consented_client)
    mdt_meeting.refresh_from_db()
    assert mdt_meeting.agenda_published_at is not None
    ready = Notification.objects.filter(title__startswith="Agenda ready")
    assert set(ready.values_list("recipient", flat=True)) == {world.clinician.pk, second_nurse.pk}


def test_a_clinician_invited_after_publication_is_given_the_summaries(
    world, mdt_meeting, consented_client, put_on_agenda, make_person
):
    put_on_agenda(mdt_meeting, consented_client)
    services.mdt_agenda_publish(meeting=mdt_meeting, by=world.mdt_chair)
    latecomer = make_person(Role.CLINICIAN, practices=[world.elsie.gp_practice])
    assert not holds_mdt_summary(latecomer, consented_client)

    services.meeting_invite(
        meeting=mdt_meeting, by=world.mdt_chair, person=latecomer, role=AttendanceRole.CLINICIAN
    )

    assert holds_mdt_summary(latecomer, consented_client)


def test_publishing_twice_tells_the_clinicians_once(world, mdt_meeting, consented_client, put_on_agenda):
    put_on_agenda(mdt_meeting, consented_client)
    services.mdt_agenda_publish(meeting=mdt_meeting, by=world.mdt_chair)
    published_at = Meeting.objects.get(pk=mdt_meeting.pk).agenda_published_at

    services.mdt_agenda_publish(meeting=mdt_meeting, by=world.mdt_chair)

    told = Notification.objects.filter(recipient=world.clinician, title__startswith="Agenda ready")
    assert told.count() == 1
    assert Meeting.objects.get(pk=mdt_meeting.pk).agenda_published_at == published_at
    assert holds_mdt_summary(world.clinician, world.elsie)


def test_publishing_an_empty_agenda_is_refused(world, mdt_meeting):
    with pytest.raises(ValidationError, match="at least one client"):
        services.mdt_agenda_publish(meeting=mdt_meeting, by=world.mdt_chair)

    mdt_meeting.refresh_from_db()
    assert mdt_meeting.agenda_published_at is None


def test_a_clinician_who_sends_apologies_after_publication_loses_the_summary(
    world, mdt_meeting, consented_client, put_on_agenda
):
    put_on_agenda(mdt_meeting, consented_client)
    services.mdt_agenda_publish(meeting=mdt_meeting, by=world.mdt_chair)
    attendance = mdt_meeting.attendances.get(person=world.clinician)

    services.attendance_record(
        meeting=mdt_meeting, by=world.mdt_chair, responses={attendance.pk: AttendanceResponse.APOLOGIES}
    )

    assert not holds_mdt_summary(world.clinician, consented_client)
    assert holds_mdt_summary(world.mdt_chair, consented_client)


@pytest.fixture
def published(world, vera_may_present):
    """The MDT meeting with Elsie on it, presented by Vera, and its agenda published."""
    confirm(vera_may_present)
    services.mdt_agenda_publish(meeting=vera_may_present.meeting, by=world.mdt_chair)
    assert holds_mdt_summary(world.mdt_chair, world.elsie)
    return vera_may_present


def share_consent(client):
    return Consent.objects.active().get(client=client, scope=ConsentScope.SHARE_WITH_MDT)


def test_withdrawing_consent_removes_the_item_and_every_grant_in_the_same_transaction(world, published):
    with transaction.atomic():
        consent_withdraw(consent=share_consent(world.elsie), by=world.coordinator)

        # Still inside the transaction of the withdrawal: nothing waits for a commit.
        assert not AgendaItem.objects.filter(pk=published.item.pk).exists()
        assert not holds_mdt_summary(world.mdt_chair, world.elsie)
        assert not holds_mdt_summary(world.clinician, world.elsie)
        assert not ClientUserObjectPermission.objects.filter(
            content_object=world.elsie, permission__codename="view_client_mdt_summary"
        ).exists()


def assert_volunteer_told_not_to_come(meeting, volunteer):
    """The volunteer no longer attends, and their calendar is sent the cancellation of
    the invitation it holds (same UID, a higher SEQUENCE)."""
    from icalendar import Calendar

    assert not meeting.attendances.filter(person=volunteer).exists()
    invitation, cancellation = Notification.objects.filter(
        recipient=volunteer, kind=Notification.Kind.MEETING
    ).order_by("pk")
    sent, cancelled = (
        Calendar.from_ical(notification.attachment_content) for notification in (invitation, cancellation)
    )
    assert str(cancelled["METHOD"]) == "CANCEL"
    sent_event, cancelled_event = sent.walk("VEVENT")[0], cancelled.walk("VEVENT")[0]
    assert str(cancelled_event["UID"]) == str(sent_event["UID"])
    assert int(cancelled_event["SEQUENCE"]) > int(sent_event["SEQUENCE"])
    assert "Trewin" not in cancellation.title + cancellation.body


def test_withdrawing_consent_to_be_discussed_also_takes_the_presenting_volunteer_off(world, published):
    consent_withdraw(consent=share_consent(world.elsie), by=world.coordinator)

    # With her only item gone, Vera no longer attends: she is not shown the meeting.
    assert_volunteer_told_not_to_come(published.meeting, world.volunteer)


def test_removing_a_client_from_the_agenda_takes_their_volunteer_off_and_ends_the_summaries(world, published):
    services.mdt_agenda_remove(item=published.item, by=world.mdt_chair)

    assert not published.meeting.items.exists()
    assert_volunteer_told_not_to_come(published.meeting, world.volunteer)
    assert not holds_mdt_summary(world.mdt_chair, world.elsie)
    assert not holds_mdt_summary(world.clinician, world.elsie)


def test_cancelling_a_published_mdt_meeting_ends_the_summaries(world, published):
    services.meeting_cancel(meeting=published.meeting, by=world.mdt_chair, reason="The chair is ill")

    assert not holds_mdt_summary(world.mdt_chair, world.elsie)
    assert not holds_mdt_summary(world.clinician, world.elsie)


def test_a_withdrawal_that_is_rolled_back_leaves_the_item_and_the_grants(world, published):
    class Undo(Exception):
        pass

    def withdraw_then_fail():
        with transaction.atomic():
            consent_withdraw(consent=share_consent(world.elsie), by=world.coordinator)
            raise Undo

    with pytest.raises(Undo):
        withdraw_then_fail()

    assert AgendaItem.objects.filter(pk=published.item.pk).exists()
    assert holds_mdt_summary(world.mdt_chair, world.elsie)
    assert holds_mdt_summary(world.clinician, world.elsie)


def test_withdrawing_consent_to_the_volunteer_attending_takes_the_volunteer_off(world, published):
    consent_withdraw(consent=published.volunteer_consent, by=world.coordinator)

    item = AgendaItem.objects.get(pk=published.item.pk)
    assert item.presenter is None
    assert item.presented_by_volunteer is False
    assert item.protocol is None
    assert_volunteer_told_not_to_come(published.meeting, world.volunteer)
    # The client is still discussed, with their consent to that.
    assert holds_mdt_summary(world.mdt_chair, world.elsie)


def test_summary_access_ends_fourteen_days_after_the_meeting(world, published, settings):
    assert settings.MDT_SUMMARY_ACCESS_DAYS == 14
    ends_at = published.meeting.ends_at

    services.mdt_access_expire(now=ends_at + datetime.timedelta(days=14) - datetime.timedelta(minutes=1))

    assert holds_mdt_summary(world.mdt_chair, world.elsie)
    assert holds_mdt_summary(world.clinician, world.elsie)

    services.mdt_access_expire(now=ends_at + datetime.timedelta(days=14, minutes=1))

    assert not holds_mdt_summary(world.mdt_chair, world.elsie)
    assert not holds_mdt_summary(world.clinician, world.elsie)


def test_summary_access_follows_the_setting(world, published, settings):
    settings.MDT_SUMMARY_ACCESS_DAYS = 3

    services.mdt_access_expire(now=published.meeting.ends_at + datetime.timedelta(days=3, minutes=1))

    assert not holds_mdt_summary(world.mdt_chair, world.elsie)


# --- Actions and outcomes -----------------------------------------------------------------------------


@pytest.fixture
def concern_item(world, mdt_meeting, consented_client, put_on_agenda):
    """Vera's concern about Elsie, routed to the MDT meeting, on its published agenda."""
    risk = RiskReportFactory(
        client=world.elsie, reported_by=world.volunteer, category=world.falls, route=Route.MDT
    )
    item = put_on_agenda(mdt_meeting, consented_client, risk=risk)
    services.mdt_agenda_publish(meeting=mdt_meeting, by=world.mdt_chair)
    return item


def test_an_action_on_an_mdt_item_passes_the_concern_to_the_key_worker_by_the_due_date(
    world, concern_item, today
):
    due = today + datetime.timedelta(days=10)

    services.action_add(
        meeting=concern_item.meeting,
        by=world.mdt_chair,
        item=concern_item,
        what="Review her blood pressure tablets.",
        owner=world.clinician,
        due_on=due,
    )

    risk = concern_item.risk
    risk.refresh_from_db()
    assert risk.status == Status.ESCALATED
    referral = risk.referrals.get()
    assert referral.key_worker == world.clinician.get_full_name()
    assert referral.expected_response_on == due
    event = risk.events.order_by("at", "pk").last()
    assert event.to_status == Status.ESCALATED
    assert event.actor == world.mdt_chair
    assert (
        f"Action agreed at the Multi-Disciplinary Team meeting of {concern_item.meeting.day_label}: "
        f"Review her blood pressure tablets. Due {due.day} {due:%B %Y}." in event.note
    )
    assert Notification.objects.filter(
        recipient=world.clinician, title__startswith="An action for you"
    ).exists()


def test_an_action_owner_must_be_at_the_meeting(world, concern_item, make_person, today):
    stranger = make_person(Role.CLINICIAN, practices=[world.elsie.gp_practice])

    with pytest.raises(ValidationError, match="is not at this meeting"):
        services.action_add(
            meeting=concern_item.meeting,
            by=world.mdt_chair,
            item=concern_item,
            what="Visit.",
            owner=stranger,
            due_on=today,
        )

    assert not Action.objects.exists()
    concern_item.risk.refresh_from_db()
    assert concern_item.risk.status == Status.REPORTED


def test_completing_the_last_action_lets_the_chair_record_the_outcome_and_the_volunteer_hears(
    world, concern_item, today
):
    actions = [
        services.action_add(
            meeting=concern_item.meeting,
            by=world.mdt_chair,
            item=concern_item,
            what=what,
            owner=world.clinician,
            due_on=today + datetime.timedelta(days=7),
        )
        for what in ("Review her tablets.", "Refer her to the falls clinic.")
    ]
    services.action_complete(action=actions[0], by=world.clinician)

    def record():
        return services.agenda_item_record_outcome(
            kind="support_arranged",
            item=concern_item,
            by=world.mdt_chair,
            staff_summary="Tablets changed; falls clinic booked.",
            volunteer_message="Elsie's tablets have been changed and she will see the falls clinic.",
        )

    with pytest.raises(ValidationError, match="Some actions are not done yet"):
        record()
    assert not Outcome.objects.exists()

    services.action_complete(action=actions[1], by=world.clinician)
    record()

    risk = concern_item.risk
    risk.refresh_from_db()
    assert risk.status == Status.OUTCOME_RECORDED
    assert risk.outcomes.get().recorded_by == world.mdt_chair
    notes = list(risk.events.values_list("note", flat=True))
    assert "Action done: Review her tablets." in notes
    assert "Action done: Refer her to the falls clinic." in notes
    good_news = Notification.objects.get(recipient=world.volunteer, kind=Notification.Kind.GOOD_NEWS)
    assert good_news.link == f"/risks/{risk.pk}/"


def test_actions_on_a_concern_wait_for_the_agenda_to_be_published(
    world, mdt_meeting, consented_client, put_on_agenda, today
):
    risk = RiskReportFactory(
        client=world.elsie, reported_by=world.volunteer, category=world.falls, route=Route.MDT
    )
    item = put_on_agenda(mdt_meeting, consented_client, risk=risk)

    with pytest.raises(ValidationError, match="Publish the agenda before agreeing actions"):
        services.action_add(
            meeting=mdt_meeting,
            by=world.mdt_chair,
            item=item,
            what="Review her tablets.",
            owner=world.clinician,
            due_on=today + datetime.timedelta(days=7),
        )

    assert not item.actions.exists()
    risk.refresh_from_db()
    assert risk.status == Status.REPORTED


def test_an_outcome_needs_an_action_first(world, concern_item):
    with pytest.raises(ValidationError, match="Agree an action first"):
        services.agenda_item_record_outcome(
            kind="support_arranged",
            item=concern_item,
            by=world.mdt_chair,
            staff_summary="Done.",
            volunteer_message="Done.",
        )

    assert not Outcome.objects.exists()


# --- The chair of another practice ------------------------------------------------------------------


@pytest.fixture
def scene(world, published, give_consent, put_on_agenda, today):
    """Everything there is to touch at Alverton's MDT meeting: Elsie presented by Vera on a
    published agenda; Victor's concern about Jack on it too, with an action; Mrs Able, who
    could be added; and Dr May, who chairs another practice's meeting in the same area."""
    meeting = published.meeting
    give_consent(world.jack)
    risk = RiskReportFactory(
        client=world.jack, reported_by=world.other_volunteer, category=world.falls, route=Route.MDT
    )
    concern_item = put_on_agenda(meeting, world.jack, risk=risk)
    action = services.action_add(
        meeting=meeting,
        by=world.mdt_chair,
        item=concern_item,
        what="Review his tablets.",
        owner=world.clinician,
        due_on=today + datetime.timedelta(days=7),
    )
    other_client = ClientFactory(first_name="Mrs", last_name="Able", gp_practice=world.elsie.gp_practice)
    give_consent(other_client)
    elsewhere = GPPracticeFactory(name="Morrab Surgery", area=world.west, mdt_welcomes_volunteers=True)
    meeting.refresh_from_db()
    return SimpleNamespace(
        meeting=meeting,
        item=published.item,
        concern_item=concern_item,
        action=action,
        vera=published.vera,
        other_client=other_client,
        dr_may=UserFactory(username="drmay", roles=[Role.MDT_CHAIR, Role.CLINICIAN], practices=[elsewhere]),
    )


def snapshot(meeting):
    return {
        "meeting": Meeting.objects.filter(pk=meeting.pk).values().get(),
        "attendances": list(meeting.attendances.values().order_by("pk")),
        "items": list(meeting.items.values().order_by("pk")),
        "actions": list(Action.objects.values().order_by("pk")),
        "grants": sorted(ClientUserObjectPermission.objects.values_list("user_id", "content_object_id")),
        "protocols": list(LocalProtocol.objects.values_list("practice_id", "version")),
        "outcomes": Outcome.objects.count(),
        "notifications": Notification.objects.count(),
    }


OTHER_CHAIR_ATTEMPTS = {
    "add a client": lambda s: services.mdt_agenda_add(meeting=s.meeting, by=s.dr_may, client=s.other_client),
    "remove a client": lambda s: services.mdt_agenda_remove(item=s.item, by=s.dr_may),
    "publish": lambda s: services.mdt_agenda_publish(meeting=s.meeting, by=s.dr_may),
    "confirm a volunteer": lambda s: services.mdt_volunteer_confirm(
        item=s.concern_item, by=s.dr_may, volunteer=s.vera
    ),
    "remove the volunteer": lambda s: services.mdt_volunteer_remove(item=s.item, by=s.dr_may),
    "invite": lambda s: services.meeting_invite(
        meeting=s.meeting, by=s.dr_may, person=s.dr_may, role=AttendanceRole.CLINICIAN
    ),
    "reschedule": lambda s: services.meeting_reschedule(
        meeting=s.meeting,
        by=s.dr_may,
        starts_at=s.meeting.starts_at + datetime.timedelta(days=1),
        ends_at=s.meeting.ends_at + datetime.timedelta(days=1),
        place="Elsewhere",
    ),
    "cancel": lambda s: services.meeting_cancel(meeting=s.meeting, by=s.dr_may, reason="No reason"),
    "record attendance": lambda s: services.attendance_record(
        meeting=s.meeting,
        by=s.dr_may,
        responses={a.pk: AttendanceResponse.APOLOGIES for a in s.meeting.attendances.all()},
    ),
    "move an item": lambda s: services.agenda_item_move(item=s.concern_item, by=s.dr_may, up=True),
    "set an item's minutes": lambda s: services.agenda_item_set_minutes(
        item=s.concern_item, by=s.dr_may, minutes=30
    ),
    "add an action": lambda s: services.action_add(
        meeting=s.meeting,
        by=s.dr_may,
        item=s.concern_item,
        what="Something.",
        owner=s.meeting.chair,
        due_on=timezone.localdate(),
    ),
    "complete an action": lambda s: services.action_complete(action=s.action, by=s.dr_may),
    "record the outcome": lambda s: services.agenda_item_record_outcome(
        kind="support_arranged",
        item=s.concern_item,
        by=s.dr_may,
        staff_summary="Done.",
        volunteer_message="Done.",
    ),
    "publish a protocol": lambda s: services.protocol_publish(
        practice=s.meeting.practice, by=s.dr_may, text="My own rules."
    ),
    "save notes": lambda s: services.meeting_notes_save(meeting=s.meeting, by=s.dr_may, notes="Themes."),
    "mark held": lambda s: services.meeting_mark_held(meeting=s.meeting, by=s.dr_may),
}


@pytest.mark.parametrize("attempt", OTHER_CHAIR_ATTEMPTS, ids=lambda name: name.replace(" ", "-"))
def test_the_chair_of_another_practice_cannot_do_any_of_it(world, scene, attempt):
    before = snapshot(scene.meeting)

    with pytest.raises(PermissionDenied):
        OTHER_CHAIR_ATTEMPTS[attempt](scene)

    assert snapshot(scene.meeting) == before
    assert not holds_mdt_summary(scene.dr_may, world.elsie)
    assert not holds_mdt_summary(scene.dr_may, world.jack)
