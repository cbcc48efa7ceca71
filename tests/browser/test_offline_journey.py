"""Reporting with no signal, in Chromium with Playwright's offline mode: Vera opens the
report form, loses her signal, writes and sends her report, and it arrives exactly once when
the signal returns; what the phone keeps, and when it stops keeping it."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import BrowserContext, Locator, Page, expect

from clients.models import Allocation, Client
from livingwell.accounts.models import User
from livingwell.submissions.models import Submission
from risks.models import RiskCategory, RiskReport
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_PASSWORD,
    NARROW,
    PHONE,
    assert_accessible,
    assert_only_local_requests,
    sign_in,
)

# Everything Living Well keeps in this browser: the IndexedDB stores and the text of every
# cached response. Opens the database only if it is there (opening would make it).
READ_PHONE = """async () => {
  const databases = (await indexedDB.databases()).map((database) => database.name);
  const stores = {};
  if (databases.includes("livingwell")) {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open("livingwell");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    for (const name of db.objectStoreNames) {
      stores[name] = await new Promise((resolve) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result);
      });
    }
    db.close();
  }
  const cached = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      cached.push(await (await cache.match(request)).text());
    }
  }
  const registrations = (await navigator.serviceWorker.getRegistrations()).length;
  return {databases, stores, cacheNames: await caches.keys(), cached: cached.join("\\n"), registrations};
}"""


def read_phone(page: Page) -> dict:
    return page.evaluate(READ_PHONE)


def until_ready(page: Page) -> None:
    """The page has brought the phone up to date and the service worker is running (so the
    report form opens with no signal)."""
    page.wait_for_selector("html[data-offline=ready]", state="attached")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def eventually(check, timeout: float = 10) -> None:
    """Waits until `check()` is true, asking every tenth of a second, for `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"still not so after {timeout} s"
        time.sleep(0.1)


def vera() -> User:
    return User.objects.get(username="vera")


def veras_clients() -> list[Client]:
    return list(Client.objects.allocated_to(vera()).order_by("last_name"))


def concerns_by_vera() -> int:
    return RiskReport.objects.filter(reported_by__username="vera").count()


def open_report_form_then_lose_signal(page: Page, context: BrowserContext, live_server) -> None:
    page.goto(f"{live_server.url}/risks/new/")
    until_ready(page)
    context.set_offline(True)
    page.reload()
    expect(page.get_by_text("You have no signal.")).to_be_visible()
    page.wait_for_selector("[data-offline-report][data-ready]", state="attached")


def fill_in(page: Page, client: Client, *, severity: str = "high", seen: str | None = None) -> None:
    page.get_by_label("Who is it about?").select_option(str(client.pk))
    page.get_by_label("What is it about?").select_option(label="Falls and mobility")
    page.locator(f"input[name=severity][value={severity}]").check()
    page.get_by_label("What did you see or hear?").fill(
        "She had a fall in the kitchen last night and has a bruised arm."
    )
    if seen:
        page.get_by_label("When did you see it?").fill(seen)


def vera_saves_a_report_with_no_signal(page: Page, context: BrowserContext, live_server) -> None:
    """Vera signs in, loses her signal on the report form, and sends a report about her
    first client: it is saved on the phone, waiting."""
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    open_report_form_then_lose_signal(page, context, live_server)
    fill_in(page, veras_clients()[0])
    page.get_by_role("button", name="Send my concern").click()
    expect(page.get_by_text("Saved on this phone")).to_be_visible()


def back_online_on_my_concerns(page: Page, context: BrowserContext, live_server) -> Locator:
    """The signal returns and Vera opens "My concerns": the list of reports on the phone."""
    context.set_offline(False)
    page.goto(f"{live_server.url}/risks/mine/")
    until_ready(page)
    return page.locator("[data-waiting-reports]")


def test_a_report_sent_with_no_signal_arrives_once_with_the_times_it_was_seen_written_and_arrived(
    page: Page, context: BrowserContext, live_server, demo_data, requests_made
):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    open_report_form_then_lose_signal(page, context, live_server)
    assert_accessible(page)
    client = veras_clients()[0]
    before = concerns_by_vera()

    fill_in(page, client)
    page.get_by_role("button", name="Send my concern").click()
    expect(page.get_by_text("Saved on this phone")).to_be_visible()
    expect(page.get_by_text("It will be sent when you have signal.")).to_be_visible()
    waiting = page.locator("[data-waiting-reports]")
    expect(waiting).to_contain_text("Falls and mobility")
    expect(waiting).to_contain_text("Waiting for signal")
    assert concerns_by_vera() == before
    for viewport in (PHONE, NARROW):
        page.set_viewport_size(viewport)
        assert_accessible(page)

    context.set_offline(False)
    expect(waiting).to_contain_text(re.compile(r"Sent at \d\d:\d\d"))
    assert concerns_by_vera() == before + 1
    concern = RiskReport.objects.filter(reported_by__username="vera").latest("reported_at")
    assert concern.client == client
    assert concern.written_at is not None
    assert concern.written_at <= concern.reported_at
    assert Submission.objects.filter(object_id=str(concern.pk)).count() == 1

    waiting.get_by_role("link", name="See the concern").click()
    expect(page).to_have_url(f"{live_server.url}/risks/{concern.pk}/")
    for words in ("Seen", "Written on the phone", "Arrived"):
        expect(page.locator("main")).to_contain_text(words)
    assert_accessible(page)
    assert_only_local_requests(requests_made, live_server)


def test_the_report_form_keeps_what_was_typed_through_a_reload_with_no_signal(
    page: Page, context: BrowserContext, live_server, demo_data
):
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    open_report_form_then_lose_signal(page, context, live_server)
    client = veras_clients()[0]
    page.get_by_label("Who is it about?").select_option(str(client.pk))
    page.get_by_label("What did you see or hear?").fill("The stair rail is loose")
    key = page.locator("[name=submission_key]").input_value()
    eventually(
        lambda: (
            [draft["fields"]["what_was_seen"] for draft in read_phone(page)["stores"]["drafts"]]
            == ["The stair rail is loose"]
        )
    )
    page.reload()
    expect(page.get_by_text("What you were writing has been put back")).to_be_visible()
    expect(page.get_by_label("What did you see or hear?")).to_have_value("The stair rail is loose")
    expect(page.get_by_label("Who is it about?")).to_have_value(str(client.pk))
    assert page.locator("[name=submission_key]").input_value() == key

    # Only invisible characters is no answer: said at once, not refused by the server later.
    page.get_by_label("What did you see or hear?").fill("\u200b\u200d\u00ad")
    page.get_by_role("button", name="Send my concern").click()
    expect(page.locator("#offline-errors")).to_contain_text("Tell us what you saw or heard.")
    assert read_phone(page)["stores"]["waiting"] == []


def test_the_service_worker_sends_a_waiting_report_when_the_signal_returns_with_the_page_closed(
    page: Page, context: BrowserContext, live_server, demo_data
):
    vera_saves_a_report_with_no_signal(page, context, live_server)
    before = concerns_by_vera()
    context.new_page().goto("about:blank")  # The browser stays open; no page of ours does.
    page.close()

    context.set_offline(False)  # Background Sync wakes the service worker.
    eventually(lambda: concerns_by_vera() == before + 1, timeout=30)
    concern = RiskReport.objects.filter(reported_by__username="vera").latest("reported_at")
    assert concern.written_at is not None
    assert Submission.objects.filter(object_id=str(concern.pk)).count() == 1


def test_two_tabs_and_a_send_repeated_after_a_timeout_make_one_concern(
    page: Page, context: BrowserContext, live_server, demo_data
):
    vera_saves_a_report_with_no_signal(page, context, live_server)
    second_tab = context.new_page()
    second_tab.goto(f"{live_server.url}/risks/mine/")
    expect(second_tab.locator("[data-waiting-reports]")).to_contain_text("Waiting for signal")
    before = concerns_by_vera()

    # The first send reaches the server, but its answer never reaches the phone.
    answers_lost = []

    def lose_the_answer(route):
        if not answers_lost:
            answers_lost.append(route.fetch().status)
            route.abort("timedout")
        else:
            route.continue_()

    context.route("**/risks/saved/", lose_the_answer)
    context.set_offline(False)
    for tab in (page, second_tab):
        expect(tab.locator("[data-waiting-reports]")).to_contain_text("Sent at", timeout=30_000)
    assert answers_lost == [201]
    assert concerns_by_vera() == before + 1

    # Both tabs send the same report at the same moment, past the phone's own lock: the
    # server answers both with the one concern.
    concern = RiskReport.objects.filter(reported_by__username="vera").latest("reported_at")
    report = {
        "submission_key": str(Submission.objects.get(object_id=str(concern.pk)).key),
        "client": str(concern.client_id),
        "category": str(concern.category_id),
        "severity": concern.severity,
        "what_was_seen": concern.what_was_seen,
        "observed_at": timezone.localtime(concern.observed_at).strftime("%Y-%m-%dT%H:%M"),
    }
    # Each tab starts its send and returns at once; both are then awaited.
    start = """(report) => {
      window.replayed = (async () => {
        const token = (await LivingWellStore.volunteer()).csrfToken;
        const body = new FormData();
        Object.entries(report).forEach(([name, value]) => body.append(name, value));
        const headers = {"X-CSRFToken": token};
        const response = await fetch("/risks/saved/", {method: "POST", body, headers});
        return [response.status, (await response.json()).id];
      })();
    }"""
    page.evaluate(start, report)
    second_tab.evaluate(start, report)
    answers = [tab.evaluate("() => window.replayed") for tab in (page, second_tab)]
    assert answers[0] == answers[1], answers
    assert answers[0] == [200, concern.pk], answers
    assert concerns_by_vera() == before + 1


def test_signing_out_removes_everything_from_the_phone(
    page: Page, context: BrowserContext, live_server, demo_data
):
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/risks/new/")
    until_ready(page)
    kept = read_phone(page)
    names = [client.called for client in veras_clients()]
    assert sorted(client["name"].split()[0] for client in kept["stores"]["clients"]) == sorted(names)

    # A report still waiting: signing out asks first.
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("[data-offline-report][data-ready]", state="attached")
    fill_in(page, veras_clients()[0])
    page.get_by_role("button", name="Send my concern").click()
    expect(page.get_by_text("Saved on this phone")).to_be_visible()
    # Back in signal, but the report still cannot get through (set before the signal
    # returns, or the page would send it at once).
    context.route("**/risks/saved/", lambda route: route.abort("internetdisconnected"))
    context.set_offline(False)
    page.goto(f"{live_server.url}/risks/mine/")
    until_ready(page)
    page.get_by_role("button", name=re.compile("^Sign out")).click()
    warning = page.get_by_role("alert").filter(has_text="Reports not sent yet")
    expect(warning).to_be_visible()
    assert read_phone(page)["stores"]["waiting"]
    page.get_by_role("button", name=re.compile("^Sign out")).click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()

    phone = read_phone(page)
    assert phone["stores"].get("clients", []) == [], phone["stores"]
    assert phone["stores"].get("waiting", []) == [], phone["stores"]
    for name in names:
        assert name not in phone["cached"]
    assert phone["cacheNames"] == []
    assert phone["registrations"] == 0


def test_when_an_allocation_ends_the_next_load_removes_the_client_and_a_late_report_is_judged_by_the_day_seen(
    page: Page, context: BrowserContext, live_server, demo_data
):
    from clients.services import allocation_end

    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    first, second = veras_clients()[:2]
    open_report_form_then_lose_signal(page, context, live_server)
    # Two reports written with no signal, seen today, about the two clients whose
    # allocations then end: one today (she visited today: accepted), one yesterday (refused).
    for client in (first, second):
        fill_in(page, client)
        page.get_by_role("button", name="Send my concern").click()
        expect(page.get_by_text("Saved on this phone")).to_be_visible()
        page.goto(f"{live_server.url}/risks/new/")
        page.wait_for_selector("[data-offline-report][data-ready]", state="attached")
    cora = User.objects.get(username="cora")
    for client in (first, second):
        allocation_end(
            allocation=Allocation.objects.get(client=client, ended_on=None), by=cora, reason="Moved away"
        )
    Allocation.objects.filter(client=second).update(
        ended_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    before = concerns_by_vera()

    waiting = back_online_on_my_concerns(page, context, live_server)
    expect(waiting).to_contain_text("Sent at")
    expect(waiting).to_contain_text("Not sent:")
    expect(waiting).to_contain_text("phone your coordinator")
    assert concerns_by_vera() == before + 1
    assert RiskReport.objects.filter(reported_by__username="vera").latest("reported_at").client == first
    kept_names = [client["name"] for client in read_phone(page)["stores"]["clients"]]
    assert not any(name.endswith(first.last_name) or name.endswith(second.last_name) for name in kept_names)
    assert_accessible(page)

    delete = page.get_by_role("button", name="Delete this report from this phone")
    expect(delete).to_have_accessible_description(re.compile(f"Falls and mobility: {second.called}"))
    delete.click()
    expect(waiting).not_to_contain_text("Not sent:")
    assert read_phone(page)["stores"]["waiting"] == []
    assert page.evaluate("document.activeElement.matches('[data-waiting-reports] h2, main')")


def test_a_report_a_proxy_refuses_as_too_large_is_kept_with_what_to_do_not_tried_for_ever(
    page: Page, context: BrowserContext, live_server, demo_data
):
    vera_saves_a_report_with_no_signal(page, context, live_server)
    tries = []

    def too_large(route):
        tries.append(route.request.url)
        route.fulfill(status=413, content_type="text/html", body="<h1>413 Request Entity Too Large</h1>")

    context.route("**/risks/saved/", too_large)
    before = concerns_by_vera()
    waiting = back_online_on_my_concerns(page, context, live_server)
    expect(waiting).to_contain_text("Not sent: This report could not be sent as it is.")
    expect(waiting.get_by_role("button", name="Delete this report from this phone")).to_be_visible()
    page.reload()
    until_ready(page)
    expect(waiting).to_contain_text("Not sent:")
    assert len(tries) == 1, "a refused report is not sent again on every load"
    assert concerns_by_vera() == before
    assert len(read_phone(page)["stores"]["waiting"]) == 1


def test_a_report_waiting_for_one_volunteer_is_never_sent_as_another_who_signs_in_on_the_phone(
    page: Page, context: BrowserContext, live_server, demo_data
):
    vera_saves_a_report_with_no_signal(page, context, live_server)
    vera_id = vera().pk
    before = RiskReport.objects.count()

    # Her session ends and Victor signs in on the same phone, but the phone never heard
    # that she left (the page that would have told it did not load): it still names her.
    Session.objects.all().delete()
    context.route("**/offline/data/", lambda route: route.abort("internetdisconnected"))
    context.set_offline(False)
    sign_in(page, live_server, "victor", DEMO_PASSWORD)
    page.evaluate(
        """(veraId) => LivingWellStore.volunteer().then((who) => LivingWellStore.put(
             "meta", {...who, name: "volunteer", id: veraId, csrfToken: "from-her-session"}))""",
        vera_id,
    )
    context.unroute("**/offline/data/")

    # Her old token is refused, the phone asks again and hears of Victor: her report waits.
    assert page.evaluate("LivingWellStore.sendWaiting()") == "sign-in"
    assert RiskReport.objects.count() == before
    waiting = read_phone(page)["stores"]["waiting"]
    assert [(report["user"], report["refused"]) for report in waiting] == [(vera_id, None)]


def test_a_report_form_that_will_not_load_on_weak_signal_opens_from_the_phone(
    page: Page, context: BrowserContext, live_server, demo_data
):
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/risks/mine/")
    until_ready(page)
    held = []
    # One bar of signal: the page is asked for and never comes.
    context.route("**/risks/new/", lambda route: held.append(route))

    page.goto(f"{live_server.url}/risks/new/")
    expect(page.get_by_text("You have no signal.")).to_be_visible()
    page.wait_for_selector("[data-offline-report][data-ready]", state="attached")
    assert held, "the page was asked for first"
    fill_in(page, veras_clients()[0])
    for route in held:
        route.abort()
    context.unroute("**/risks/new/")
    before = concerns_by_vera()
    page.get_by_role("button", name="Send my concern").click()
    eventually(lambda: concerns_by_vera() == before + 1)


def test_a_phone_whose_storage_is_full_says_the_report_was_not_kept_and_whom_to_phone(
    page: Page, context: BrowserContext, live_server, demo_data
):
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    open_report_form_then_lose_signal(page, context, live_server)
    fill_in(page, veras_clients()[0])
    page.evaluate(
        """() => { IDBObjectStore.prototype.put = () => {
             throw new DOMException("This phone's storage is full.", "QuotaExceededError"); }; }"""
    )
    page.get_by_role("button", name="Send my concern").click()

    problem = page.get_by_role("alert").filter(has_text="This phone could not keep your report")
    expect(problem).to_be_visible()
    expect(problem).to_be_focused()
    expect(problem.get_by_role("link", name=re.compile("^Call 999"))).to_be_visible()
    expect(page.get_by_role("button", name="Send my concern")).to_be_enabled()
    expect(page.get_by_text("Saved on this phone")).to_have_count(0)
    assert_accessible(page)


def test_urgent_with_no_signal_shows_the_calls_first_and_sends_later_with_the_time_seen(
    page: Page, context: BrowserContext, live_server, demo_data
):
    page.set_viewport_size(NARROW)
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    open_report_form_then_lose_signal(page, context, live_server)
    client = veras_clients()[0]
    seen = (timezone.localtime() - datetime.timedelta(hours=2)).replace(second=0, microsecond=0)
    fill_in(page, client, severity="urgent", seen=seen.strftime("%Y-%m-%dT%H:%M"))
    panel = page.locator("#urgent-no-signal")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("nobody can be told from here")
    expect(panel.locator("a[href='tel:999']")).to_be_visible()
    expect(panel.locator("a[href='tel:111']")).to_be_visible()
    expect(
        panel.get_by_role("link", name=re.compile("^Call Tom Nance, team leader on call"))
    ).to_have_attribute("href", "tel:07700900123")
    assert_accessible(page)

    page.get_by_role("button", name="Send my concern").click()
    # The first thing under the heading is who to phone.
    first = page.locator("main h1 + *")
    expect(first).to_contain_text("Nobody has been told yet")
    expect(first.locator("a[href='tel:999']")).to_be_visible()
    expect(page.get_by_text("Saved on this phone")).to_be_visible()
    assert_accessible(page)

    context.set_offline(False)
    expect(page.locator("[data-waiting-reports]")).to_contain_text("Sent at")
    concern = RiskReport.objects.filter(reported_by__username="vera").latest("reported_at")
    assert concern.severity == "urgent"
    assert timezone.localtime(concern.observed_at) == seen
    assert concern.reported_at - concern.observed_at > datetime.timedelta(hours=1)


def test_an_expired_session_keeps_the_waiting_report_until_vera_signs_in_then_sends_it_once(
    page: Page, context: BrowserContext, live_server, demo_data
):
    vera_saves_a_report_with_no_signal(page, context, live_server)
    before = concerns_by_vera()

    Session.objects.all().delete()  # Her session ends while she has no signal.
    context.set_offline(False)
    page.reload()
    page.wait_for_selector("html[data-offline=ready]", state="attached")
    expect(page).to_have_url(re.compile("/accounts/login/"))
    expect(page.get_by_text("1 report you wrote with no signal is waiting on this phone.")).to_be_visible()
    assert concerns_by_vera() == before
    phone = read_phone(page)
    assert len(phone["stores"]["waiting"]) == 1
    assert phone["stores"]["clients"] == []  # The session has ended: the names have gone.
    assert_accessible(page)
    # Whoever holds the phone now sees what the report is about, not whom.
    context.set_offline(True)
    page.goto(f"{live_server.url}/risks/mine/")
    waiting = page.locator("[data-waiting-reports]")
    expect(waiting).to_contain_text("Falls and mobility")
    expect(waiting).to_contain_text("Waiting for you to sign in again")
    client = veras_clients()[0]
    for name in (client.called, client.last_name):
        expect(waiting).not_to_contain_text(name)
    context.set_offline(False)

    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    until_ready(page)
    page.goto(f"{live_server.url}/risks/mine/")
    expect(page.locator("[data-waiting-reports]")).to_contain_text("Sent at")
    assert concerns_by_vera() == before + 1
    page.reload()
    until_ready(page)
    assert concerns_by_vera() == before + 1


def test_my_profile_says_what_the_phone_keeps_and_removes_it_all(
    page: Page, context: BrowserContext, live_server, demo_data
):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/volunteers/me/")
    until_ready(page)
    kept = page.locator("[data-this-phone]")
    expect(kept).to_contain_text(f"the names and streets of your {len(veras_clients())} clients")
    assert_accessible(page)

    page.get_by_role("button", name="Remove everything from this phone").click()
    expect(page.get_by_text("Everything Living Well kept on this phone has been removed.")).to_be_visible()
    page.wait_for_selector("html[data-offline=off]", state="attached")
    phone = read_phone(page)
    assert phone["databases"] == [] or phone["stores"].get("clients") in (None, [])
    assert phone["cacheNames"] == []
    assert phone["registrations"] == 0
    page.goto(f"{live_server.url}/risks/new/")
    page.wait_for_selector("html[data-offline=off]", state="attached")
    assert read_phone(page)["registrations"] == 0  # It stays off until she turns it back on.

    page.goto(f"{live_server.url}/volunteers/me/")
    page.get_by_role("button", name="Keep what I need to report with no signal").click()
    until_ready(page)
    assert len(read_phone(page)["stores"]["clients"]) == len(veras_clients())


def test_a_new_version_is_offered_and_taken_on_reload(page: Page, live_server, demo_data):
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/risks/mine/")
    until_ready(page)
    page.reload()
    until_ready(page)
    before = read_phone(page)["cacheNames"]
    RiskCategory.objects.filter(name="Falls and mobility").update(
        do_now="Help them to sit; call 111 if they hit their head."
    )
    page.evaluate("navigator.serviceWorker.getRegistration().then((registration) => registration.update())")
    banner = page.locator("[data-new-version]")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("A new version of Living Well is ready.")
    assert_accessible(page)
    banner.get_by_role("button", name="Reload to use it").click()
    page.wait_for_function(
        "(before) => caches.keys().then((names) => names.length === 1 && names[0] !== before[0])", arg=before
    )


def test_chromium_finds_the_app_installable(playwright, live_server, demo_data, tmp_path):
    """Chromium checks installability only for a profile kept on disk (not a private one)."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    try:
        page = context.new_page()
        sign_in(page, live_server, "vera", DEMO_PASSWORD)
        until_ready(page)
        page.reload()
        until_ready(page)
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        assert cdp.send("Page.getAppManifest")["errors"] == []
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, NARROW], ids=["390", "320"])
def test_the_pages_kept_for_no_signal_are_accessible(
    page: Page, context: BrowserContext, live_server, demo_data, viewport
):
    page.set_viewport_size(viewport)
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/risks/mine/")
    until_ready(page)
    context.set_offline(True)
    for path, heading in (
        ("/risks/mine/", "My concerns"),
        ("/risks/new/", "Report a concern"),
        ("/clients/", "No signal"),
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)
