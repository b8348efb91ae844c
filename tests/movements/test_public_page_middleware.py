"""A stored public page is answered before sessions, CSRF, authentication and CSP run, with the
same headers the full path gives it, and never to a signed-in user."""

from django.test import override_settings
from django.urls import reverse

from thidua.core import public_cache
from thidua.movements import services

# production's posture for the headers that matter here (CSP enforced, not report-only)
PRODUCTION_HEADERS = {
    "CONTENT_SECURITY_POLICY": {"DIRECTIVES": {"default-src": ["'self'"]}},
    "CONTENT_SECURITY_POLICY_REPORT_ONLY": None,
}


def _served_early(response) -> bool:
    """Answered by the middleware: authentication (later in the chain) never saw the request."""
    return not hasattr(response.wsgi_request, "user")


def _headers(response) -> dict:
    return {name.lower(): value for name, value in response.items()}


@override_settings(**PRODUCTION_HEADERS)
def test_the_stored_page_is_answered_early_with_the_full_paths_headers(client, movement):
    url = reverse("public_movements:public_list")
    full = client.get(url)
    assert full.status_code == 200 and not _served_early(full)
    early = client.get(url)
    assert early.status_code == 200 and _served_early(early)
    assert early.content == full.content
    assert _headers(early) == _headers(full)
    for header in (
        "etag",
        "vary",
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "permissions-policy",
        "content-language",
        "cache-control",
    ):
        assert header in _headers(early), header


def test_conditional_get_and_gzip_early(client, movement):
    url = reverse("public_movements:public_detail", args=[movement.slug])
    full = client.get(url)
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=full["ETag"])
    assert not_modified.status_code == 304 and _served_early(not_modified)
    assert not_modified["ETag"] == full["ETag"] and not_modified["X-Frame-Options"] == "DENY"
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip" and _served_early(zipped)
    assert zipped["Vary"] == full["Vary"]


def test_head_is_answered_early(client, movement):
    url = reverse("public_movements:public_list")
    full = client.get(url)
    head = client.head(url)
    assert head.status_code == 200 and _served_early(head)
    assert head["ETag"] == full["ETag"]


def test_each_language_has_its_own_stored_page(client, movement):
    url = reverse("public_movements:public_list")
    client.get(url)
    vietnamese = client.get(url)
    client.cookies["django_language"] = "en"
    client.get(url)
    english = client.get(url)
    assert _served_early(vietnamese) and _served_early(english)
    assert 'lang="vi"' in vietnamese.content.decode()
    assert 'lang="en"' in english.content.decode()
    assert vietnamese["Content-Language"] == "vi" and english["Content-Language"] == "en"
    assert vietnamese["ETag"] != english["ETag"]


def test_a_signed_in_user_never_gets_the_anonymous_copy(client, movement, officer):
    url = reverse("public_movements:public_list")
    client.get(url)
    assert _served_early(client.get(url))
    client.force_login(officer)
    response = client.get(url)
    assert not _served_early(response) and not response.has_header("ETag")
    assert reverse("accounts:profile") in response.content.decode()


def test_a_visitor_with_a_message_or_htmx_takes_the_full_path(client, movement):
    url = reverse("public_movements:public_list")
    client.get(url)
    assert not _served_early(client.get(url, HTTP_HX_REQUEST="true"))
    client.cookies["messages"] = "anything"
    assert not _served_early(client.get(url))


def test_a_service_write_makes_the_next_visitor_see_the_change(client, movement, admin_user):
    url = reverse("public_movements:public_list")
    client.get(url)
    before = client.get(url)
    assert _served_early(before)
    services.close_movement(admin_user, movement=movement)
    after = client.get(url)
    assert not _served_early(after) and after["ETag"] != before["ETag"]
    assert _served_early(client.get(url))


def test_the_process_table_is_bounded():
    pages = public_cache._LocalPages(2)
    for digest in ("a", "b", "c"):
        pages.put(digest, {"digest": digest})
    assert pages.get("a") is None and pages.get("c") == {"digest": "c"}


def test_pages_that_are_not_public_are_untouched(client, movement):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200 and not _served_early(response)


class _Django:
    """Django's WSGI application, counting the requests that reach it."""

    def __init__(self):
        from django.core.wsgi import get_wsgi_application  # noqa: PLC0415

        self.application = get_wsgi_application()
        self.calls = 0

    def __call__(self, environ, start_response):
        from django.core.signals import request_started  # noqa: PLC0415
        from django.db import close_old_connections  # noqa: PLC0415

        self.calls += 1
        # as Django's test client does: the test's transaction keeps its connection
        request_started.disconnect(close_old_connections)
        try:
            return self.application(environ, start_response)
        finally:
            request_started.connect(close_old_connections)


def _call(application, url, **extra):
    from django.test import RequestFactory  # noqa: PLC0415

    environ = RequestFactory().get(url, **extra).environ
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    answer["body"] = b"".join(application(environ, start_response))
    return answer


@override_settings(**PRODUCTION_HEADERS)
def test_the_wsgi_layer_answers_a_stored_page_without_django(movement):
    django = _Django()
    application = public_cache.PublicPageApplication(django)
    url = reverse("public_movements:public_list")
    full = _call(application, url)
    assert full["status"].startswith("200") and django.calls == 1
    early = _call(application, url)
    assert django.calls == 1, "the stored page was answered before Django"
    assert early["status"] == "200 OK" and early["body"] == full["body"]
    assert early["headers"] == full["headers"]
    assert "Content-Security-Policy" in early["headers"]
    # a visitor with a session, a host Django refuses, or plain HTTP where HTTPS is required:
    # Django answers, as it would have
    _call(application, url, HTTP_COOKIE="sessionid=abc")
    assert django.calls == 2
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        refused = _call(application, url, HTTP_HOST="evil.example")
    assert refused["status"].startswith("400") and django.calls == 3
    with override_settings(SECURE_SSL_REDIRECT=True):
        secure_django = _Django()  # SecurityMiddleware reads its settings when it is made
        redirected = _call(public_cache.PublicPageApplication(secure_django), url)
    assert redirected["status"].startswith("301") and secure_django.calls == 1


def test_the_wsgi_layer_never_serves_a_page_a_write_made_stale(movement):
    django = _Django()
    application = public_cache.PublicPageApplication(django)
    url = reverse("public_movements:public_detail", args=[movement.slug])
    _call(application, url)
    _call(application, url)
    assert django.calls == 1
    public_cache.changed("movements")
    _call(application, url)
    assert django.calls == 2
