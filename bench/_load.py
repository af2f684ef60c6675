"""`make load`: a busy morning against the whole service on the force-scale data set.

Starts gunicorn (production settings), a Celery worker and beat (which sweeps the 48-hour
clocks as it does in service) on bench/forcescale.py's database and Redis, signs in
officers, supervisors and a partner (sessions made in the database, as bench/pages.py
does), and runs Locust headless (bench/_locustfile.py). Then prints requests, p50/p95/p99
per page and errors, and checks:

* no response was a 5xx;
* no write was lost: every custody row decided "safeguarded" during the run has its case,
  its custody event, that event's checklist with its items, and the audit row of the
  decision; every checklist item marked done during the run is done in the database
  with an audit row; every custody list uploaded during the run was imported by the
  worker (status done, every row of the file kept) and has the audit row of its upload.

    .venv/bin/python -m bench._load                       # 50 users, 10 minutes, 100k data
    BENCH_LOAD_USERS=50 BENCH_LOAD_SECONDS=60 BENCH_LOAD_SIZE=1k .venv/bin/python -m bench._load

Exit status 1 when a check fails. Printed figures, not a timed test.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import forcescale
from bench._support import ROOT, child_env
from bench.pages import SECRET_KEY, _free_port

USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "600"))
SIZE = os.environ.get("BENCH_LOAD_SIZE", "100k")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
BIN = ROOT / ".venv" / "bin"


def _env(db_url: str) -> dict[str, str]:
    env = child_env(
        db_url,
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        SECRET_KEY=SECRET_KEY,
        PYTHONUNBUFFERED="1",
        # Email to files: nothing leaves the machine.
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    )
    env["REDIS_URL"] = REDIS_URL
    return env


def _wait_port(port: int) -> None:
    import socket

    for _ in range(240):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not start")


def main() -> int:
    db_url = forcescale.ensure(SIZE)
    if db_url is None:
        return 0
    forcescale.collectstatic(db_url)
    env = _env(db_url)
    out = subprocess.run(
        [sys.executable, "-m", "bench._load", "--sessions"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    fixtures = json.loads(out.stdout.strip().splitlines()[-1])
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    (work / "sessions.json").write_text(json.dumps(fixtures))
    port = _free_port()
    logs = {name: open(work / f"{name}.log", "w") for name in ("web", "worker", "beat")}  # noqa: SIM115
    processes = [
        subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "safeguarding.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "3",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=logs["web"],
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [str(BIN / "celery"), "-A", "safeguarding", "worker", "--loglevel", "WARNING", "--concurrency", "2"],
            cwd=ROOT,
            env=env,
            stdout=logs["worker"],
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "safeguarding",
                "beat",
                "--loglevel",
                "WARNING",
                "--schedule",
                str(work / "beat-schedule"),
            ],
            cwd=ROOT,
            env=env,
            stdout=logs["beat"],
            stderr=subprocess.STDOUT,
        ),
    ]
    # Locust reads LOG_LEVEL itself (and then shows nothing): the app's LOG_LEVEL stays out.
    locust_env = {k: v for k, v in env.items() if k != "LOG_LEVEL"}
    locust_env["BENCH_LOAD_SESSIONS"] = str(work / "sessions.json")
    started_at = time.time()
    try:
        _wait_port(port)
        print(
            f"load: {USERS} users for {SECONDS} s against {SIZE} ({forcescale.db_name(SIZE)}); logs in {work}",
            flush=True,
        )
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "_locustfile.py"),
                "--headless",
                "-u",
                str(USERS),
                "-r",
                str(max(1, USERS // 10)),
                "-t",
                f"{SECONDS}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(work / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=locust_env,
            check=False,
        )
        _wait_for_imports(env)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
    failures = _report(work)
    check = subprocess.run(
        [sys.executable, "-m", "bench._load", "--check", str(started_at)], cwd=ROOT, env=env, check=False
    )
    return 1 if failures or check.returncode else 0


def _wait_for_imports(env: dict[str, str]) -> None:
    """Give the worker up to two minutes to finish the lists uploaded at the end of the run."""
    subprocess.run([sys.executable, "-m", "bench._load", "--drain"], cwd=ROOT, env=env, check=False)


def _drain() -> None:
    import django

    django.setup()
    from custody.models import CustodyImport, ImportStatus

    for _ in range(120):
        busy = CustodyImport.objects.filter(status__in=[ImportStatus.PENDING, ImportStatus.PROCESSING]).count()
        if not busy:
            return
        time.sleep(1)
    print(f"load: {busy} uploaded list(s) still waiting for the worker after two minutes")


def _report(work: Path) -> int:
    """Print the per-page figures; the number of 5xx responses."""
    with open(work / "locust_stats.csv") as f:
        rows = list(csv.DictReader(f))
    print(f"\n{'page':<48} {'requests':>8} {'fails':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for r in rows:
        print(
            f"{(r['Type'] + ' ' + r['Name'])[:48]:<48} {r['Request Count']:>8} {r['Failure Count']:>6} "
            f"{r['50%']:>7} {r['95%']:>7} {r['99%']:>7}"
        )
    server_errors = 0
    with open(work / "locust_failures.csv") as f:
        for r in csv.DictReader(f):
            print(f"failure: {r['Method']} {r['Name']}: {r['Error']} × {r['Occurrences']}")
            if "HTTPError('5" in r["Error"] or " 5" in r["Error"][:40]:
                server_errors += int(r["Occurrences"])
    print(f"5xx responses: {server_errors}")
    return server_errors


# --- Children: sessions before, the lost-writes check after ----------------------------------------


def _sessions() -> None:
    import django

    django.setup()
    from bench.pages import make_session
    from cases.models import YoungPerson
    from safeguarding.accounts.models import User

    # Each session with young people its user may open (officers: their team's cases).
    pools: dict[str, list] = {"officer": [], "supervisor": [], "partner": []}
    for user in User.objects.filter(email__endswith="@bench.example").order_by("pk"):
        if user.role not in pools:
            continue
        if user.role == User.Role.OFFICER:
            people = YoungPerson.objects.filter(cases__team_id=user.team_id)
        elif user.role == User.Role.SUPERVISOR:
            people = YoungPerson.objects.filter(cases__team__supervisors=user)
        else:
            people = YoungPerson.objects.none()
        ids = list(people.order_by("pk").values_list("pk", flat=True)[:: max(1, people.count() // 20)][:20])
        pools[user.role].append([make_session(user), ids])
    print(json.dumps(pools))


def _check(since: float) -> int:
    import django

    django.setup()
    from datetime import UTC, datetime

    from django.db.models import Q

    from custody.models import Checklist, ChecklistItem, CustodyEvent, CustodyImport, CustodyImportRow, ImportStatus
    from safeguarding.audit.models import AuditEvent

    after = datetime.fromtimestamp(since, UTC)
    lost = []
    decided = CustodyImportRow.objects.filter(decided_at__gte=after, state="safeguarded")
    for row in decided:
        event = CustodyEvent.objects.filter(source_row=row).first()
        checklist = Checklist.objects.filter(custody_event=event).first() if event else None
        # The decision's audit row names the case, the custody event or the row.
        audited = (
            AuditEvent.objects.filter(at__gte=after)
            .filter(
                Q(object_type="cases.case", object_id=str(row.case_id))
                | Q(object_type="custody.custodyevent", object_id=str(event.pk if event else ""))
                | Q(object_type="custody.custodyimportrow", object_id=str(row.pk))
            )
            .exists()
        )
        # The 48-hour clock starts at release: a detention not yet released has no checklist.
        clock_ok = event is not None and (
            event.released_at is None or (checklist is not None and checklist.items.exists())
        )
        if not (row.case_id and row.person_id and event and clock_ok and audited):
            lost.append(
                f"row {row.pk}: case {row.case_id} event {event and event.pk} checklist {checklist and checklist.pk} audit {audited}"
            )
    done = ChecklistItem.objects.filter(
        resolved_at__range=(after, datetime.now(UTC)), resolved_by__isnull=False, status="done"
    )
    unaudited = [
        i.pk
        for i in done
        if not AuditEvent.objects.filter(
            at__gte=after, object_type="custody.checklistitem", object_id=str(i.pk)
        ).exists()
    ]
    uploads = CustodyImport.objects.filter(uploaded_at__gte=after)
    for batch in uploads:
        kept = CustodyImportRow.objects.filter(batch=batch).count()
        audited = AuditEvent.objects.filter(
            at__gte=after, object_type="custody.custodyimport", object_id=str(batch.pk)
        ).exists()
        if batch.status != ImportStatus.DONE or kept != batch.total_rows or not batch.total_rows or not audited:
            lost.append(f"list {batch.pk}: {batch.status}, {kept} of {batch.total_rows} rows kept, audit {audited}")
    print(
        f"safeguard decisions made: {decided.count()}, checklist items marked done: {done.count()}, "
        f"custody lists uploaded: {uploads.count()}"
    )
    print(f"lost writes: {len(lost) + len(unaudited)}")
    for line in lost[:20]:
        print("  " + line)
    if unaudited:
        print(f"  items done without an audit row on their case: {unaudited[:20]}")
    return 1 if lost or unaudited else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:2] == ["--sessions"]:
        _sessions()
    elif sys.argv[1:2] == ["--drain"]:
        _drain()
    elif sys.argv[1:2] == ["--check"]:
        sys.exit(_check(float(sys.argv[2])))
    else:
        sys.exit(main())
