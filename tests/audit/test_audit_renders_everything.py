"""Every kind of row the code writes to the s62 log renders on every page that shows the log.

The log proves lawful processing, so nothing that was logged may make it unreadable.
A row's detail is shaped by whoever logged it; a key that shadows a dict method
(the Clocks page once logged {"items": 20}) must render as text like any other.
"""

from __future__ import annotations

import ast
import pathlib

import pytest
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
ROOT = pathlib.Path(__file__).resolve().parents[2]

# Keys that Django's template lookup would resolve on a dict before its methods.
DICT_METHOD_KEYS = {name: 1 for name in dir(dict) if not name.startswith("_")}

# One row of every kind the code writes: (action, object type, detail as the call site shapes it).
# Object types marked "person"/"case" are bound to a real record so the person's pages show them too.
CATALOGUE: list[tuple[str, str, dict]] = [
    # accounts
    (Action.SIGN_IN, "", {}),
    (Action.SIGN_IN_FAILED, "", {}),
    (Action.SIGN_OUT, "", {}),
    (Action.CREATE, "accounts.user", {}),
    (Action.UPDATE, "accounts.user", {}),
    (Action.LIST, "accounts.user", {}),
    (Action.VIEW, "accounts.user", {}),
    # audit
    (Action.LIST, "audit.auditevent", {}),
    (Action.SEARCH, "audit.auditevent", {"user": "a@b.example", "action": "view", "date_from": "2025-01-01"}),
    (Action.CREATE, "audit.misusealert", {"actor": 1, "kind": "records", "count": 51, "threshold": 50}),
    (Action.LIST, "audit.misusealert", {"alerts_shown": [1, 2]}),
    # core
    (Action.ACCESS_DENIED, "person", {}),
    (Action.ACCESS_DENIED, "case", {}),
    # core: manage.py backup and restore
    (Action.EXPORT, "database", {}),
    (Action.UPDATE, "database", {}),
    # cases: people
    (Action.CREATE, "person", {"aliases": 2}),
    (Action.UPDATE, "person", {"fields": ["given_name", "family_name"]}),
    (Action.UPDATE, "person", {"alias_added": 4}),
    (Action.UPDATE, "person", {"alias_removed": 4, "kind": "street"}),
    (Action.VIEW, "person", {}),
    (Action.VIEW, "person", {"types": ["case", "custody", "manual"]}),
    (Action.EXPORT, "person", {"types": ["case"], "entries": 12}),
    (Action.BREAK_GLASS, "person", {"access": 3}),
    (
        Action.MERGE,
        "person",
        {
            "survivor": 1,
            "merged": 2,
            "moved": {"cases": [3, 4], "aliases": []},
            "other_links": {"custody": 1},
            "philomena": None,
            "fields_filled": ["gender"],
        },
    ),
    (
        Action.SEARCH,
        "cases.youngperson",
        {
            "name": "Jay <script>",
            "date_of_birth": "",
            "reference": "",
            "results": 2,
            "in_scope": [1],
            "out_of_scope": [2],
        },
    ),
    (Action.SEARCH, "cases.youngperson", {"duplicate_check": True, "candidates": [1, 2]}),
    # cases: cases and their parts
    (Action.CREATE, "case", {"person": 1, "team": 2, "owner": 3}),
    (Action.UPDATE, "case", {"fields": ["risk_level"]}),
    (Action.UPDATE, "case", {"from": "open", "to": "closed"}),
    (Action.UPDATE, "case", {"from": "active", "to": "awaiting_closure_approval", "outcomes": ["engaged"]}),
    (Action.UPDATE, "case", {"from": "awaiting_closure_approval", "to": "closed", "records_review_on": "2032-01-01"}),
    (Action.UPDATE, "case", {"from_owner": 1, "to_owner": 2, "tasks_moved": 3}),
    (
        Action.UPDATE,
        "case",
        {"deal_lines": [1], "crime_groups": [], "deal_lines_before": [], "crime_groups_before": [2]},
    ),
    (Action.VIEW, "case", {}),
    (Action.LIST, "cases.case", {"status": "open", "risk": "", "team": "", "mine": False, "shown": 20}),
    (Action.LIST, "cases.breakglassaccess", {}),
    (Action.LIST, "core.home", {"shown": {"cases.case": [1, 2], "cases.task": [3]}}),
    (Action.VIEW, "cases.youngperson", {"suggested": [1]}),
    (Action.VIEW, "cases.youngperson", {"shown": [1, 2]}),
    (Action.VIEW, "custody.custodyimportrow", {"people": [1]}),
    (Action.CREATE, "cases.task", {"case": 1}),
    (Action.UPDATE, "cases.task", {"fields": ["title"], "case": 1}),
    (Action.UPDATE, "cases.task", {"case": 1, "overdue": True}),
    (Action.CREATE, "cases.missingepisode", {"case": 1}),
    (Action.VIEW, "case", {"digital_reviews": [1]}),
    (Action.LIST, "cases.case", {"shown": [1], "reclassifications_shown": [2]}),
    (Action.CREATE, "cases.placement", {"case": 1}),
    (Action.UPDATE, "cases.placement", {"case": 1, "to_date": "2025-01-01"}),
    (Action.CREATE, "cases.reclassification", {"case": 1, "to": "victim_msht", "suspects": [2]}),
    (Action.UPDATE, "cases.reclassification", {"case": 1, "decision": "approved"}),
    (Action.VIEW, "cases.reclassification", {"case": 1}),
    (Action.CREATE, "cases.digitalreview", {"case": 1, "categories": ["deal_line"]}),
    (Action.VIEW, "cases.digitalreview", {"case": 1}),
    (Action.UPDATE, "cases.missingepisode", {"case": 1, "from": "medium", "to": "high"}),
    (Action.UPDATE, "cases.breakglassaccess", {"person": 1, "user": 2}),
    (Action.VIEW, "cases.missingepisode", {}),
    # custody: review
    (Action.CREATE, "custody.custodyimport", {"rows": 10, "bytes": 2048, "same_file_as": None}),
    (
        Action.CREATE,
        "custody.custodyimport",
        {"new": 1, "flagged": 2, "updated": 0, "unchanged": 0, "duplicates": 0, "errors": 1},
    ),
    (Action.UPDATE, "custody.custodyevent", {"fields": ["released_at"], "batch": 1, "line": 3}),
    (Action.CREATE, "custody.custodyevent", {"case": 1, "row": 2, "batch": 3}),
    (Action.UPDATE, "custody.custodyimportrow", {"field": "arrested_at", "zone": "BST", "batch": 3}),
    (Action.CREATE, "custody.custodyevent", {"case": 1, "fields": ["arrested_at"]}),
    (Action.UPDATE, "custody.custodyimportrow", {"decision": "safeguarded", "person": 1, "case": 2, "event": 3}),
    (Action.UPDATE, "custody.custodyimportrow", {"decision": "not_at_risk"}),
    (Action.UPDATE, "custody.custodyimport", {"columns": {"Custody number": "Ref"}, "mapping": 1}),
    (Action.UPDATE, "custody.custodyimportrow", {"days": 3}),
    (Action.ERASE, "custody.custodyimportrow", {"rows": list(range(50)), "count": 120}),
    (Action.ERASE, "custody.custodyimport", {"batches": [1, 2]}),
    (Action.LIST, "custody.custodyimportrow", {"rows_shown": [1, 2, 3]}),
    (Action.VIEW, "custody.custodyimport", {"rows_shown": 3}),
    (Action.EXPORT, "custody.custodyimport", {"problems": 2}),
    (Action.VIEW, "custody.custodyimportrow", {}),
    (Action.VIEW, "custody.custodyevent", {"case": 1}),
    # custody: clock
    (
        Action.CREATE,
        "custody.checklist",
        {
            "case": 1,
            "custody_event": None,
            "started_at": "2025-01-01T10:00:00+00:00",
            "start_basis": "release",
            "template_version": 1,
            "superseded": None,
        },
    ),
    (Action.UPDATE, "custody.checklist", {"stopped_items": [1, 2], "custody_event": 3}),
    (Action.UPDATE, "custody.checklist", {"start_moved": True, "reopened_items": [1]}),
    (Action.UPDATE, "custody.checklist", {"start_moved": False, "custody_event": 1, "start_basis": "release"}),
    (Action.UPDATE, "custody.checklist", {"case": 1, "from_owner": 2, "to_owner": 3}),
    (Action.UPDATE, "custody.checklistitem", {"status": "done", "late": False, "checklist": 1}),
    (Action.UPDATE, "custody.checklistitem", {"status": "not_applicable", "checklist": 1}),
    (Action.UPDATE, "custody.checklistitem", {"from_owner": 1, "to_owner": 2, "reason": "Leave"}),
    (
        Action.UPDATE,
        "custody.checklistitem",
        {"status": "missed", "condition": "", "checklist": 1, "due_at": "2025-01-01T10:00:00+00:00"},
    ),
    (Action.LIST, "custody.checklistitem", {"team": 1, "items": 20}),
    (Action.LIST, "custody.checklistitem", {"team": None, "items": 0}),
    (Action.LIST, "custody.checklistitem", {"team": None, "items": 0, "return_interviews": 2}),
    (Action.CREATE, "custody.returninterview", {"case": 1, "due_at": "2025-01-01T10:00:00+00:00"}),
    (Action.UPDATE, "custody.returninterview", {"case": 1, "late": False}),
    (Action.VIEW, "custody.returninterview", {"case": 1}),
    (Action.VIEW, "custody.checklist", {"case": 1}),
    (Action.CREATE, "custody.checklisttemplate", {}),
    (Action.UPDATE, "custody.checklisttemplate", {}),
    (
        Action.UPDATE,
        "custody.checklistitem",
        {"status": "done", "code": "mash_referral", "late": False, "note": "Referral RF000001 sent"},
    ),
    # referrals
    (Action.CREATE, "referrals.referral", {"case": 1, "agency": 2, "sections": ["person", "risk"]}),
    (
        Action.DISCLOSE,
        "referrals.referral",
        {
            "case": 1,
            "agency": 2,
            "sections": ["person"],
            "chronology_from": "2025-01-01",
            "chronology_to": None,
            "share_expires_at": "2025-04-01T00:00:00+00:00",
        },
    ),
    (Action.UPDATE, "referrals.referral", {"revoked": True}),
    (Action.UPDATE, "referrals.referral", {"status": "accepted"}),
    (Action.VIEW, "referrals.referral", {"sections": ["person"]}),
    (Action.LIST, "referrals.referral", {"ids": [1, 2]}),
    (Action.CREATE, "referrals.referralmessage", {"referral": 1, "kind": "update"}),
    (Action.DISCLOSE, "referrals.nrmreferral", {"case": 1, "route": "child", "submitted_on": "2025-01-01"}),
    (Action.UPDATE, "referrals.nrmreferral", {"stage": "rg", "outcome": "positive", "decided_on": "2025-01-06"}),
    (Action.CREATE, "referrals.nrmreconsideration", {"nrm": 1, "outcome": ""}),
    (Action.UPDATE, "referrals.nrmreconsideration", {"nrm": 1, "outcome": "positive"}),
    # interventions: community protection warnings and notices
    (Action.CREATE, "interventions.communityprotection", {"case": 1, "kind": "notice", "warning": 2}),
    (Action.UPDATE, "interventions.communityprotection", {"condition_added": 3, "kind": "area_exclusion"}),
    (Action.UPDATE, "interventions.communityprotection", {"condition_removed": 3}),
    (Action.UPDATE, "interventions.communityprotection", {"status": "approved", "approved": True}),
    (Action.UPDATE, "interventions.communityprotection", {"status": "issued", "issued_on": "2026-01-05"}),
    (
        Action.UPDATE,
        "interventions.communityprotection",
        {"status": "served", "served_on": "2026-01-06", "served_how": "in_person"},
    ),
    (Action.LIST, "interventions.communityprotection", {"ids": [1, 2]}),
    (Action.CREATE, "interventions.cpbreach", {"notice": 1, "action": "fixed_penalty"}),
    (Action.EXPORT, "interventions.communityprotection", {"format": "pdf", "document": "CPW000001"}),
    # interventions: CCE Prevention Orders
    (Action.CREATE, "interventions.ccepoapplication", {"case": 1, "respondent": 2, "victims": [1, 3]}),
    (Action.UPDATE, "interventions.ccepoapplication", {"evidence_added": 4}),
    (Action.UPDATE, "interventions.ccepoapplication", {"order_type": "full", "made_on": "2026-05-01"}),
    (Action.UPDATE, "interventions.ccepoapplication", {"variation_added": 2}),
    (Action.CREATE, "interventions.ccepobreach", {"application": 1, "custody_event": None}),
    # interventions: cross-border handovers
    (Action.CREATE, "interventions.handover", {"case": 1}),
    (Action.DISCLOSE, "case", {"handover": 1, "to": "la", "method": "Secure email"}),
    (Action.UPDATE, "interventions.handover", {"outcome": "completed"}),
    (Action.UPDATE, "interventions.handover", {"accepted_on": "2026-05-02"}),
    # notifications
    (
        Action.UPDATE,
        "notifications.notificationpreference",
        {"by_email": ["checklist_reminder"], "in_app_only": ["daily_digest"]},
    ),
    # dashboards
    (Action.LIST, "dashboards.dashboard", {"filters": {"teams": [1], "officer": None, "from": "2026-01-01"}}),
    (
        Action.EXPORT,
        "dashboards.figure",
        {"figure": "caseload", "table": "by_team", "rows": 2, "filters": {"teams": "all", "to": "2026-12-31"}},
    ),
    (Action.LIST, "cases.case", {"figure": "missing", "table": "by_month", "row": "month-2026-03", "shown": [1, 2]}),
    (
        Action.EXPORT,
        "cases.case",
        {"figure": "caseload", "table": "by_risk", "row": "risk-high", "rows": 1, "ids": [1]},
    ),
    # integration API: clients, the custody feed and partner systems' calls
    (
        Action.CREATE,
        "api.systemclient",
        {"scope": "custody:write", "agency": 1, "expires_at": "2027-01-01T00:00:00+00:00", "addresses": []},
    ),
    (Action.UPDATE, "api.systemclient", {"revoked": True}),
    (Action.CREATE, "custody.custodyimport", {"rows": 2, "bytes": 300, "source": "Westshire custody"}),
    (Action.VIEW, "custody.custodyimport", {"api_client": 1, "idempotency_key": "call-0001"}),
    (Action.LIST, "referrals.referral", {"ids": [1, 2], "api_client": 1}),
    (Action.VIEW, "referrals.referral", {"sections": ["person"], "api_client": 1}),
    # Whatever a future call site logs: every dict method name as a key, and odd values.
    (Action.VIEW, "case", DICT_METHOD_KEYS),
    (Action.UPDATE, "person", {"": "", "nested": {"items": {"keys": [1, {"values": None}]}}, "n": 1.5}),
]


