"""A small force's worth of records for the dashboard tests, at a fixed instant, and the
brute-force answers every figure is checked against: plain Python over the same rows,
with the scope rule written out again (a supervisor counts only their teams' cases)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from cases.models import BreakGlassAccess, Case, CaseStatus, MissingEpisode
from custody.models import ChecklistItem, ItemStatus, RowState
from dashboards.selectors import london_midnight
from referrals.models import NRMReferral, Referral, ReferralStatus
from safeguarding.accounts.models import User
from safeguarding.core import figures
from tests.custody.clock.helpers import start_checklist
from tests.factories.cases import CaseFactory, MissingEpisodeFactory
from tests.factories.custody import CustodyImportFactory, CustodyImportRowFactory
from tests.referrals.helpers import inbox_agency

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")
# Mid-April 2026: the range below holds March 2026, whose last Sunday put the clocks forward.
NOW = datetime(2026, 4, 15, 11, 0, tzinfo=UTC)
DATE_FROM = date(2026, 1, 1)
DATE_TO = date(2026, 4, 15)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class World:
    personas: object
    cases: list[Case]


def build(personas) -> World:
    """Called inside time_machine.travel(NOW)."""
    officer_a, officer_a2, officer_b = personas.officer_a, personas.officer_a2, personas.officer_b
    a1 = CaseFactory(owner=officer_a, risk_level="high", opened_at=at("2025-11-20T10:00"))
    a2 = CaseFactory(owner=officer_a2, risk_level="medium", opened_at=at("2026-01-05T10:00"))
    a3 = CaseFactory(owner=officer_a, risk_level="low", opened_at=at("2026-03-10T10:00"), how_identified="operation")
    a_closed = CaseFactory(
        owner=officer_a, status=CaseStatus.CLOSED, opened_at=at("2026-01-02T10:00"), closed_at=at("2026-02-02T10:00")
    )
    b1 = CaseFactory(
        owner=officer_b, risk_level="high", opened_at=at("2026-01-10T10:00"), how_identified="custody_review"
    )
    b2 = CaseFactory(owner=officer_b, risk_level="low", opened_at=at("2026-02-01T10:00"))
    Case.objects.filter(pk__in=[a1.pk, b1.pk]).update(updated_at=NOW - timedelta(days=20))
    Case.objects.filter(pk__in=[a2.pk, b2.pk]).update(risk_review_on=date(2026, 4, 1))
    Case.objects.filter(pk=a3.pk).update(risk_review_on=date(2026, 5, 1))

    # Missing episodes: some either side of month ends, one each side of the spring clock change.
    for case, times in (
        (a1, ["2026-02-28T23:30", "2026-03-01T00:30", "2026-03-29T00:30", "2026-03-29T01:30", "2026-03-31T23:30"]),
        # a2 opened on 5 January: three in the 90 days before, one after.
        (a2, ["2025-11-01T12:00", "2025-12-01T12:00", "2026-01-01T12:00", "2026-02-10T12:00"]),
        (b1, ["2025-12-20T12:00", "2026-01-20T12:00", "2026-03-31T22:59", "2026-04-02T08:00"]),
        (b2, ["2026-01-31T23:59"]),
    ):
        for text in times:
            MissingEpisodeFactory(case=case, reported_missing_at=at(text))

    # 48-hour checklists released three days ago: every item is past due. Some done on
    # time, some late, the rest missed.
    for case, by in ((a1, officer_a), (a2, officer_a2), (b1, officer_b)):
        checklist = start_checklist(case=case, by=by, released_at=NOW - timedelta(days=3))
        items = list(checklist.items.filter(status=ItemStatus.PENDING).order_by("position"))
        for item in items[:3]:
            ChecklistItem.objects.filter(pk=item.pk).update(
                status=ItemStatus.DONE, resolved_at=item.due_at - timedelta(minutes=30), resolved_by=by
            )
        for item in items[3:5]:
            ChecklistItem.objects.filter(pk=item.pk).update(
                status=ItemStatus.DONE, resolved_at=item.due_at + timedelta(hours=2), resolved_by=by
            )
    # One checklist still running, its items due soon and later.
    start_checklist(case=a3, by=officer_a, released_at=NOW - timedelta(hours=1))

    # Referrals to two agencies.
    mash = inbox_agency("Testshire MASH")
    yjs = inbox_agency("Testshire Youth Justice")
    for case, agency, sent, due, decided, status in (
        (a1, mash, "2026-04-01T09:00", date(2026, 4, 8), "2026-04-07T09:00", ReferralStatus.ACCEPTED),
        (a2, mash, "2026-04-01T09:00", date(2026, 4, 8), "2026-04-10T09:00", ReferralStatus.ACCEPTED),
        (a2, yjs, "2026-04-02T09:00", date(2026, 4, 9), None, ReferralStatus.SENT),
        (a3, yjs, "2026-04-14T09:00", date(2026, 4, 20), None, ReferralStatus.ACKNOWLEDGED),
        (b1, mash, "2026-03-02T09:00", date(2026, 3, 9), None, ReferralStatus.SENT),
    ):
        Referral.objects.create(
            case=case,
            agency=agency,
            referral_type="childrens_services",
            reason="Found far from home.",
            ask="Strategy discussion.",
            share_expires_at=NOW + timedelta(days=30),
            status=status,
            sent_at=at(sent),
            response_due_on=due,
            response_target_working_days=5,
            decided_at=at(decided) if decided else None,
            created_by=case.owner,
        )
    # NRM referrals (adults with consent keep the rows simple).
    for case, submitted, rg, rg_on, cg, cg_on in (
        (a1, date(2026, 4, 1), "", None, "", None),  # RG overdue by 15 April
        (a2, date(2026, 2, 2), "positive", date(2026, 2, 9), "positive", date(2026, 3, 20)),
        (a3, date(2026, 4, 13), "", None, "", None),  # not overdue yet
        (b1, date(2026, 3, 2), "negative", date(2026, 3, 5), "", None),
        (b2, date(2026, 3, 3), "", None, "", None),  # overdue, team B
    ):
        NRMReferral.objects.create(
            case=case,
            first_responder=case.owner,
            first_responder_organisation="Testshire Police",
            submitted_on=submitted,
            route="adult_consent",
            consent_given=True,
            rg_outcome=rg,
            rg_decided_on=rg_on,
            cg_outcome=cg,
            cg_decided_on=cg_on,
            created_by=case.owner,
        )
    # The morning custody review: rows decided by each team, one still waiting.
    batch = CustodyImportFactory(uploaded_by=officer_a)
    for state, by, case, decided in (
        (RowState.SAFEGUARDED, officer_a, a3, "2026-03-10T09:00"),
        (RowState.ALREADY_KNOWN, officer_a, a1, "2026-02-10T09:00"),
        (RowState.NOT_AT_RISK, officer_a2, None, "2026-04-10T09:00"),
        (RowState.SAFEGUARDED, officer_b, b1, "2026-01-10T09:00"),
    ):
        decided_at = at(decided)
        CustodyImportRowFactory(
            batch=batch,
            person=case.person if case else None,
            decision_reason="" if case else "Adult: over 18 on the custody record.",
            state=state,
            decided_by=by,
            case=case,
            decided_at=decided_at,
            arrested_at=decided_at - timedelta(hours=9),
        )
    CustodyImportRowFactory(batch=batch, state=RowState.TO_REVIEW)
    # Break glass must not widen a supervisor's figures: a live grant on a team B person.
    BreakGlassAccess.objects.create(
        user=personas.supervisor,
        person=b1.person,
        justification="Checking a link.",
        granted_at=NOW,
        expires_at=NOW + timedelta(hours=4),
    )
    return World(personas=personas, cases=[a1, a2, a3, a_closed, b1, b2])


def filters_for(user: User, *, team_ids=None) -> figures.Filters:
    from cases.selectors import teams_of

    if team_ids is None and user.role == User.Role.SUPERVISOR:
        team_ids = tuple(teams_of(user).values_list("pk", flat=True))
    return figures.Filters(
        user=user,
        team_ids=team_ids,
        officer_id=None,
        date_from=DATE_FROM,
        date_to=DATE_TO,
        start=london_midnight(DATE_FROM),
        end=london_midnight(DATE_TO + timedelta(days=1)),
        now=timezone.now(),
    )


# ---------------------------------------------------------------------------
# Brute force: every rule written out again over plain Python lists
# ---------------------------------------------------------------------------


def visible_cases(user: User) -> list[Case]:
    if user.role == User.Role.FORCE_LEAD:
        return list(Case.objects.all())
    teams = set(user.supervised_teams.values_list("pk", flat=True))
    return [c for c in Case.objects.all() if c.team_id in teams]


def london_month(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%Y-%m")


def in_range(moment: datetime) -> bool:
    return DATE_FROM <= moment.astimezone(LONDON).date() <= DATE_TO


def brute_caseload(user: User) -> dict:
    open_cases = [c for c in visible_cases(user) if c.status != CaseStatus.CLOSED]
    today = NOW.astimezone(LONDON).date()
    return {
        "team": Counter(c.team.name for c in open_cases),
        "officer": Counter(c.owner.full_name for c in open_cases),
        "risk": Counter(c.get_risk_level_display() for c in open_cases),
        "high_by_team": Counter(c.team.name for c in open_cases if c.risk_level == "high"),
        "stale": sum(1 for c in open_cases if c.updated_at < NOW - timedelta(days=14)),
        "review": sum(1 for c in open_cases if c.risk_review_on and c.risk_review_on < today),
        "ids": {c.pk for c in open_cases},
    }


def brute_missing(user: User) -> dict:
    case_ids = {c.pk for c in visible_cases(user)}
    episodes = [e for e in MissingEpisode.objects.all() if e.case_id in case_ids]
    by_month = Counter(london_month(e.reported_missing_at) for e in episodes if in_range(e.reported_missing_at))
    before = after = compared = 0
    for case in visible_cases(user):
        if not in_range(case.opened_at) or case.opened_at > NOW - timedelta(days=90):
            continue
        compared += 1
        mine = [e for e in episodes if e.case.person_id == case.person_id]
        before += sum(1 for e in mine if case.opened_at - timedelta(days=90) <= e.reported_missing_at < case.opened_at)
        after += sum(1 for e in mine if case.opened_at <= e.reported_missing_at < case.opened_at + timedelta(days=90))
    return {"by_month": by_month, "compared": compared, "before": before, "after": after}


def brute_compliance(user: User) -> dict:
    teams = {c.pk: c.team.name for c in visible_cases(user)}
    due: Counter[str] = Counter()
    on_time: Counter[str] = Counter()
    for item in ChecklistItem.objects.select_related("checklist"):
        if item.checklist.case_id not in teams or not in_range(item.due_at) or item.due_at > NOW:
            continue
        team = teams[item.checklist.case_id]
        due[team] += 1
        if item.status != ItemStatus.PENDING and item.resolved_at and item.resolved_at <= item.due_at:
            on_time[team] += 1
    return {"due": due, "on_time": on_time}


def brute_nrm(user: User, rg_overdue_cutoff: date) -> dict:
    ids = {c.pk for c in visible_cases(user)}
    nrms = [n for n in NRMReferral.objects.all() if n.case_id in ids]
    submitted = [n for n in nrms if DATE_FROM <= n.submitted_on <= DATE_TO]
    return {
        "submitted": len(submitted),
        "rg-overdue": sum(1 for n in nrms if not n.rg_outcome and n.submitted_on <= rg_overdue_cutoff),
        "rg-positive": sum(1 for n in submitted if n.rg_outcome == "positive"),
        "rg-negative": sum(1 for n in submitted if n.rg_outcome == "negative"),
        "cg-positive": sum(1 for n in submitted if n.cg_outcome == "positive"),
        "cg-negative": sum(1 for n in submitted if n.cg_outcome == "negative"),
    }


def brute_referrals(user: User) -> dict:
    ids = {c.pk for c in visible_cases(user)}
    today = NOW.astimezone(LONDON).date()
    sent: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    on_time: Counter[str] = Counter()
    unanswered: Counter[str] = Counter()
    for r in Referral.objects.select_related("agency"):
        if r.case_id not in ids:
            continue
        if r.status in ("sent", "acknowledged") and r.response_due_on < today:
            unanswered[r.agency.name] += 1
        if not in_range(r.sent_at):
            continue
        sent[r.agency.name] += 1
        if r.decided_at:
            answered[r.agency.name] += 1
            if r.decided_at.astimezone(LONDON).date() <= r.response_due_on:
                on_time[r.agency.name] += 1
    return {"sent": sent, "answered": answered, "on_time": on_time, "unanswered": unanswered}
