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
import logging
import os
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.security import SecurityMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

from thidua.core import health
from thidua.core.middleware import SUPPORTED

# Every public page shows units by name: a restructuring or a rename changes them all.
ALWAYS = ("org",)
VERSION_KEY = "public-version:{}"
PAGE_KEY = "public-page:{}"
logger = logging.getLogger(__name__)
PAGE_SECONDS = 24 * 3600  # a bound on memory, not on freshness: versions do the invalidating


def kind_of(verb: str) -> str:
    """`honors.nominate` → `honors`."""
    return verb.split(".", 1)[0]


def changed(kind: str) -> None:
    """Pages showing this kind of object are stale. Moved on now and again at the commit: a
    page rendered in between, from data not yet committed, is never read after the commit."""
    key = VERSION_KEY.format(kind)

    def move_on() -> None:
        cache.set(key, uuid.uuid4().hex, None)
        heard.announce(key)

    move_on()
    transaction.on_commit(move_on)


class _Heard:
    """The versions, kept in this process while it hears every change of them.

    With Redis, reading the versions on every request is a round trip to Redis — most of what a
    stored page costs. Each process subscribes once to a channel on which `changed` announces the
    key it moved on, and keeps the versions it has read. Before each read it takes what the channel
    has delivered (without waiting: the announcement reached this process's socket before the
    writer's request ended, so the next request anywhere sees it) and forgets those versions.
    Without Redis (the demo's local-memory cache) or while not subscribed (Redis restarting), the
    versions are read from the cache every time, as before."""

    def __init__(self):
        self.lock = threading.Lock()
        self.values: dict[str, str] = {}
        self.heard = 0  # announcements taken so far: a value read across one is not kept
        self.pid: int | None = None
        self.client = None
        self.client_pid: int | None = None
        self.pubsub = None

    @staticmethod
    def channel() -> str:
        return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:public-versions"

    @staticmethod
    def enabled() -> bool:
        return settings.CACHES["default"]["BACKEND"].endswith("RedisCache")

    def _client(self) -> redis.Redis:
        if self.client is None or self.client_pid != os.getpid():
            self.client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
            self.client_pid = os.getpid()
        return self.client

    def _forget_all(self) -> None:
        self.values.clear()
        self.heard += 1

    def _listen(self) -> bool:
        """Subscribed and up to date (each announcement taken), under the lock."""
        try:
            if self.pubsub is None or self.pid != os.getpid():  # a new process after a fork
                self.pubsub = self._client().pubsub()
                self.pubsub.subscribe(self.channel())
                confirmed = self.pubsub.get_message(timeout=2)
                if not confirmed or confirmed["type"] != "subscribe":
                    raise redis.ConnectionError("no subscription confirmed")
                self.pid = os.getpid()
                self._forget_all()  # what was read before listening may have changed since
            while (message := self.pubsub.get_message(timeout=0.0)) is not None:
                if message["type"] == "message":
                    self.values.pop(message["data"].decode(), None)
                    self.heard += 1
            return True
        except (redis.RedisError, OSError):
            logger.warning("public versions: not listening to Redis; reading every time")
            self.pubsub = None
            self._forget_all()
            return False

    def get_many(self, keys: list[str]) -> dict[str, str]:
        if not self.enabled():
            return cache.get_many(keys)
        with self.lock:
            listening = self._listen()
            found = {key: self.values[key] for key in keys if key in self.values}
            heard = self.heard
        missing = [key for key in keys if key not in found]
        if missing:
            read = cache.get_many(missing)
            found.update(read)
            if listening:
                with self.lock:
                    if self._listen() and self.heard == heard:
                        self.values.update(read)
        return found

    def announce(self, key: str) -> None:
        if not self.enabled():
            return
        with self.lock:
            self.values.pop(key, None)
            self.heard += 1
        try:
            self._client().publish(self.channel(), key)
        except redis.RedisError:
            logger.exception("public versions: could not announce %s", key)


heard = _Heard()


def versions(kinds: Iterable[str]) -> str:
    keys = [VERSION_KEY.format(kind) for kind in sorted({*kinds, *ALWAYS})]
    found = heard.get_many(keys)
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


def _eligible(request: HttpRequest) -> bool:
    return not (
        request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
        or "HTTP_HX_REQUEST" in request.META
    )


def _stored(request: HttpRequest):
    """(route, digest, stored page or None) for a request a stored page may answer, else None."""
    if not _eligible(request):
        return None
    route = _route(request.path_info)
    if route is None:
        return None
    match, kinds = route
    digest = digest_of(request.get_full_path(), _anonymous_language(request), kinds)
    page = local_pages.get(digest)
    if page is None:
        stored = cache.get(PAGE_KEY.format(digest))
        if stored is not None and "headers" in stored:
            page = stored
            local_pages.put(digest, page)
    return match, digest, page


class PublicPageMiddleware:
    """Serve a stored public page to an anonymous visitor before sessions, CSRF, authentication,
    messages and CSP run; the full path renders (and stores) it otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = _stored(request)
        if found is None:
            return self.get_response(request)
        match, digest, page = found
        if page is not None:
            request.get_host()  # a host outside ALLOWED_HOSTS: 400, as CommonMiddleware answers
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


class PublicPageApplication:
    """The WSGI application in front of Django's: a stored public page is answered here, before
    Django's request handling (its signals, which open and close database connections, and the
    whole middleware chain), with the body and headers the full path stored. Anything else — a
    page not yet stored, a session or message cookie, htmx, a POST, a host Django would refuse,
    plain HTTP when HTTPS is required — goes to Django unchanged, where `PublicPageMiddleware`
    renders and stores it. `thidua.wsgi.application` is this, around Django's."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            served = self._serve(environ)
            if served is not None:
                status, headers, body = served
                start_response(status, headers)
                return [body]
        return self.application(environ, start_response)

    @staticmethod
    def _serve(environ):
        started = time.perf_counter()
        request = WSGIRequest(environ)
        try:
            found = _stored(request)
            if found is None or found[2] is None:
                return None
            request.get_host()  # DisallowedHost: Django answers 400 on the full path
        except DisallowedHost:
            return None
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None  # SecurityMiddleware redirects on the full path
        match, _digest, page = found
        if request.META.get("HTTP_IF_NONE_MATCH") == page["etag"]:
            variant = "304"
        else:
            variant = "gzip" if "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "") else "plain"
        # the answer's status, headers and body depend only on the page, the variant and the
        # scheme: made once per process, as the full path would make it
        answers = page.setdefault("wsgi", {})
        answer = answers.get((variant, request.is_secure()))
        if answer is None:
            response = _security().process_response(request, _replay(request, page))
            answer = (
                f"{response.status_code} {response.reason_phrase}",
                list(response.items()),
                response.content,
            )
            answers[(variant, request.is_secure())] = answer
        status, headers, body = answer
        if settings.METRICS_ENABLED:
            _count(match, request.method, status, time.perf_counter() - started)
        return status, headers, b"" if request.method == "HEAD" else body


def _security() -> SecurityMiddleware:
    """The headers SecurityMiddleware (before PublicPageMiddleware) adds on the way out."""
    return SecurityMiddleware(lambda request: None)


def _count(match, method: str, status: str, seconds: float) -> None:
    view = match.view_name or "unmatched"
    health.LATENCY.labels(view).observe(seconds)
    health.REQUESTS.labels(method, view, f"{status[0]}xx").inc()
