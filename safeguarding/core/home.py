"""Home-page panels by role. Domain apps register panels from AppConfig.ready();
the core never imports them (apps depend on the core, never the other way)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .access import AuthenticatedRequest


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    roles: tuple[str, ...]
    context: Callable[[AuthenticatedRequest], dict[str, Any]]
    order: int = 50


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def panels_for(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    role = request.user.role
    return [
        {"title": p.title, "template": p.template, "key": p.key, **p.context(request)}
        for p in sorted(_panels.values(), key=lambda p: p.order)
        if role in p.roles
    ]
