"""Reads and scoping of the morning custody review.

* The custody list, its rows and the review queue are force-wide: a morning list
  covers every team, and any officer or supervisor of the force may review it.
  The force lead reads them; partners and admins never see them.
* Custody events belong to a case: they are visible exactly when the case is
  (cases.selectors.cases_visible_to), so outside one's scope they answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from cases import names, search
from cases.models import Case, CaseStatus, YoungPerson
from cases.selectors import Contact, case_scope, cases_visible_to, people_visible_to, person_contacts
from safeguarding.accounts.models import User
from safeguarding.core.access import AuthenticatedRequest, get_for_user_or_404

from ..models import CustodyEvent, CustodyImport, CustodyImportRow, ImportStatus, RowState
from .screening import NAME_MATCH_MIN

READ_ROLES = User.Role.case_readers()
REVIEW_ROLES = User.Role.case_editors()


def can_review(user: User) -> bool:
    return user.is_authenticated and user.role in REVIEW_ROLES


def imports_visible_to(user: User) -> QuerySet[CustodyImport]:
    if not user.is_authenticated or user.role not in READ_ROLES:
        return CustodyImport.objects.none()
    return CustodyImport.objects.all()


def rows_visible_to(user: User) -> QuerySet[CustodyImportRow]:
    if not user.is_authenticated or user.role not in READ_ROLES:
        return CustodyImportRow.objects.none()
    return CustodyImportRow.objects.all()


def custody_events_visible_to(user: User) -> QuerySet[CustodyEvent]:
    return CustodyEvent.objects.filter(case_scope(user, "case__"))


def import_get_for_user_or_404(*, request: AuthenticatedRequest, pk: int | str) -> CustodyImport:
    visible = imports_visible_to(request.user).select_related("uploaded_by").defer("content")
    return get_for_user_or_404(request=request, visible=visible, pk=pk)


def row_get_for_user_or_404(*, request: AuthenticatedRequest, pk: int | str) -> CustodyImportRow:
    visible = rows_visible_to(request.user).select_related(
        "batch", "batch__uploaded_by", "decided_by", "person", "case", "case__team", "matched_person"
    )
    return get_for_user_or_404(request=request, visible=visible.defer("batch__content"), pk=pk)


def custody_event_get_for_user_or_404(*, request: AuthenticatedRequest, pk: int | str) -> CustodyEvent:
    visible = custody_events_visible_to(request.user).select_related(
        "case", "case__team", "case__owner", "person", "created_by", "source_row"
    )
    return get_for_user_or_404(request=request, visible=visible, pk=pk)


# ---------------------------------------------------------------------------
# The review queue
# ---------------------------------------------------------------------------


def review_queue(user: User) -> QuerySet[CustodyImportRow]:
    """Rows waiting for a decision, highest score first (custodyrow_queue_idx)."""
    return (
        rows_visible_to(user)
        .filter(state=RowState.TO_REVIEW)
        .select_related("batch", "matched_person")
        .defer("batch__content", "raw")
        .order_by("-score", "id")
    )


def start_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def decided_today(user: User) -> QuerySet[CustodyImportRow]:
    return (
        rows_visible_to(user)
        .filter(decided_at__gte=start_of_today(), state__in=RowState.decided())
        .select_related("decided_by", "case", "batch")
        .defer("batch__content", "raw")
        .order_by("-decided_at")
    )


@dataclass
class Today:
    left: int
    decided: int
    imports: list[CustodyImport]
    processing: int


def review_today(user: User) -> Today:
    """What the home panel and the review page show: what is left, what was decided today."""
    imports = list(
        imports_visible_to(user)
        .filter(uploaded_at__gte=start_of_today())
        .defer("content", "problems", "updates")
        .order_by("-uploaded_at")[:10]
    )
    return Today(
        left=review_queue(user).count(),
        decided=decided_today(user).count(),
        imports=imports,
        processing=sum(1 for i in imports if i.status in (ImportStatus.PENDING, ImportStatus.PROCESSING)),
    )


def import_list(user: User) -> QuerySet[CustodyImport]:
    return imports_visible_to(user).select_related("uploaded_by").defer("content", "problems", "updates")


def import_rows(batch: CustodyImport, *, state: str = "") -> QuerySet[CustodyImportRow]:
    rows = CustodyImportRow.objects.filter(Q(batch=batch) | Q(last_batch=batch)).defer("raw")
    if state:
        rows = rows.filter(state=state)
    return rows.select_related("decided_by").order_by("batch_id", "line_number")


# ---------------------------------------------------------------------------
# Candidates for a decision
# ---------------------------------------------------------------------------


@dataclass
class Candidate:
    """A known young person the row may be, as the viewer may see them."""

    person: YoungPerson
    reasons: list[str]
    in_scope: bool
    contacts: list[Contact] = field(default_factory=list)
    open_cases: list[Case] = field(default_factory=list)
    score: float = 0.0
    # Born the same day with a close name (or alias): the row is taken to be this person
    # unless the officer says otherwise.
    confident: bool = False


def row_candidates(user: User, row: CustodyImportRow) -> list[Candidate]:
    """The screened match first, then people found by name and date of birth (cases.search)."""
    if row.is_purged or not (row.surname or row.forenames):
        return []
    results = search.search_people(
        user=user, name=f"{row.forenames} {row.surname}".strip(), date_of_birth=row.date_of_birth
    )
    candidates: dict[int, Candidate] = {}
    for result in results:
        named = any(r == "Name" or r.startswith("Alias") for r in result.reasons)
        candidates[result.person.pk] = Candidate(
            person=result.person,
            reasons=result.reasons,
            in_scope=result.in_scope,
            contacts=result.contacts,
            score=result.score,
            confident=named and "Date of birth" in result.reasons and result.score >= 0.5 + NAME_MATCH_MIN,
        )
    if row.matched_person_id and row.matched_person_id not in candidates:
        person = YoungPerson.objects.filter(pk=row.matched_person_id, merged_into__isnull=True).first()
        if person is not None:
            in_scope = people_visible_to(user).filter(pk=person.pk).exists()
            candidates[person.pk] = Candidate(
                person=person,
                reasons=["Screening match"],
                in_scope=in_scope,
                contacts=[] if in_scope else person_contacts(person),
            )
    if row.matched_person_id in candidates and any("date of birth)" in r for r in row.reasons):
        candidates[row.matched_person_id].confident = True
    # Confident matches first, the closest first; then the screening match; then the rest.
    ordered = sorted(
        candidates.values(), key=lambda c: (not c.confident, c.person.pk != row.matched_person_id, -c.score)
    )
    visible_cases = (
        cases_visible_to(user)
        .filter(person_id__in=[c.person.pk for c in ordered if c.in_scope], status__in=CaseStatus.open_values())
        .select_related("team", "owner")
        .order_by("-opened_at")
    )
    by_person: dict[int, list[Case]] = {}
    for case in visible_cases:
        by_person.setdefault(case.person_id, []).append(case)
    for candidate in ordered:
        candidate.open_cases = by_person.get(candidate.person.pk, [])
    return ordered[:10]


def best_match(candidates: list[Candidate]) -> Candidate | None:
    """The known young person the row is taken to be: the closest confident match the
    viewer may see, however the row was screened when its list was imported."""
    return next((c for c in candidates if c.confident and c.in_scope), None)


def same_person_rows(row: CustodyImportRow) -> list[CustodyImportRow]:
    """Other rows of the same list still to review that look like the same young person
    (born the same day, a close name)."""
    if row.is_purged or not row.date_of_birth:
        return []
    others = (
        CustodyImportRow.objects.filter(
            batch_id=row.batch_id, date_of_birth=row.date_of_birth, state=RowState.TO_REVIEW
        )
        .exclude(pk=row.pk)
        .defer("raw")
        .order_by("line_number")
    )
    mine = f"{row.forenames} {row.surname}"
    return [o for o in others if names.name_score(mine, f"{o.forenames} {o.surname}") >= NAME_MATCH_MIN]


def mark_same_person_rows(rows: list[CustodyImportRow]) -> None:
    """Set ``same_person_lines`` on each row of a page: the lines of its list that look like
    the same young person (one query for the page)."""
    for row in rows:
        row.same_person_lines = []
    keyed = [r for r in rows if r.date_of_birth and not r.is_purged]
    if not keyed:
        return
    others = CustodyImportRow.objects.filter(
        batch_id__in={r.batch_id for r in keyed},
        date_of_birth__in={r.date_of_birth for r in keyed},
        state=RowState.TO_REVIEW,
    ).only("pk", "batch_id", "date_of_birth", "forenames", "surname", "line_number")
    by_key: dict[tuple, list[CustodyImportRow]] = {}
    for other in others:
        by_key.setdefault((other.batch_id, other.date_of_birth), []).append(other)
    for row in keyed:
        mine = f"{row.forenames} {row.surname}"
        row.same_person_lines = [
            o.line_number
            for o in by_key.get((row.batch_id, row.date_of_birth), [])
            if o.pk != row.pk and names.name_score(mine, f"{o.forenames} {o.surname}") >= NAME_MATCH_MIN
        ]


def mark_open_cases(user: User, rows: list[CustodyImportRow]) -> None:
    """Set ``open_case`` on each row of a page whose matched young person has an open case
    the user can see (one query for the page)."""
    ids = {r.matched_person_id for r in rows if r.matched_person_id}
    by_person: dict[int, Case] = {}
    if ids:
        for case in (
            cases_visible_to(user)
            .filter(person_id__in=ids, status__in=CaseStatus.open_values())
            .select_related("owner", "team")
            .order_by("-opened_at")
        ):
            by_person.setdefault(case.person_id, case)
    for row in rows:
        row.open_case = by_person.get(row.matched_person_id) if row.matched_person_id else None


def matched_person_display(user: User, row: CustodyImportRow) -> dict | None:
    """How the viewer sees the screening match: the record if in scope, else who to contact."""
    if not row.matched_person_id:
        return None
    person = row.matched_person
    if person is None:
        return None
    if people_visible_to(user).filter(pk=person.pk).exists():
        return {"person": person, "in_scope": True}
    return {"person": None, "in_scope": False, "contacts": person_contacts(person)}
