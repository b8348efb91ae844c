"""`seed_honors`: the 2024 round of Hà Nội with a decision and certificates, an ad hoc award for a
good deed, and a thematic round of a movement with work in progress.

The whole Hà Nội demo (`seed_demo`) is built once per test run and shared with the other demo
modules (`tests/hanoi_demo.py`); each test runs in a savepoint inside it.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.visible_text import convention_problems
from thidua.accounts.models import User
from thidua.demo.honors import (
    ADHOC_TITLE,
    DECISION_2024,
    NOMINEES_2024,
    ROUND_2024,
    THEMATIC_MOVEMENT,
    WARD_ROUND,
)
from thidua.demo.honors.upward import UPWARD_NOMINEES_2024
from thidua.honors import selectors
from thidua.honors.models import (
    Certificate,
    Honour,
    Nomination,
    NominationEvent,
    NoticeComment,
    PublicNotice,
    Round,
)

pytestmark = pytest.mark.django_db


COUNTED_APPS = ("honors", "initiatives", "core", "accounts", "org")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in COUNTED_APPS
        for model in apps.get_app_config(label).get_models()
    }


DEMO_USERS = ["admin", "lanhdao", "lanhdao.bode", "canbo", "bientap", "hoidong", "nguoidan"]
SKIPPED_LINKS = re.compile(r"^/(static|media|admin|i18n)/|/accounts/logout|export|download|\.xlsx")


# Staff pages owned by other work in progress that still break the office conventions; the
# coordinator removes each line once that work is merged.
# Pages left out of the conventions check (none: every staff page of the demo keeps them)
CONVENTION_EXCLUSIONS: dict[str, str] = {}
_CRAWLS: dict[tuple[str, str | None], tuple[list, dict, set]] = {}


def crawl(client, username: str | None) -> tuple[list, dict, set]:
    """The whole demo as one user (one page per URL shape): the links that did not open, what
    each staff page shows against the office conventions, and the shapes seen. Done once per user
    and class (the pages are read, never changed)."""
    key = (str(settings.MEDIA_ROOT), username)
    if key in _CRAWLS:
        return _CRAWLS[key]
    if username:
        client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"  # the conventions checked are Vietnamese
    start = "/staff/" if username else "/"
    queue, shapes, failures = [(start, None)], {re.sub(r"\d+", "N", start)}, []
    problems: dict[str, list[str]] = {}
    while queue and len(shapes) < 120:
        url, origin = queue.pop(0)
        # Where one lands after login: the staff home, or a citizen's own page.
        response = client.get(url, follow=url == start)
        if response.status_code != 200:
            failures.append((url, response.status_code, origin))
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if username and not any(re.search(p, url) for p in CONVENTION_EXCLUSIONS):
            found = convention_problems(html)
            if found:
                problems[url] = sorted(set(found))[:8]
        for href in re.findall(r'href="(/[^"#]*)"', html):
            href = href.replace("&amp;", "&")
            shape = re.sub(r"\d+", "N", href.split("?")[0])
            if SKIPPED_LINKS.search(href) or shape in shapes:
                continue
            shapes.add(shape)
            queue.append((href, url))
    _CRAWLS[key] = (failures, problems, shapes)
    return _CRAWLS[key]


class NoLinkLeadsToARefusal:
    """Crawl the whole demo as each demo user (one page per URL shape): every link a page offers
    opens, so nobody is shown a button that answers 403 or 404."""

    @pytest.mark.parametrize("username", [*DEMO_USERS, None])
    def test_every_offered_link_opens(self, client, username):
        failures, _, shapes = crawl(client, username)
        assert failures == [], failures
        assert len(shapes) > 15  # it did crawl

    @pytest.mark.parametrize("username", DEMO_USERS)
    def test_staff_pages_follow_the_office_conventions(self, client, username):
        """No dotted internal code (`honors.vote`, `tdkt.bode3`), no ungrouped amount
        (37440000), no count with decimals (2500,00) and no ISO date in what people read."""
        _, problems, _ = crawl(client, username)
        assert problems == {}, problems


@pytest.mark.usefixtures("hanoi_demo")
class TestSeedHonors(NoLinkLeadsToARefusal):
    def test_2024_round_has_a_decision_with_verifiable_certificates(self):
        round_ = Round.objects.get(title=ROUND_2024)
        assert round_.kind == Round.Kind.REGULAR and round_.status == Round.Status.CLOSED
        # and the nominees proposed upward to bodies outside the Front (demo.honors.upward)
        assert round_.nominations.count() == len(NOMINEES_2024) + len(UPWARD_NOMINEES_2024)
        assert len(NOMINEES_2024) >= 25
        # Nominations come from the 2024 wards (closed today), not today's tree.
        assert not round_.nominations.filter(unit__valid_to__isnull=True).exists()
        decision = round_.decisions.get()
        assert decision.number == DECISION_2024
        assert decision.signed_on.year == 2024 and decision.total_cash > 0
        certificates = list(Certificate.objects.filter(honour__decision=decision))
        assert len(certificates) >= 20
        statuses = [
            selectors.verify_certificate(c.serial, c.content_hash).status for c in certificates
        ]
        assert statuses.count("revoked") == 1
        assert statuses.count("valid") == len(certificates) - 1
        revoked = next(c for c in certificates if c.revoked_at)
        assert revoked.revocation_reason and revoked.revoked_at.year == 2025
        assert selectors.verify_certificate(certificates[0].serial, "0" * 64).status == (
            "wrong_code"
        )

    def test_2024_dossiers_travelled_up_with_their_history_in_2024(self):
        round_ = Round.objects.get(title=ROUND_2024)
        conferred = round_.nominations.filter(status=Nomination.Status.CONFERRED).first()
        actions = list(conferred.events.values_list("action", flat=True))
        assert actions[:2] == ["created", "submitted"]
        assert actions.count("endorsed") == 2  # ward, then district
        assert actions[-2:] == ["voted", "conferred"]
        # (the nominees proposed upward were honoured by the city's 2025 decision: not these)
        events = NominationEvent.objects.filter(nomination__round=round_).exclude(
            nomination__upward_entries__isnull=False
        )
        assert not events.exclude(at__year=2024).exists()
        assert events.filter(action="returned").exclude(reason="").exists()
        statuses = set(round_.nominations.values_list("status", flat=True))
        assert {"conferred", "rejected", "not_approved"} <= statuses
        # Written opinion of an absent member, secret ballot for the emulation fighter.
        assert round_.nominations.filter(vote__ballots__written=True).exists()
        secret = round_.nominations.filter(award_type__code="chien-si-thi-dua-co-so").first()
        assert secret.vote.secret and not secret.vote.ballots.exclude(choice="").exists()

    def test_statistics_record_women_direct_workers_and_ethnic_minorities(self):
        stats = selectors.registry_statistics(Honour.objects.filter(decision__number=DECISION_2024))
        assert 35 <= stats.women_share <= 65
        assert stats.direct_workers > 0 and stats.ethnic_minorities > 0

    def test_ad_hoc_honour_exists(self):
        round_ = Round.objects.get(title=ADHOC_TITLE)
        honour = Honour.objects.get(nomination__round=round_)
        assert honour.kind == "ad_hoc" and honour.certificate.serial
        assert selectors.verify_certificate(
            honour.certificate.serial, honour.certificate.content_hash
        ).is_valid
        assert honour.nomination.exemplar is not None  # from a "good people, good deeds" exemplar

    def test_thematic_round_is_tied_to_a_movement_with_work_in_progress(self):
        round_ = Round.objects.get(kind=Round.Kind.THEMATIC)
        assert round_.movement.title == THEMATIC_MOVEMENT
        assert round_.status == Round.Status.OPEN
        statuses = set(round_.nominations.values_list("status", flat=True))
        assert {"draft", "submitted", "returned", "at_council"} <= statuses
        ward_leader = User.objects.get(username="lanhdao.bode")
        waiting = selectors.visible_nominations(ward_leader).filter(
            status="submitted", current_unit__name="Phường Bồ Đề"
        )
        assert waiting.exists()
        assert round_.nominations.filter(vote__closed_at__isnull=True, vote__yes__gt=0).exists()

    def test_the_ward_lists_its_cultural_residential_areas_on_public_notice(self, client):
        round_ = Round.objects.get(title=WARD_ROUND)
        assert round_.owner_unit.name == "Phường Bồ Đề"
        assert round_.council.members.count() == 5
        notice = PublicNotice.objects.get(round=round_)
        today = timezone.localdate()
        assert notice.is_open_on(today) and notice.ends_on - notice.starts_on == dt.timedelta(9)
        listed = round_.nominations.filter(notice=notice, status="approved")
        assert listed.count() == 3
        page = client.get(reverse("public_honors:notices")).content.decode()
        assert round_.title in page
        page = client.get(reverse("public_honors:notice", args=[notice.pk])).content.decode()
        for nomination in listed:
            assert nomination.nominee_name in page
        assert "0912 345 678" not in page  # a commenter's contact is never published
        assert NoticeComment.objects.filter(notice=notice).count() == 1

    def test_registry_search_ignores_diacritics(self):
        admin = User.objects.get(username="admin")
        found = selectors.registry(admin, query="nguyen thi hong nhung")
        assert [h.recipient_name for h in found] == ["Nguyễn Thị Hồng Nhung"]

    def test_second_run_changes_nothing(self):
        before = row_counts()
        again = io.StringIO()
        call_command("seed_honors", stdout=again)
        assert row_counts() == before
        assert "already there: 4" in again.getvalue()
