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


def audit_shown(request: AuthenticatedRequest, panels: list[dict[str, Any]]) -> None:
    """One audit row for the home page naming every record its lists show: a panel that
    lists people's records says which in ``shown`` ({object type: [ids]})."""
    from safeguarding.audit.models import AuditEvent
    from safeguarding.audit.services import audit_record

    shown: dict[str, list[int]] = {}
    for panel in panels:
        for object_type, ids in (panel.get("shown") or {}).items():
            shown.setdefault(object_type, [])
            shown[object_type] += [i for i in ids if i not in shown[object_type]]
    if any(shown.values()):
        audit_record(
            action=AuditEvent.Action.LIST,
            request=request,
            object_type="core.home",
            summary="Home page lists viewed",
            detail={"shown": shown},
        )


def panels_for(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    role = request.user.role
    return [
        {"title": p.title, "template": p.template, "key": p.key, **p.context(request)}
        for p in sorted(_panels.values(), key=lambda p: p.order)
        if role in p.roles
    ]
