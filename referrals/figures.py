"""The referrals app's dashboard figures — the NRM pipeline and referrals by agency with
their response times against each agency's target — registered from wiring.py into the
core's figure registry. Scoped through ``case_scope`` and the dashboard's filters."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate

from cases.figures import scoped_cases
from cases.models import Case
from cases.selectors import case_scope
from safeguarding.accounts.models import User
from safeguarding.core import figures
from safeguarding.core.figures import Filters, Row, Table

from .models import (
    RG_TARGET_WORKING_DAYS,
    NRMReferral,
    NRMReferralQuerySet,
    Outcome,
    Referral,
    rg_overdue_cutoff,  # noqa: F401  # the rule lives on the model; read here by the figure tests
)
from .models.referrals import answer_overdue_q


def scoped_nrms(f: Filters) -> NRMReferralQuerySet:
    return NRMReferral.objects.filter(case_scope(f.user, "case__"), **f.case_filter("case__"))


def rg_overdue(f: Filters) -> QuerySet[NRMReferral]:
    return scoped_nrms(f).rg_overdue(figures.local_date(f.now))


def submitted_in_range(f: Filters) -> QuerySet[NRMReferral]:
    return scoped_nrms(f).filter(submitted_on__gte=f.date_from, submitted_on__lte=f.date_to)


NRM_ROWS = {
    "submitted": Q(),
    "rg-positive": Q(rg_outcome=Outcome.POSITIVE),
    "rg-negative": Q(rg_outcome=Outcome.NEGATIVE),
    "cg-positive": Q(cg_outcome=Outcome.POSITIVE),
    "cg-negative": Q(cg_outcome=Outcome.NEGATIVE),
}


def nrm_tables(f: Filters) -> list[Table]:
    counts = submitted_in_range(f).aggregate(
        **{key.replace("-", "_"): Count("pk", filter=q) for key, q in NRM_ROWS.items()},
    )
    to_rg = figures.medians(submitted_in_range(f), F("rg_decided_on") - F("submitted_on")).get(None)
    to_cg = figures.medians(submitted_in_range(f), F("cg_decided_on") - F("submitted_on")).get(None)
    overdue = rg_overdue(f).count()
    labels = {
        "submitted": "Submitted in the period",
        "rg-positive": "Reasonable Grounds: positive",
        "rg-negative": "Reasonable Grounds: negative",
        "cg-positive": "Conclusive Grounds: positive",
        "cg-negative": "Conclusive Grounds: negative",
    }
    rows = [Row([labels[key], counts[key.replace("-", "_")]], key=key) for key in NRM_ROWS]
    rows.insert(
        1,
        Row(
            [f"Reasonable Grounds awaited beyond {RG_TARGET_WORKING_DAYS} working days (now)", overdue],
            key="rg-overdue",
        ),
    )
    return [
        Table(
            key="pipeline",
            title="National Referral Mechanism pipeline",
            columns=["Stage", "Referrals"],
            rows=rows,
            chart=figures.Chart(0, 1),
            note="Decisions of the referrals submitted in the period; the overdue count is of every referral still "
            "awaiting its Reasonable Grounds decision, excluding weekends and bank holidays.",
        ),
        Table(
            key="decision_time",
            title="Days to each decision",
            columns=["Decision", "Median time from submission"],
            rows=[
                Row(["Reasonable Grounds", figures.days_text(to_rg)], key="submitted"),
                Row(["Conclusive Grounds", figures.days_text(to_cg)], key="submitted"),
            ],
        ),
    ]


def nrm_records(f: Filters, table: str, row: str) -> QuerySet[Case] | None:
    if row == "rg-overdue":
        nrms = rg_overdue(f)
    elif row in NRM_ROWS:
        nrms = submitted_in_range(f).filter(NRM_ROWS[row])
    else:
        return None
    return scoped_cases(f).filter(Exists(nrms.filter(case_id=OuterRef("pk"))))


# ---------------------------------------------------------------------------
# Referrals by agency
# ---------------------------------------------------------------------------


def sent_in_range(f: Filters) -> QuerySet[Referral]:
    return Referral.objects.filter(
        case_scope(f.user, "case__"), **f.case_filter("case__"), sent_at__gte=f.start, sent_at__lt=f.end
    )


def _within_target() -> Q:
    return Q(decided_at__isnull=False, response_due_on__isnull=False, decided_on__lte=F("response_due_on"))


def unanswered_past_target(f: Filters) -> QuerySet[Referral]:
    """Referrals still waiting for the agency's answer after the date it was due (now,
    whenever they were sent)."""
    return Referral.objects.filter(
        case_scope(f.user, "case__"),
        **f.case_filter("case__"),
    ).answer_overdue(figures.local_date(f.now))


def referral_tables(f: Filters) -> list[Table]:
    today = figures.local_date(f.now)
    waiting = list(
        unanswered_past_target(f)
        .order_by()
        .values("agency_id", "agency__name")
        .annotate(n=Count("pk"))
        .order_by("agency__name", "agency_id")
    )
    rows = list(
        sent_in_range(f)
        .annotate(decided_on=TruncDate("decided_at", tzinfo=ZoneInfo(figures.LONDON)))
        .order_by()
        .values("agency_id", "agency__name", "agency__response_target_working_days")
        .annotate(
            sent=Count("pk"),
            answered=Count("pk", filter=Q(decided_at__isnull=False)),
            on_time=Count("pk", filter=_within_target()),
            waiting_late=Count("pk", filter=answer_overdue_q(today)),
        )
        .order_by("agency__name", "agency_id")
    )
    median = figures.medians(sent_in_range(f), F("decided_at") - F("sent_at"), group="agency_id")
    return [
        Table(
            key="by_agency",
            title="Referrals by agency and their response times",
            columns=[
                "Agency",
                "Sent",
                "Answered",
                "Answered within target",
                "Awaiting an answer past target",
                "Median time to answer",
                "Target (working days)",
            ],
            rows=[
                Row(
                    [
                        r["agency__name"],
                        r["sent"],
                        r["answered"],
                        r["on_time"],
                        r["waiting_late"],
                        figures.days_text(median.get(r["agency_id"])),
                        r["agency__response_target_working_days"] or "–",
                    ],
                    key=f"agency-{r['agency_id']}",
                )
                for r in rows
            ],
            chart=figures.Chart(0, 1),
            note="Referrals sent in the period. An answer is the agency accepting or declining; within target "
            "means on or before the date due, counted in working days from sending.",
        ),
        Table(
            key="unanswered",
            title="Referrals unanswered past the agency's target (now)",
            columns=["Agency", "Referrals"],
            rows=[Row([r["agency__name"], r["n"]], key=f"agency-{r['agency_id']}") for r in waiting],
            chart=figures.Chart(0, 1),
            totals=["Total", sum(r["n"] for r in waiting)],
        ),
    ]


def referral_records(f: Filters, table: str, row: str) -> QuerySet[Case] | None:
    kind, _, value = row.partition("-")
    if table == "unanswered":
        waiting = unanswered_past_target(f)
        if kind == "agency" and value.isdigit():
            waiting = waiting.filter(agency_id=int(value))
        elif row != "all":
            return None
        return scoped_cases(f).filter(Exists(waiting.filter(case_id=OuterRef("pk"))))
    if table != "by_agency" or kind != "agency" or not value.isdigit():
        return None
    referrals = sent_in_range(f).filter(agency_id=int(value), case_id=OuterRef("pk"))
    return scoped_cases(f).filter(Exists(referrals))


def register() -> None:
    readers = (User.Role.SUPERVISOR, User.Role.FORCE_LEAD)
    figures.register(
        figures.Provider(
            key="nrm",
            section="National Referral Mechanism",
            title="NRM pipeline",
            tables=nrm_tables,
            records=nrm_records,
            order=50,
            roles=readers,
        )
    )
    figures.register(
        figures.Provider(
            key="referrals",
            section="Referrals to partner agencies",
            title="Referrals by agency",
            tables=referral_tables,
            records=referral_records,
            order=55,
            roles=readers,
        )
    )
