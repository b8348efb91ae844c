"""A paginated API list answered from the cache until what it shows changes.

`cached_list` sits between the route (`@router.get`) and `@paginate`: the page's JSON — the same
bytes ninja would render (the list's schema dumped as ninja dumps it, its default JSON
renderer) — is stored under the list's name, what the caller may see (`scope`, e.g. the unit
paths of their grants: two people with the same scope share it), the query's parameters, the
language and the day, and the versions of the kinds the list is made of (`core.versioned`: every
audited write of such an object moves its version on, so a stale page is never read again).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Schema
from ninja.responses import NinjaJSONEncoder

from thidua.core import versioned

CONTENT_TYPE = "application/json; charset=utf-8"


def _parameter(value: Any) -> Any:
    return value.model_dump() if isinstance(value, Schema) else value


def cached_list(
    name: str, *, schema: type[Schema], kinds: Iterable[str], scope: Callable[[HttpRequest], Any]
) -> Callable:
    kinds = tuple(kinds)

    def decorator(view: Callable[..., dict]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            def page() -> bytes:
                result = view(request, **kwargs)
                payload = {
                    "items": [schema.from_orm(item).model_dump() for item in result["items"]],
                    "count": result["count"],
                }
                return json.dumps(payload, cls=NinjaJSONEncoder).encode()

            parameters = sorted((key, _parameter(value)) for key, value in kwargs.items())
            body = versioned.cached(
                f"api.{name}",
                [repr(scope(request)), repr(parameters), get_language(), timezone.localdate()],
                kinds=kinds,
                compute=page,
            )
            return HttpResponse(body, content_type=CONTENT_TYPE)

        return wrapper

    return decorator
