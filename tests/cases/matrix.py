"""Who may GET which cases URL (see tests/access_matrix.py).

Records outside the user's scope answer 404 (officer_b: another team; partner and
admin: no case content); pages a role cannot use answer 403; the force lead reads
everything and changes nothing (403 on every change); POST-only URLs answer 405.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.access_matrix import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, everyone, only

READERS = ["officer_a", "officer_b", "supervisor", "force_lead"]
EDITORS = ["officer_a", "officer_b", "supervisor"]


def record(**overrides) -> dict[str, int]:
    """A record of officer_a's team: team and supervisor and force lead read it, others 404."""
    return {
        "officer_a": OK,
        "officer_b": NOT_FOUND,
        "supervisor": OK,
        "force_lead": OK,
        "partner": NOT_FOUND,
        "admin": NOT_FOUND,
        **overrides,
    }


def record_change(**overrides) -> dict[str, int]:
    """Changing a record of officer_a's team: as record(), but the force lead is refused."""
    return record(force_lead=FORBIDDEN, **overrides)


MATRIX: dict[str, dict[str, int]] = {
    "cases:search": only(READERS),
    "cases:person_create": only(EDITORS),
    "cases:person_detail": record(),
    "cases:person_edit": record_change(),
    "cases:person_aliases": record(),
    "cases:alias_remove": everyone(NOT_ALLOWED),
    "cases:philomena_edit": record_change(),
    "cases:person_chronology": record(),
    "cases:person_chronology_print": record(),
    "cases:person_changes": record(),
    "cases:person_viewers": record(officer_a=FORBIDDEN),
    # Reached through a reference signed for officer_b (a search result of theirs):
    # anyone else holding the link is not found.
    "cases:break_glass": {**only(EDITORS), "officer_a": NOT_FOUND, "supervisor": NOT_FOUND},
    "cases:person_merge": only(["supervisor"]),
    "cases:case_create": record_change(),
    "cases:case_list": only(READERS),
    "cases:approvals": only(["supervisor"]),
    "cases:break_glass_review": only(["supervisor"]),
    "cases:break_glass_reviewed": only(["supervisor"], status=NOT_ALLOWED),
    "cases:case_detail": record(),
    "cases:case_edit": record_change(),
    "cases:case_changes": record(),
    "cases:case_status": record_change(),
    "cases:case_reassign": record_change(officer_a=FORBIDDEN),
    "cases:case_links": record_change(),
    "cases:associate_add": record_change(),
    "cases:task_add": record_change(),
    "cases:task_complete": everyone(NOT_ALLOWED),
    "cases:voice_add": record_change(),
    "cases:missing_add": record_change(),
    "cases:missing_edit": record_change(),
    "cases:missing_regrade": record_change(),
    "cases:entry_add": record_change(),
    "cases:placement_add": record_change(),
    "cases:placement_end": record_change(),
    "cases:reclassification_add": record_change(),
    "cases:reclassification_decide": only(["supervisor"]),
    "cases:digital_review_add": record_change(),
    # Restricted: the case's team, its supervisors and the force lead; nobody else finds it.
    "cases:digital_review": record(),
}


def url_kwargs(personas) -> dict[str, dict]:
    from cases.break_glass_refs import break_glass_reference
    from cases.models import BreakGlassAccess
    from tests.factories.cases import (
        AliasFactory,
        CaseFactory,
        DigitalReviewFactory,
        MissingEpisodeFactory,
        PlacementFactory,
        ReclassificationFactory,
        TaskFactory,
    )

    case = CaseFactory(owner=personas.officer_a)
    person = case.person
    alias = AliasFactory(person=person)
    task = TaskFactory(case=case)
    episode = MissingEpisodeFactory(case=case)
    now = timezone.now()
    access = BreakGlassAccess.objects.create(
        user=personas.officer_a,
        person=CaseFactory(owner=personas.officer_b).person,
        justification="Matrix: in custody overnight and needs safeguarding now.",
        granted_at=now,
        expires_at=now + timedelta(hours=1),
    )
    on_person = {"pk": person.pk}
    on_case = {"pk": case.pk}
    return {
        "cases:person_detail": on_person,
        "cases:person_edit": on_person,
        "cases:person_aliases": on_person,
        "cases:alias_remove": {"pk": alias.pk},
        "cases:philomena_edit": on_person,
        "cases:person_chronology": on_person,
        "cases:person_chronology_print": on_person,
        "cases:person_changes": on_person,
        "cases:person_viewers": on_person,
        "cases:break_glass": {"reference": break_glass_reference(personas.officer_b, person.pk)},
        "cases:person_merge": on_person,
        "cases:case_create": on_person,
        "cases:break_glass_reviewed": {"pk": access.pk},
        "cases:case_detail": on_case,
        "cases:case_edit": on_case,
        "cases:case_changes": on_case,
        "cases:case_status": on_case,
        "cases:case_reassign": on_case,
        "cases:case_links": on_case,
        "cases:associate_add": on_case,
        "cases:task_add": on_case,
        "cases:task_complete": {"pk": task.pk},
        "cases:voice_add": on_case,
        "cases:missing_add": on_case,
        "cases:missing_edit": {"pk": episode.pk},
        "cases:missing_regrade": {"pk": episode.pk},
        "cases:entry_add": on_case,
        "cases:placement_add": on_case,
        "cases:placement_end": {"pk": PlacementFactory(case=case).pk},
        "cases:reclassification_add": on_case,
        "cases:reclassification_decide": {"pk": ReclassificationFactory(case=case).pk},
        "cases:digital_review_add": on_case,
        "cases:digital_review": {"pk": DigitalReviewFactory(case=case).pk},
    }
