import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import UserFactory
from thidua.practices import services
from thidua.practices.models import Practice

pytestmark = pytest.mark.django_db


def test_practice_outside_scope_is_404_until_summarised(client, practice, tree):
    outsider = UserFactory(username="th", roles=[("officer", tree["tay_ho"])])
    client.force_login(outsider)
    url = reverse("practices:detail", args=[practice.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("practices:detail", args=[999_999])).status_code == 404
    assert (
        client.post(
            reverse("practices:action", args=[practice.pk, "stage"]), {"to_stage": "nurtured"}
        ).status_code
        == 404
    )
    Practice.objects.filter(pk=practice.pk).update(stage="summarised")
    assert client.get(url).status_code == 200
    # visible, but the outsider cannot move it
    response = client.post(
        reverse("practices:action", args=[practice.pk, "stage"]), {"to_stage": "replicated"}
    )
    assert response.status_code == 403


def test_recording_is_refused_without_a_role(client, db):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("practices:create")).status_code == 403


def test_record_form_requires_a_field_and_writes_nothing(client, tree, fields):
    officer = UserFactory(username="tdp", roles=[("officer", tree["group"])])
    client.force_login(officer)
    response = client.post(
        reverse("practices:create"),
        {
            "owner_unit": tree["group"].pk,
            "title": "Không có lĩnh vực",
            "started_on": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in response.content.decode()
    assert not Practice.objects.exists()


def test_replicating_into_own_unit_shows_an_error(client, practice, tree, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("practices:action", args=[practice.pk, "replicate"]),
        {
            "adopting_unit": tree["group"].pk,
            "started_on": "2026-02-01",
        },
    )
    assert response.status_code == 400
    assert Practice.objects.count() == 1


def test_list_export_and_query_count(client, practice, tree, fields, admin_user):
    client.force_login(admin_user)
    url = reverse("practices:list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(2):
        services.record_practice(
            admin_user, owner_unit=tree["bo_de"], title=f"Mô hình {n}", field=fields["social"]
        )
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)
    response = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4 and sheet["A2"].value in {"Ngõ xanh", "Mô hình 0", "Mô hình 1"}


def test_coverage_export_lists_gaps(client, practice, tree, admin_user):
    client.force_login(admin_user)
    response = client.get(
        reverse("practices:coverage"),
        {"unit": tree["long_bien"].pk, "kind": "ward", "format": "xlsx"},
    )
    workbook = load_workbook(io.BytesIO(response.content))
    gaps = workbook[workbook.sheetnames[1]]
    rows = [[c.value for c in row] for row in gaps.iter_rows(min_row=2)]
    assert ["Mỹ quan đô thị – môi trường", tree["phuc_loi"].code, "Phường Phúc Lợi"] in rows


def test_public_pages(client, practice, tree):
    assert client.get(reverse("public_practices:practice_list")).status_code == 200
    body = client.get(reverse("public_practices:practice_list"), {"q": "xanh"}).content.decode()
    assert "Ngõ xanh" in body
    assert (
        client.get(reverse("public_practices:practice_detail", args=[practice.pk])).status_code
        == 200
    )
    assert client.get(reverse("public_practices:exemplar_list")).status_code == 200


def test_list_filters_by_unit_name_without_accents(client, practice, tree, fields, admin_user):
    services.record_practice(
        admin_user, owner_unit=tree["quang_an"], title="Phố đi bộ", field=fields["social"]
    )
    client.force_login(admin_user)
    url = reverse("practices:list")
    body = client.get(url, {"unit": "bo de"}).content.decode()
    assert "Ngõ xanh" in body and "Phố đi bộ" not in body
    assert "Tổ dân phố 1 — Phường Bồ Đề" in body  # the group is named with its ward
    body = client.get(url, {"unit": "Không có"}).content.decode()
    assert "Không có đơn vị nào có tên này." in body