def _literal_detail_keys() -> set[str]:
    """Keys of every dict literal passed as detail= to audit_record outside the tests."""
    keys: set[str] = set()
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).parts
        if rel[0] in {".venv", "tests", "bench", "node_modules"} or "migrations" in rel:
            continue
        source = path.read_text()
        if "audit_record" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "audit_record"):
                continue
            for kw in node.keywords:
                if kw.arg == "detail" and isinstance(kw.value, ast.Dict):
                    keys |= {k.value for k in kw.value.keys if isinstance(k, ast.Constant)}
    return keys


def test_the_catalogue_names_every_detail_key_the_code_logs():
    # A new call site with a new key must join the catalogue, so that its rows are rendered below.
    catalogued = {key for _, _, detail in CATALOGUE for key in detail}
    missing = _literal_detail_keys() - catalogued
    assert not missing, f"add rows with these detail keys to CATALOGUE: {sorted(missing)}"


@pytest.fixture
def logged(personas):
    case = CaseFactory(owner=personas.officer_a)
    bound = {"person": ("cases.youngperson", case.person_id), "case": ("cases.case", case.pk)}
    for action, object_type, detail in CATALOGUE:
        object_type, object_id = bound.get(object_type, (object_type, 7 if object_type else ""))
        audit_record(
            action=action,
            actor=personas.officer_a,
            object_type=object_type,
            object_id=object_id,
            summary=f"{action} {object_type}",
            recipient="MASH" if action == Action.EXPORT else "",
            justification="Needed for a strategy meeting" if action == Action.BREAK_GLASS else "",
            detail=detail,
        )
    audit_record(action=Action.SIGN_IN_FAILED, actor_email="mallory@example.com")
    return case


