"""What the reports change: the record of every export taken from them, and trials (set
up, feedback cards, the decision). Who may see a trial, and its figures, are in `trials.py`."""

from __future__ import annotations

import datetime

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from livingwell.accounts.models import Area, GPPractice, User
from livingwell.accounts.selectors import managed_organisations_of
from livingwell.dates import EARLIEST_RECORD, long_date
from livingwell.notifications.services import notify
from livingwell.reports.models import (
    CARD_ANSWER_MAX_LENGTH,
    LIMITATIONS_QUESTION,
    OPPORTUNITIES_QUESTION,
    CardWriterRole,
    FeedbackCard,
    ReportExport,
    Trial,
    TrialDecision,
    TrialModel,
)
from livingwell.reports.periods import ReportPeriod
from livingwell.reports.trials import (
    DESCRIPTION_MAX_LENGTH,
    FURTHEST_START,
    LONGEST_TRIAL,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    card_writer_role,
    card_writers_of,
    is_manager_of_trial,
    may_set_up_trials,
)
from livingwell.text import clean_text


@transaction.atomic
def record_export(
    *,
    by: User,
    kind: str,
    period: ReportPeriod | None,
    filters: dict,
    trial: Trial | None = None,
) -> ReportExport:
    """Record that `by` took an export of `kind` (a `ReportExport.Kind`) covering `period`
    with `filters` (what they chose: areas, period, whether small numbers were suppressed),
    and write it to the audit log as an access. Call it before the file is sent, so an
    export that leaves the building is always on record, even if the download is cut off.

    The export row and its one log entry are written together. The log entry is the
    explicit ACCESS entry, naming the person even outside a request; the automatic
    "created" entry auditlog would add for the row is not written, so the log shows each
    export once.
    """
    if kind not in ReportExport.Kind.values:
        raise ValueError(f"Unknown kind of export: {kind!r}")
    with disable_auditlog():
        export = ReportExport.objects.create(
            kind=kind,
            taken_by=by,
            period_start=period.start if period else None,
            period_end=period.end if period else None,
            filters=filters,
            trial=trial,
        )
    LogEntry.objects.log_create(
        export,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=by,
        additional_data={
            "export": kind,
            "period": [period.start.isoformat(), period.end.isoformat()] if period else None,
            "filters": filters,
            "trial": trial.pk if trial else None,
        },
    )
    return export


# --- Setting up a trial -----------------------------------------------------------------------


def check_trial_dates(starts_on: datetime.date, ends_on: datetime.date, today: datetime.date | None = None):
    """Refuse dates no trial could have, with a message that says how to fix them."""
    today = today or timezone.localdate()
    if ends_on < starts_on:
        raise ValidationError("The last day cannot be before the first day.", code="ends_before_start")
    # Checked before the length, so that adding two years to year 9999 is never tried.
    if starts_on > today + FURTHEST_START:
        raise ValidationError(
            f"The first day is more than two years away ({long_date(starts_on)}). Check the year.",
            code="too_far_ahead",
        )
    if ends_on >= starts_on + LONGEST_TRIAL:
        raise ValidationError(
            "A trial can last two years at most, so that its baseline (the same length of time "
            "just before it) says something about now. Choose an earlier last day.",
            code="too_long",
        )
    # Worked out without subtracting from the date, which would fail for year 1.
    if starts_on - EARLIEST_RECORD < ends_on - starts_on + datetime.timedelta(days=1):
        raise ValidationError(
            "The baseline (the same length of time just before the trial) would start before "
            f"{long_date(EARLIEST_RECORD)}, before any records were kept. Check the year, or "
            "choose a later first day.",
            code="baseline_too_early",
        )


def _place_of(
    *, by: User, area: Area | None, practice: GPPractice | None
) -> tuple[Area | None, GPPractice | None]:
    if (area is None) == (practice is None):
        raise ValidationError("Choose an area or a GP practice (one, not both).")
    place_area = area if area is not None else practice.area
    if not managed_organisations_of(by).filter(pk=place_area.organisation_id).exists():
        raise PermissionDenied("Trials are set up in your own organisation's areas and their GP practices.")
    return area, practice


@transaction.atomic
def trial_create(
    *,
    by: User,
    title: str,
    model: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    area: Area | None = None,
    practice: GPPractice | None = None,
    description: str = "",
) -> Trial:
    """Set up a trial, and invite the people who work in its place to write a feedback card.
    Managers only, in their own organisation."""
    if not may_set_up_trials(by):
        raise PermissionDenied("Only managers set up trials.")
    area, practice = _place_of(by=by, area=area, practice=practice)
    if model not in TrialModel.values:
        raise ValidationError("Choose the model of coproduction being tried.")
    check_trial_dates(starts_on, ends_on)
    trial = Trial.objects.create(
        title=clean_text(
            title,
            max_length=TITLE_MAX_LENGTH,
            required=True,
            what="The title",
            required_message="Give the trial a title.",
        ),
        model=model,
        organisation_id=(area or practice.area).organisation_id,
        area=area,
        practice=practice,
        starts_on=starts_on,
        ends_on=ends_on,
        description=clean_text(
            description, max_length=DESCRIPTION_MAX_LENGTH, multiline=True, what="What is being tried"
        ),
        created_by=by,
    )
    _invite_cards(trial)
    return trial


