"""Decisions on several custody list rows at once: the queue's bulk decision, and the other
lines of a list the officer ticked as the same young person. One call each from the views;
every row is decided by the same service as on its own page (its own audit row, in a
savepoint), and a row that cannot be decided so is left in the queue with the reason."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from cases.models import Case
from safeguarding.accounts.models import User

from ...models import CustodyEvent, CustodyImportRow, RowState
from .common import DecisionError
from .decisions import custody_row_already_known, custody_row_not_at_risk, custody_row_safeguard

NOT_AT_RISK, ALREADY_KNOWN = "not_at_risk", "already_known"


@dataclass
class BulkOutcome:
    done: list[CustodyImportRow] = field(default_factory=list)
    # "line 4 (Jaylen Testwood): why it was not decided"
    left: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class SamePersonOutcome:
    # The row's own decision: the custody event (safeguard, already known) or None (not at risk).
    event: CustodyEvent | None
    also_done: list[int]
    # "Line 7 was not decided: why"
    also_left: list[str]

    @property
    def case_event(self) -> CustodyEvent:
        """The custody event of a decision that records one (safeguard, already known)."""
        if self.event is None:
            raise DecisionError("This decision recorded no custody event.")
        return self.event


@transaction.atomic
def custody_rows_decide_bulk(
    *, actor: User, rows: list[CustodyImportRow], action: str, reason: str = "", request: HttpRequest | None = None
) -> BulkOutcome:
    """Decide queue rows (the caller's scoped queue, in list order) "not at risk" with one
    reason, or "already known" on the open case of each row's confident match."""
    from .. import selectors  # the match is read as the row page reads it

    outcome = BulkOutcome()

    def decide(row: CustodyImportRow) -> None:
        if action == NOT_AT_RISK:
            custody_row_not_at_risk(actor=actor, row=row, reason=reason, request=request)
            return
        best = selectors.best_match(selectors.row_candidates(actor, row))
        if best is None or not best.open_cases:
            raise DecisionError("has no confident match with an open case")
        custody_row_already_known(actor=actor, row=row, case=best.open_cases[0], request=request)

    for row in rows:
        try:
            with transaction.atomic():
                decide(row)
        except DecisionError as error:
            text = str(error)
            outcome.left.append(
                f"line {row.line_number} ({row.name}) {text}"
                if text.startswith("has no confident")
                else f"line {row.line_number} ({row.name}): {text}"
            )
        except ValidationError as error:
            outcome.left.append(f"line {row.line_number} ({row.name}): {error}")
        else:
            outcome.done.append(row)
    return outcome


def _also(also: Iterable[int], decide: Callable[[CustodyImportRow], object]) -> tuple[list[int], list[str]]:
    done, left = [], []
    for other in CustodyImportRow.objects.filter(pk__in=list(also), state=RowState.TO_REVIEW).order_by("line_number"):
        try:
            with transaction.atomic():
                decide(other)
        except (DecisionError, ValidationError) as error:
            left.append(f"Line {other.line_number} was not decided: {error}")
        else:
            done.append(other.line_number)
    return done, left


@transaction.atomic
def custody_row_safeguard_same_person(
    *, actor: User, row: CustodyImportRow, decision: dict, also: Iterable[int] = (), request: HttpRequest | None = None
) -> SamePersonOutcome:
    """Safeguard the row (``decision``: owner, person, person_data, case_data as for
    custody_row_safeguard) and record the lines ticked as the same young person on its case."""
    event = custody_row_safeguard(actor=actor, row=row, request=request, **decision)
    done, left = _also(
        also, lambda other: custody_row_already_known(actor=actor, row=other, case=event.case, request=request)
    )
    return SamePersonOutcome(event=event, also_done=done, also_left=left)


@transaction.atomic
def custody_row_already_known_same_person(
    *, actor: User, row: CustodyImportRow, case: Case, also: Iterable[int] = (), request: HttpRequest | None = None
) -> SamePersonOutcome:
    """Add the row, and the lines ticked as the same young person, to a known case."""
    event = custody_row_already_known(actor=actor, row=row, case=case, request=request)
    done, left = _also(
        also, lambda other: custody_row_already_known(actor=actor, row=other, case=case, request=request)
    )
    return SamePersonOutcome(event=event, also_done=done, also_left=left)


@transaction.atomic
def custody_row_not_at_risk_same_person(
    *, actor: User, row: CustodyImportRow, reason: str, also: Iterable[int] = (), request: HttpRequest | None = None
) -> SamePersonOutcome:
    """Record the row, and the lines ticked as the same young person, as not at risk."""
    custody_row_not_at_risk(actor=actor, row=row, reason=reason, request=request)
    done, left = _also(
        also, lambda other: custody_row_not_at_risk(actor=actor, row=other, reason=reason, request=request)
    )
    return SamePersonOutcome(event=None, also_done=done, also_left=left)
