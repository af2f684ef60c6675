"""Benchmark: the pages officers open all day, at 1,000 and at 100,000 young people.

For each size of bench/forcescale.py's data set, gunicorn serves the app on loopback with
the production settings (DEBUG off, manifest static files, the real middleware and CSP,
database sessions), and this process asks for each page as an officer, a supervisor and
the force lead, signed in with sessions made directly in the database (password and second
factor satisfied the way the sign-in steps leave a session). Printed per page:

* the median time of ROUNDS requests at 1k and at 100k, and their ratio (goal ≤ 1.3);
* the ratio to two floors at 100k: the session-status probe (JSON, same middleware, same
  session, no template) and the app's minimal signed-in page, the empty search form (the
  layout, navigation and a form, no records), on which the goal (≤ 5) is judged;
* the milliseconds the 100k request spent in SQL and the size of its HTML;
* the SQL statements the page ran at 1k and at 100k (must be identical), counted by
  bench/_querycount.py, which settings.py installs only when BENCH_COUNT_QUERIES is set.

    .venv/bin/python -m bench.pages          # or through bench/run.py (`make bench`)
    BENCH_PAGES_ROUNDS=15 …                  # more rounds per page

The force-scale databases are built on first use and then kept (see bench/forcescale.py).
Printed figures, not a timed test.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from urllib.parse import urlencode

from bench import forcescale
from bench._support import ROOT, child_env, server_url

ROUNDS = int(os.environ.get("BENCH_PAGES_ROUNDS", "7"))
SIZES = ("1k", "100k")
FLOOR = "floor (session status)"
# The app's minimal signed-in *page*: the layout, navigation and a form, no records.
PAGE_FLOOR = "floor page (empty search)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Sessions are signed with the secret key: the child that makes them and gunicorn share it.
SECRET_KEY = "bench-" + secrets.token_hex(24)


def _env(db_url: str) -> dict[str, str]:
    return child_env(
        db_url,
        DEBUG="false",
        BENCH_COUNT_QUERIES="1",
        ALLOWED_HOSTS="127.0.0.1",
        SECRET_KEY=SECRET_KEY,
        PYTHONUNBUFFERED="1",
    )


def _fixtures(db_url: str) -> dict:
    """Sessions for each persona and the records the pages open, from a child in the database."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.pages", "--fixtures"],
        cwd=ROOT,
        env=_env(db_url),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _serve(db_url: str, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "safeguarding.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=_env(db_url),
    )
    for _ in range(120):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("gunicorn did not start")


# A CSRF secret of our own in the cookie and the form: Django accepts the unmasked secret.
CSRF_SECRET = secrets.token_hex(16)


