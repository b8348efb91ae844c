"""Login and password reset under attack: the client address behind a trusted proxy, an account
locked only for the address that guessed (not for its owner elsewhere), a cap per address."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import RequestFactory, override_settings
from django.urls import reverse

from thidua.core.limits import client_ip

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
GOOD = {"username": "lb-officer", "password": "correct-horse-42"}
BAD = {"username": "lb-officer", "password": "wrong"}


def _from(address):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


@pytest.mark.parametrize(
    ("peer", "header", "expected"),
    [
        ("203.0.113.5", "", "203.0.113.5"),
        ("203.0.113.5", "198.51.100.7", "203.0.113.5"),  # untrusted peer: header ignored
        (PROXY, "198.51.100.7", "198.51.100.7"),
        (PROXY, "1.1.1.1, 198.51.100.7", "198.51.100.7"),  # right-most untrusted hop
        (PROXY, "198.51.100.7, 10.0.0.2", "198.51.100.7"),  # a second trusted hop skipped
        (PROXY, "not-an-ip, 198.51.100.7", "198.51.100.7"),
        (PROXY, "198.51.100.7, garbage", PROXY),
        (PROXY, "", PROXY),
        (PROXY, "[2001:db8::1]:443", "2001:db8::1"),
        ("::ffff:203.0.113.5", "", "203.0.113.5"),
    ],
)
def test_client_ip_reads_the_header_only_from_a_trusted_proxy(peer, header, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=header)
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/24"]):
        assert client_ip(request) == expected


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_bad_passwords_from_one_address_do_not_lock_the_owner_elsewhere(client, tree, officer):
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, BAD, **_from("198.51.100.66"))
    # the guessing address is locked out, even with the right password
    response = client.post(url, GOOD, **_from("198.51.100.66"))
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    # the owner, from their own address behind the same proxy, still logs in
    response = client.post(url, GOOD, **_from("198.51.100.7"))
    assert response.status_code == 302 and "_auth_user_id" in client.session


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_a_spoofed_header_does_not_escape_the_lockout(client, tree, officer):
    url = reverse("accounts:login")
    for n in range(settings.AXES_FAILURE_LIMIT):
        spoofed = {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": f"192.0.2.{n}"}
        client.post(url, BAD, **spoofed)
    spoofed = {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "192.0.2.200"}
    assert client.post(url, GOOD, **spoofed).status_code == 429


@override_settings(TRUSTED_PROXIES=[PROXY], RATE_LIMITS={**settings.RATE_LIMITS, "login": "4/h"})
def test_many_accounts_tried_from_one_address_are_refused(client, tree, officer):
    url = reverse("accounts:login")
    for n in range(4):
        data = {"username": f"someone-{n}", "password": "x"}
        assert client.post(url, data, **_from("198.51.100.66")).status_code == 200
    response = client.post(url, GOOD, **_from("198.51.100.66"))
    assert response.status_code == 429
    assert "Có quá nhiều lần đăng nhập từ kết nối của bạn" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.post(url, GOOD, **_from("198.51.100.7")).status_code == 302


@override_settings(
    TRUSTED_PROXIES=[PROXY],
    RATE_LIMITS={**settings.RATE_LIMITS, "password_reset": "3/h", "password_reset_email": "2/h"},
)
def test_password_reset_is_limited_per_address_and_per_email(client, tree, officer):
    url = reverse("accounts:password_reset")
    for _ in range(2):
        assert (
            client.post(url, {"email": officer.email}, **_from("198.51.100.7")).status_code == 302
        )
    response = client.post(url, {"email": officer.email}, **_from("198.51.100.8"))
    assert response.status_code == 429  # the same inbox, from anywhere
    assert "cho địa chỉ email này" in response.content.decode()
    assert len(mail.outbox) == 2
    client.post(url, {"email": "other@example.org"}, **_from("198.51.100.7"))
    response = client.post(url, {"email": "third@example.org"}, **_from("198.51.100.7"))
    assert response.status_code == 429  # the same address, whatever the email
    assert "Có quá nhiều yêu cầu đặt lại mật khẩu từ kết nối của bạn" in response.content.decode()
    assert len(mail.outbox) == 2
