from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from livingwell.accounts.decorators import role_required
from livingwell.pagination import paginate
from livingwell.submissions.views import create_once
from stories import selectors, services
from stories.access import get_outcome_for_story, get_story_for, get_story_for_edit
from stories.forms import NewStoryForm, StoryForm
from stories.selectors import APPROVER_ROLES, FEED_ROLES, WRITER_ROLES

SENT = "Sent for approval. Another coordinator of the area or a manager will read it before it is published."
SAVED = "Draft saved. Send it for approval when it is ready."


@role_required(*FEED_ROLES)
def feed(request):
    return render(
        request,
        "stories/feed.html",
        {
            **paginate(request, selectors.good_news_feed(request.user), 10),
            "can_review": request.user.has_role(*APPROVER_ROLES),
        },
    )


@role_required(*WRITER_ROLES)
def story_new(request):
    outcome = get_outcome_for_story(request.user, request.GET.get("outcome"))
    if request.method == "GET" and (existing := selectors.live_story_of(outcome)) is not None:
        messages.info(request, "A story about this outcome has already been written: here it is.")
        return redirect("stories:detail", pk=existing.pk)
    form = NewStoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        send = form.sends_for_approval()
        try:
            submitted = create_once(
                request,
                form,
                lambda data: services.story_write(
                    by=request.user, outcome=outcome, send_for_approval=send, **data
                ),
                done=SENT if send else SAVED,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("stories:detail", pk=submitted.record.pk)
    return render(request, "stories/story_form.html", {"form": form, "outcome": outcome, "story": None})


@role_required(*WRITER_ROLES)
def story_edit(request, pk: int):
    story = get_story_for_edit(request.user, pk)
    if story.status not in services.EDITABLE:
        messages.info(
            request, f"This story cannot be changed now: it is {services.WHERE_IT_IS[story.status]}."
        )
        return redirect("stories:detail", pk=story.pk)
    form = StoryForm(request.POST or None, initial={"title": story.title, "body": story.body})
    if request.method == "POST" and form.is_valid():
        send = form.sends_for_approval()
        try:
            services.story_update(story=story, by=request.user, send_for_approval=send, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, SENT if send else SAVED)
            return redirect("stories:detail", pk=story.pk)
    return render(
        request, "stories/story_form.html", {"form": form, "outcome": story.outcome, "story": story}
    )


@role_required(*FEED_ROLES)
def story_detail(request, pk: int):
    story = get_story_for(request.user, pk)
    return render(
        request,
        "stories/story_detail.html",
        {
            "story": story,
            "actions": services.available_actions(story, request.user),
            # Staff of the area follow the story back to its concern.
            "is_staff_of_area": selectors.is_staff_of_area(request.user, story),
        },
    )


TRANSITIONS = {
    "submit": (services.story_submit, SENT),
    "publish": (services.story_publish, "Published. It is in the Good news now."),
    "withdraw": (services.story_withdraw, "Withdrawn. It is no longer in the Good news."),
}


@role_required(*APPROVER_ROLES)
@require_POST
def story_transition(request, pk: int, action: str):
    story = get_story_for(request.user, pk)
    apply, done = TRANSITIONS[action]
    try:
        apply(story=story, by=request.user)
    except ValidationError as error:
        messages.error(request, "Nothing was changed. " + " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("stories:detail", pk=story.pk)


@role_required(*APPROVER_ROLES)
def review(request):
    return render(
        request,
        "stories/review.html",
        {
            "to_approve": selectors.stories_to_approve(request.user)[:50],
            "drafts": selectors.drafts_of(request.user)[:50],
            "outcomes": selectors.outcomes_to_share(request.user)[:50],
            "is_writer": request.user.has_role(*WRITER_ROLES),
        },
    )
