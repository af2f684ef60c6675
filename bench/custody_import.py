"""Benchmark: screening the morning custody list is indexed, not a scan.

Imports one 10,000-row custody list three ways and prints rows per second:

1. screened against 1,000 known young people (and 100 associates);
2. screened against 100,000 known young people (and 10,000 associates; goal: at least
   50% of the rate of 1);
3. inserted with no screening at all (goal: 2 runs at at least 20% of this rate).

Associate matching (custody.review.screening.match_associates, one statement per 500-row
chunk joining on cases_associate.date_of_birth, index associate_dob_idx, with the names
pre-filtered in the database) is also timed on its own for both sizes, with the plan's
use of the index and how many associates the name prefilter leaves to score in Python.

Each run parses the same file and writes the same rows; the screened runs also score
every row (age, offences, home area, matching by name, date of birth, aliases and
name variants, missing episodes, associates). Known people carry realistic names (Faker
en_GB, fixed seed), aliases for one in ten, and dates of birth over fifteen years; one
in ten has a case with an associate (a suspected exploiter, aged 16 to 40). The list
has people aged 12 to 45, shares a few hundred names with the known people, and one
row in fifty is an associate (name and date of birth).

Everything happens in a separate database (BENCH_CUSTODY_DB, created and dropped
here), so the figures neither depend on nor disturb any other database.

    .venv/bin/python -m bench.custody_import      # or through bench/run.py

Printed figures, not a timed test.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from datetime import date, datetime, timedelta

from bench._support import CUSTODY_LIST_HEADER, ROOT, bench_database, child_env, server_url

BENCH_DB = os.environ.get("BENCH_CUSTODY_DB", "safeguarding_bench_custody")
ROWS = 10_000
SMALL, LARGE = 1_000, 100_000
GOAL_SCALE = 0.50  # rate against LARGE / rate against SMALL
GOAL_BARE = 0.20  # rate against LARGE / bare insert rate
ASSOCIATE_EVERY = 10  # one known person in ten has a case with an associate
ASSOCIATE_ROWS = 50  # one row of the list in fifty is an associate
SEED = 20250314


# --- Parent: create the database, run the child, drop the database ----------------------


def run() -> None:
    url = server_url("custody_import")
    if url is None:
        return
    with bench_database(url, BENCH_DB) as bench_url:
        env = child_env(bench_url)
        subprocess.run([sys.executable, "-m", "bench.custody_import", "--child"], cwd=ROOT, env=env, check=True)


# --- Child: in the bench database -------------------------------------------------------


def _names(n: int, rng: random.Random) -> list[tuple[str, str]]:
    from faker import Faker

    fake = Faker("en_GB")
    fake.seed_instance(rng.randint(0, 10**9))
    return [(fake.first_name(), fake.last_name()) for _ in range(n)]


def _associates(n: int, rng: random.Random) -> list[tuple[str, str, date]]:
    """(given, family, date of birth) of the associates, aged 16 to 40 on the list's day."""
    today = date(2025, 3, 14)
    return [(g, f, today - timedelta(days=rng.randint(16 * 365, 40 * 365))) for g, f in _names(n, rng)]


def _people(count: int, start: int, rng: random.Random, names: list[tuple[str, str]], user, team, associates) -> None:
    """Known young people (and aliases for one in ten), inserted in bulk with the normalised
    name columns YoungPerson.save() would set; person i (i a multiple of ASSOCIATE_EVERY) has
    a case with associate i // ASSOCIATE_EVERY."""
    from cases import names as name_tools
    from cases.models import YoungPerson

    today = date.today()  # noqa: DTZ011 - a bench, not product code
    batch: list = []
    for i in range(start, start + count):
        given, family = names[i % len(names)]
        given = given if i < len(names) else f"{given}{'abcdefghij'[i % 10]}"
        full = name_tools.normalise(f"{given} {family}")
        batch.append(
            YoungPerson(
                given_name=given,
                family_name=family,
                given_name_norm=name_tools.normalise(given),
                family_name_norm=name_tools.normalise(family),
                full_name_norm=full,
                name_keys=name_tools.name_keys(full),
                date_of_birth=today - timedelta(days=rng.randint(10 * 365, 25 * 365)),
                created_by=user,
                created_by_team=team,
            )
        )
        if len(batch) == 5_000:
            _save_people(batch, i + 1 - len(batch), rng, user, team, associates)
            batch = []
    if batch:
        _save_people(batch, start + count - len(batch), rng, user, team, associates)


