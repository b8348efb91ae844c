"""Public pages are rendered once for anonymous visitors and served from the cache until a
service changes what they show."""

import gzip

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse

from thidua.core.public_cache import public_page
from thidua.movements import services


def test_a_public_page_is_served_from_the_cache_until_a_service_changes_it(
    client, movement, admin_user, django_assert_num_queries
):
    url = reverse("public_movements:public_list")
    first = client.get(url)
    assert first.status_code == 200 and movement.title in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content and again["ETag"] == first["ETag"]

    services.close_movement(admin_user, movement=movement)
    after = client.get(url)
    assert after["ETag"] != first["ETag"]


def test_conditional_get_and_gzip(client, movement):
    url = reverse("public_movements:public_detail", args=[movement.slug])
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert zipped["Content-Encoding"] == "gzip"
    assert movement.title in gzip.decompress(zipped.content).decode()


def test_each_language_has_its_own_page(client, movement):
    url = reverse("public_movements:public_list")
    vietnamese = client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert 'lang="vi"' in vietnamese and 'lang="en"' in english


def test_signed_in_users_are_never_served_a_stored_page(client, movement, officer):
    url = reverse("public_movements:public_list")
    assert client.get(url).has_header("ETag")
    client.force_login(officer)
    response = client.get(url)
    assert not response.has_header("ETag")
    assert reverse("accounts:profile") in response.content.decode()


def test_a_page_that_hands_out_a_csrf_token_is_not_stored(rf, db):
    calls = []

    @public_page("movements")
    def form_page(request):
        calls.append(1)
        return HttpResponse(get_token(request))

    for _ in range(2):
        request = rf.get("/p/form/")
        request.user = AnonymousUser()
        form_page(request)
    assert len(calls) == 2


def test_the_language_switch_needs_no_token_and_stays_on_the_site(client):
    response = client.get(reverse("core:language"), {"language": "en", "next": "/p/movements/"})
    assert response.status_code == 302 and response["Location"] == "/p/movements/"
    assert response.cookies["django_language"].value == "en"
    outside = client.get(
        reverse("core:language"), {"language": "id", "next": "https://evil.example/"}
    )
    assert outside["Location"] == "/"
