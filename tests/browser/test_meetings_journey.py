"""Meetings in the browser: Dr Chen plans Alverton Practice's MDT meeting, puts consented
clients on it and, through the protocol checklist, Vera's client first; Vera, on her phone,
sees only her own item and when she can leave; an action agreed there ends in good news
for Vera. The agenda prints without the site's navigation. Cora decides on the concerns
gathered for the formal meeting; Colin cannot finalise a coffee morning while a concern
raised there has no owner. Every page passes axe."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import Client
from meetings.models import Meeting, MeetingKind, MeetingStatus
from risks.models import RiskReport
from tests.browser.conftest import (
    DEMO_PASSWORD,
    PHONE,
    assert_accessible,
    assert_only_local_requests,
    sign_in,
)

# Agenda slots read "09:30 (en dash) 09:45".
DASH = "\u2013"
GOOD_NEWS = "Thanks to you, Cornwall Warm Homes fitted a new boiler and Dorothy's house is warm again."


def sign_out(page: Page, name: str) -> None:
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name=f"Sign out {name}").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    assert_accessible(page)


def open_menu_item(page: Page, name: str, exact: bool = True) -> None:
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=exact).click()


def client_named(first_name: str, last_name: str) -> Client:
    return Client.objects.get(first_name=first_name, last_name=last_name)


def client_choice(client: Client) -> str:
    """How the agenda form lists a client."""
    return f"{client.full_name} (born {client.date_of_birth:%-d %b %Y})"


def agenda_item(page: Page, name: str):
    return page.get_by_role("region", name="Agenda").get_by_role("listitem").filter(has_text=name)


def test_drchen_plans_an_mdt_meeting_vera_sees_only_her_client_and_hears_the_good_news(
    page: Page, live_server, demo_data, requests_made
):
    # Vera visits Dorothy (who agreed to be discussed, and that Vera may speak for her);
    # Wilfred and Arthur agreed to be discussed, without a volunteer.
    dorothy = client_named("Dorothy", "Rowe")
    others = [client_named("Wilfred", "Trewin"), client_named("Arthur", "Pengelly")]
    heating = RiskReport.objects.get(client=dorothy, category__slug="heating-cold")
    day = timezone.localdate() + datetime.timedelta(days=13)

    # Dr Chen plans the meeting and invites the practice nurse.
    sign_in(page, live_server, "drchen", DEMO_PASSWORD)
    assert_accessible(page)
    page.goto(f"{live_server.url}/meetings/")
    expect(page.get_by_role("heading", name="Meetings", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Plan a multi-disciplinary team meeting").click()
    expect(page).to_have_url(re.compile(r"/meetings/new/\?kind=mdt$"))
    page.get_by_label("GP practice").select_option(label="Alverton Practice")
    page.get_by_label("Date and start time").fill(f"{day:%Y-%m-%d}T09:30")
    page.get_by_label("End time").fill("11:00")
    page.get_by_label("Where").fill("Alverton Practice, meeting room 2")
    page.get_by_label("Nina Kitto").check()
    assert_accessible(page)
    page.get_by_role("button", name="Plan the meeting").click()
    expect(
        page.get_by_text("The meeting is planned and everybody invited has been sent an invitation.")
    ).to_be_visible()
    meeting = Meeting.objects.get(kind=MeetingKind.MDT, starts_at__date=day)
    expect(page).to_have_url(f"{live_server.url}/meetings/{meeting.pk}/")
    assert_accessible(page)

    # He puts Wilfred on the agenda, then Dorothy with her concern, then Arthur.
    for client, risk, minutes in [(others[0], None, "10"), (dorothy, heating, "15"), (others[1], None, "10")]:
        page.get_by_role("link", name="Add a client to the agenda").click()
        page.get_by_label("Client*", exact=True).select_option(label=client_choice(client))
        if risk is not None:
            page.get_by_label("About a concern (optional)").select_option(value=str(risk.pk))
        page.get_by_label("Minutes for this client").fill(minutes)
        assert_accessible(page)
        page.get_by_role("button", name="Add to the agenda").click()
        expect(page.get_by_text(f"{client.full_name} is on the agenda.")).to_be_visible()
        assert_accessible(page)

    # Dorothy's volunteer: the checklist shows every condition met; he confirms.
    agenda_item(page, dorothy.full_name).get_by_role("link", name="Add the client's volunteer").click()
    expect(
        page.get_by_role("heading", name=f"Can the volunteer present {dorothy.full_name}?")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Volunteer*", exact=True).select_option(label="Vera Pascoe")
    page.get_by_role("button", name="Show the checklist").click()
    checklist = page.get_by_role("region", name="Checklist")
    conditions = checklist.get_by_role("listitem")
    expect(conditions).to_have_count(7)
    for condition in conditions.all():
        expect(condition).to_contain_text("Met")
        expect(condition).not_to_contain_text("Not met")
    expect(checklist).to_contain_text(f"Vera Pascoe visits {dorothy.full_name}.")
    assert_accessible(page)
    page.get_by_label("I have checked every condition of the protocol").check()
    page.get_by_role("button", name="Confirm: the volunteer presents this item").click()
    expect(page.get_by_text("Vera Pascoe will present this item.")).to_be_visible()

    # Her item comes first, with its times; the volunteers leave when it is done.
    items = page.get_by_role("region", name="Agenda").get_by_role("heading", level=3)
    expect(items).to_have_count(3)
    expect(items.first).to_have_text(f"09:30{DASH}09:45 · {dorothy.full_name}: Heating and cold")
    expect(items.nth(1)).to_contain_text(f"09:45{DASH}09:55 · {others[0].full_name}")
    expect(page.get_by_text("Volunteers leave at 09:45")).to_be_visible()
    expect(agenda_item(page, dorothy.full_name)).to_contain_text("Presented by Vera Pascoe, volunteer")
    assert_accessible(page)
    page.get_by_role("button", name="Publish the agenda").click()
    expect(page.get_by_text("The agenda is published")).to_be_visible()
    assert_accessible(page)
    sign_out(page, "Li")

    # Vera, on her phone, finds the meeting: only her client, and when she can leave.
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    assert_accessible(page)
    open_menu_item(page, "Meetings")
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text=f"{day:%-d %b %Y}, 09:30")
    row.get_by_role("link", name="Multi-Disciplinary Team meeting").click()
    expect(page).to_have_url(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(page.get_by_text("Please arrive by 09:30.")).to_be_visible()
    expect(page.get_by_text("You can leave at 09:45")).to_be_visible()
    expect(page.get_by_role("heading", name=f"{dorothy.full_name}: Heating and cold")).to_be_visible()
    html = page.content()
    for other in others:
        assert other.first_name not in html, other.full_name
        assert other.last_name not in html, other.full_name
    assert "09:55" not in html  # nor the time of anybody else's item
    assert_accessible(page)
    sign_out(page, "Vera")

    # Dr Chen records an action for the nurse, marks it done and records the outcome.
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server, "drchen", DEMO_PASSWORD)
    assert_accessible(page)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    actions = page.get_by_role("region", name="Actions")
    actions.get_by_text("Record an action").click()
    actions.get_by_label("About").select_option(label=f"{dorothy.full_name}: Heating and cold")
    actions.get_by_label("What is to be done").fill("Check Dorothy's heating grant has come through.")
    actions.get_by_label("Key worker (a person at the meeting)").select_option(label="Nina Kitto")
    due = timezone.localdate() + datetime.timedelta(days=20)
    actions.get_by_label("Due").fill(f"{due:%Y-%m-%d}")
    assert_accessible(page)
    actions.get_by_role("button", name="Record the action").click()
    expect(page.get_by_text("Action recorded.")).to_be_visible()
    row = page.get_by_role("region", name="Actions").get_by_role("row").filter(has_text="heating grant")
    expect(row).to_contain_text("Nina Kitto")
    expect(row).to_contain_text(f"{due:%-d %b %Y}")
    assert_accessible(page)
    row.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("Action marked as done.")).to_be_visible()
    expect(row).to_contain_text("Done")
    assert_accessible(page)
    item = agenda_item(page, dorothy.full_name)
    item.get_by_text("Record the outcome", exact=True).click()
    item.get_by_label("What kind of outcome").select_option(label="Help with money or benefits")
    item.get_by_label("What happened (for staff)").fill("Grant approved; boiler fitted on Tuesday.")
    item.get_by_label("Message for the volunteer").fill(GOOD_NEWS)
    assert_accessible(page)
    item.get_by_role("button", name="Record the outcome and tell the volunteer").click()
    expect(
        page.get_by_text("Outcome recorded. The volunteer who raised it has been sent the news.")
    ).to_be_visible()
    assert_accessible(page)
    sign_out(page, "Li")

    # Vera reads the good news.
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    assert_accessible(page)
    # The link carries the unread count: "Notifications 2 unread".
    open_menu_item(page, "Notifications", exact=False)
    news = page.get_by_role("article").filter(has_text=GOOD_NEWS)
    expect(news).to_have_count(1)
    expect(news).to_contain_text("Good news about the heating and cold concern you raised on")
    assert_accessible(page)

    assert_only_local_requests(requests_made, live_server)


def planned_mdt() -> Meeting:
    """The demo's next Alverton Practice MDT meeting, chaired by Dr Chen."""
    return Meeting.objects.get(kind=MeetingKind.MDT, status=MeetingStatus.PLANNED)