def _save_people(batch, first: int, rng, user, team, associates) -> None:
    from cases import names as name_tools
    from cases.models import Alias, Associate, Case, YoungPerson

    people = YoungPerson.objects.bulk_create(batch, batch_size=5_000)
    with_associate = [(n, p) for n, p in enumerate(people, start=first) if n % ASSOCIATE_EVERY == 0]
    cases = Case.objects.bulk_create(
        [Case(person=p, team=team, owner=user, created_by=user) for _, p in with_associate], batch_size=5_000
    )
    Associate.objects.bulk_create(
        [
            Associate(
                case=case,
                name=f"{associates[n // ASSOCIATE_EVERY][0]} {associates[n // ASSOCIATE_EVERY][1]}",
                name_norm=name_tools.normalise(
                    f"{associates[n // ASSOCIATE_EVERY][0]} {associates[n // ASSOCIATE_EVERY][1]}"
                ),
                relationship="suspected_exploiter",
                date_of_birth=associates[n // ASSOCIATE_EVERY][2],
                created_by=user,
            )
            for (n, _), case in zip(with_associate, cases, strict=True)
        ],
        batch_size=5_000,
    )
    aliases = []
    for person in people:
        if rng.random() < 0.1:
            name = f"{rng.choice(['Little', 'Big', 'Young', 'Lil'])} {person.given_name}"
            norm = name_tools.normalise(name)
            aliases.append(Alias(person=person, name=name, name_norm=norm, name_keys=name_tools.name_keys(norm)))
    Alias.objects.bulk_create(aliases, batch_size=5_000)


def _custody_list(rng: random.Random, known: list[tuple[str, str]], others: list[tuple[str, str]], associates) -> bytes:
    """The list: one detained person in ten carries a name of the known people's pool; one
    in ASSOCIATE_ROWS is an associate (name and date of birth)."""
    import csv
    import io

    areas = ["Westshire", "North Yorkshire Police", "Leeds", "Lambeth", "Merseyside Police", "Birmingham", ""]
    offences = [
        "Possession with intent to supply a controlled drug of Class A - cocaine",
        "Theft from a shop",
        "Common assault",
        "Possession of a bladed article in a public place",
        "Drink driving",
        "Criminal damage",
        "Being concerned in the supply of a controlled drug of Class A",
    ]
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(CUSTODY_LIST_HEADER)
    start = datetime(2025, 3, 13, 18, 0)  # noqa: DTZ001 - UK local time on the list, as custody writes it
    today = date(2025, 3, 14)
    for i in range(ROWS):
        given, family = rng.choice(known if rng.random() < 0.1 else others)
        arrested = start + timedelta(minutes=i % 700)
        born = today - timedelta(days=rng.randint(12 * 365, 45 * 365))
        if i % ASSOCIATE_ROWS == 1:
            given, family, born = rng.choice(associates)
        writer.writerow(
            [
                f"WS/{i:06d}/25",
                family,
                given,
                born.strftime("%d/%m/%Y") if i % 200 else "unknown",
                rng.choice(areas),
                arrested.strftime("%d/%m/%Y %H:%M"),
                "Westshire Central",
                rng.choice(offences),
                (arrested + timedelta(hours=6)).strftime("%d/%m/%Y %H:%M") if i % 3 else "",
                rng.choice(["RUI", "Charged", "NFA", "Bailed", ""]),
            ]
        )
    return out.getvalue().encode()


def _import(content: bytes, user, *, screen: bool) -> float:
    """Rows per second for one import of the list (parse, dedupe, screen, write), or for
    the bare insert of the same rows when ``screen`` is false."""
    import hashlib

    from custody.models import CustodyImport, CustodyImportRow
    from custody.review import services

    CustodyImportRow.objects.all().delete()
    CustodyImport.objects.all().delete()
    batch = CustodyImport.objects.create(
        uploaded_by=user,
        filename="bench.csv",
        content=content,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        total_rows=ROWS,
    )
    started = time.perf_counter()
    done = services.custody_import_process(batch_id=batch.pk) if screen else _insert_unscreened(batch.pk)
    elapsed = time.perf_counter() - started
    assert done is not None and done.status == "done", done and done.error_message
    assert CustodyImportRow.objects.count() == ROWS
    return ROWS / elapsed


def _insert_unscreened(batch_id: int):
    """The baseline: the import's claim, parsing, chunking, row values and progress, with
    no screening and no look-up of earlier lists: the same rows simply inserted."""
    from django.db import transaction
    from django.utils import timezone

    from custody.models import CustodyImport, CustodyImportRow, ImportStatus
    from custody.review import parsing
    from custody.review.services import imports

    assert imports.claim(batch_id)
    batch = CustodyImport.objects.get(pk=batch_id)
    counts = imports.Counts()
    rows = parsing.parse(parsing.read_file(bytes(batch.content)))
    while chunk := [row for _, row in zip(range(imports.CHUNK_ROWS), rows, strict=False)]:
        now = timezone.now()
        with transaction.atomic():
            CustodyImportRow.objects.bulk_create(
                [
                    CustodyImportRow(
                        batch=batch,
                        last_batch=batch,
                        line_number=p.line,
                        dedupe_key=p.dedupe_key,
                        created_at=now,
                        updated_at=now,
                        **imports.row_fields(p),
                    )
                    for p in chunk
                ],
                batch_size=imports.CHUNK_ROWS,
                ignore_conflicts=True,
            )
            counts.processed += len(chunk)
            counts.new += len(chunk)
            imports.save_progress(batch, counts, [], [])
    CustodyImport.objects.filter(pk=batch_id).update(status=ImportStatus.DONE, finished_at=timezone.now())
    return CustodyImport.objects.get(pk=batch_id)


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_youngperson")
        cursor.execute("VACUUM ANALYZE cases_alias")
        cursor.execute("VACUUM ANALYZE cases_associate")


def _associate_matching(content: bytes) -> tuple[float, int, int, int, bool]:
    """match_associates alone over the whole list, chunk by chunk as the import does:
    (seconds, associates born the same day as a row, of which candidates left by the name
    prefilter and scored in Python, rows matched, whether the plan uses associate_dob_idx)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import Associate
    from custody.review import parsing, screening
    from custody.review.services import CHUNK_ROWS

    rows = list(parsing.parse(parsing.read_file(content)))
    chunks = [rows[i : i + CHUNK_ROWS] for i in range(0, len(rows), CHUNK_ROWS)]
    started = time.perf_counter()
    matched = sum(len(screening.match_associates(chunk)) for chunk in chunks)
    elapsed = time.perf_counter() - started
    same_day = candidates = 0
    for chunk in chunks:
        dobs: dict = {}
        for r in chunk:
            if r.date_of_birth:
                dobs[r.date_of_birth] = dobs.get(r.date_of_birth, 0) + 1
        for dob in Associate.objects.filter(date_of_birth__in=list(dobs)).values_list("date_of_birth", flat=True):
            same_day += dobs[dob]
        candidates += sum(len(c) for c in screening.associate_candidates(chunk).values())
    # The plan of the prefilter statement (captured from the last chunk).
    with CaptureQueriesContext(connection) as captured:
        screening.associate_candidates(chunks[-1])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + captured.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return elapsed, same_day, candidates, matched, "associate_dob_idx" in plan


def child() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from custody.models import CustodyImportRow, RowState
    from safeguarding.accounts.models import Agency, Team, User

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(SEED)
    force = Agency.objects.create(name="Bench Police", kind=Agency.Kind.POLICE_FORCE)
    team = Team.objects.create(name="Bench Team", agency=force)
    user = User.objects.create_user(
        "officer@bench.example", full_name="Bench Officer", role="officer", agency=force, team=team
    )
    names = _names(5_000, rng)
    others = _names(5_000, rng)
    associates = _associates(LARGE // ASSOCIATE_EVERY, rng)
    content = _custody_list(rng, names, others, associates)

    _people(SMALL, 0, rng, names, user, team, associates)
    _analyze()
    small = _import(content, user, screen=True)
    flagged_small = CustodyImportRow.objects.filter(state=RowState.TO_REVIEW).count()
    assoc_small = _associate_matching(content)

    _people(LARGE - SMALL, SMALL, rng, names, user, team, associates)
    _analyze()
    large = _import(content, user, screen=True)
    flagged_large = CustodyImportRow.objects.filter(state=RowState.TO_REVIEW).count()
    matched = CustodyImportRow.objects.filter(matched_person__isnull=False).count()
    assoc_large = _associate_matching(content)

    bare = _import(content, user, screen=False)

    print(f"custody_import: {ROWS:,} rows per list")
    print(f"  screened against {SMALL:>7,} known people: {small:8,.0f} rows/s  ({flagged_small:,} flagged)")
    print(
        f"  screened against {LARGE:>7,} known people: {large:8,.0f} rows/s  "
        f"({flagged_large:,} flagged, {matched:,} matched a known person)"
    )
    for people, (seconds, same_day, candidates, found, indexed) in ((SMALL, assoc_small), (LARGE, assoc_large)):
        print(
            f"  associate matching alone, {people // ASSOCIATE_EVERY:>6,} associates: {seconds * 1000:6.0f} ms "
            f"for {ROWS // 500} chunks ({'index associate_dob_idx' if indexed else 'sequential scan'}); "
            f"{same_day:,} born the same day as a row, {candidates:,} left by the name prefilter and "
            f"scored in Python, {found:,} rows matched an associate"
        )
    print(f"  bare insert, no screening:              {bare:8,.0f} rows/s")
    scale, versus_bare = large / small, large / bare
    print(
        f"  ratio {LARGE:,} / {SMALL:,} people: {scale:.0%} (goal >= {GOAL_SCALE:.0%}) "
        f"{'MET' if scale >= GOAL_SCALE else 'NOT MET'}"
    )
    print(
        f"  ratio screened ({LARGE:,}) / bare insert: {versus_bare:.0%} (goal >= {GOAL_BARE:.0%}) "
        f"{'MET' if versus_bare >= GOAL_BARE else 'NOT MET'}"
    )


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        run()
