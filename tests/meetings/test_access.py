"""Who may open which meeting page: the authorisation table for every view in meetings/urls.py,
GET and POST, and what a refused request leaves behind (nothing).

Each row of the table is one view (and the meeting it is asked about); each column one
person: the cast's columns (tests/support/access_table.py: Vera, who presents Elsie at the
MDT meeting and is invited to the formal one; Victor, who presents another client at it;
Cora and Tom of West Cornwall; Cory and Tess of East Cornwall, where Cory runs a coffee
morning; Dr Chen, who chairs the MDT meeting; the nurse invited to it; a manager; somebody
with no role), then the people the issue names besides (tests/meetings/fixtures.py): the
MDT chair of another practice, a clinician of the practice who is not invited, and a
volunteer who attends nothing.

People who may not see a meeting are told there is no such page (404), never that it
exists (403); pages that are not about one meeting (the list, planning one, a practice's
protocol) answer 403 to people whose role has no use for them.

The meetings world takes about a second to build, so each row is one test: every person's
request runs in a savepoint that is rolled back before the next person's, and the whole
row is compared at once (a failure shows every column that differs)."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.meetings.fixtures import COLUMNS, meetings_fixture, state  # noqa: F401
from tests.support.access_table import LOGIN, signed_in
from tests.support.forms import once

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

NOT_FOUND = 404


def _url(name, *objects):
    """The URL of a view, for the objects of the `meetings` fixture named (`"mdt"`)."""
    return lambda m: reverse(f"meetings:{name}", args=[getattr(m, attribute).pk for attribute in objects])


MDT, FORMAL, EAST = "mdt", "formal", "east"


def _draft_agenda_url(m):
    """Publishing is tried on a draft agenda (publishing one already published changes
    nothing, and tells nobody twice)."""
    Meeting.objects.filter(pk=m.mdt.pk).update(agenda_published_at=None)
    return reverse("meetings:publish", args=[m.mdt.pk])


def _day(m, days=0):
    return (timezone.localtime(m.mdt.starts_at) + datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


# name of the row -> (URL name, method, URL, POST data)
VIEWS = {
    "list": ("list", "get", _url("list"), None),
    "new": ("new", "get", _url("new"), None),
    "new POST": (
        "new",
        "post",
        _url("new"),
        lambda m: once(
            {
                "area": m.world.west.pk,
                "practice": m.practice.pk,
                "starts_at": _day(m, 7),
                "ends_at_time": "11:00",
                "place": "Penzance Library",
            }
        ),
    ),
    "protocol": ("protocol", "get", lambda m: reverse("meetings:protocol", args=[m.practice.pk]), None),
    "protocol POST": (
        "protocol",
        "post",
        lambda m: reverse("meetings:protocol", args=[m.practice.pk]),
        lambda m: {"text": "Version two: volunteers leave when their client's item is done."},
    ),
    "detail mdt": ("detail", "get", _url("detail", MDT), None),
    "detail formal": ("detail", "get", _url("detail", FORMAL), None),
    "detail east": ("detail", "get", _url("detail", EAST), None),
    "calendar": ("calendar", "get", _url("calendar", MDT), None),
    "edit": ("edit", "get", _url("edit", MDT), None),
    "edit POST": (
        "edit",
        "post",
        _url("edit", MDT),
        lambda m: {"starts_at": _day(m, 1), "ends_at_time": "11:30", "place": "Meeting room 3"},
    ),
    "cancel POST": ("cancel", "post", _url("cancel", MDT), lambda m: {"reason": "The chair is unwell."}),
    "invite POST": (
        "invite",
        "post",
        _url("invite", MDT),
        lambda m: {"person": m.people["absent_clinician"].pk},
    ),
    "attendance POST": (
        "attendance",
        "post",
        _url("attendance", MDT),
        lambda m: {f"a{pk}": "attended" for pk in m.mdt.attendances.values_list("pk", flat=True)},
    ),
    "held POST": ("held", "post", _url("held", MDT), lambda m: {}),
    "finalise POST": ("finalise", "post", _url("finalise", MDT), lambda m: {}),
    "notes POST": ("notes", "post", _url("notes", FORMAL), lambda m: {"notes": "Winter heating checks."}),
    "raise": ("raise", "get", _url("raise", EAST), None),
    "raise POST": (
        "raise",
        "post",
        _url("raise", EAST),
        lambda m: once(
            {
                "volunteer": m.world.east_volunteer.pk,
                "client": m.world.morwenna.pk,
                "category": m.world.falls.pk,
                "severity": "medium",
                "what_was_seen": "Said she has stopped going out since the bus changed.",
                "observed_at": (timezone.localtime() - datetime.timedelta(hours=2)).strftime(
                    "%Y-%m-%dT%H:%M"
                ),
            }
        ),
    ),
    "action_add POST": (
        "action_add",
        "post",
        _url("action_add", MDT),
        lambda m: once(
            {
                "item": m.dorothy_item.pk,
                "what": "Ring the daughter about the stairs.",
                "owner": m.world.clinician.pk,
                "due_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
            }
        ),
    ),
    "action_done POST": (
        "action_done",
        "post",
        lambda m: reverse("meetings:action_done", args=[m.mdt.pk, m.action.pk]),
        lambda m: {},
    ),
    "agenda_add": ("agenda_add", "get", _url("agenda_add", MDT), None),
    "agenda_add POST": (
        "agenda_add",
        "post",
        _url("agenda_add", MDT),
        lambda m: {"client": m.mabel.pk, "minutes": "10"},
    ),
    "publish POST": ("publish", "post", _draft_agenda_url, lambda m: {}),
    "item_move POST": (
        "item_move",
        "post",
        lambda m: reverse("meetings:item_move", args=[m.mdt.pk, m.jack_item.pk, "up"]),
        lambda m: {},
    ),
    "item_minutes POST": (
        "item_minutes",
        "post",
        lambda m: reverse("meetings:item_minutes", args=[m.mdt.pk, m.dorothy_item.pk]),
        lambda m: {"minutes": "20"},
    ),
    "item_conclude POST": (
        "item_conclude",
        "post",
        lambda m: reverse(
            "meetings:item_conclude", args=[m.formal.pk, m.formal.items.get(client=m.world.jack).pk]
        ),
        lambda m: {"decision": "taken", "note": "Cora will ring this week."},
    ),
    "item_outcome POST": (
        "item_outcome",
        "post",
        lambda m: reverse("meetings:item_outcome", args=[m.mdt.pk, m.elsie_item.pk]),
        lambda m: {
            "kind": "support_arranged",
            "staff_summary": "Assessed.",
            "volunteer_message": "All sorted.",
        },
    ),
    "item_remove POST": (
        "item_remove",
        "post",
        lambda m: reverse("meetings:item_remove", args=[m.mdt.pk, m.dorothy_item.pk]),
        lambda m: {},
    ),
    "item_volunteer": (
        "item_volunteer",
        "get",
        lambda m: reverse("meetings:item_volunteer", args=[m.mdt.pk, m.dorothy_item.pk]),
        None,
    ),
    "item_volunteer POST": (
        "item_volunteer",
        "post",
        lambda m: reverse("meetings:item_volunteer", args=[m.mdt.pk, m.elsie_item.pk]),
        lambda m: {"volunteer": m.world.volunteer.volunteer.pk, "confirm": "on"},
    ),
    "item_volunteer_remove POST": (
        "item_volunteer_remove",
        "post",
        lambda m: reverse("meetings:item_volunteer_remove", args=[m.mdt.pk, m.jack_item.pk]),
        lambda m: {},
    ),
    "summary elsie": (
        "summary",
        "get",
        lambda m: reverse("meetings:summary", args=[m.mdt.pk, m.world.elsie.pk]),
        None,
    ),
    "summary dorothy": (
        "summary",
        "get",
        lambda m: reverse("meetings:summary", args=[m.mdt.pk, m.dorothy.pk]),
        None,
    ),
}

# Views that only answer a POST: asked with GET, everybody signed in gets 405 (whatever the id,
# so it says nothing about which meetings exist).
FORM_PAGES = {"new", "protocol", "edit", "raise", "agenda_add", "item_volunteer"}
POST_ONLY = {
    name: (url_name, url)
    for name, (url_name, method, url, _data) in VIEWS.items()
    if method == "post" and url_name not in FORM_PAGES
}
for _name, (_url_name, _url_of) in POST_ONLY.items():
    VIEWS[_name.replace(" POST", " GET")] = (_url_name, "get", _url_of, None)

RUNS_MDT_GET = (LOGIN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404, 404, 404)
RUNS_MDT_POST = (LOGIN, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404, 404, 404, 404)
RUNS_FORMAL_POST = (LOGIN, 404, 404, 302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)
SEES_MDT = (LOGIN, 200, 200, 200, 404, 200, 404, 200, 200, 404, 404, 404, 404, 404)
POST_ONLY_GET = (LOGIN, *([405] * 13))

# fmt: off
TABLE = {
    #                      anon   vol  o_vol coord o_crd  tl  o_tl chair clin  mgr none  o_chr ab_cl ab_vo
    "list":               (LOGIN, 200, 200,  200,  200,  200, 200, 200,  200,  403, 403,  200,  200,  200),
    "new":                (LOGIN, 403, 403,  200,  200,  403, 403, 200,  403,  403, 403,  200,  403,  403),
    # Cory and the other chair may plan meetings, but not in West Cornwall or at Alverton:
    # the form answers with its errors and nothing is made.
    "new POST":           (LOGIN, 403, 403,  302,  200,  403, 403, 302,  403,  403, 403,  200,  403,  403),
    "protocol":           (LOGIN, 403, 403,  403,  403,  403, 403, 200,  403,  403, 403,  404,  403,  403),
    "protocol POST":      (LOGIN, 403, 403,  403,  403,  403, 403, 302,  403,  403, 403,  404,  403,  403),
    # Staff of the area see its MDT meetings; the invited see theirs (a volunteer, only their part).
    "detail mdt":         SEES_MDT,
    "detail formal":      (LOGIN, 200, 404,  200,  404,  200, 404, 404,  404,  404, 404,  404,  404,  404),
    "detail east":        (LOGIN, 404, 404,  404,  200,  404, 200, 404,  404,  404, 404,  404,  404,  404),
    "calendar":           SEES_MDT,
    "edit":               RUNS_MDT_GET,
    "edit POST":          RUNS_MDT_POST,
    "cancel POST":        RUNS_MDT_POST,
    "invite POST":        RUNS_MDT_POST,
    "attendance POST":    RUNS_MDT_POST,
    "held POST":          RUNS_MDT_POST,
    "finalise POST":      RUNS_MDT_POST,
    "notes POST":         RUNS_FORMAL_POST,
    "raise":              (LOGIN, 404, 404,  404,  200,  404, 404, 404,  404,  404, 404,  404,  404,  404),
    "raise POST":         (LOGIN, 404, 404,  404,  302,  404, 404, 404,  404,  404, 404,  404,  404,  404),
    "action_add POST":    RUNS_MDT_POST,
    # The chair, and the nurse whose action it is.
    "action_done POST":   (LOGIN, 404, 404,  404,  404,  404, 404, 302,  302,  404, 404,  404,  404,  404),
    "agenda_add":         RUNS_MDT_GET,
    "agenda_add POST":    RUNS_MDT_POST,
    "publish POST":       RUNS_MDT_POST,
    "item_move POST":     RUNS_MDT_POST,
    "item_minutes POST":  RUNS_MDT_POST,
    "item_conclude POST": RUNS_FORMAL_POST,
    "item_outcome POST":  RUNS_MDT_POST,
    "item_remove POST":   RUNS_MDT_POST,
    "item_volunteer":     RUNS_MDT_GET,
    "item_volunteer POST": RUNS_MDT_POST,
    "item_volunteer_remove POST": RUNS_MDT_POST,
    # The chair and the invited nurse read the summaries; Vera reads her own client's only.
    "summary elsie":      (LOGIN, 200, 404,  404,  404,  404, 404, 200,  200,  404, 404,  404,  404,  404),
    "summary dorothy":    (LOGIN, 404, 404,  404,  404,  404, 404, 200,  200,  404, 404,  404,  404,  404),
    **{name.replace(" POST", " GET"): POST_ONLY_GET for name in POST_ONLY},
}
# fmt: on

# POSTs the one who runs the meeting sends that the service refuses with a message (the
# meeting has not started, is not held, Elsie's action is not done): answered with the
# meeting page, and nothing changes.
REFUSED_BY_THE_SERVICE = {"held POST", "finalise POST", "item_outcome POST"}


def test_the_table_covers_every_meetings_view_with_get_and_post():
    from meetings.urls import urlpatterns

    names = {pattern.name for pattern in urlpatterns}
    assert {url_name for url_name, *_ in VIEWS.values()} == names
    assert set(TABLE) == set(VIEWS)
    assert all(len(row) == len(COLUMNS) for row in TABLE.values())
    get_only = {"list", "detail", "calendar", "summary"}
    posted = {url_name for url_name, method, *_ in VIEWS.values() if method == "post"}
    fetched = {url_name for url_name, method, *_ in VIEWS.values() if method == "get"}
    assert posted == names - get_only
    assert fetched == names


def answer_of(response):
    if response.status_code == 302 and response["Location"].startswith(f"{reverse('login')}?next="):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("view", list(TABLE))
def test_meeting_views_answer_each_person_as_the_table_says_and_refusals_change_nothing(meetings, view):
    url_name, method, url_of, data_of = VIEWS[view]
    url = url_of(meetings)
    answers, unchanged, changed = {}, {}, {}
    for actor in COLUMNS:
        with transaction.atomic():
            browser = signed_in(meetings.people[actor])
            before = state()
            data = data_of(meetings) if data_of else None
            response = browser.post(url, data) if method == "post" else browser.get(url)
            answers[actor] = answer_of(response)
            after = state()
            succeeded = (method == "post" and answers[actor] == 302) or (
                url_name == "summary" and answers[actor] == 200
            )
            if succeeded and view not in REFUSED_BY_THE_SERVICE:
                changed[actor] = after != before
            else:
                unchanged[actor] = after == before
            transaction.set_rollback(True)
    assert answers == dict(zip(COLUMNS, TABLE[view], strict=True))
    assert unchanged == dict.fromkeys(unchanged, True), "a refused request changed something"
    assert changed == dict.fromkeys(changed, True), "an allowed request changed nothing"


@pytest.mark.parametrize("view", sorted(REFUSED_BY_THE_SERVICE))
def test_what_the_service_refuses_the_chair_is_said_on_the_meeting_page(meetings, view):
    _url_name, _method, url_of, data_of = VIEWS[view]
    browser = signed_in(meetings.world.mdt_chair)
    before = state()

    response = browser.post(url_of(meetings), data_of(meetings), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("meetings:detail", args=[meetings.mdt.pk]), 302)]
    assert "Nothing was changed." in response.text
    assert state() == before


def test_a_meeting_that_does_not_exist_and_one_a_person_may_not_see_answer_alike(meetings):
    browser = signed_in(meetings.world.other_coordinator)
    missing = Meeting.objects.order_by("-pk").first().pk + 1000
    for pk in (meetings.mdt.pk, missing):
        for name in ("detail", "calendar", "edit"):
            assert browser.get(reverse(f"meetings:{name}", args=[pk])).status_code == NOT_FOUND
        assert browser.post(reverse("meetings:cancel", args=[pk]), {"reason": "x"}).status_code == NOT_FOUND
    summary = browser.get(reverse("meetings:summary", args=[missing, meetings.world.elsie.pk]))
    assert summary.status_code == NOT_FOUND
    assert "Elsie" not in summary.text


def test_an_item_of_another_meeting_is_not_found_through_this_one(meetings):
    """The chair runs the MDT meeting, but an item id of the formal meeting is not on it."""
    browser = signed_in(meetings.world.mdt_chair)
    formal_item = meetings.formal.items.first()
    before = state()
    data = {
        "minutes": "20",
        "kind": "support_arranged",
        "staff_summary": "Seen.",
        "volunteer_message": "Sorted.",
    }
    for name in ("item_minutes", "item_remove", "item_volunteer_remove", "item_outcome"):
        response = browser.post(reverse(f"meetings:{name}", args=[meetings.mdt.pk, formal_item.pk]), data)
        assert response.status_code == NOT_FOUND, name
    assert state() == before


def test_people_listed_on_the_meetings_page_are_those_the_table_lets_in(meetings):
    """The list shows the same meetings the detail rows of the table let each person open."""
    expected = {
        "volunteer": {meetings.mdt.pk, meetings.formal.pk},
        "other_volunteer": {meetings.mdt.pk},
        "coordinator": {meetings.mdt.pk, meetings.formal.pk},
        "other_coordinator": {meetings.east.pk},
        "team_leader": {meetings.mdt.pk, meetings.formal.pk},
        "mdt_chair": {meetings.mdt.pk},
        "clinician": {meetings.mdt.pk},
        "other_practice_chair": set(),
        "absent_clinician": set(),
        "absent_volunteer": set(),
    }
    for actor, pks in expected.items():
        response = signed_in(meetings.people[actor]).get(reverse("meetings:list"))
        listed = {meeting.pk for meeting in response.context["page_obj"].object_list}
        assert listed == pks, actor


def test_the_invited_clinician_sees_no_client_on_an_mdt_agenda_before_it_is_published(meetings):
    """An unpublished agenda is the chair's draft ("only you can see it"): the nurse invited
    and the area's coordinator see the meeting, but not who is on it."""
    Meeting.objects.filter(pk=meetings.mdt.pk).update(agenda_published_at=None)
    for actor in ("clinician", "coordinator"):
        response = signed_in(meetings.people[actor]).get(reverse("meetings:detail", args=[meetings.mdt.pk]))
        assert response.status_code == 200
        for name in ("Elsie", "Trewin", "Jack", "Nankervis", "Dorothy", "Angove"):
            assert name not in response.text, (actor, name)
        assert response.context["agenda_hidden"]
    chair = signed_in(meetings.world.mdt_chair).get(reverse("meetings:detail", args=[meetings.mdt.pk]))
    assert "Dorothy Angove" in chair.text


