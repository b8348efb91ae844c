"""Public notice of the proposed recipients, public comments, and no decision before it ends."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories.honors import approve, nominate
from thidua.core.models import AuditEvent, Posting
from thidua.honors import notices, services
from thidua.honors.models import (
    AwardRule,
    Decision,
    Honour,
    Nomination,
    NoticeComment,
    PublicNotice,
)
from thidua.honors.services.notices import comment_on_notice, publish_notice

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def approved(tree, people, city_round, awards):
    AwardRule.objects.filter(award_type=awards["bang-khen"]).update(public_notice_days=10)
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    approve(nomination, people, city_round.council)
    nomination.refresh_from_db()
    return nomination


def _move_window(notice, *, days):
    """Make the notice (and its posting, which holds the window) start `days` from today."""
    start = TODAY() + dt.timedelta(days=days)
    window = {"starts_on": start, "ends_on": start + dt.timedelta(days=9)}
    PublicNotice.objects.filter(pk=notice.pk).update(**window)
    Posting.objects.filter(pk=notice.posting_id).update(**window)


def _issue(people, round_, nomination, signed_on=None, number="9/QĐ"):
    return services.issue_decision(
        people["city_leader"],
        round=round_,
        number=number,
        signed_on=signed_on or TODAY(),
        signer="Nguyễn Văn A",
        nominations=[nomination],
    )


def test_no_decision_before_the_notice_is_published_nor_before_it_ends(
    people, city_round, approved
):
    with pytest.raises(ValidationError) as error:
        _issue(people, city_round, approved)
    assert "must first be published for public notice (10 days)" in error.value.messages[0]
    notice = publish_notice(people["city_officer"], round=city_round)
    assert notice.starts_on == TODAY() and notice.ends_on == TODAY() + dt.timedelta(days=9)
    approved.refresh_from_db()
    assert approved.notice == notice
    before = (Decision.objects.count(), Honour.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        _issue(people, city_round, approved, signed_on=TODAY() + dt.timedelta(days=30))
    assert "runs until" in error.value.messages[0]
    assert (Decision.objects.count(), Honour.objects.count(), AuditEvent.objects.count()) == before
    # Ten days later the notice has ended: a decision dated on or after its end passes.
    _move_window(notice, days=-12)
    approved.refresh_from_db()
    with pytest.raises(ValidationError):  # dated inside the notice
        _issue(people, city_round, approved, signed_on=TODAY() - dt.timedelta(days=5))
    decision = _issue(people, city_round, approved)
    assert decision.honours.count() == 1


def test_awards_without_a_notice_rule_are_not_held_back(tree, people, city_round, awards):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    approve(nomination, people, city_round.council)
    nomination.refresh_from_db()
    assert notices.awaiting_notice(city_round) == []
    assert _issue(people, city_round, nomination).pk


def test_only_the_secretariat_publishes_and_only_what_awaits(people, city_round, approved):
    with pytest.raises(PermissionDenied):
        publish_notice(people["bode_officer"], round=city_round)
    publish_notice(city_round.council.users[1], round=city_round)  # the secretary
    with pytest.raises(ValidationError) as error:
        publish_notice(people["city_officer"], round=city_round)
    assert "No approved nomination in this round awaits a public notice." in error.value.messages
    assert PublicNotice.objects.count() == 1


def _comment(notice, nomination, **extra):
    values = {
        "notice": notice,
        "nomination_id": nomination.pk,
        "name": "Trần Văn Bình",
        "contact": "0912 345 678",
        "text": "Bà Hoa đã giúp cả tổ dân phố trong mùa lũ năm ngoái.",
        "client": notices.client_key("203.0.113.9"),
    }
    values.update(extra)
    return comment_on_notice(**values)


def test_the_public_comments_and_bad_comments_write_nothing(people, city_round, approved):
    notice = publish_notice(people["city_officer"], round=city_round)
    comment = _comment(notice, approved)
    assert comment.nomination == approved and comment.client_key != "203.0.113.9"
    before = (NoticeComment.objects.count(), AuditEvent.objects.count())
    for bad, field in [
        ({"name": "  "}, "name"),
        ({"contact": ""}, "contact"),
        ({"text": "ngắn"}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"nomination_id": 999999}, "nomination"),
        ({"nomination_id": "1 OR 1=1"}, "nomination"),
    ]:
        with pytest.raises(ValidationError) as error:
            _comment(notice, approved, **bad)
        assert field in error.value.message_dict
    assert (NoticeComment.objects.count(), AuditEvent.objects.count()) == before


COMMENT = {
    "name": "Trần Văn Bình",
    "contact": "binh@example.org",
    "text": "Tôi xác nhận thành tích của bà Hoa.",
}
PROXY = "10.0.0.1"


def _limits(n):
    return {**settings.RATE_LIMITS, "notice_comment": f"{n}/h"}


def test_comments_are_limited_per_client_behind_the_proxy(client, people, city_round, approved):
    notice = publish_notice(people["city_officer"], round=city_round)
    url = reverse("public_honors:notice", args=[notice.pk])
    data = {**COMMENT, "nomination": approved.pk}
    behind = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    with override_settings(RATE_LIMITS=_limits(3), TRUSTED_PROXIES=[PROXY]):
        for _ in range(3):
            assert client.post(url, data, **behind).status_code == 302
        before = (NoticeComment.objects.count(), AuditEvent.objects.count())
        for _ in range(3):
            response = client.post(url, data, **behind)
            assert response.status_code == 429
            assert "Too many comments from your connection" in response.content.decode()
        assert (NoticeComment.objects.count(), AuditEvent.objects.count()) == before
        other = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
        assert client.post(url, data, **other).status_code == 302  # someone else
        # a header from a peer that is not the proxy is not believed
        for n in range(5):
            spoofed = {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": f"192.0.2.{n}"}
            client.post(url, data, **spoofed)
    assert NoticeComment.objects.count() == 3 + 1 + 3
    # the address itself is never stored
    assert not NoticeComment.objects.filter(client_key__contains="198.51").exists()


def test_the_comment_honeypot_is_hidden_from_people(client, people, city_round, approved):
    notice = publish_notice(people["city_officer"], round=city_round)
    page = client.get(reverse("public_honors:notice", args=[notice.pk])).content.decode()
    assert '<div class="hp" aria-hidden="true"><input type="text" name="website"' in page
    assert "Để trống ô này" not in page and "Leave this empty" not in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_n_plus_3_simultaneous_comments_store_at_most_n(people, city_round, approved):
    notice = publish_notice(people["city_officer"], round=city_round)
    url = reverse("public_honors:notice", args=[notice.pk])
    data = {**COMMENT, "nomination": approved.pk}
    behind = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    barrier = threading.Barrier(8)
    results = []

    def post():
        try:
            barrier.wait()
            results.append(Client().post(url, data, **behind).status_code)
        finally:
            connection.close()

    with override_settings(RATE_LIMITS=_limits(5), TRUSTED_PROXIES=[PROXY]):
        threads = [threading.Thread(target=post) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert sorted(results) == [302] * 5 + [429] * 3
    assert NoticeComment.objects.count() == 5


def test_no_comment_once_the_notice_has_ended(people, city_round, approved):
    notice = publish_notice(people["city_officer"], round=city_round)
    _move_window(notice, days=-12)
    notice.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        _comment(notice, approved)
    assert "not open for comments" in error.value.messages[0]


def test_public_page_lists_nominees_and_takes_comments(client, people, city_round, approved):
    notice = publish_notice(people["city_officer"], round=city_round)
    portal = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("public_honors:notices")}"' in portal  # in every page's menu
    assert city_round.title in client.get(reverse("public_honors:notices")).content.decode()
    url = reverse("public_honors:notice", args=[notice.pk])
    page = client.get(url).content.decode()
    assert "Nguyễn Thị Hoa" in page and 'data-testid="notice-comment-form"' in page
    data = {
        "nomination": approved.pk,
        "name": "Trần Văn Bình",
        "contact": "binh@example.org",
        "text": "Tôi xác nhận thành tích của bà Hoa.",
    }
    response = client.post(url, {**data, "text": "ngắn"})
    assert (
        response.status_code == 400 and "Write at least 10 characters." in response.content.decode()
    )
    response = client.post(url, {**data, "website": "http://spam"})  # a bot
    assert response.status_code == 400
    assert NoticeComment.objects.count() == 0
    response = client.post(url, data, follow=True)
    assert "your comment was sent" in response.content.decode()
    assert NoticeComment.objects.count() == 1
    assert "binh@example.org" not in client.get(url).content.decode()  # never published
    assert client.get(reverse("public_honors:notice", args=[999999])).status_code == 404


def test_the_secretariat_sees_comments_on_the_nomination_and_others_do_not(
    client, people, city_round, approved
):
    notice = publish_notice(people["city_officer"], round=city_round)
    _comment(notice, approved)
    url = reverse("honors:nomination_detail", args=[approved.pk])
    client.force_login(people["city_officer"])
    page = client.get(url).content.decode()
    assert 'data-testid="public-comments"' in page and "0912 345 678" in page
    client.force_login(people["bode_officer"])  # the proposing ward sees the dossier, not them
    page = client.get(url).content.decode()
    assert 'data-testid="notice-info"' in page and "0912 345 678" not in page


def test_round_page_publishes_the_notice(client, people, city_round, approved):
    url = reverse("honors:round_detail", args=[city_round.pk])
    client.force_login(people["bode_officer"])
    assert 'data-testid="publish-notice"' not in client.get(url).content.decode()
    response = client.post(reverse("honors:notice_publish", args=[city_round.pk]))
    assert response.status_code == 403 and not PublicNotice.objects.exists()
    client.force_login(people["city_officer"])
    assert 'data-testid="publish-notice"' in client.get(url).content.decode()
    response = client.post(reverse("honors:notice_publish", args=[city_round.pk]), follow=True)
    assert "published for public notice until" in response.content.decode()
    assert Nomination.objects.get(pk=approved.pk).notice is not None
    # The decision page refuses while the notice runs, with the reason.
    client.force_login(people["city_leader"])
    response = client.post(
        reverse("honors:decision_create", args=[city_round.pk]),
        {
            "number": "1/QĐ",
            "signed_on": TODAY().isoformat(),
            "signer": "A",
            "nominations": [approved.pk],
        },
    )
    assert response.status_code == 200 and "runs until" in response.content.decode()
    assert not Decision.objects.exists()
