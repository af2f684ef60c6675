"""Access matrix of the 48-hour clock's pages (see tests/access_matrix.py).

The objects belong to team_a / officer_a: officer_b (team_b) gets 404 for them,
the supervisor of team_a and the force lead (read-only) may read, only officers and
supervisors may resolve items, only a supervisor may reassign; partner and admin
are refused every page (403: the pages are no secret, the records are).
"""

from __future__ import annotations

from tests.access_matrix import FORBIDDEN, NOT_FOUND, OK

READ = {
    "officer_a": OK,
    "officer_b": NOT_FOUND,
    "supervisor": OK,
    "force_lead": OK,
    "partner": FORBIDDEN,
    "admin": FORBIDDEN,
}
EDIT = {**READ, "force_lead": FORBIDDEN}
REASSIGN = {**EDIT, "officer_a": FORBIDDEN, "officer_b": FORBIDDEN}

MATRIX: dict[str, dict[str, int]] = {
    "custody:clocks": {**READ, "officer_b": OK},
    "custody:case_clock": READ,
    "custody:checklist_detail": READ,
    "custody:checklist_item_done": EDIT,
    "custody:checklist_item_not_applicable": EDIT,
    "custody:checklist_item_reassign": REASSIGN,
    # Read by anyone who reads the case; the form on it is for editors only.
    "custody:return_interview": READ,
}


def url_kwargs(personas) -> dict[str, dict]:
    from tests.custody.clock.helpers import make_case, make_interview, start_checklist

    case = make_case(owner=personas.officer_a)
    checklist = start_checklist(case=case, by=personas.officer_a)
    item = checklist.items.filter(status="pending").order_by("position").first()
    return {
        "custody:case_clock": {"case_pk": case.pk},
        "custody:checklist_detail": {"pk": checklist.pk},
        "custody:checklist_item_done": {"pk": item.pk},
        "custody:checklist_item_not_applicable": {"pk": item.pk},
        "custody:checklist_item_reassign": {"pk": item.pk},
        "custody:return_interview": {"pk": make_interview(case=case, by=personas.officer_a).pk},
    }
