"""What a visitor of the demo meets when something goes wrong (DEBUG off, as the demo runs)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from thidua.core.views import server_error

pytestmark = pytest.mark.django_db


def test_404_page_is_styled_and_leads_home(client):
    body = client.get("/no/such/page/").content.decode()
    assert 'href="/static/thidua/thidua.css"' in body
    assert f'href="{reverse("core:home")}"' in body
    assert "Về trang chủ" in body


@pytest.mark.parametrize(
    ("language", "text"),
    [("vi", "Lỗi máy chủ"), ("en", "Server error"), ("id", "Kesalahan server")],
)
def test_500_page_renders_without_request_context_or_database(
    language, text, django_assert_num_queries
):
    request = RequestFactory().get("/")  # no user, no session: the middleware may not have run
    with translation.override(language), django_assert_num_queries(0):
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert text in body
    assert f'<html lang="{language}">' in body
    assert 'href="/static/thidua/thidua.css"' in body and 'href="/"' in body


@pytest.mark.urls("tests.core.urls_failing")
def test_a_failing_page_answers_the_friendly_500_without_the_traceback(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Lỗi máy chủ" in body and "boom" not in body and "Traceback" not in body


def test_public_files_are_served_with_debug_off_and_private_ones_never(client, settings):
    assert settings.DEBUG is False
    name = storages["public"].save("emblems/huy-hieu.txt", ContentFile(b"huy hieu"))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"huy hieu"
    private = storages["private"].save("evidence/anh.txt", ContentFile(b"minh chung"))
    assert client.get(f"/media/{private}").status_code == 404
