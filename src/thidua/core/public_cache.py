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
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_vary_headers

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
            digest = hashlib.sha256(
                "\n".join([request.get_full_path(), language, versions(kinds)]).encode()
            ).hexdigest()
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
            return _respond(request, stored)

        return wrapper

    return decorator
