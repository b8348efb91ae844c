"""The page-number pagination of every API list, with bounded parameters.

ninja's `PageNumberPagination` accepts any `page` ≥ 1, so a huge number overflowed the database's
OFFSET (a 500, "bigint out of range"). Here both parameters have an upper bound, declared in the
OpenAPI document; a value outside them answers 422 naming the parameter, like any invalid input.
"""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 500


class Pagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
        page_size: int | None = Field(
            None, ge=1, le=MAX_PAGE_SIZE, description="Items per page (default: the list's own)."
        )

    def __init__(self, page_size: int = 50, **kwargs: Any) -> None:
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)
