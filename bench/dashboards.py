"""Benchmark: the team and force dashboards against the app's minimal signed-in page.

Its own database (BENCH_DASH_DB, created and dropped here), filled twice with its own
small and large data (bulk_create, no factories: a force-scale generator can replace
``_load`` later). For each size it prints, per page, requests per second over ROUNDS
sequential requests through the whole middleware stack (Django's test client, signed
in with both factors), the ratio to the minimal page (the notification list of a user
with none), and the number of SQL queries, which must not grow with the data.

    .venv/bin/python -m bench.dashboards          # or through bench/run.py (make bench)
    BENCH_DASH_SIZES=1000,100000 …                 # young people in the two runs

Printed figures, not a timed test. The dashboards compute every figure from the
records on each request (nothing cached), so what is shown is never older than the page.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench._support import ROOT, bench_database, child_env, server_url

BENCH_DB = os.environ.get("BENCH_DASH_DB", "safeguarding_bench_dashboards")
SIZES = [int(n) for n in os.environ.get("BENCH_DASH_SIZES", "1000,20000").split(",")]
ROUNDS = int(os.environ.get("BENCH_DASH_ROUNDS", "20"))


def run() -> None:
    url = server_url("dashboards")
    if url is None:
        return
    for size in SIZES:
        with bench_database(url, BENCH_DB) as db_url:
            subprocess.run(
                [sys.executable, "-m", "bench.dashboards", "--child", str(size)],
                cwd=ROOT,
                env=child_env(
                    db_url,
                    PYTHONUNBUFFERED="1",
                    STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
                ),
                check=True,
            )


# --- Child: load, then measure ------------------------------------------------------------


def _load(people: int):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cases.models import Case, MissingEpisode, YoungPerson
    from custody.models import Checklist, ChecklistItem, ChecklistTemplate, CustodyImport, CustodyImportRow
    from referrals.models import NRMReferral, Referral
    from safeguarding.accounts.models import Agency, Team, User

    call_command("migrate", verbosity=0)
    now = timezone.now()
    force = Agency.objects.create(name="Benchshire Police", kind=Agency.Kind.POLICE_FORCE)
    agencies = [Agency.objects.create(name=f"Agency {i}", kind=Agency.Kind.CHILDRENS_SERVICES) for i in range(4)]
    teams = [Team.objects.create(name=f"Team {i}", agency=force) for i in range(6)]
    officers = [
        User.objects.create(
            email=f"officer{i}@bench.example", full_name=f"Officer {i}", role=User.Role.OFFICER, team=t, agency=force
        )
        for i, t in enumerate(teams * 3)
    ]
    supervisor = User.objects.create(
        email="sergeant@bench.example", full_name="Sergeant", role=User.Role.SUPERVISOR, agency=force
    )
    supervisor.supervised_teams.set(teams[:2])
    lead = User.objects.create(email="lead@bench.example", full_name="Lead", role=User.Role.FORCE_LEAD, agency=force)
    for user in (supervisor, lead):
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)

    persons = YoungPerson.objects.bulk_create(
        [
            YoungPerson(given_name=f"Given{i}", family_name=f"Family{i}", date_of_birth="2010-01-01", gender="male")
            for i in range(people)
        ],
        batch_size=5000,
    )
    cases = Case.objects.bulk_create(
        [
            Case(
                person=p,
                owner=officers[i % len(officers)],
                team=officers[i % len(officers)].team,
                created_by=officers[i % len(officers)],
                exploitation_types=["cce"],
                risk_level=("low", "medium", "high")[i % 3],
                risk_rationale="Bench.",
                opened_at=now - timedelta(days=i % 500),
                risk_review_on=(now - timedelta(days=i % 30 - 15)).date(),
            )
            for i, p in enumerate(persons)
        ],
        batch_size=5000,
    )
    MissingEpisode.objects.bulk_create(
        [
            MissingEpisode(
                case=c,
                reported_missing_at=c.opened_at + timedelta(days=(i % 180) - 90),
                missing_from="Home",
                reported_by="Carer",
                risk_grade="medium",
                created_by=c.owner,
            )
            for i, c in enumerate(cases)
            if i % 2 == 0
        ],
        batch_size=5000,
    )
    template = ChecklistTemplate.objects.order_by("-is_active", "-version").first()
    template_items = list(template.items.order_by("position")) if template else []
    checklists = Checklist.objects.bulk_create(
        [
            Checklist(case=c, template=template, started_at=now - timedelta(days=i % 60), created_by=c.owner)
            for i, c in enumerate(cases)
            if template and i % 10 == 0
        ],
        batch_size=5000,
    )
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(
                checklist=cl,
                template_item=ti,
                position=ti.position,
                title=ti.title,
                due_at=cl.started_at + timedelta(minutes=ti.due_offset_minutes),
                owner=cl.case.owner,
                status="done" if n % 3 else "pending",
                resolved_at=cl.started_at + timedelta(minutes=ti.due_offset_minutes - 10 + n % 40) if n % 3 else None,
                resolved_by=cl.case.owner if n % 3 else None,
            )
            for n, cl in enumerate(checklists)
            for ti in template_items
        ],
        batch_size=5000,
    )
    Referral.objects.bulk_create(
        [
            Referral(
                case=c,
                agency=agencies[i % 4],
                referral_type="childrens_services",
                reason="Bench.",
                ask="Bench.",
                share_expires_at=now + timedelta(days=30),
                status=("sent", "accepted")[i % 2],
                sent_at=c.opened_at,
                response_due_on=(c.opened_at + timedelta(days=7)).date(),
                response_target_working_days=5,
                decided_at=c.opened_at + timedelta(days=i % 10) if i % 2 else None,
                created_by=c.owner,
            )
            for i, c in enumerate(cases)
            if i % 5 == 0
        ],
        batch_size=5000,
    )
    NRMReferral.objects.bulk_create(
        [
            NRMReferral(
                case=c,
                first_responder=c.owner,
                first_responder_organisation="Benchshire Police",
                submitted_on=c.opened_at.date(),
                route="adult_consent",
                consent_given=True,
                rg_outcome=("", "positive", "negative")[i % 3],
                rg_decided_on=(c.opened_at + timedelta(days=6)).date() if i % 3 else None,
                created_by=c.owner,
            )
            for i, c in enumerate(cases)
            if i % 10 == 0
        ],
        batch_size=5000,
    )
    batch = CustodyImport.objects.create(uploaded_by=officers[0], filename="bench.csv", sha256="0" * 64)
    CustodyImportRow.objects.bulk_create(
        [
            CustodyImportRow(
                batch=batch,
                last_batch=batch,
                line_number=i + 2,
                dedupe_key=f"bench-{i}",
                state="safeguarded" if i % 4 else "to_review",
                person=c.person if i % 4 else None,
                case=c if i % 4 else None,
                decided_by=c.owner if i % 4 else None,
                decided_at=c.opened_at if i % 4 else None,
                arrested_at=c.opened_at - timedelta(hours=8),
            )
            for i, c in enumerate(cases)
            if i % 10 == 0
        ],
        batch_size=5000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return supervisor, lead


def _client(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


class _Queries:
    """Counts and times the SQL of one request (the test client resets Django's own log)."""

    def __init__(self) -> None:
        self.count = 0
        self.slowest: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.slowest.append((time.perf_counter() - started, sql))


def _measure(client, url: str) -> tuple[float, int]:
    from django.db import connection

    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    queries = _Queries()
    with connection.execute_wrapper(queries):
        client.get(url)
    if os.environ.get("BENCH_DASH_SLOWEST"):
        for took, sql in sorted(queries.slowest, reverse=True)[:5]:
            print(f"    {took * 1000:8.1f} ms  {sql[:300]}")
    started = time.perf_counter()
    for _ in range(ROUNDS):
        client.get(url)
    return ROUNDS / (time.perf_counter() - started), queries.count


def child(people: int) -> None:
    import django

    django.setup()
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()  # the test client's host, locmem email
    supervisor, lead = _load(people)
    print(f"{people:,} young people, as many cases, six teams; {ROUNDS} requests per page")
    print(f"  {'page':<36}{'req/s':>8}{'of minimal':>12}{'queries':>9}")
    for label, user, url in (
        ("team dashboard (supervisor)", supervisor, reverse("dashboards:team")),
        ("force dashboard (force lead)", lead, reverse("dashboards:force")),
    ):
        client = _client(user)
        minimal, minimal_queries = _measure(client, reverse("notifications:list"))
        rate, queries = _measure(client, url)
        print(f"  {'minimal page, ' + user.full_name.lower():<36}{minimal:>8.1f}{'':>12}{minimal_queries:>9}")
        print(f"  {label:<36}{rate:>8.1f}{rate / minimal:>11.0%}{queries:>9}")


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.path.insert(0, str(ROOT))
        child(int(sys.argv[-1]))
    else:
        run()
