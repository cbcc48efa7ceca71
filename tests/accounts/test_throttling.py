"""Throttling beyond one username at one address: an address that tries many usernames is
locked at a higher count; password-reset emails are limited per address and per email
address; every lockout and refusal is logged; and behind the TLS proxy the address is the
client's, from X-Forwarded-For with TRUSTED_PROXY_COUNT proxies, never the proxy's and
never one the client wrote."""

import logging

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from livingwell.accounts.addresses import client_address
from livingwell.accounts.models import PasswordResetRequest
from tests.factories import TEST_PASSWORD, UserFactory

LOGIN = reverse("login")
RESET = reverse("password_reset")
PAUSED = "Signing in is paused for a while"


@pytest.fixture
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 4
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 2
    return settings


def sign_in(client, username, password="wrong", address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_one_address_trying_many_usernames_is_locked_at_its_own_higher_limit(client, db, limits, caplog):
    UserFactory(username="vera")
    for number in range(limits.AXES_ADDRESS_FAILURE_LIMIT - 1):
        # Each username fails fewer times than the per-username limit.
        assert PAUSED not in sign_in(client, f"guess{number}").text
    caplog.set_level(logging.WARNING)

    locked = sign_in(client, "guess-last")

    assert locked.status_code == 429
    assert PAUSED in locked.text
    assert any("Locking out" in record.getMessage() for record in caplog.records)
    # The right password of another account does not get in from that address either...
    assert PAUSED in sign_in(client, "vera", TEST_PASSWORD).text
    assert "_auth_user_id" not in client.session
    # ...but does from another address.
    assert "_auth_user_id" in (
        sign_in(client, "vera", TEST_PASSWORD, address="198.51.100.20") and client.session
    )


def test_below_the_address_limit_only_the_username_tried_too_often_is_paused(client, db, limits):
    UserFactory(username="vera")
    for _ in range(limits.AXES_FAILURE_LIMIT):
        sign_in(client, "victor")

    assert PAUSED in sign_in(client, "victor").text
    assert AccessAttempt.objects.get().username == "victor"
    sign_in(client, "vera", TEST_PASSWORD)
    assert "_auth_user_id" in client.session


def test_password_reset_emails_are_limited_per_email_address_and_logged(client, db, limits, caplog):
    UserFactory(username="vera", email="vera@example.org")
    caplog.set_level(logging.WARNING, logger="livingwell.security")
    pages = [
        client.post(RESET, {"email": email}, REMOTE_ADDR=f"198.51.100.{number}", follow=True)
        for number, email in enumerate(["vera@example.org", "VERA@example.org ", "vera@example.org"])
    ]

    assert len(mail.outbox) == limits.PASSWORD_RESET_LIMIT_PER_EMAIL
    # The page says the same whether the email went or not.
    assert len({page.text for page in pages}) == 1
    assert "Check your email" in pages[-1].text
    assert any("Password reset refused: email" in record.getMessage() for record in caplog.records)
    assert PasswordResetRequest.objects.count() == 3
    assert "vera" not in " ".join(PasswordResetRequest.objects.values_list("email_digest", flat=True))


def test_password_reset_emails_are_limited_per_address(client, db, limits, caplog):
    for number in range(limits.PASSWORD_RESET_LIMIT_PER_ADDRESS + 1):
        UserFactory(username=f"person{number}", email=f"person{number}@example.org")
    caplog.set_level(logging.WARNING, logger="livingwell.security")

    for number in range(limits.PASSWORD_RESET_LIMIT_PER_ADDRESS + 1):
        client.post(RESET, {"email": f"person{number}@example.org"}, REMOTE_ADDR="203.0.113.9")

    assert len(mail.outbox) == limits.PASSWORD_RESET_LIMIT_PER_ADDRESS
    assert any("address 203.0.113.9" in record.getMessage() for record in caplog.records)
    client.post(RESET, {"email": "person0@example.org"}, REMOTE_ADDR="203.0.113.10")
    assert len(mail.outbox) == limits.PASSWORD_RESET_LIMIT_PER_ADDRESS + 1


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        # Nothing in front: the connection's own address, whatever the header says.
        (0, "203.0.113.7", "1.2.3.4", "203.0.113.7"),
        # One proxy: it appended the address that connected to it.
        (1, "10.0.0.2", "203.0.113.7", "203.0.113.7"),
        # A forged entry written by the client comes first and is ignored.
        (1, "10.0.0.2", "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        (1, "10.0.0.2", "1.2.3.4,203.0.113.7 ", "203.0.113.7"),
        # Two proxies (a load balancer, then nginx).
        (2, "10.0.0.3", "1.2.3.4, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (1, "10.0.0.2", "2001:db8::7", "2001:db8::7"),
        # Straight to the application, past the proxy: its own claim is no evidence.
        (1, "203.0.113.8", None, "203.0.113.8"),
        (2, "203.0.113.8", "1.2.3.4", "203.0.113.8"),
        # Not an address at all.
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (1, "10.0.0.2", "\u0661\u0662.0.0.1", "10.0.0.2"),
    ],
)
def test_the_clients_address_is_taken_from_the_trusted_proxies_never_from_what_the_client_wrote(
    settings, proxies, remote, forwarded, client
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(request_from(remote, forwarded)) == client


def test_behind_the_proxy_lockouts_hold_the_client_not_the_proxy_nor_a_forged_address(client, db, limits):
    limits.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="vera")
    for number in range(limits.AXES_FAILURE_LIMIT):
        # Each attempt forges a new first entry; the proxy appends the real one.
        client.post(
            LOGIN,
            {"username": "vera", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.7",
        )

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]
    locked = client.post(
        LOGIN,
        {"username": "vera", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7",
    )
    assert PAUSED in locked.text
    # Another person behind the same proxy signs in.
    client.post(
        LOGIN,
        {"username": "vera", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert "_auth_user_id" in client.session


def test_the_password_reset_counts_read_their_indexes_when_the_table_is_large(db):
    """Under a flood of requests the table holds a day of them: each limit's count, and the
    clearing of day-old rows, must read an index rather than the whole table."""
    import datetime

    from django.db import connection
    from django.utils import timezone

    from livingwell.accounts import services

    now = timezone.now()
    PasswordResetRequest.objects.bulk_create(
        PasswordResetRequest(
            address=f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}",
            email_digest=f"{number:064x}",
            requested_at=now - datetime.timedelta(seconds=number * 4),
        )
        for number in range(40_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_passwordresetrequest")
    recent = PasswordResetRequest.objects.filter(requested_at__gte=now - services.PASSWORD_RESET_WINDOW)
    queries = {
        "reset_by_address_idx": recent.filter(address="10.0.0.1"),
        "reset_by_email_idx": recent.filter(email_digest="0" * 64),
        "reset_requested_at_idx": PasswordResetRequest.objects.filter(
            requested_at__lt=now - services.PASSWORD_RESET_KEPT
        ),
    }
    for index, rows in queries.items():
        assert index in rows.explain(), (index, rows.explain())
