import pytest
from django.urls import reverse

from thidua.core import audit

pytestmark = pytest.mark.django_db


def test_home_is_public_and_vietnamese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"),
    [("vi", "Không tìm thấy trang"), ("en", "Page not found"), ("id", "Halaman tidak ditemukan")],
)
def test_unknown_url_gives_friendly_404_in_users_language(client, language, text):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert text in response.content.decode()


def test_audit_log_refused_to_officer_with_403_page(client, tree, officer):
    client.force_login(officer)
    response = client.get(reverse("core:audit_log"))
    assert response.status_code == 403
    assert "Không được phép" in response.content.decode()


def test_audit_log_filters_by_unit_picked_by_name_without_accents(client, tree, admin_user):
    audit.record(admin_user, "test.in_long_bien", tree["bo_de"], {})
    audit.record(admin_user, "test.in_tay_ho", tree["quang_an"], {})
    client.force_login(admin_user)
    response = client.get(reverse("core:audit_log"), {"unit": "long bien"})
    body = response.content.decode()
    assert "Phường Bồ Đề" in body and "Phường Quảng An" not in body
    assert 'list="audit-units"' in body and '<option value="Quận Long Biên">' in body


def test_audit_log_unit_picked_with_its_parent(client, tree, admin_user):
    audit.record(admin_user, "test.group", tree["group"], {})
    audit.record(admin_user, "test.ward", tree["bo_de"], {})
    client.force_login(admin_user)
    response = client.get(reverse("core:audit_log"), {"unit": "Tổ dân phố 1 — Phường Bồ Đề"})
    rows = response.context["page"].object_list
    assert [e.verb for e in rows] == ["test.group"]
    assert "Tổ dân phố 1 — Phường Bồ Đề" in response.content.decode()


def test_audit_log_unknown_unit_shows_nothing_and_says_so(client, tree, admin_user):
    audit.record(admin_user, "test.ward", tree["bo_de"], {})
    client.force_login(admin_user)
    response = client.get(reverse("core:audit_log"), {"unit": "Không có đơn vị này"})
    assert list(response.context["page"].object_list) == []
    assert "Không có đơn vị nào" in response.content.decode()


def test_audit_log_speaks_in_words_with_full_names(client, tree, admin_user):
    admin_user.full_name = "Nguyễn Văn An"
    admin_user.save()
    audit.record(admin_user, "honors.endorse", tree["bo_de"], {})
    audit.record(admin_user, "movements.something_new", tree["bo_de"], {})
    audit.record("seed", "org.import_units", None, {}, unit=tree["bo_de"])
    client.force_login(admin_user)
    body = client.get(reverse("core:audit_log")).content.decode()
    assert "Nguyễn Văn An đã thông qua đề nghị khen thưởng Phường Bồ Đề" in body
    assert "Nguyễn Văn An đã thay đổi trong phong trào thi đua: Phường Bồ Đề" in body
    assert "Hệ thống đã nhập đơn vị từ tệp" in body
    for code in ("honors.endorse", "movements.something_new", admin_user.username, "org.unit"):
        assert code not in body


def test_every_recorded_verb_has_a_sentence():
    """Every verb a service records (the literals around each `audit.record(` call) has its
    sentence in words; permissions named near the call are not verbs."""
    import pathlib
    import re

    from thidua.core.audit_text import VERB_SENTENCES
    from thidua.core.policy import RULES

    apps = (
        "core|accounts|org|shared|movements|initiatives|practices|honors|surveys|mobilization"
        "|publishing|cultural_titles|training"
    )
    literal = re.compile(rf'"((?:{apps})\.[a-z_]+)"')
    source = pathlib.Path(__file__).resolve().parents[2] / "src" / "thidua"
    verbs = set()
    for path in source.rglob("*.py"):
        text = path.read_text()
        for call in re.finditer(r"audit\.record\(", text):
            verbs |= set(literal.findall(text[call.start() - 300 : call.end() + 200]))
        verbs |= set(re.findall(r'verb="([a-z_]+\.[a-z_]+)"', text))
    assert len(verbs - set(RULES)) > 50
    assert verbs - set(RULES) - set(VERB_SENTENCES) == set()


def test_audit_log_rejects_bad_dates_with_field_error(client, tree, admin_user):
    client.force_login(admin_user)
    response = client.get(
        reverse("core:audit_log"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu" in response.content.decode()


def test_audit_log_query_count_does_not_grow(client, tree, admin_user, django_assert_num_queries):
    client.force_login(admin_user)
    audit.record(admin_user, "test.one", tree["bo_de"], {})
    client.get(reverse("core:audit_log"))  # warm caches (content types, session)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # each measured request follows a write (which moves the cached grants and menus on), so
    # both pay the same fixed cost and only the number of events differs
    audit.record(admin_user, "test.zero", tree["bo_de"], {})
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("core:audit_log"))
    for n in range(3):
        audit.record(admin_user, f"test.more{n}", tree["quang_an"], {})
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("core:audit_log"))
    assert len(many) == len(one)


def test_vietnamese_by_default_even_for_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in response.content.decode()


def test_logged_in_user_gets_their_preferred_language(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="indo", language="id"))
    assert '<html lang="id">' in client.get("/").content.decode()


def test_every_asset_is_served_locally(client):
    import re

    body = client.get("/").content.decode()
    assets = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', body)
    assert len(assets) >= 3
    for asset in assets:
        assert asset.startswith("/static/"), asset
        response = client.get(asset)
        assert response.status_code == 200, asset
