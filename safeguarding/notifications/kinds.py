"""The kinds of message a user may choose to have by email or in the service only.

A domain app that sends a kind by email (through delivery.notifications_deliver)
registers it from its wiring.py, so the preferences page lists it to the roles that
receive it; the core never imports the domain apps."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EmailKind:
    key: str  # the Message.kind delivery sends under
    label: str
    hint: str
    roles: tuple[str, ...]
    by_email: bool = True  # the default, while the user has not chosen
    order: int = 50


_kinds: dict[str, EmailKind] = {}


def register(kind: EmailKind) -> None:
    _kinds[kind.key] = kind


def kinds_for(role: str) -> list[EmailKind]:
    return [k for k in sorted(_kinds.values(), key=lambda k: (k.order, k.key)) if role in k.roles]


def default_by_email(key: str) -> bool:
    kind = _kinds.get(key)
    return kind.by_email if kind else True
