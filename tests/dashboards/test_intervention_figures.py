"""The interventions' figures (community protection warnings and notices, CCE Prevention
Orders) and modern slavery reclassifications against a brute-force count over the same
data set, for the supervisor (their team only, despite break glass) and the force lead
(everything); the records behind each row are the cases it counts, in scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Associate, Reclassification
from interventions.models import (
    CCEPOApplication,
    CCEPOBreach,
    CommunityProtection,
    CPBreach,
    CPKind,
    CPStatus,
    OrderType,
)
from safeguarding.core import figures
from tests.dashboards import data

pytestmark = pytest.mark.django_db

VIEWERS = ["supervisor", "force_lead"]
DAY_IN = date(2026, 2, 10)
DAY_OUT = date(2025, 12, 1)


def cp(case, kind, status, *, warning=None, created=None):
    served = status == CPStatus.SERVED
    return CommunityProtection.objects.create(
        case=case,
        kind=kind,
        warning=warning,
        status=status,
        conduct="Delivering packages for the Testline.",
        effect="Residents feel intimidated.",
        planned_issue_on=DAY_IN,
        review_on=DAY_IN + timedelta(days=90),
        created_by=case.owner,
        created_at=data.at(created or "2026-02-01T10:00"),
        issued_on=DAY_IN if served else None,
        issued_by=case.owner if served else None,
        served_on=DAY_IN if served else None,
        served_how="in_person" if served else "",
        served_by=case.owner if served else None,
    )


def cp_breach(notice, when):
    CPBreach.objects.create(
        notice=notice,
        occurred_at=data.at(when),
        location="Testford station",
        reported_by="PCSO Example",
        action="advice",
        recorded_by=notice.case.owner,
    )


def ccepo(case, *, applied, made=None, order_type=""):
    respondent = Associate.objects.create(
        case=case, name="Rico Fictitious", relationship="suspected_exploiter", created_by=case.owner
    )
    status = order_type or "application"
    return CCEPOApplication.objects.create(
        case=case,
        respondent=respondent,
        route="free_standing",
        applied_on=applied,
        risk_assessment="Recruits local children.",
        status=status,
        created_by=case.owner,
        court="Testford Magistrates' Court" if made else "",
        made_on=made,
        order_type=order_type,
    )


def reclassify(case, *, requested, to="victim_msht", status="pending", decided=None, decider=None):
    Reclassification.objects.create(
        case=case,
        to_classification=to,
        reason="Forced to carry drugs under threat.",
        requested_at=data.at(requested),
        requested_by=case.owner,
        status=status,
        decided_at=data.at(decided) if decided else None,
        decided_by=decider if decided else None,
    )


@pytest.fixture
def world(personas):
    with time_machine.travel(data.NOW, tick=False):
        world = data.build(personas)
        a1, a2, a3, a_closed, b1, b2 = world.cases
        w1 = cp(a1, CPKind.WARNING, CPStatus.SERVED)
        cp_breach(w1, "2026-02-12T10:00")
        cp_breach(w1, "2026-02-13T10:00")  # one warning breached twice counts once
        n1 = cp(a1, CPKind.NOTICE, CPStatus.SERVED, warning=w1, created="2026-02-20T10:00")
        cp_breach(n1, "2025-12-20T10:00")  # before the period
        cp(a2, CPKind.WARNING, CPStatus.DRAFT)
        w2 = cp(a3, CPKind.WARNING, CPStatus.SERVED)
        cp(a3, CPKind.NOTICE, CPStatus.WITHDRAWN, warning=w2, created="2026-03-01T10:00")  # not escalated
        wb = cp(b1, CPKind.WARNING, CPStatus.SERVED)
        cp_breach(wb, "2026-03-03T10:00")
        nb = cp(b1, CPKind.NOTICE, CPStatus.SERVED, warning=wb, created="2026-03-05T10:00")
        cp_breach(nb, "2026-03-06T10:00")

        o1 = ccepo(a1, applied=DAY_IN, made=DAY_IN + timedelta(days=2), order_type=OrderType.INTERIM)
        CCEPOBreach.objects.create(
            application=o1,
            occurred_at=data.at("2026-03-01T10:00"),
            description="Contacted the child.",
            crime_reference="TS/12345/26",
            recorded_by=a1.owner,
        )
        ccepo(a2, applied=DAY_OUT, made=DAY_IN, order_type=OrderType.FULL)
        ccepo(a3, applied=DAY_IN)
        ob = ccepo(b1, applied=DAY_IN, made=DAY_IN, order_type=OrderType.FULL)
        CCEPOBreach.objects.create(
            application=ob,
            occurred_at=data.at("2026-03-02T10:00"),
            description="Contacted the child.",
            crime_reference="TS/12345/26",
            recorded_by=b1.owner,
        )

        sup = personas.supervisor
        reclassify(a1, requested="2026-02-01T10:00", status="approved", decided="2026-02-02T10:00", decider=sup)
        reclassify(a2, requested="2026-03-01T10:00")
        reclassify(a3, requested="2025-12-01T10:00", status="approved", decided="2026-01-05T10:00", decider=sup)
        reclassify(a3, requested="2026-02-01T10:00", to="victim_cce")  # not modern slavery
        reclassify(b1, requested="2026-02-01T10:00", status="approved", decided="2026-02-03T10:00", decider=sup)
        yield world


def in_period(moment) -> bool:
    return data.in_range(moment)


def day_in_period(day) -> bool:
    return day is not None and data.DATE_FROM <= day <= data.DATE_TO


def brute(user) -> dict[str, dict[str, set[int]]]:
    """For each row, the pks of the records it counts and of the cases behind them."""
    visible = {c.pk for c in data.visible_cases(user)}
    cps = [n for n in CommunityProtection.objects.all() if n.case_id in visible]

    def breached(n):
        return any(in_period(b.occurred_at) for b in n.breaches.all())

    def escalated(n):
        return any(in_period(x.created_at) and x.status != CPStatus.WITHDRAWN for x in n.notices.all())

    cp_rows = {
        "active-warning": [n for n in cps if n.kind == "warning" and n.status == "served"],
        "active-notice": [n for n in cps if n.kind == "notice" and n.status == "served"],
        "breached-warning": [n for n in cps if n.kind == "warning" and breached(n)],
        "breached-notice": [n for n in cps if n.kind == "notice" and breached(n)],
        "escalated": [n for n in cps if n.kind == "warning" and escalated(n)],
    }
    apps = [a for a in CCEPOApplication.objects.all() if a.case_id in visible]
    ccepo_rows = {
        "applied": [a for a in apps if day_in_period(a.applied_on)],
        "interim": [a for a in apps if day_in_period(a.made_on) and a.order_type == "interim"],
        "full": [a for a in apps if day_in_period(a.made_on) and a.order_type == "full"],
        "breached": [a for a in apps if any(in_period(b.occurred_at) for b in a.breaches.all())],
    }
    msht = [r for r in Reclassification.objects.all() if r.case_id in visible and r.to_classification == "victim_msht"]
    msht_rows = {
        "requested": [r for r in msht if in_period(r.requested_at)],
        "approved": [r for r in msht if r.status == "approved" and r.decided_at and in_period(r.decided_at)],
    }
    return {
        "community_protection": {k: (len(v), {x.case_id for x in v}) for k, v in cp_rows.items()},
        "ccepo": {k: (len(v), {x.case_id for x in v}) for k, v in ccepo_rows.items()},
        "msht": {k: (len(v), {x.case_id for x in v}) for k, v in msht_rows.items()},
    }


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("key", ["community_protection", "ccepo", "msht"])
def test_figures_and_their_records_match_brute_force(world, viewer, key):
    user = getattr(world.personas, viewer)
    with time_machine.travel(data.NOW, tick=False):
        f = data.filters_for(user)
        provider = figures.provider(key)
        assert provider is not None and user.role in provider.roles
        expected = brute(user)[key]
        (table,) = provider.tables(f)
        assert {row.key: row.cells[1] for row in table.rows} == {k: n for k, (n, _) in expected.items()}
        for row in table.rows:
            records = provider.records(f, table.key, row.key)
            assert records is not None
            assert set(records.values_list("pk", flat=True)) == expected[row.key][1], (key, row.key)
        assert provider.records(f, table.key, "nonsense") is None
        assert provider.records(f, "nonsense", table.rows[0].key) is None


def test_the_figures_are_not_all_zero(world):
    # Guards the brute force against agreeing on nothing.
    with time_machine.travel(data.NOW, tick=False):
        got = brute(world.personas.force_lead)
    assert all(n for table in got.values() for n, _ in table.values())
    supervisor = brute(world.personas.supervisor)
    assert supervisor["community_protection"]["breached-notice"][0] == 0  # team B's only
    assert got["community_protection"]["breached-notice"][0] == 1


@pytest.mark.parametrize("key", ["community_protection", "ccepo", "msht"])
def test_each_figure_runs_a_fixed_number_of_queries(world, key, personas):
    with time_machine.travel(data.NOW, tick=False):
        f = data.filters_for(world.personas.force_lead)
        provider = figures.provider(key)
        with CaptureQueriesContext(connection) as before:
            provider.tables(f)
        a1 = world.cases[0]
        for _ in range(3):
            w = cp(a1, CPKind.WARNING, CPStatus.SERVED)
            cp_breach(w, "2026-02-12T10:00")
            ccepo(a1, applied=DAY_IN, made=DAY_IN, order_type=OrderType.FULL)
            reclassify(
                a1, requested="2026-02-01T10:00", status="rejected", decided="2026-02-02T10:00", decider=a1.owner
            )
        with CaptureQueriesContext(connection) as after:
            provider.tables(f)
    assert len(after) == len(before)
