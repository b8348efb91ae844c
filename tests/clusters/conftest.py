"""A city's cluster of eight wards, its people (specialist, board leader, council member, one
officer per ward, an outsider) and a small score table: two groups, three criteria."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import UserFactory, make_unit
from thidua.clusters import services
from thidua.clusters.models import Criterion

WARDS = ["Phường An", "Phường Bình", "Phường Cầu", "Phường Dương", "Phường Đông",
         "Phường Giang", "Phường Hà", "Phường Kim"]  # fmt: skip
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def evidence_file(name: str = "minh-chung.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def wards(db, tree):
    return [
        make_unit(name, parent=tree["city"], kind_code="ward", code=f"w{n}")
        for n, name in enumerate(WARDS)
    ]


@pytest.fixture
def crew(db, tree, wards):
    city = tree["city"]
    people = {
        "specialist": UserFactory(username="cl-specialist", roles=[("officer", city)]),
        "leader": UserFactory(username="cl-leader", roles=[("leader", city)]),
        "council": UserFactory(username="cl-council", roles=[("council_member", city)]),
        "outsider": UserFactory(
            username="cl-outsider",
            roles=[("officer", make_unit("Hải Phòng", code="31", kind_code="province"))],
        ),
    }
    for n, ward in enumerate(wards):
        people[f"ward{n}"] = UserFactory(username=f"cl-ward{n}", roles=[("officer", ward)])
    return people


@pytest.fixture
def table(crew, tree):
    s = crew["specialist"]
    table = services.create_table(
        s, owner_unit=tree["city"], year=2025, title="Bảng chấm điểm thi đua cụm 2025"
    )
    g1 = services.add_group(s, table=table, code="I", title="Tổ chức, cán bộ")
    g2 = services.add_group(s, table=table, code="II", title="Phong trào, cuộc vận động")
    services.add_criterion(
        s, group=g1, code="1.1", title="Kiện toàn tổ chức", max_points=Decimal(10),
        evidence_required=True, deadline=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    services.add_criterion(s, group=g1, code="1.2", title="Đào tạo cán bộ", max_points=Decimal(8))
    services.add_criterion(
        s, group=g2, code="2.1", title="Ngày hội Đại đoàn kết", max_points=Decimal(10),
        bonus_max=Decimal(2),
    )  # fmt: skip
    return table


def criteria(table):
    return {c.code: c for c in Criterion.objects.filter(table=table)}


@pytest.fixture
def cluster(crew, tree, wards):
    cluster = services.create_cluster(
        crew["specialist"], owner_unit=tree["city"], name="Cụm thi đua số 1", note="Nhóm mẫu"
    )
    services.add_members(
        crew["specialist"], cluster=cluster, units=wards, joined_on=dt.date(2025, 1, 1)
    )
    return cluster


@pytest.fixture
def review(crew, cluster, table):
    return services.open_review(crew["specialist"], cluster=cluster, year=2025, table=table)


def self_assess(review, crew, wards, *, values=(9, 7, 8), submit=True):
    """Every member scores itself (1.1 with evidence) and submits."""
    from thidua.clusters.models import ScoreSheet

    codes = criteria(review.table)
    for n, ward in enumerate(wards):
        sheet = ScoreSheet.objects.get(review=review, unit=ward)
        user = crew[f"ward{n}"]
        services.add_evidence(user, sheet=sheet, criterion=codes["1.1"], file=evidence_file())
        for code, value in zip(["1.1", "1.2", "2.1"], values, strict=True):
            # members differ by their 2.1 score so the ranking is strict
            v = value - (n % 4) if code == "2.1" else value
            services.record_score(user, sheet=sheet, criterion=codes[code], value=v)
        if submit:
            services.submit_sheet(user, sheet=sheet)
