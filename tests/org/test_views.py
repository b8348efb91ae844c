import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory, grant, make_unit, warm
from thidua.accounts.models import RoleGrant
from thidua.core.models import AuditEvent
from thidua.org.models import Restructuring, Unit

pytestmark = pytest.mark.django_db


def test_tree_needs_login(client):
    response = client.get(reverse("org:tree"))
    assert response.status_code == 302


def test_officer_sees_own_subtree_only(client, tree, officer):
    client.force_login(officer)
    body = client.get(reverse("org:tree")).content.decode()
    assert "Quận Long Biên" in body and "Quận Tây Hồ" not in body


@pytest.mark.parametrize("name", ["long_bien", "bo_de", "group"])
def test_unit_page_inside_scope(client, tree, officer, name):
    client.force_login(officer)
    response = client.get(reverse("org:unit_detail", args=[tree[name].pk]))
    assert response.status_code == 200
    assert tree[name].name in response.content.decode()


def test_breadcrumbs_link_only_the_units_the_officer_may_open(client, tree, officer):
    """An officer of Long Biên sees the city in the breadcrumbs as a name, not a link to a 404."""
    client.force_login(officer)
    body = client.get(reverse("org:unit_detail", args=[tree["bo_de"].pk])).content.decode()
    assert tree["city"].name in body
    assert reverse("org:unit_detail", args=[tree["city"].pk]) + '"' not in body
    assert reverse("org:unit_detail", args=[tree["long_bien"].pk]) + '"' in body


@pytest.mark.parametrize("url_name", ["org:unit_detail", "org:children", "org:grant_role"])
@pytest.mark.parametrize("name", ["tay_ho", "quang_an", "city"])
def test_unit_urls_outside_scope_answer_404_like_missing(client, tree, officer, url_name, name):
    client.force_login(officer)
    method = client.post if url_name == "org:grant_role" else client.get
    outside = method(reverse(url_name, args=[tree[name].pk]))
    missing = method(reverse(url_name, args=[999_999]))
    assert outside.status_code == missing.status_code == 404


def test_diacritic_insensitive_search(client, tree, admin_user):
    client.force_login(admin_user)
    body = client.get(reverse("org:tree"), {"q": "long bien"}).content.decode()
    assert "Quận Long Biên" in body
    body = client.get(reverse("org:tree"), {"q": "BỒ ĐỀ"}).content.decode()
    assert "Phường Bồ Đề" in body


def test_search_respects_scope(client, tree, officer):
    client.force_login(officer)
    body = client.get(reverse("org:tree"), {"q": "quang an"}).content.decode()
    assert "Phường Quảng An" not in body


def test_tree_as_of_date_hides_units_not_yet_open(client, tree, admin_user):
    make_unit("Phường Mới", parent=tree["long_bien"], code="NEW", valid_from=dt.date(2026, 1, 1))
    client.force_login(admin_user)
    url = reverse("org:children", args=[tree["long_bien"].pk])
    assert "Phường Mới" not in client.get(url, {"as_of": "2025-06-30"}).content.decode()
    assert "Phường Mới" in client.get(url, {"as_of": "2026-06-30"}).content.decode()


