"""The cases app's sections of the handover pack (safeguarding.core.documents), registered
from wiring.py: the young person's placements and missing episodes. A pack leaves the
force, so only what a receiving force or local authority needs goes in: no episode notes,
no costs, and never the digital review (restricted, and refused by the registry)."""

from __future__ import annotations

from typing import Any

from .models import Case, MissingEpisode, Placement


def pack_placements(case: Case, user: Any) -> dict[str, Any] | None:
    placements = list(Placement.objects.filter(case=case).order_by("-from_date", "-pk"))
    return {"placements": placements} if placements else None


def pack_missing_episodes(case: Case, user: Any) -> dict[str, Any] | None:
    episodes = list(MissingEpisode.objects.filter(case=case).order_by("-reported_missing_at", "-pk"))
    return {"episodes": episodes} if episodes else None


def register() -> None:
    from safeguarding.core import documents

    for key, title, template, context, order in (
        ("placements", "Placements", "cases/pack/placements.html", pack_placements, 40),
        ("missing_episodes", "Missing episodes", "cases/pack/missing_episodes.html", pack_missing_episodes, 45),
    ):
        documents.register_pack_section(
            documents.PackSection(key=key, title=title, template=template, context=context, order=order)
        )
