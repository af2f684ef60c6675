"""Benchmark: opening one person's record, and finding a misspelled name, before and
after the per-record scope check and the ranked search candidates.

One database (BENCH_SCOPE_DB, created and dropped here) holds PEOPLE young people in
six teams, most with one case, plus a crowd of similar names. Printed, medians of
ROUNDS, same run:

* the person-page scope check of an officer and a supervisor, with the old rule
  (``pk IN (every visible person) OR merged_into IN (…)``, JIT on as it was) and the
  rule now (EXISTS over that person's own cases, JIT off), and their ratio;
* whether a misspelled name is among the search candidates with the old unordered
  ``LIMIT 300`` and with the ranked candidates now.

    .venv/bin/python -m bench.scope_and_search      # or through bench/run.py
    BENCH_SCOPE_PEOPLE=100000 BENCH_SCOPE_EXPLAIN=1 …  # bigger; print the new check's plan

The "after" figures include building the query in Django (about a millisecond of SQL).

Printed figures, not a timed test.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from bench._support import ROOT, bench_database, child_env, server_url

BENCH_DB = os.environ.get("BENCH_SCOPE_DB", "safeguarding_bench_scope")
PEOPLE = int(os.environ.get("BENCH_SCOPE_PEOPLE", "30000"))
CROWD = 3_000
ROUNDS = 7


def run() -> None:
    url = server_url("scope_and_search")
    if url is None:
        return
    with bench_database(url, BENCH_DB) as db_url:
        subprocess.run(
            [sys.executable, "-m", "bench.scope_and_search", "--child"],
            cwd=ROOT,
            env=child_env(db_url, PYTHONUNBUFFERED="1"),
            check=True,
        )


# --- Child: load, then measure ------------------------------------------------------------


def _load():
    from django.core.management import call_command

    from cases import names
    from cases.models import Case, YoungPerson
    from safeguarding.accounts.models import Agency, Team, User

    call_command("migrate", verbosity=0)
    force = Agency.objects.create(name="Benchshire Police", kind=Agency.Kind.POLICE_FORCE)
    teams = [Team.objects.create(name=f"Team {i}", agency=force) for i in range(6)]
    officers = [
        User.objects.create(
            email=f"officer{i}@bench.example", full_name=f"Officer {i}", role=User.Role.OFFICER, team=team, agency=force
        )
        for i, team in enumerate(teams)
    ]
    supervisor = User.objects.create(
        email="sergeant@bench.example", full_name="Sergeant", role=User.Role.SUPERVISOR, agency=force
    )
    supervisor.supervised_teams.set(teams[:2])
    given = ["Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Arthur", "Oscar", "Charlie", "Thomas"]
    family = ["Smith", "Smyth", "Smithe", "Smithson", "Schmidt", "Jones", "Taylor", "Brown", "Wilson", "Evans"]

    def person(i, first, last):
        p = YoungPerson(given_name=first, family_name=last, date_of_birth="2010-01-01", gender="male")
        p.given_name_norm, p.family_name_norm = names.normalise(first), names.normalise(last)
        p.full_name_norm = names.normalise(f"{first} {last}")
        p.name_keys = names.name_keys(p.full_name_norm)
        p.created_by_team = teams[i % 6]
        return p

    people = [person(i, f"Given{i:06d}"[:4] + chr(97 + i % 26) * 3, f"Family{i // 26}") for i in range(PEOPLE)]
    people += [person(i, given[i % 10], family[i % 5]) for i in range(CROWD)]
    people = YoungPerson.objects.bulk_create(people, batch_size=5000)
    target = person(0, "Kayden", "Smith")
    target.save()
    cases = [
        Case(
            person=p,
            owner=officers[i % 6],
            team=teams[i % 6],
            created_by=officers[i % 6],
            exploitation_types=["cce"],
            risk_level="medium",
            risk_rationale="Bench.",
        )
        for i, p in enumerate([*people, target])
    ]
    Case.objects.bulk_create(cases, batch_size=5000)
    with _cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return officers[0], supervisor, people[-CROWD - 1], target


def _cursor():
    from django.db import connection

    return connection.cursor()


def _old_people_visible_to(user):
    """The rule as it was, kept here only to measure against."""
    from django.db.models import Exists, OuterRef, Q

    from cases.models import Case, YoungPerson
    from cases.selectors import live_break_glass, teams_of
    from safeguarding.accounts.models import Team, User

    if user.role == User.Role.OFFICER:
        scope = Q(team_id=user.team_id) | Q(owner=user)
    else:
        scope = Q(team__in=Team.objects.filter(supervisors=user).values("pk"))
    scope |= Q(person__in=live_break_glass(user).values("person_id"))
    has_visible_case = Exists(Case.objects.filter(scope).filter(person_id=OuterRef("pk")))
    has_no_case = ~Exists(Case.objects.filter(person_id=OuterRef("pk")))
    created_here = Q(created_by_team__in=teams_of(user).values("pk")) | Q(created_by=user)
    granted = Q(pk__in=live_break_glass(user).values("person_id"))
    live = YoungPerson.objects.filter(
        Q(has_visible_case) | (Q(has_no_case) & created_here) | granted, merged_into__isnull=True
    )
    return YoungPerson.objects.filter(Q(pk__in=live.values("pk")) | Q(merged_into__in=live.values("pk")))


def _median(check, jit: str) -> float:
    with _cursor() as cursor:
        cursor.execute(f"SET jit = {jit}")
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        check()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _old_candidates(text: str) -> set[int]:
    """The search's candidate query as it was: the same filter, an unordered LIMIT 300."""
    from cases import search
    from cases.models import YoungPerson

    matching = YoungPerson.objects.filter(search._name_filter(search._PERSON, text), merged_into__isnull=True)
    return set(matching.values_list("pk", flat=True)[:300])


def child() -> None:
    import django

    django.setup()
    from cases import search
    from cases.selectors import people_visible_to

    officer, supervisor, person, target = _load()
    print(f"{PEOPLE + CROWD + 1:,} young people, as many cases, six teams")
    print(f"{'person-page scope check':<34}{'before':>10}{'after':>10}{'ratio':>8}")
    for label, user in (("officer", officer), ("supervisor", supervisor)):
        before = _median(lambda u=user: _old_people_visible_to(u).filter(pk=person.pk).exists(), "on")
        before_off = _median(lambda u=user: _old_people_visible_to(u).filter(pk=person.pk).exists(), "off")
        after = _median(lambda u=user: people_visible_to(u).filter(pk=person.pk).exists(), "off")
        print(
            f"  {label + ' (old rule, JIT on)':<32}{before * 1000:>8.1f}ms{after * 1000:>8.1f}ms{before / after:>7.0f}x"
        )
        print(
            f"  {label + ' (old rule, JIT off)':<32}{before_off * 1000:>8.1f}ms{after * 1000:>8.1f}ms{before_off / after:>7.0f}x"
        )
    if os.environ.get("BENCH_SCOPE_EXPLAIN"):
        print(people_visible_to(officer).filter(pk=person.pk).explain(analyze=True))
    for typed in ("Kaiden Smith", "Kaydon Smyth"):
        old = target.pk in _old_candidates(typed)
        new = target.pk in search._ids_by_name(typed)
        print(
            f"search {typed!r}: target among candidates before: {'yes' if old else 'NO'}, after: {'yes' if new else 'NO'}"
        )


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.path.insert(0, str(ROOT))
        child()
    else:
        run()