def _get(
    conn: http.client.HTTPConnection, path: str, session: str, form: dict | None = None
) -> tuple[float, int, int, int, float]:
    """One request: a GET, or with ``form`` a POST of it as the page's form sends it."""
    headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF_SECRET}", "Host": "127.0.0.1"}
    sent = None
    if form is not None:
        sent = urlencode({"csrfmiddlewaretoken": CSRF_SECRET, **form})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    conn.request("GET" if form is None else "POST", path, body=sent, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    queries = int(response.getheader("X-Bench-Queries") or -1)
    return elapsed, response.status, queries, len(body), float(response.getheader("X-Bench-SQL-ms") or "nan")


def _pages(f: dict) -> list[tuple]:
    """(label, persona, path[, form]) of every page measured; a form is POSTed."""
    pages: list[tuple] = []
    for persona in ("officer", "supervisor", "force_lead"):
        rec = f["records"][persona]
        pages += [
            (FLOOR, persona, "/session/status/"),
            (PAGE_FLOOR, persona, "/people/search/"),
            ("home", persona, "/"),
            ("case list (open, all)", persona, "/cases/"),
            (
                "case list (high risk, page 2)",
                persona,
                "/cases/?" + urlencode({"status": "all", "risk": "high", "page": 2}),
            ),
            ("person page", persona, f"/people/{rec['person']}/"),
            ("case page", persona, f"/cases/{rec['case']}/"),
            ("chronology", persona, f"/people/{rec['person']}/chronology/"),
        ]
        if persona != "officer":  # officers never use it (403)
            pages.append(("who viewed this record", persona, f"/people/{rec['person']}/viewers/"))
        for q in ("Kayden Smith", "Kaydn Smyth", "Tia Okafor", "Little Leo"):
            # The search takes its terms by POST only (names never sit in URLs or logs).
            pages.append((f"person search '{q}'", persona, "/people/search/", {"name": q}))
        pages.append(("custody review queue", persona, "/custody/"))
        pages.append(("import summary (500 rows)", persona, f"/custody/imports/{f['import']}/"))
        pages.append(("team Clocks page", persona, "/custody/clocks/"))
    lead = f["records"]["force_lead"]
    for label, query in [
        ("audit search: landing", {}),
        ("audit search: by person", {"object_type": "cases.youngperson", "object_id": lead["person"]}),
        ("audit search: by user", {"user": forcescale.PERSONAS["officer"]}),
        ("audit search: by date", {"date_from": f["audit_day"], "date_to": f["audit_day"]}),
    ]:
        pages.append((label, "force_lead", "/audit/?" + urlencode(query)))
    return pages


def _measure(size: str) -> dict:
    db_url = forcescale.ensure(size)
    if db_url is None:
        return {}
    forcescale.collectstatic(db_url)
    fixtures = _fixtures(db_url)
    port = _free_port()
    server = _serve(db_url, port)
    results: dict = {"audit_write": (fixtures["audit_write_ms"], fixtures["audit_rows"])}
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for label, persona, path, *form in _pages(fixtures):
            session = fixtures["sessions"][persona]
            _get(conn, path, session, *form)  # warm: templates, connection, caches
            times, statuses, queries, sql_ms, sizes = [], set(), set(), [], []
            for _ in range(ROUNDS):
                elapsed, status, count, size, in_sql = _get(conn, path, session, *form)
                times.append(elapsed)
                statuses.add(status)
                queries.add(count)
                sql_ms.append(in_sql)
                sizes.append(size)
            # The session's "last seen" is saved at most every 5 seconds: one statement
            # more on some requests. The fewest is the page's own count.
            results[(label, persona)] = (
                statistics.median(times),
                statuses,
                min(queries),
                path,
                statistics.median(sql_ms),
                max(sizes),
            )
        conn.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return results


def run() -> None:
    if server_url("pages") is None:
        return
    measured = {size: _measure(size) for size in SIZES}
    small, big = measured["1k"], measured["100k"]
    if not small or not big:
        return
    print(f"\nMedians of {ROUNDS} requests over loopback (gunicorn, 2 workers, production settings).")
    print(
        "'/floor': to the session-status probe (JSON, no template); '/page': to the floor page, the"
        " empty search form (the layout, navigation, a form; the 5× goal is judged on it);\n"
        "'in SQL': milliseconds of the 100k request spent in the database; 'KiB': its HTML."
    )
    header = (
        f"{'page':<34} {'who':<11} {'1k ms':>8} {'100k ms':>8} {'100k/1k':>8} {'/floor':>7} {'/page':>6}"
        f" {'SQL 1k':>7} {'100k':>5}"
        f" {'in SQL':>7} {'KiB':>5}"
    )
    print(header)
    print("-" * len(header))
    misses = []
    for key, value in big.items():
        if key == "audit_write":
            continue
        label, persona = key
        t_big, st_big, q_big, _path, sql_big, size_big = value
        t_small, st_small, q_small, *_ = small[(label, persona)]
        floor = big[(FLOOR, persona)][0]
        page_floor = big[(PAGE_FLOOR, persona)][0]
        ratio, to_floor, to_page = t_big / t_small, t_big / floor, t_big / page_floor
        q1, q2 = q_small, q_big
        flags = []
        floors = (FLOOR, PAGE_FLOOR)
        if label not in floors and ratio > 1.3:
            flags.append("growth")
        if label not in floors and to_page > 5:
            flags.append("floor")
        if q_small != q_big:
            flags.append("queries")
        if st_small != {200} or st_big != {200}:
            flags.append(f"status {sorted(st_small)}/{sorted(st_big)}")
        if flags:
            misses.append((label, persona, flags))
        print(
            f"{label[:34]:<34} {persona:<11} {t_small * 1000:8.1f} {t_big * 1000:8.1f} {ratio:8.2f} {to_floor:7.1f} "
            f"{to_page:6.1f} "
            f"{q1:>7} {q2:>5} {sql_big:7.1f} {size_big / 1024:5.0f}  {' '.join(flags)}"
        )
    for size in SIZES:
        ms, rows = measured[size]["audit_write"]
        print(f"audit row write at {size} ({rows:,} rows in the log): median {ms:.2f} ms of 200")
    print(f"\n{len(misses)} page(s) miss a goal" + (":" if misses else "."))
    for label, persona, flags in misses:
        print(f"  {label} ({persona}): {', '.join(flags)}")


# --- Child: sessions and records ---------------------------------------------------------------


def make_session(user) -> str:
    """A database session for ``user`` as the sign-in steps leave it: the password step
    (Django's auth keys) and the second factor (django-otp's device key), with the
    UserSession row the sign-in signal writes. Returns the session key (the cookie)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguarding.accounts.models import UserSession

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    store["signed_in_at"] = store["last_seen"] = time.time()
    store.create()
    UserSession.objects.create(user=user, session_key=store.session_key)
    return store.session_key


def _fixtures_child() -> None:
    import django

    django.setup()
    from django.db.models import Count

    from cases.models import Case
    from custody.models import CustodyImport
    from safeguarding.accounts.models import User
    from safeguarding.audit.models import AuditEvent

    sessions, records = {}, {}
    for persona, email in forcescale.PERSONAS.items():
        user = User.objects.get(email=email)
        sessions[persona] = make_session(user)
        if persona == "partner":
            continue
        if user.role == User.Role.OFFICER:
            scope = Case.objects.filter(team_id=user.team_id)
        elif user.role == User.Role.SUPERVISOR:
            scope = Case.objects.filter(team__supervisors=user)
        else:
            scope = Case.objects.all()
        # The open case in scope with the most custody events: the heaviest person page.
        case = (
            scope.exclude(status="closed")
            .annotate(events=Count("custody_events"))
            .order_by("-events", "pk")
            .values("pk", "person_id")
            .first()
        )
        records[persona] = {"case": case["pk"], "person": case["person_id"]}
    # What one audit row costs to write as the log grows (the case against partitioning
    # rests on it staying flat): single-row inserts, each its own transaction, as a page does.
    writes = []
    for i in range(200):
        started = time.perf_counter()
        AuditEvent.objects.create(
            action="view", actor_email="bench@bench.example", object_type="cases.case", object_id=i
        )
        writes.append(time.perf_counter() - started)
    audit_rows = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    latest = CustodyImport.objects.order_by("-uploaded_at").values_list("pk", flat=True).first()
    day = AuditEvent.objects.order_by("-at").values_list("at", flat=True).first()
    print(
        json.dumps(
            {
                "sessions": sessions,
                "records": records,
                "import": latest,
                "audit_write_ms": statistics.median(writes) * 1000,
                "audit_rows": audit_rows,
                "audit_day": (day.date() - __import__("datetime").timedelta(days=30)).isoformat(),
            }
        )
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:2] == ["--fixtures"]:
        _fixtures_child()
    else:
        run()
