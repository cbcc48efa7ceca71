import pytest
from django.urls import reverse

from tests.factories import NotificationFactory, UserFactory
from tests.support.queries import queries_for

INBOX = reverse("notifications:inbox")


def test_inbox_asks_anonymous_visitors_to_sign_in(client, db):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_inbox_shows_only_the_persons_own_notifications(login, db):
    mine = NotificationFactory(title="Your concern reached the GP")
    NotificationFactory(title="Somebody else's news")
    response = login(mine.recipient).get(INBOX)
    assert response.status_code == 200
    assert "Your concern reached the GP" in response.text
    assert "Somebody else&#x27;s news" not in response.text
    assert "Somebody else's news" not in response.text


def test_navigation_shows_the_unread_count(login, db):
    person = UserFactory()
    NotificationFactory.create_batch(3, recipient=person)
    NotificationFactory(recipient=person, read_at="2026-01-01T10:00:00Z")
    response = login(person).get(INBOX)
    assert "You have 3 unread notifications." in response.text
    assert '3<span class="visually-hidden"> unread</span>' in response.text


def test_marking_a_notification_read(login, db):
    notification = NotificationFactory()
    response = login(notification.recipient).post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_a_notification_marks_it_read_and_follows_its_link(login, db):
    notification = NotificationFactory(link="/notifications/?from=email")
    response = login(notification.recipient).post(
        reverse("notifications:mark_read", args=[notification.pk]), {"open": "1"}
    )
    assert response["Location"] == "/notifications/?from=email"


def test_a_link_to_another_site_is_never_followed(login, db):
    notification = NotificationFactory(link="https://example.com/phish")
    response = login(notification.recipient).post(
        reverse("notifications:mark_read", args=[notification.pk]), {"open": "1"}
    )
    assert response["Location"] == INBOX


def test_nobody_can_mark_someone_elses_notification(login, db):
    notification = NotificationFactory()
    other = UserFactory()
    response = login(other).post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_needs_a_post(login, db):
    notification = NotificationFactory()
    response = login(notification.recipient).get(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 405


def test_mark_all_read(login, db):
    person = UserFactory()
    NotificationFactory.create_batch(2, recipient=person)
    response = login(person).post(reverse("notifications:mark_all_read"), follow=True)
    assert "Marked 2 notifications as read." in response.text
    assert person.notifications.unread().count() == 0


def test_inbox_runs_the_same_queries_for_10_and_200_notifications(login, db):
    person = UserFactory()
    client = login(person)
    NotificationFactory.create_batch(10, recipient=person)
    client.get(INBOX)  # the first request of a session writes it; measure the ones after

    with_10 = queries_for(lambda: client.get(INBOX))
    NotificationFactory.create_batch(190, recipient=person)
    with_200 = queries_for(lambda: client.get(INBOX))

    assert len(with_10) == len(with_200), with_200


def test_an_empty_inbox_says_so_once(login, db):
    from livingwell.accounts.roles import Role

    response = login(UserFactory(roles=[Role.VOLUNTEER])).get(INBOX)
    assert response.text.count("You have no notifications yet.") == 1
    assert "You have read all your notifications." not in response.text


def test_an_empty_inbox_promises_news_of_concerns_only_to_volunteers(login, db):
    from livingwell.accounts.roles import Role

    news = "When there is news about something you raised"
    assert news in login(UserFactory(roles=[Role.VOLUNTEER])).get(INBOX).text
    for role in (Role.MDT_CHAIR, Role.MANAGER, Role.COORDINATOR):
        page = login(UserFactory(roles=[role])).get(INBOX).text
        assert news not in page
        assert "You have no notifications yet. Messages for you will appear here." in page


# --- The file that goes with a notification (a meeting's .ics) ----------------------------

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


@pytest.fixture
def invitation(volunteer):
    """A meeting invitation for Vera, with its .ics."""
    return NotificationFactory(
        recipient=volunteer,
        kind="meeting",
        title="Alverton Practice MDT meeting",
        attachment_filename="meeting.ics",
        attachment_content_type="text/calendar; method=REQUEST",
        attachment_content=ICS,
    )


def test_the_inbox_offers_a_notifications_file_to_add_to_the_calendar(login, invitation):
    NotificationFactory(recipient=invitation.recipient, title="No file here")
    page = login(invitation.recipient).get(INBOX).text
    url = reverse("notifications:attachment", args=[invitation.pk])
    assert url == f"/notifications/{invitation.pk}/attachment/"
    assert page.count(f'href="{url}"') == 1
    assert page.count("Add to your calendar") == 1
    assert "This saves the file meeting.ics." in page


def test_the_recipient_downloads_the_file_as_an_attachment_of_its_type(login, invitation):
    response = login(invitation.recipient).get(reverse("notifications:attachment", args=[invitation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; method=REQUEST"
    assert response["Content-Disposition"] == 'attachment; filename="meeting.ics"'
    assert "no-store" in response["Cache-Control"], "a shared device keeps no copy"
    assert response.content.decode() == ICS


@pytest.mark.parametrize(
    "person",
    ["other_volunteer", "coordinator", "no_role"],
    ids=["another-volunteer", "her-own-coordinator", "outsider"],
)
def test_nobody_else_can_download_a_persons_file(request, login, invitation, person):
    response = login(request.getfixturevalue(person)).get(
        reverse("notifications:attachment", args=[invitation.pk])
    )
    assert response.status_code == 404
    assert ICS.encode() not in response.content


def test_downloading_a_file_asks_anonymous_visitors_to_sign_in(client, invitation):
    response = client.get(reverse("notifications:attachment", args=[invitation.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_notification_without_a_file_has_nothing_to_download(login, db):
    notification = NotificationFactory()
    response = login(notification.recipient).get(reverse("notifications:attachment", args=[notification.pk]))
    assert response.status_code == 404
