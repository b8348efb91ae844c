"""The public notice of proposed honours is a shared posting (core.Posting): the nominees frozen
as published, the window, the notice-board PDF with its hash; old notices get theirs on
migration."""

import datetime as dt
import hashlib
import importlib
import io

import pytest
from django.apps import apps
from django.utils import timezone
from pypdf import PdfReader

from tests.factories.honors import approve, nominate
from thidua.core.models import Posting
from thidua.honors.models import AwardRule, Nomination, PublicNotice
from thidua.honors.services.notices import publish_notice

pytestmark = pytest.mark.django_db

migration = importlib.import_module("thidua.honors.migrations.0019_notice_posting")


@pytest.fixture
def approved(tree, people, city_round, awards):
    AwardRule.objects.filter(award_type=awards["bang-khen"]).update(public_notice_days=10)
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    approve(nomination, people, city_round.council)
    nomination.refresh_from_db()
    return nomination


def test_publishing_posts_the_frozen_list_with_its_window_and_pdf(people, city_round, approved):
    today = timezone.localdate()
    notice = publish_notice(people["city_officer"], round=city_round, today=today)
    posting = Posting.objects.get(key=f"honors.notice:{notice.pk}")
    assert notice.posting == posting and posting.version == 1
    assert (posting.starts_on, posting.ends_on) == (today, today + dt.timedelta(days=9))
    assert (notice.starts_on, notice.ends_on) == (posting.starts_on, posting.ends_on)
    assert posting.unit == city_round.owner_unit and city_round.title in posting.title
    assert len(posting.columns) == 4
    assert posting.entries == [
        [1, approved.nominee_name, approved.unit.display_name, approved.award_type.name]
    ]
    pdf = posting.pdf.read()
    assert hashlib.sha256(pdf).hexdigest() == posting.pdf_hash
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert approved.nominee_name in text


def test_a_later_change_of_a_name_does_not_change_what_was_posted(people, city_round, approved):
    notice = publish_notice(people["city_officer"], round=city_round)
    Nomination.objects.filter(pk=approved.pk).update(nominee_name="Tên Đã Sửa")
    posting = Posting.objects.get(pk=notice.posting_id)
    assert posting.entries[0][1] == approved.nominee_name != "Tên Đã Sửa"


def test_the_window_is_read_from_the_posting(people, city_round, approved):
    notice = publish_notice(people["city_officer"], round=city_round)
    past = timezone.localdate() - dt.timedelta(days=20)
    Posting.objects.filter(pk=notice.posting_id).update(
        starts_on=past, ends_on=past + dt.timedelta(days=9)
    )
    notice = PublicNotice.objects.select_related("posting").get(pk=notice.pk)
    assert not notice.is_open and notice.window()[1] == past + dt.timedelta(days=9)


def test_the_migration_links_an_existing_notice_and_reverses(people, city_round, approved):
    notice = publish_notice(people["city_officer"], round=city_round)
    # A notice published before postings existed: no posting yet.
    Posting.objects.filter(pk=notice.posting_id).delete()
    notice.refresh_from_db()
    assert notice.posting is None
    migration.link_postings(apps, None)
    notice.refresh_from_db()
    posting = notice.posting
    assert posting is not None and posting.key == f"honors.notice:{notice.pk}"
    assert (posting.starts_on, posting.ends_on) == (notice.starts_on, notice.ends_on)
    assert posting.entries == [
        [1, approved.nominee_name, approved.unit.display_name, approved.award_type.name]
    ]
    assert posting.pdf_hash == ""
    migration.link_postings(apps, None)  # run twice: nothing new
    assert Posting.objects.filter(key__startswith="honors.notice:").count() == 1
    migration.unlink_postings(apps, None)
    notice.refresh_from_db()
    assert notice.posting is None and not Posting.objects.filter(key__startswith="honors.").exists()
