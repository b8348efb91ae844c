"""Abuse limits: who the client is behind a reverse proxy, and how often it may do something.

One mechanism for every limit (anonymous initiative submissions, public comments on honours
notices, password resets, logins, confirmation emails): django-ratelimit's counter on Django's
cache. A counter is created with `cache.add` and raised with `cache.incr`, both atomic, so
simultaneous requests cannot all slip under the limit. The default local-memory cache counts
per process (enough for the demo and the tests); production runs several processes and must
point `CACHE_URL` at Redis so that every process shares the counters.

The client's address is `client_ip(request)`: `REMOTE_ADDR`, unless that peer is one of the
`TRUSTED_PROXIES`; then `X-Forwarded-For` is read from the right, skipping trusted hops, and
the first untrusted hop is the client. A header sent by anyone else is ignored (it is trivially
forged). django-axes uses the same function (`AXES_CLIENT_IP_CALLABLE`).
"""

from __future__ import annotations

import functools
import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class Refused(Exception):
    """A limit was reached: nothing was written; the message says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@functools.cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.9:5123
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _is_trusted(address: Any) -> bool:
    networks = _trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return any(address.version == n.version and address in n for n in networks)


def client_ip(request: HttpRequest) -> str:
    """The real client address: the right-most untrusted hop of `X-Forwarded-For` when the peer
    is a trusted proxy, the peer's own address otherwise."""
    peer = _address(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return ""
    if not _is_trusted(peer):
        return str(peer)
    client = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for raw in reversed(hops):
        hop = _address(raw)
        if hop is None:
            break  # garbage written by whoever is beyond our proxies: stop at the last good hop
        client = hop
        if not _is_trusted(hop):
            break
    return str(client)


def _client_key(request: HttpRequest) -> str:
    """The counter's key for a client: its address, an IPv6 client by its /64 (one household
    or host usually holds a whole /64)."""
    address = client_ip(request)
    if ":" in address:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return address


def rate(name: str) -> str:
    """The configured rate of a limit, e.g. '5/h'."""
    return settings.RATE_LIMITS[name]


def hit(name: str, value: str) -> bool:
    """Count one use of `name` by `value` (a client, an email address…); True when this use
    is beyond the limit. Atomic: of simultaneous uses only the allowed number get False."""
    usage = get_usage(
        None,
        group=f"thidua.{name}",
        key=lambda _group, _request: value,
        rate=rate(name),
        increment=True,
    )
    return bool(usage and usage["should_limit"])


def check_client(request: HttpRequest, name: str) -> None:
    """Count one use of `name` by the request's client; raise Refused beyond the limit."""
    if hit(name, _client_key(request)):
        raise Refused(message(name))


def check_value(name: str, value: str) -> None:
    """Count one use of `name` for a value (an email address); raise Refused beyond it."""
    if hit(name, value.strip().lower()):
        raise Refused(message(name))


def message(name: str) -> str:
    messages = {
        "initiative_submission": _(
            "Too many submissions from your connection. Please try again later."
        ),
        "confirmation_email": _(
            "This email address has received too many confirmation emails today. "
            "Please confirm the submissions already sent to it, or try again tomorrow."
        ),
        "notice_comment": _("Too many comments from your connection. Please try again later."),
        "password_reset": _(
            "Too many password reset requests from your connection. Please try again later."
        ),
        "password_reset_email": _(
            "Too many password reset requests for this email address. Please try again later."
        ),
        "login": _("Too many login attempts from your connection. Please try again later."),
    }
    return messages.get(name, _("Too many requests. Please try again later."))


def too_many_requests(request: HttpRequest, refused: Refused) -> HttpResponse:
    """The page for a refused request: 429 with the reason."""
    return render(request, "429.html", {"reason": refused.message}, status=429)
