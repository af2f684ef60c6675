"""Pagination whose cost does not grow with the force's records."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from django.core.paginator import Paginator
from django.db.models import QuerySet

if TYPE_CHECKING:
    _Base = Paginator[Any]
else:
    _Base = Paginator


class CappedPaginator(_Base):
    """Counts at most ``cap`` rows: ``COUNT(*)`` over a subquery with ``LIMIT cap + 1``.

    A list a person pages through newest first (the case list) need not know that a force
    holds 54,000 open cases to show the newest 50, and counting them all made the page
    slower the larger the force. Beyond the cap the list says so ("more than 1,000") and
    asks for a filter; pages past it are not offered."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, cap: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _bounded_count(self) -> int:
        return cast("QuerySet[Any]", self.object_list).order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    @property
    def capped(self) -> bool:
        """More rows than the cap: the list shows the first ``cap`` and says there are more."""
        return self._bounded_count > self.cap
