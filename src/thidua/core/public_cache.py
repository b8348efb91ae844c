"""Pages anonymous visitors see, rendered once and served from the cache until something they
show changes.

Every change of state goes through a service that appends an audit event (`core.audit.record`);
the event's verb names its app (`honors.nominate`), and when the transaction commits the public
version of that kind of object moves on. A cached page is keyed on its address, its language and
the versions of the kinds it shows, so a stale page is never read again — no timer. The versions
live in the same cache: Redis in production (`CACHE_URL`), so every web process sees a change at
once; the local-memory cache of the demo serves one process.

Only anonymous GETs without a session or pending messages are cached, and a page that handed out
a CSRF token (one with a form to post) is never stored: its token belongs to one visitor. Each
stored page carries an ETag (conditional GET answers 304) and a gzip copy, compressed once.

`PublicPageMiddleware`, early in `MIDDLEWARE` (after the security and static-file middleware,
before sessions, CSRF, authentication, messages and CSP), answers a request for a stored page
without running the rest of Django: it finds the view's kinds from the URL, the language from the
language cookie (an anonymous visitor without a session has no other), and replays the stored
body with the headers the full path gave it — captured once, on the way out of the first
rendering. Anything else (a session cookie, a message, htmx, a POST, a page not yet stored) takes
the full path. Stored pages are also kept in a small process-local table keyed by the same digest
(versions included), so a hit costs one cache round trip for the versions.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

from thidua.core.middleware import SUPPORTED

# Every public page shows units by name: a restructuring or a rename changes them all.
ALWAYS = ("org",)
VERSION_KEY = "public-version:{}"
PAGE_KEY = "public-page:{}"
PAGE_SECONDS = 24 * 3600  # a bound on memory, not on freshness: versions do the invalidating


def kind_of(verb: str) -> str:
    """`honors.nominate` → `honors`."""
    return verb.split(".", 1)[0]


def changed(kind: str) -> None:
    """Pages showing this kind of object are stale. Moved on now and again at the commit: a
    page rendered in between, from data not yet committed, is never read after the commit."""

    def move_on() -> None:
        cache.set(VERSION_KEY.format(kind), uuid.uuid4().hex, None)

    move_on()
    transaction.on_commit(move_on)


def versions(kinds: Iterable[str]) -> str:
    keys = [VERSION_KEY.format(kind) for kind in sorted({*kinds, *ALWAYS})]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:  # never set, or evicted: a fresh version, and pages re-render
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key)
    return "|".join(f"{key}={found[key]}" for key in keys)


def digest_of(full_path: str, language: str, kinds: Iterable[str]) -> str:
    return hashlib.sha256("\n".join([full_path, language, versions(kinds)]).encode()).hexdigest()


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not getattr(request, "htmx", False)
    )


def _wants_gzip(request: HttpRequest) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "")


def _respond(request: HttpRequest, stored: dict[str, Any]) -> HttpResponse:
    if request.headers.get("If-None-Match") == stored["etag"]:
        response = HttpResponseNotModified()
    elif _wants_gzip(request):
        response = HttpResponse(stored["gzip"], content_type=stored["content_type"])
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(stored["body"], content_type=stored["content_type"])
    response["ETag"] = stored["etag"]
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    response["Content-Language"] = stored["language"]
    patch_vary_headers(response, ("Cookie", "Accept-Encoding", "Accept-Language"))
    return response


def public_page(*kinds: str) -> Callable:
    """Cache a public view for anonymous visitors until an object of `kinds` changes."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            language = translation.get_language() or settings.LANGUAGE_CODE
            digest = digest_of(request.get_full_path(), language, kinds)
            key = PAGE_KEY.format(digest)
            stored = cache.get(key)
            if stored is None:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                if (
                    response.status_code != 200
                    or response.streaming
                    or response.cookies
                    or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                    or response.has_header("Content-Encoding")
                ):
                    return response
                body = response.content
                stored = {
                    "body": body,
                    "gzip": gzip.compress(body, compresslevel=6),
                    "content_type": response["Content-Type"],
                    "etag": f'"{digest[:32]}"',
                    "language": language,
                }
                cache.set(key, stored, PAGE_SECONDS)
            response = _respond(request, stored)
            # for PublicPageMiddleware: which stored page this is, to keep its final headers
            response.public_page = (digest, stored)
            return response

        wrapper.public_kinds = kinds
        return wrapper

    return decorator


# Headers that differ from one answer of a stored page to the next (or are set on the way out
# by the middleware placed before PublicPageMiddleware): not replayed.
NOT_REPLAYED = {"content-length", "content-encoding", "content-type", "set-cookie"}
LOCAL_PAGES = 256  # stored pages each process keeps decoded


class _LocalPages:
    """A bounded, thread-safe table of stored pages by digest (least recently used goes)."""

    def __init__(self, size: int):
        self.size = size
        self.pages: OrderedDict[str, dict] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, digest: str) -> dict | None:
        with self.lock:
            page = self.pages.get(digest)
            if page is not None:
                self.pages.move_to_end(digest)
            return page

    def put(self, digest: str, page: dict) -> None:
        with self.lock:
            self.pages[digest] = page
            self.pages.move_to_end(digest)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


local_pages = _LocalPages(LOCAL_PAGES)


@functools.lru_cache(maxsize=4096)
def _route(path: str):
    """The resolved route and its public kinds, or None when the path is no public page."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    kinds = getattr(match.func, "public_kinds", None)
    return (match, kinds) if kinds is not None else None


def _forget_routes(*, setting, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _route.cache_clear()


setting_changed.connect(_forget_routes)


def _anonymous_language(request: HttpRequest) -> str:
    """What thidua.core.middleware.LanguageMiddleware chooses for a visitor with no account."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return language if language in SUPPORTED else settings.LANGUAGE_CODE


def _replay(request: HttpRequest, page: dict) -> HttpResponse:
    response = _respond(request, page)
    for name, value in page["headers"]:
        if name.lower() not in NOT_REPLAYED:
            response[name] = value
    response["Content-Length"] = str(len(response.content))  # as CommonMiddleware sets it
    return response


class PublicPageMiddleware:
    """Serve a stored public page to an anonymous visitor before sessions, CSRF, authentication,
    messages and CSP run; the full path renders (and stores) it otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "messages" in request.COOKIES
            or "HX-Request" in request.headers
        ):
            return self.get_response(request)
        route = _route(request.path_info)
        if route is None:
            return self.get_response(request)
        match, kinds = route
        digest = digest_of(request.get_full_path(), _anonymous_language(request), kinds)
        page = local_pages.get(digest)
        if page is None:
            stored = cache.get(PAGE_KEY.format(digest))
            if stored is not None and "headers" in stored:
                page = stored
                local_pages.put(digest, page)
        if page is not None:
            request.resolver_match = match  # for the metrics' view label
            return _replay(request, page)
        response = self.get_response(request)
        rendered = getattr(response, "public_page", None)
        if (
            rendered is not None
            and rendered[0] == digest
            and response.status_code == 200
            and not response.cookies
        ):
            page = {
                **rendered[1],
                "headers": [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in NOT_REPLAYED
                ],
            }
            cache.set(PAGE_KEY.format(digest), page, PAGE_SECONDS)
            local_pages.put(digest, page)
        return response