def test_the_mdt_agenda_prints_without_navigation_with_confidential_and_the_meeting_on_it(
    page: Page, live_server, demo_data
):
    meeting = planned_mdt()
    sign_in(page, live_server, "drchen", DEMO_PASSWORD)
    assert_accessible(page)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    banner = page.locator(".print-banner")
    # On screen: the navigation, and no banner.
    expect(page.locator("header.site-header")).to_be_visible()
    expect(banner).to_be_hidden()
    assert_accessible(page)

    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    for navigation in page.locator("nav").all():
        expect(navigation).to_be_hidden()
    expect(page.get_by_role("link", name="Back to meetings")).to_be_hidden()
    expect(page.get_by_role("button", name="Mark as held")).to_be_hidden()
    expect(banner).to_be_visible()
    expect(banner).to_have_text(f"CONFIDENTIAL · {meeting.title}")
    # The agenda itself still prints.
    expect(page.get_by_role("heading", name="Agenda")).to_be_visible()
    expect(page.locator(".agenda-item")).to_have_count(meeting.items.count())

    # Headless Chromium prints it to an A4 PDF.
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 1000


def test_cora_decides_on_a_concern_gathered_for_the_formal_meeting_and_its_timeline_says_so(
    page: Page, live_server, demo_data, requests_made
):
    meeting = Meeting.objects.get(
        kind=MeetingKind.FORMAL, area__name="West Cornwall", status=MeetingStatus.PLANNED
    )
    sign_in(page, live_server, "cora", DEMO_PASSWORD)
    assert_accessible(page)
    page.goto(f"{live_server.url}/meetings/")
    assert_accessible(page)
    page.get_by_role("row").filter(has_text="West Cornwall").get_by_role(
        "link", name="Formal monthly meeting"
    ).click()
    expect(page).to_have_url(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(page.get_by_role("heading", name="Formal monthly meeting", level=1)).to_be_visible()
    undecided = page.locator(".agenda-item").filter(has_text="Record what the meeting decided")
    expect(undecided.first).to_be_visible()
    gathered = undecided.count()
    assert_accessible(page)

    # She refers the first concern to a service in the directory.
    item = undecided.first
    concern_link = item.get_by_role("link", name="Open the concern")
    concern_url = concern_link.get_attribute("href")
    item.get_by_text("Record what the meeting decided").click()
    item.get_by_label("Refer it or pass it on").check()
    item.get_by_label("Refer to a service").select_option(index=1)
    item.get_by_label("Note (optional)").fill("Warm Homes will visit before the cold weather.")
    assert_accessible(page)
    item.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded on the concern's timeline.")).to_be_visible()
    expect(page.locator(".agenda-item").filter(has_text="Record what the meeting decided")).to_have_count(
        gathered - 1
    )
    decided = page.locator(".agenda-item").filter(has=page.locator(f'a[href="{concern_url}"]'))
    expect(decided).to_contain_text("Referred")
    expect(decided).to_contain_text("Discussed: Warm Homes will visit before the cold weather.")
    assert_accessible(page)

    page.goto(live_server.url + concern_url)
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline).to_contain_text(f"Discussed at the formal monthly meeting of {meeting.day_label}.")
    assert_accessible(page)
    assert_only_local_requests(requests_made, live_server)


