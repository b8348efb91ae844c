"""Figures computed once and reused until something they are made of changes.

The key is the caller's name and parts (a user, a unit, a day, a language…) and the public
versions of the kinds of objects the figures read (`core.public_cache.versions`): every audited
change of such an object moves its kind's version on (at once and again at the commit), so a
stale value is never read again — no timer decides freshness. The timeout only bounds memory.
Values are pickled into the cache (Redis in production, shared by every process): keep them to
plain data and model instances, never querysets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache

from thidua.core.public_cache import versions

T = TypeVar("T")
KEY = "versioned:{}"
SECONDS = 3600
_MISSING = object()


def cached(
    name: str,
    parts: Iterable[Any],
    *,
    kinds: Iterable[str],
    compute: Callable[[], T],
    seconds: int = SECONDS,
) -> T:
    """`compute()`, or what it gave last time for the same name, parts and versions."""
    raw = "\n".join([name, *(str(part) for part in parts), versions(kinds)])
    key = KEY.format(hashlib.sha256(raw.encode()).hexdigest())
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, seconds)
    return value
