"""Primary navigation by role. Domain apps add items from their AppConfig.ready()."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    order: int = 50


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _items:
        _items.append(item)


def navigation_for(request: HttpRequest) -> list[dict]:
    role = request.user.role
    path = request.path
    result = []
    for item in sorted(_items, key=lambda i: i.order):
        if role in item.roles:
            url = reverse(item.url_name)
            active = path == url if url == "/" else path.startswith(url)
            result.append({"label": item.label, "url": url, "active": active})
    return result
