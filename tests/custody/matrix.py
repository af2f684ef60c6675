"""Access matrix of the custody review's pages (see tests/access_matrix.py).

The custody lists, their rows and the review queue are force-wide: every officer and
supervisor reviews them, the force lead reads them, partners and admins are refused
(403: the pages are no secret). Custody events belong to a case of team_a: officer_b
(team_b) gets 404, the force lead reads but cannot change them.
"""

from __future__ import annotations

from tests.access_matrix import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, only

READERS = ["officer_a", "officer_b", "supervisor", "force_lead"]
REVIEWERS = ["officer_a", "officer_b", "supervisor"]
EVENT_READ = {
    "officer_a": OK,
    "officer_b": NOT_FOUND,
    "supervisor": OK,
    "force_lead": OK,
    "partner": FORBIDDEN,
    "admin": FORBIDDEN,
}
EVENT_EDIT = {**EVENT_READ, "force_lead": FORBIDDEN}

MATRIX: dict[str, dict[str, int]] = {
    "custody:review": only(READERS),
    "custody:review_bulk": only(REVIEWERS, status=NOT_ALLOWED),
    "custody:import_list": only(READERS),
    "custody:import_upload": only(REVIEWERS),
    "custody:import_detail": only(READERS),
    "custody:import_columns": only(REVIEWERS),
    "custody:import_problems_csv": only(READERS),
    "custody:row_detail": only(READERS),
    "custody:row_safeguard": only(REVIEWERS),
    "custody:row_already_known": only(REVIEWERS),
    "custody:row_not_at_risk": only(REVIEWERS),
    "custody:row_time": only(REVIEWERS),
    "custody:event_create": EVENT_EDIT,
    "custody:event_detail": EVENT_READ,
    "custody:event_update": EVENT_EDIT,
}


def url_kwargs(personas) -> dict[str, dict]:
    from tests.factories.cases import CaseFactory
    from tests.factories.custody import CustodyEventFactory, CustodyImportFactory, CustodyImportRowFactory

    batch = CustodyImportFactory(uploaded_by=personas.officer_a)
    waiting = CustodyImportFactory(
        uploaded_by=personas.officer_a, status="columns", content=b"Ref,Family Name,Notes\nA1,Testwood,x\n"
    )
    row = CustodyImportRowFactory(batch=batch)
    twice = CustodyImportRowFactory(batch=batch, arrested_at=None, arrested_at_text="25/10/2026 01:25")
    case = CaseFactory(owner=personas.officer_a)
    event = CustodyEventFactory(case=case)
    return {
        "custody:import_detail": {"pk": batch.pk},
        "custody:import_problems_csv": {"pk": batch.pk},
        "custody:import_columns": {"pk": waiting.pk},
        "custody:row_detail": {"pk": row.pk},
        "custody:row_safeguard": {"pk": row.pk},
        "custody:row_already_known": {"pk": row.pk},
        "custody:row_not_at_risk": {"pk": row.pk},
        "custody:row_time": {"pk": twice.pk, "field": "arrested_at"},
        "custody:event_create": {"case_pk": case.pk},
        "custody:event_detail": {"pk": event.pk},
        "custody:event_update": {"pk": event.pk},
    }