def test_no_summary_is_offered_or_opened_before_the_agenda_is_published(meetings):
    """Summaries are given from the agenda's publication: until then the chair's page links
    to none, and the summary answers 404 to the chair and the nurse alike."""
    Meeting.objects.filter(pk=meetings.mdt.pk).update(agenda_published_at=None)
    summary = reverse("meetings:summary", args=[meetings.mdt.pk, meetings.dorothy.pk])

    chair = signed_in(meetings.world.mdt_chair)
    assert summary not in chair.get(reverse("meetings:detail", args=[meetings.mdt.pk])).text
    assert chair.get(summary).status_code == NOT_FOUND
    assert signed_in(meetings.world.clinician).get(summary).status_code == NOT_FOUND

    Meeting.objects.filter(pk=meetings.mdt.pk).update(agenda_published_at=timezone.now())
    assert summary in chair.get(reverse("meetings:detail", args=[meetings.mdt.pk])).text
    assert chair.get(summary).status_code == 200


@pytest.mark.parametrize(
    ("actor", "template", "page"),
    [
        ("mdt_chair", "meetings/meeting_detail.html", "run"),
        ("coordinator", "meetings/meeting_detail.html", "staff"),
        ("team_leader", "meetings/meeting_detail.html", "staff"),
        ("clinician", "meetings/meeting_detail.html", "clinician"),
        ("volunteer", "meetings/meeting_volunteer.html", None),
        ("other_volunteer", "meetings/meeting_volunteer.html", None),
    ],
)
def test_each_person_who_may_see_the_mdt_meeting_gets_their_own_part_of_it(meetings, actor, template, page):
    response = signed_in(meetings.people[actor]).get(reverse("meetings:detail", args=[meetings.mdt.pk]))
    assert response.status_code == 200
    assert template in [used.name for used in response.templates]
    assert response.context.get("page") == page
    # Only the chair is offered the controls that change it.
    assert (reverse("meetings:agenda_add", args=[meetings.mdt.pk]) in response.text) == (page == "run")