def _invite_cards(trial: Trial) -> None:
    """Tell the people of the trial's place that they will be asked for a card. The message
    says what is tried where and when, and nothing of any figure."""
    link = reverse("reports:card_new", args=[trial.pk])
    title = f"A trial in {trial.place.name}: tell us what you think"
    body = (
        f"{trial.get_model_display()} will be tried in {trial.place.name} from "
        f"{long_date(trial.starts_on)} to {long_date(trial.ends_on)}. From the first day until "
        "the decision is made, you can fill in a feedback card with two questions: "
        f'"{OPPORTUNITIES_QUESTION}" and "{LIMITATIONS_QUESTION}" '
        "Cards are read with your role only, never your name."
    )
    for person in card_writers_of(trial).order_by("pk"):
        notify(recipient=person, title=title, body=body, link=link)


# --- Feedback cards ---------------------------------------------------------------------------


def _locked(trial: Trial) -> Trial:
    # A card sent while the decision is being recorded, or two decisions at once: the
    # second waits for the first and then sees the trial as it left it.
    return Trial.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=trial.pk)


def card_write(
    *, trial: Trial, by: User, opportunities: str, limitations: str, board_member: bool = False
) -> FeedbackCard:
    """Write `by`'s own card (in the role they work in the trial's place: one per person), or,
    with `board_member`, a board member's paper card typed up by a manager of the trial's
    organisation (several allowed)."""
    with transaction.atomic():
        trial = _locked(trial)
        if board_member:
            if not is_manager_of_trial(by, trial):
                raise PermissionDenied(
                    "Only managers of the trial's organisation type up board members' cards."
                )
            role = CardWriterRole.BOARD_MEMBER
        else:
            role = card_writer_role(by, trial)
            if role is None:
                raise PermissionDenied("Cards are written by the people who work where the trial is run.")
        if trial.is_decided:
            raise ValidationError("The decision on this trial has been recorded, so it takes no more cards.")
        if not trial.has_started():
            raise ValidationError(
                f"Cards can be written from {long_date(trial.starts_on)}, when the trial starts."
            )
        if (
            not board_member
            and trial.cards.filter(entered_by=by).exclude(writer_role=CardWriterRole.BOARD_MEMBER).exists()
        ):
            raise ValidationError("You have already written your card for this trial. Thank you.")
        answers = {
            "opportunities": clean_text(
                opportunities,
                max_length=CARD_ANSWER_MAX_LENGTH,
                multiline=True,
                required=True,
                what="Opportunities",
                required_message="Answer the first question: what opportunities does this approach create?",
            ),
            "limitations": clean_text(
                limitations,
                max_length=CARD_ANSWER_MAX_LENGTH,
                multiline=True,
                required=True,
                what="Limitations",
                required_message="Answer the second question: what limitations does this approach have?",
            ),
        }
        try:
            with transaction.atomic():
                return FeedbackCard.objects.create(trial=trial, writer_role=role, entered_by=by, **answers)
        except IntegrityError:
            raise ValidationError("You have already written your card for this trial. Thank you.") from None


# --- The decision -----------------------------------------------------------------------------


def trial_decide(*, trial: Trial, by: User, decision: str, reason: str) -> Trial:
    """Record what is done with the model tried: adopt it, extend the trial, or stop it, and
    why. Managers of the trial's organisation, once the trial has ended, once."""
    with transaction.atomic():
        trial = _locked(trial)
        if not is_manager_of_trial(by, trial):
            raise PermissionDenied(
                f"Only managers of {trial.organisation.name} record the decision on this trial."
            )
        if trial.is_decided:
            raise ValidationError(
                "The decision has already been recorded, on "
                f"{long_date(timezone.localdate(trial.decided_at))}: "
                f"{trial.get_decision_display().lower()}. It is not changed afterwards."
            )
        if not trial.has_ended():
            raise ValidationError(
                f"The trial runs until {long_date(trial.ends_on)}: record the decision once it has ended."
            )
        if decision not in TrialDecision.values:
            raise ValidationError("Choose a decision: adopt it, extend the trial, or stop it.")
        trial.decision_reason = clean_text(
            reason,
            max_length=REASON_MAX_LENGTH,
            multiline=True,
            required=True,
            what="Why",
            required_message="Say why: the reason is what the board will read.",
        )
        trial.decision = decision
        trial.decided_by = by
        trial.decided_at = timezone.now()
        trial.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
        return trial