def test_every_audit_search_page_renders_every_kind_of_row(personas, logged):
    lead = personas.client("force_lead")
    url = reverse("audit:search")
    queries = [
        {},
        {"user": personas.officer_a.email},
        *({"action": action} for action in Action.values),
        *({"object_type": t} for t in {t for _, t, _ in CATALOGUE if t and t not in ("person", "case")}),
        {"object_type": "cases.youngperson", "object_id": str(logged.person_id)},
        {"date_from": "01/01/2000", "date_to": "31/12/2100"},
    ]
    for query in queries:
        for page in ("1", "2"):
            response = lead.get(url, {**query, "page": page})
            assert response.status_code == 200, query
    # The shadowing key is shown as what was logged.
    response = lead.get(url, {"object_type": "custody.checklistitem", "action": Action.LIST})
    assert "items: 20" in response.content.decode()


def test_who_viewed_renders_every_kind_of_row_about_the_person(personas, logged):
    response = personas.client("supervisor").get(reverse("cases:person_viewers", args=[logged.person_id]))
    assert response.status_code == 200
    assert "Broke glass" in response.content.decode()


def test_detail_pairs_are_text_whatever_the_shape():
    event = AuditEvent(action=Action.VIEW, detail={"items": 20, "values": [1, 2], "get": None, "ok": True})
    assert event.detail_pairs() == [("items", "20"), ("values", "1, 2"), ("get", "—"), ("ok", "yes")]
    assert AuditEvent(action=Action.VIEW, detail=["odd"]).detail_pairs() == [("detail", "odd")]
