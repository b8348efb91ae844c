"""The clusters' demo seeder on a city of 126 wards (the full Hà Nội demo is crawled by the
demo tests): clusters labelled as demo groupings, block no. 4 of the member organisations, one
published review and sheets at every stage; a second run changes nothing."""

import datetime as dt

import pytest

from tests.factories import UserFactory, make_unit
from thidua.clusters.models import Cluster, Membership, Review, ScoreSheet, Step
from thidua.clusters.selectors import current_members
from thidua.demo import clusters as demo
from thidua.org.models import MEMBER_ORGANISATION, Unit

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_clusters_a_published_review_and_every_stage(db):
    city = make_unit("Thành phố Hà Nội", code="01", kind_code="province")
    for n in range(126):
        make_unit(f"Phường {n:02d}", parent=city, kind_code="ward", code=f"{n:05d}")
    admin = UserFactory(username="admin", roles=[("administrator", city)])
    admin.is_superuser = True
    admin.save()
    UserFactory(username="lanhdao", roles=[("leader", city)])
    UserFactory(username="hoidong", roles=[("council_member", city)])
    demo.seed()
    geographic = Cluster.objects.filter(note=demo.DEMO_NOTE)
    assert geographic.count() == 12
    assert Cluster.objects.filter(name=demo.BLOCK_4, kind=Cluster.Kind.BLOCK).exists()
    assert Review.objects.filter(published_at__isnull=False).count() == 1
    statuses = set(ScoreSheet.objects.values_list("status", flat=True))
    assert {
        Step.SELF_ASSESSING,
        Step.SUBMITTED,
        Step.SPECIALIST_REVIEW,
        Step.BOARD_REVIEW,
        Step.COUNCIL_REVIEW,
        Step.STANDING_REVIEW,
        Step.PUBLISHED,
    } <= statuses
    assert ScoreSheet.objects.exclude(return_reason="").exists()
    # block no. 4: the city Front's five member organisations, with a term and sheets
    block = Cluster.objects.get(name=demo.BLOCK_4)
    organisations = Unit.objects.filter(kind__code=MEMBER_ORGANISATION, parent=city)
    assert {u.pk for u in current_members(block, on=dt.date(2025, 12, 31))} == {
        u.pk for u in organisations
    }
    assert organisations.count() == 5
    assert block.terms.get(year=2025).head in organisations
    sheets = ScoreSheet.objects.filter(review__cluster=block)
    assert sheets.count() == 5 and sheets.filter(status=Step.SUBMITTED).count() == 2
    # the wards stay 126, and the geographic clusters hold wards only
    assert Unit.objects.filter(parent=city, kind__code="ward").count() == 126
    assert not Membership.objects.filter(
        cluster__note=demo.DEMO_NOTE, unit__kind__code=MEMBER_ORGANISATION
    ).exists()
    published = Review.objects.get(published_at__isnull=False)
    assert published.ranking.count() == published.sheets.count()
    count = ScoreSheet.objects.count()
    demo.seed()
    assert ScoreSheet.objects.count() == count
