"""Security headers and the API documentation: a Content-Security-Policy without inline scripts
and a Permissions-Policy under the production settings; Swagger UI from the site's own static
files, open in development and only to logged-in staff in production."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter: the settings read THIDUA_ENV once, at import. No page here reads
# the database (anonymous requests to the API), so it needs no migration.
PRODUCTION_PROBE = """
import json
import django
django.setup()
from django.test import Client
client = Client()
answers = {}
for path in ("/api/v1/docs", "/api/v1/openapi.json", "/api/v1/units/"):
    response = client.get(path, secure=True)
    answers[path] = {
        "status": response.status_code,
        "location": response.get("Location", ""),
        "csp": response.get("Content-Security-Policy", ""),
        "csp_report_only": response.get("Content-Security-Policy-Report-Only", ""),
        "permissions": response.get("Permissions-Policy", ""),
    }
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    database = tmp_path_factory.mktemp("production") / "never-used.sqlite3"
    env = {
        **os.environ,
        "THIDUA_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "thidua.settings",
        "SECRET_KEY": "test-" + "x" * 60,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def test_production_sends_a_strict_content_security_policy(production):
    for path, answer in production.items():
        policy = directives(answer["csp"])
        assert policy["script-src"] == ["'self'"], path
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-eval'" not in answer["csp"]
        assert answer["csp_report_only"] == ""


def test_production_sends_a_permissions_policy(production):
    for answer in production.values():
        policy = answer["permissions"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in policy


def test_production_shows_the_api_docs_to_no_anonymous_visitor(production):
    docs = production["/api/v1/docs"]
    assert docs["status"] == 302 and docs["location"].startswith("/accounts/login/")
    # the machine-readable document stays public: it describes operations, never data
    assert production["/api/v1/openapi.json"]["status"] == 200


class Assets(HTMLParser):
    """Every URL a page loads, and the contents of every inline script."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[dict] = []
        self.handlers: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [name for name in attrs if name.startswith("on")]
        for name in ("src", "href"):
            if attrs.get(name) and tag in {"script", "link", "img", "iframe"}:
                self.urls.append(attrs[name])
        if tag == "script" and not attrs.get("src"):
            self._script = attrs

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.inline_scripts.append(self._script)
            self._script = None


def assets(html: str) -> Assets:
    parser = Assets()
    parser.feed(html)
    return parser


@pytest.mark.django_db
def test_the_api_docs_load_nothing_from_another_host(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    found = assets(response.content.decode())
    assert found.urls, "the page loads Swagger UI"
    for url in found.urls:
        assert not re.match(r"^(https?:)?//", url), url
        assert url.startswith("/static/"), url
    assert any(url.endswith("swagger-ui-bundle.js") for url in found.urls)
    # the only inline script is data (the settings), which a CSP does not execute
    assert [s.get("type") for s in found.inline_scripts] == ["application/json"]
    assert found.handlers == []
    # and the static files are there to be served
    for url in found.urls:
        assert client.get(url).status_code == 200, url


@pytest.fixture
def production_docs(settings):
    settings.PRODUCTION = True
    return "/api/v1/docs"


@pytest.mark.django_db
def test_in_production_the_docs_send_anonymous_visitors_to_log_in(client, production_docs):
    response = client.get(production_docs)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/api/v1/docs")


@pytest.mark.django_db
def test_in_production_the_docs_are_refused_to_a_user_without_a_role(client, production_docs):
    client.force_login(UserFactory(username="citizen"))
    assert client.get(production_docs).status_code == 403


@pytest.mark.django_db
def test_in_production_the_docs_open_for_staff(client, tree, production_docs):
    officer = UserFactory(username="docs-officer", roles=[("officer", tree["bo_de"])])
    client.force_login(officer)
    assert client.get(production_docs).status_code == 200


@pytest.mark.django_db
def test_pages_carry_no_inline_script(client, admin_user):
    client.force_login(admin_user)
    for path in ("/", "/staff/", "/accounts/login/"):
        response = client.get(path, follow=True)
        found = assets(response.content.decode())
        assert found.inline_scripts == [], path
        assert found.handlers == [], path