def test_colin_cannot_finalise_the_coffee_morning_until_every_concern_raised_has_an_owner(
    page: Page, live_server, demo_data, requests_made
):
    meeting = Meeting.objects.get(kind=MeetingKind.COFFEE_MORNING, status=MeetingStatus.HELD)
    sign_in(page, live_server, "colin", DEMO_PASSWORD)
    assert_accessible(page)
    page.goto(f"{live_server.url}/meetings/?when=past")
    assert_accessible(page)
    page.get_by_role("row").filter(has_text="Held").get_by_role("link", name="Coffee morning").click()
    expect(page).to_have_url(f"{live_server.url}/meetings/{meeting.pk}/")
    waiting = page.get_by_role("status").filter(has_text="Before the minutes can be finalised")
    expect(waiting).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Finalise the minutes").click()
    refusal = page.get_by_text(re.compile(r"Nothing was changed\. Give every concern raised here an owner"))
    expect(refusal).to_be_visible()
    expect(page.get_by_text("Held", exact=True)).to_be_visible()
    assert_accessible(page)

    # The unowned concern gets an action, with an owner and a due date.
    unowned = meeting.items.filter(actions__isnull=True).select_related("client", "risk__category").get()
    actions = page.get_by_role("region", name="Actions")
    actions.get_by_label("About").select_option(
        label=f"{unowned.client.full_name}: {unowned.risk.category.name}"
    )
    actions.get_by_label("What is to be done").fill(
        "Ask community transport to take her to her appointments."
    )
    actions.get_by_label("Key worker (a person at the meeting)").select_option(index=1)
    due = timezone.localdate() + datetime.timedelta(days=10)
    actions.get_by_label("Due").fill(f"{due:%Y-%m-%d}")
    assert_accessible(page)
    actions.get_by_role("button", name="Record the action").click()
    expect(page.get_by_text("Action recorded.")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Before the minutes can be finalised")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="Finalise the minutes").click()
    expect(page.get_by_text("The minutes are finalised.")).to_be_visible()
    expect(page.get_by_text("Minutes finalised", exact=True)).to_be_visible()
    assert_accessible(page)
    assert_only_local_requests(requests_made, live_server)


def test_the_protocol_checklist_can_be_confirmed_with_the_keyboard_alone(page: Page, live_server, demo_data):
    meeting = planned_mdt()
    item = meeting.items.get(client__first_name="Dorothy", client__last_name="Rowe")
    vera = item.client.allocations.active().get().volunteer
    sign_in(page, live_server, "drchen", DEMO_PASSWORD)
    assert_accessible(page)
    # The checklist, as "Show the checklist" opens it for Vera.
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/items/{item.pk}/volunteer/?volunteer={vera.pk}")
    confirm = page.get_by_label("I have checked every condition of the protocol")
    button = page.get_by_role("button", name="Confirm: the volunteer presents this item")
    assert_accessible(page)

    for _ in range(40):
        page.keyboard.press("Tab")
        if confirm.evaluate("element => element === document.activeElement"):
            break
    expect(confirm).to_be_focused()
    page.keyboard.press("Space")
    expect(confirm).to_be_checked()
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Vera Pascoe will present this item.")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/meetings/{meeting.pk}/")
    assert_accessible(page)
    item.refresh_from_db()
    assert item.presented_by_volunteer
    assert item.protocol_confirmed_by.username == "drchen"
