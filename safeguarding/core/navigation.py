"""Primary navigation by role. Domain apps add items from their AppConfig.ready()."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.urls import reverse

if TYPE_CHECKING:
    from .access import AuthenticatedRequest


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    order: int = 50


class NavEntry(TypedDict):
    label: str
    url: str
    active: bool


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _items:
        _items.append(item)


def navigation_for(request: AuthenticatedRequest) -> list[NavEntry]:
    """The user's items; the one whose address is the longest prefix of the page's is current."""
    role = request.user.role
    path = request.path
    result: list[NavEntry] = [
        {"label": item.label, "url": reverse(item.url_name), "active": False}
        for item in sorted(_items, key=lambda i: i.order)
        if role in item.roles
    ]
    matches = [entry for entry in result if (path == "/" if entry["url"] == "/" else path.startswith(entry["url"]))]
    if matches:
        max(matches, key=lambda entry: len(entry["url"]))["active"] = True
    return result
