"""Abuse limits on anonymous submissions (web form and API): per client address behind a trusted
proxy, a spoofed header from anyone else ignored, a daily cap of confirmation emails per
address, a honeypot; a refused request answers 429 with the reason and writes nothing."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories.initiatives import form_data, payload
from thidua.core.models import AuditEvent
from thidua.initiatives.models import Submission

API = "/api/v1/initiatives/"
N = 3
PROXY = "10.0.0.1"
LIMITS = {**settings.RATE_LIMITS, "initiative_submission": f"{N}/h"}


def _counts():
    return Submission.objects.count(), AuditEvent.objects.count()


def _web_post(client, setup, tree, n, **meta):
    url = reverse("public_initiatives:submit", args=[setup["call"].slug])
    data = form_data(setup, tree, client_token=f"tok-{n}", applicant_email=f"a{n}@example.org")
    data["field"] = setup["field"].pk
    return client.post(url, data, **meta)


def _api_post(client, setup, tree, n, **meta):
    url = f"{API}calls/{setup['call'].slug}/submissions"
    data = payload(setup, tree, client_token=f"tok-{n}", applicant_email=f"a{n}@example.org")
    return client.post(url, data, content_type="application/json", **meta)


@pytest.mark.django_db
@override_settings(RATE_LIMITS=LIMITS, TRUSTED_PROXIES=[PROXY])
@pytest.mark.parametrize("send", [_web_post, _api_post], ids=["web", "api"])
def test_one_client_behind_the_proxy_stores_at_most_n(client, setup, tree, send):
    behind = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    answers = [send(client, setup, tree, n, **behind).status_code for n in range(N)]
    assert answers in ([200] * N, [201] * N)
    before = _counts()
    for n in range(N, N + 3):
        response = send(client, setup, tree, n, **behind)
        assert response.status_code == 429
        said = (
            response.json()["detail"]
            if response["Content-Type"].startswith("application/json")
            else response.content.decode()
        )
        assert "Có quá nhiều hồ sơ gửi từ kết nối của bạn" in said
    assert _counts() == before and before[0] == N
    # another client behind the same proxy is not blocked by the first one
    other = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert send(client, setup, tree, 99, **other).status_code in (200, 201)
    assert Submission.objects.count() == N + 1


@pytest.mark.django_db
@override_settings(RATE_LIMITS=LIMITS, TRUSTED_PROXIES=[PROXY])
def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(client, setup, tree):
    for n in range(N + 3):
        spoofed = {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": f"192.0.2.{n}"}
        _api_post(client, setup, tree, n, **spoofed)
    assert Submission.objects.count() == N


@pytest.mark.django_db
@override_settings(RATE_LIMITS={**LIMITS, "initiative_submission": "100/h"})
def test_a_few_confirmation_emails_a_day_per_address(
    client, setup, tree, django_capture_on_commit_callbacks
):
    cap = int(settings.RATE_LIMITS["confirmation_email"].split("/")[0])
    url = f"{API}calls/{setup['call'].slug}/submissions"
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(cap):
            data = payload(setup, tree, client_token=f"tok-{n}", applicant_email="AN@example.org")
            assert client.post(url, data, content_type="application/json").status_code == 201
    before = _counts()
    data = payload(setup, tree, client_token="tok-x", applicant_email="an@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, content_type="application/json")
    assert response.status_code == 429
    assert "quá nhiều thư xác nhận trong hôm nay" in response.json()["detail"]
    assert _counts() == before and len(mail.outbox) == cap
    # the web form keeps what was typed and says why
    response = client.post(
        reverse("public_initiatives:submit", args=[setup["call"].slug]),
        {**form_data(setup, tree, client_token="tok-y"), "applicant_email": "an@example.org"},
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "quá nhiều thư xác nhận trong hôm nay" in page and "Lọc nước sạch bằng than tre" in page
    assert _counts() == before


@pytest.mark.django_db
def test_the_honeypot_is_hidden_from_people_and_refuses_bots(client, setup, tree):
    url = reverse("public_initiatives:submit", args=[setup["call"].slug])
    page = client.get(url).content.decode()
    assert '<div class="hp" aria-hidden="true"><input type="text" name="website"' in page
    assert 'tabindex="-1"' in page and "Leave this empty" not in page
    response = client.post(url, {**form_data(setup, tree), "website": "http://spam.example"})
    assert "Không thể nhận hồ sơ của bạn." in response.content.decode()
    assert not Submission.objects.exists()


def _thread_posts(jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            results[index] = job()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(RATE_LIMITS=LIMITS, TRUSTED_PROXIES=[PROXY])
def test_n_plus_3_simultaneous_submissions_store_at_most_n(setup, tree):
    behind = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7, 10.0.0.1"}
    jobs = [
        (lambda n=n: _api_post(Client(), setup, tree, n, **behind).status_code)
        for n in range(N + 3)
    ]
    results = _thread_posts(jobs)
    assert sorted(results) == [201] * N + [429] * 3
    assert Submission.objects.count() == N


@pytest.mark.django_db
def test_titles_and_names_lose_bidi_and_zero_width_characters(client, setup, tree):
    url = f"{API}calls/{setup['call'].slug}/submissions"
    data = payload(
        setup,
        tree,
        title="\u202eLọc nước\u200b sạch\u202c",
        applicant_name="Nguyễn\u200d Văn An\u2069",
    )
    assert client.post(url, data, content_type="application/json").status_code == 201
    saved = Submission.objects.get()
    assert (saved.title, saved.applicant_name) == ("Lọc nước sạch", "Nguyễn Văn An")