def test_children_partial_query_count_does_not_grow(client, tree, admin_user):
    client.force_login(admin_user)
    url = reverse("org:children", args=[tree["tay_ho"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        make_unit(f"Phường {n}", parent=tree["tay_ho"], code=f"TH{n}")
    warm(client)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


def test_unit_page_query_count_does_not_grow_with_children_and_grants(client, tree, admin_user):
    client.force_login(admin_user)
    url = reverse("org:unit_detail", args=[tree["tay_ho"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        make_unit(f"Phường {n}", parent=tree["tay_ho"], code=f"TH{n}")
        grant(UserFactory(username=f"th{n}"), "officer", tree["tay_ho"])
    warm(client)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


def test_administrator_grants_role_from_unit_page(client, tree, admin_user):
    UserFactory(username="newbie")
    client.force_login(admin_user)
    response = client.post(
        reverse("org:grant_role", args=[tree["bo_de"].pk]),
        {"username": "newbie", "role": "officer", "valid_from": "2026-01-01"},
    )
    assert response.status_code == 302
    assert RoleGrant.objects.filter(user__username="newbie", unit=tree["bo_de"]).exists()


def test_grant_form_errors_are_translated_and_write_nothing(client, tree, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("org:grant_role", args=[tree["bo_de"].pk]),
        {"username": "ghost", "role": "officer", "valid_from": "2026-13-01"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Không có người dùng với tên đăng nhập này." in body
    assert "Nhập một ngày hợp lệ." in body
    assert not RoleGrant.objects.filter(unit=tree["bo_de"]).exists()


def test_officer_cannot_grant_roles(client, tree, officer):
    UserFactory(username="friend")
    client.force_login(officer)
    response = client.post(
        reverse("org:grant_role", args=[tree["bo_de"].pk]),
        {"username": "friend", "role": "leader", "valid_from": "2026-01-01"},
    )
    assert response.status_code == 403
    assert not RoleGrant.objects.filter(user__username="friend").exists()


def test_end_grant_from_unit_page(client, tree, admin_user):
    target = UserFactory(username="leaving")
    role = grant(target, "officer", tree["bo_de"])
    client.force_login(admin_user)
    client.post(reverse("org:end_grant", args=[tree["bo_de"].pk, role.pk]))
    role.refresh_from_db()
    assert role.valid_to == timezone.localdate() - dt.timedelta(days=1)


def test_restructuring_pages_refused_to_officer(client, tree, officer):
    client.force_login(officer)
    assert client.get(reverse("org:restructuring_list")).status_code == 403
    assert client.get(reverse("org:restructuring_new")).status_code == 403


def test_restructuring_wizard_previews_then_applies(client, tree, admin_user):
    client.force_login(admin_user)
    form = {
        "effective_date": "2026-07-01",
        "title": "Sáp nhập phường",
        "legal_basis": "Nghị quyết 1/2026",
        "operation": "merge",
        "units": f"{tree['bo_de'].code}, {tree['phuc_loi'].code}",
        "new_code": "LB-NEW",
        "new_name": "Phường Bồ Đề mới",
        "confirm": "preview",
    }
    response = client.post(reverse("org:restructuring_new"), form)
    body = response.content.decode()
    assert "Phường Bồ Đề mới" in body and 'data-testid="preview"' in body
    assert not Unit.objects.filter(code="LB-NEW").exists()
    assert not Restructuring.objects.exists()
    response = client.post(reverse("org:restructuring_new"), {**form, "confirm": "apply"})
    assert response.status_code == 302
    new = Unit.objects.get(code="LB-NEW")
    assert new.parent == tree["long_bien"] and new.valid_from == dt.date(2026, 7, 1)
    tree["bo_de"].refresh_from_db()
    assert tree["bo_de"].valid_to == dt.date(2026, 6, 30)
    # The residential group of Bồ Đề was carried over under the new ward.
    assert Unit.objects.filter(parent=new, code=tree["group"].code).exists()
    assert AuditEvent.objects.filter(verb="org.apply_restructuring").count() == 1


def test_restructuring_wizard_shows_errors_and_writes_nothing(client, tree, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("org:restructuring_new"),
        {
            "effective_date": "2026-07-01",
            "title": "Chia tách",
            "operation": "split",
            "units": tree["bo_de"].code,
            "parts": "A; Phường A; 0.5; yes\nB; Phường B; 0.6; no",
            "confirm": "apply",
        },
    )
    assert response.status_code == 200
    assert "các tỷ lệ phải dương và có tổng bằng 1" in response.content.decode()
    assert not Restructuring.objects.exists()


def test_restructuring_undo_from_list(client, tree, admin_user):
    from thidua.org.services import apply_restructuring

    restructuring, _plan = apply_restructuring(
        admin_user,
        effective_date=dt.date(2026, 7, 1),
        title="Đổi tên",
        operations=[{"op": "rename", "unit": tree["quang_an"].code, "name": "Phường Quảng An 2"}],
    )
    client.force_login(admin_user)
    client.post(reverse("org:restructuring_undo", args=[restructuring.pk]))
    restructuring.refresh_from_db()
    assert restructuring.status == "undone"
    assert not Unit.objects.filter(name="Phường Quảng An 2").exists()
    tree["quang_an"].refresh_from_db()
    assert tree["quang_an"].valid_to is None


def test_the_restructuring_list_shows_the_latest_first(client, tree, admin_user):
    from thidua.org.services import apply_restructuring

    for day, unit, name in [
        (dt.date(2025, 1, 1), "bo_de", "Tên A"),
        (dt.date(2025, 7, 1), "phuc_loi", "Tên B"),
    ]:
        apply_restructuring(
            admin_user,
            effective_date=day,
            title=f"Đổi tên {name}",
            operations=[{"op": "rename", "unit": tree[unit].pk, "name": name}],
        )
    client.force_login(admin_user)
    response = client.get(reverse("org:restructuring_list"))
    assert response.status_code == 200
    titles = [r.title for r in response.context["page"]]
    assert titles == ["Đổi tên Tên B", "Đổi tên Tên A"]


def test_undoing_a_large_restructuring_asks_for_its_name_on_the_page(client, tree, admin_user):
    from thidua.org.services import apply_restructuring

    wards = [
        make_unit(f"Phường Tây Hồ {n}", parent=tree["tay_ho"], code=f"TH{n}") for n in range(6)
    ]
    restructuring, _plan = apply_restructuring(
        admin_user,
        effective_date=dt.date(2026, 7, 1),
        title="Sắp xếp phường Tây Hồ",
        operations=[
            {
                "op": "merge",
                "units": [w.pk for w in wards],
                "into": {"code": "TH", "name": "Phường Tây Hồ Mới"},
            }
        ],
    )
    client.force_login(admin_user)
    url = reverse("org:restructuring_undo", args=[restructuring.pk])
    page = client.get(url).content.decode()
    assert 'name="confirmation"' in page and "Sắp xếp phường Tây Hồ" in page

    refused = client.post(url, {"confirmation": "Sắp xếp"})
    assert refused.status_code == 400
    assert "gõ đúng tên" in refused.content.decode()
    restructuring.refresh_from_db()
    assert restructuring.status == "applied"

    client.post(url, {"confirmation": "Sắp xếp phường Tây Hồ"})
    restructuring.refresh_from_db()
    assert restructuring.status == "undone"


def test_undo_page_refused_to_an_officer(client, tree, admin_user, officer):
    from thidua.org.services import apply_restructuring

    restructuring, _plan = apply_restructuring(
        admin_user,
        effective_date=dt.date(2026, 7, 1),
        title="Đổi tên",
        operations=[{"op": "rename", "unit": tree["quang_an"].code, "name": "Phường Quảng An 2"}],
    )
    client.force_login(officer)
    url = reverse("org:restructuring_undo", args=[restructuring.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    restructuring.refresh_from_db()
    assert restructuring.status == "applied"
