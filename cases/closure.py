"""What stops a case from closing: a registry other apps fill from their wiring.

A blocker is a function ``fn(case) -> list[str]``: each message says, in plain words,
what is still open and must be finished first (for example "2 items of the 48-hour
checklist are still open"). Asking for closure and approving it are both refused
while any blocker answers, so a case never closes over open work. cases never
imports the apps that register here (docs/adr/0004).
"""

from __future__ import annotations

from collections.abc import Callable

from .models import Case

Blocker = Callable[[Case], list[str]]

_blockers: dict[str, Blocker] = {}


def register_blocker(fn: Blocker) -> Blocker:
    """Add a blocker (idempotent: registering the same function twice keeps one)."""
    _blockers[f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


def closure_blockers(case: Case) -> list[str]:
    """Every reason the case cannot close now, in the order the blockers were registered."""
    messages: list[str] = []
    for blocker in _blockers.values():
        messages.extend(blocker(case))
    return messages
