"""The demo newsroom on a small tree: every workflow state, the issue 10/2024 of 12 stories on
8 pages, fees, and a second run that changes nothing."""

import datetime as dt
import io

import pytest

from tests.factories import UserFactory, grant
from thidua.practices import services as practice_services
from thidua.publishing.models import Fee, Issue, Story

pytestmark = pytest.mark.django_db


def test_demo_newsroom(tree, fields, admin_user):
    grant(UserFactory(username="bientap"), "editor", tree["city"])
    grant(UserFactory(username="canbo"), "officer", tree["bo_de"])
    grant(UserFactory(username="lanhdao", full_name="Trần Thị Lan"), "leader", tree["city"])
    # replicas of a model carry its title: the newsroom tells the model once
    source = practice_services.record_practice(
        admin_user,
        owner_unit=tree["bo_de"],
        title="Ngõ xanh, sạch, đẹp",
        field=fields["environment"],
        description="Mô hình gốc.",
        started_on=dt.date(2023, 1, 1),
    )
    for ward in ("phuc_loi", "quang_an"):
        practice_services.replicate(
            admin_user, source=source, adopting_unit=tree[ward], override_reason="Nhân rộng"
        )
    for index in range(40):
        practice_services.record_practice(
            admin_user,
            owner_unit=tree["bo_de"] if index % 2 else tree["group"],
            title=f"Mô hình số {index}",
            field=fields["environment"],
            description="Bà con cùng làm <sạch> ngõ.",
            started_on=dt.date(2024, 1, 1),
        )
    from thidua.demo import publishing

    out = io.StringIO()
    publishing.seed(stdout=out)
    statuses = set(Story.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in Story.Status} - {"unpublished"}
    assert Story.objects.filter(status="draft").exclude(return_reason="").exists()
    assert Story.objects.filter(is_live=True, status="in_review").exists()  # an edit in review
    issue = Issue.objects.get(number="10/2024")
    assert str(issue) == "Dân chủ và Đoàn kết số 10/2024"
    assert issue.status == Issue.Status.PUBLISHED
    assert issue.slots.count() == 12
    assert set(issue.slots.values_list("page", flat=True)) == set(range(1, 9))
    assert Fee.objects.filter(issue=issue, status="approved").count() == 12
    assert Story.objects.filter(revision__body__contains="&lt;sạch&gt;").exists()
    titles = [story.revision.title for story in Story.objects.select_related("revision")]
    assert len(titles) == len(set(titles))  # no story twice (replicas, revisions)
    assert titles.count("Mô hình “Ngõ xanh, sạch, đẹp”") == 1
    count = Story.objects.count()
    publishing.seed(stdout=out)
    assert Story.objects.count() == count
