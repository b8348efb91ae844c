"""The public front door (`/`): open calls with their submit button, running movements, honours on
public notice, recognised initiatives, exemplars and practices, the certificate check; and a
signed-in citizen's own page of submissions and comments."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.factories.honors import approve, nominate
from thidua.honors.models import AwardRule
from thidua.honors.services.notices import publish_notice
from thidua.initiatives import services as initiatives
from thidua.initiatives.models import Call, Submission
from thidua.movements import services as movements
from thidua.movements.models import Movement
from thidua.practices.models import Exemplar, Practice
from thidua.shared.models import Field

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def field(db):
    return Field.objects.get_or_create(
        code="environment", defaults={"name_vi": "Môi trường", "name_en": "Environment"}
    )[0]


def make_call(actor, tree, council, field, *, title, status=Call.Status.OPEN, **dates):
    call = initiatives.create_call(
        actor,
        owner_unit=tree["city"],
        council=council,
        title=title,
        opens_on=dates.get("opens_on", TODAY() - dt.timedelta(days=5)),
        closes_on=dates.get("closes_on", TODAY() + dt.timedelta(days=20)),
        fields=[field],
    )
    if status != Call.Status.DRAFT:
        initiatives.set_call_status(actor, call=call, status=Call.Status.OPEN)
    if status == Call.Status.CLOSED:
        initiatives.set_call_status(actor, call=call, status=Call.Status.CLOSED)
    return call


def make_movement(actor, tree, title, *, launch=True, ends_on=None):
    from thidua.org.models import UnitKind

    movement = movements.create_movement(
        actor,
        title=title,
        owner_unit=tree["city"],
        kind=Movement.Kind.STANDING,
        starts_on=TODAY() - dt.timedelta(days=30),
        ends_on=ends_on or TODAY() + dt.timedelta(days=300),
        schedule=Movement.Schedule.QUARTERLY,
        scope_kinds=[UnitKind.objects.get(code="ward")],
        indicators=[{"name": "Hộ văn hóa", "aggregation": "sum"}],
    )
    return movements.launch_movement(actor, movement=movement) if launch else movement


def make_exemplar(tree, name, *, status=Exemplar.Status.VERIFIED, unit="bo_de"):
    return Exemplar.objects.create(
        kind="person",
        name=name,
        owner_unit=tree[unit],
        deeds="Giúp đỡ người nghèo",
        status=status,
        verified_at=timezone.now(),
    )


def make_practice(tree, field, title):
    return Practice.objects.create(
        title=title, owner_unit=tree["bo_de"], field=field, started_on=TODAY()
    )


def test_an_empty_front_door_still_offers_every_section_and_the_login(client, db):
    page = client.get("/").content.decode()
    for section in (
        "front-calls",
        "front-movements",
        "front-notices",
        "front-recognised",
        "front-exemplars",
        "front-practices",
        "front-check",
    ):
        assert f'data-testid="{section}"' in page, section
    assert f'href="{reverse("accounts:login")}"' in page
    assert 'action="/p/verify/"' in page and 'name="serial"' in page and 'name="code"' in page


def test_the_front_door_shows_what_is_public_and_open(
    client, tree, admin_user, people, city_round, awards, field
):
    open_call = make_call(admin_user, tree, city_round.council, field, title="Sáng kiến 2026")
    make_call(admin_user, tree, city_round.council, field, title="Đợt nháp", status="draft")
    make_call(admin_user, tree, city_round.council, field, title="Đợt đã đóng", status="closed")
    make_movement(admin_user, tree, "Phong trào đang chạy")
    make_movement(admin_user, tree, "Phong trào nháp", launch=False)
    make_exemplar(tree, "Bà Nguyễn Thị Hoa")
    make_exemplar(tree, "Ông Chưa Duyệt", status=Exemplar.Status.PROPOSED)
    make_exemplar(tree, "Chi hội Phụ nữ", unit="group")
    make_practice(tree, field, "Tổ tự quản giữ sạch hồ")
    recognised = initiatives.submit_initiative(
        admin_user,
        call=open_call,
        data={
            "title": "Lọc nước mưa",
            "summary": "Lọc nước",
            "description": "Bể lọc",
            "expected_benefit": "Nước sạch",
            "field": field,
            "unit": tree["bo_de"],
            "applicant_kind": "person",
            "applicant_name": "Nguyễn Văn An",
        },
    )
    Submission.objects.filter(pk=recognised.pk).update(status=Submission.Status.RECOGNISED)
    AwardRule.objects.filter(award_type=awards["bang-khen"]).update(public_notice_days=10)
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    approve(nomination, people, city_round.council)
    notice = publish_notice(people["city_officer"], round=city_round)

    page = client.get("/").content.decode()
    submit = reverse("public_initiatives:submit", args=[open_call.slug])
    assert "Sáng kiến 2026" in page and f'href="{submit}"' in page
    assert "Đợt nháp" not in page and "Đợt đã đóng" not in page
    assert "Phong trào đang chạy" in page and "Phong trào nháp" not in page
    assert "Bà Nguyễn Thị Hoa" in page and "Ông Chưa Duyệt" not in page
    assert "Tổ dân phố 1, Phường Bồ Đề" in page  # a residential area named with its ward
    assert "Tổ tự quản giữ sạch hồ" in page
    assert "Lọc nước mưa" in page
    assert city_round.title in page
    assert f'href="{reverse("public_honors:notice", args=[notice.pk])}"' in page
    # One open call: the hero's button goes straight to its form too.
    assert page.count(f'href="{submit}"') == 2


def test_each_section_shows_a_few_with_a_constant_number_of_queries(client, tree, field):
    def count_queries():
        cache.clear()  # the rendering is counted, not the cached page (this test writes directly)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    make_exemplar(tree, "Người 0")
    make_practice(tree, field, "Mô hình 0")
    one = count_queries()
    for n in range(1, 8):
        make_exemplar(tree, f"Người {n}")
        make_practice(tree, field, f"Mô hình {n}")
    assert count_queries() == one
    page = client.get("/").content.decode()
    assert sum(f"Người {n}<" in page for n in range(8)) == 4
    assert sum(f"Mô hình {n}<" in page for n in range(8)) == 4


def test_my_page_lists_my_confirmed_initiatives_and_my_comments(
    client, tree, admin_user, people, city_round, awards, field
):
    citizen = UserFactory(username="an", email="An@Example.org", roles=[("citizen", tree["bo_de"])])
    call = make_call(admin_user, tree, city_round.council, field, title="Sáng kiến 2026")
    data = {
        "title": "Lọc nước mưa",
        "summary": "Lọc nước",
        "description": "Bể lọc",
        "expected_benefit": "Nước sạch",
        "field": field,
        "unit": tree["bo_de"],
        "applicant_kind": "person",
        "applicant_name": "Nguyễn Văn An",
        "applicant_email": "an@example.org",
    }
    from django.contrib.auth.models import AnonymousUser

    mine = initiatives.submit_initiative(AnonymousUser(), call=call, data=data)
    initiatives.confirm_email(token=mine.token)
    initiatives.submit_initiative(
        AnonymousUser(), call=call, data={**data, "title": "Chưa xác nhận"}
    )
    initiatives.submit_initiative(
        AnonymousUser(),
        call=call,
        data={**data, "title": "Của người khác", "applicant_email": "binh@example.org"},
    )
    AwardRule.objects.filter(award_type=awards["bang-khen"]).update(public_notice_days=10)
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    approve(nomination, people, city_round.council)
    notice = publish_notice(people["city_officer"], round=city_round)
    url = reverse("public_honors:notice", args=[notice.pk])
    comment = {"nomination": nomination.pk, "name": "An", "contact": "an@example.org"}
    client.post(url, {**comment, "text": "Góp ý của một người khác, không đăng nhập."})
    client.force_login(citizen)
    client.post(url, {**comment, "text": "Tôi xác nhận thành tích của bà Hoa."})

    response = client.get(reverse("my_page"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Lọc nước mưa" in page
    assert f'href="{reverse("public_initiatives:status", args=[mine.token])}"' in page
    assert "Chưa xác nhận" not in page and "Của người khác" not in page
    assert "Tôi xác nhận thành tích của bà Hoa." in page
    assert "không đăng nhập" not in page


def test_my_page_needs_a_login(client, db):
    response = client.get(reverse("my_page"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )
