"""Page-numbered listings (gallery, jobs, admin): the query parameters, the window of rows a
page reads and the `pagination` object every page body carries."""

from __future__ import annotations

from typing import Annotated, TypeVar

from fastapi import Query
from sqlalchemy.sql.selectable import GenerativeSelect

from videoforge.api_model import ApiModel

PageNumber = Annotated[int, Query(ge=1, le=100_000)]
PageSize = Annotated[int, Query(ge=1, le=100)]

SelectT = TypeVar("SelectT", bound=GenerativeSelect)


class Pagination(ApiModel):
    total: int
    page: int
    limit: int
    total_pages: int


def pagination(total: int, page: int, limit: int) -> Pagination:
    return Pagination(total=total, page=page, limit=limit, total_pages=-(-total // limit))


def page_window(query: SelectT, page: int, limit: int) -> SelectT:
    """The rows of page `page` (from 1) of `limit` rows each."""
    return query.offset((page - 1) * limit).limit(limit)
