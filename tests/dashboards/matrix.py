"""Who may GET which dashboards URL (see tests/access_matrix.py).

The team dashboard is the supervisors' page, the force dashboard the force lead's;
the records behind a figure and the exports are open to both (each sees only the
records of their own scope: tested in test_scope). Officers, partners and admins
are refused (403: the pages are no secret)."""

from __future__ import annotations

from tests.access_matrix import only

READERS = ["supervisor", "force_lead"]

MATRIX: dict[str, dict[str, int]] = {
    "dashboards:team": only(["supervisor"]),
    "dashboards:force": only(["force_lead"]),
    "dashboards:table_export": only(READERS),
    "dashboards:records": only(READERS),
    "dashboards:records_export": only(READERS),
}


def url_kwargs(personas) -> dict[str, dict]:
    from tests.factories.cases import CaseFactory

    CaseFactory(owner=personas.officer_a)
    row = {"figure": "caseload", "table": "by_team", "row": f"team-{personas.team_a.pk}"}
    return {
        "dashboards:table_export": {"figure": "caseload", "table": "by_team"},
        "dashboards:records": row,
        "dashboards:records_export": row,
    }
