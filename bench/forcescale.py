"""A force's worth of synthetic records, in a PostgreSQL database of its own, for every
benchmark that needs to know how a page or a task behaves at scale.

    .venv/bin/python -m bench.forcescale            # both sizes: "1k" and "100k"
    .venv/bin/python -m bench.forcescale 1k         # one size
    BENCH_FORCESCALE_REBUILD=1 …                    # rebuild even if the cached one is current

Sizes (every count scales with the number of young people; "1k" has the same shape):

    young people      100,000   (a fifth with one or two aliases; Zipf-like name frequencies)
    cases             120,000   (most people one case, some two or three)
    custody events  1,000,000   (skewed: most cases a few, a few cases dozens)
    import rows     1,000,000   (2,000 lists of 500 rows over 3 years)
    checklist items 2,000,000   (one 12-item checklist per safeguarded detention)
    missing         200,000     associates 150,000     chronology entries 300,000
    audit rows     10,000,000   (views, lists, searches, updates over 3 years)

Each size is the database ``safeguarding_forcescale_<size>`` on the server of DATABASE_URL.
It is kept between runs: a table ``bench_forcescale`` in it records the generator version
and the size, and a database whose record matches GENERATOR_VERSION is not rebuilt.
Bump GENERATOR_VERSION whenever the data set changes (a new table, a new column).

Adding a table: write one function decorated ``@step("name")`` that inserts its rows with
``copy_rows`` (rows made in Python, sent with COPY) or ``insert_select`` (rows made by the
server from a SELECT, fastest for millions). Both fill every column the step does not
name with the model field's own default, so a step names only the columns that matter
and keeps working when other engineers add columns with defaults. Steps run in the order
they are declared; each prints how long it took.

The users a benchmark signs in as are fixed e-mail addresses (see PERSONAS). Every name
is invented: the given and family names are common ones combined at random, plus made-up
family names for the long tail.

``run()`` (called by bench/run.py, so `make bench`) builds both sizes if needed; bench/pages.py and
bench/_load.py call ``ensure(size)`` for the one they use.
"""

# The SQL here is built from the generator's own constants and column names, never from input.
# ruff: noqa: S608

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bench._support import ROOT, _admin_conn, child_env, database_url, server_url

# 2: done checklist items of running checklists no longer resolved in the future.
# 3: custody events add up to 1,000,000 despite the cap of 80 a case.
# 4: street names drawn from eight prefixes and 44 nicknames, not nine in ten "Little …".
GENERATOR_VERSION = 4
SIZES = {"1k": 1_000, "100k": 100_000}
DB_PREFIX = os.environ.get("BENCH_FORCESCALE_DB", "safeguarding_forcescale")

PERSONAS = {
    "officer": "officer0@bench.example",
    "supervisor": "sergeant0@bench.example",
    "force_lead": "lead@bench.example",
    "partner": "partner@bench.example",
}


def db_name(size: str) -> str:
    return f"{DB_PREFIX}_{size}"


# --- Parent: the cache and the child process ---------------------------------------------------


def _recorded_version(url: str, name: str) -> int | None:
    conn = _admin_conn(url)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cur.fetchone() is not None
    conn.close()
    if not exists:
        return None
    conn = _admin_conn(database_url(url, name))
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT to_regclass('bench_forcescale')")
            if cur.fetchone()[0] is None:
                return None
            cur.execute("SELECT version FROM bench_forcescale WHERE complete")
            row = cur.fetchone()
            return row[0] if row else None
    finally:
        conn.close()


def _migrations_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("**/migrations/*.py")):
        if ".venv" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _schema(url: str) -> str:
    """A migrated, empty database that each size is copied from (CREATE DATABASE … TEMPLATE):
    migrating takes about a minute, so it is done once per set of migrations."""
    name = f"{DB_PREFIX}_schema_{_migrations_fingerprint()}"
    conn = _admin_conn(url)
    with conn.cursor() as cur:
        cur.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{DB_PREFIX}_schema_%"])
        existing = [r[0] for r in cur.fetchall()]
        for old in existing:
            if old != name:
                cur.execute(f'DROP DATABASE "{old}" WITH (FORCE)')
    conn.close()
    if name in existing:
        return name
    conn = _admin_conn(url)
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    started = time.perf_counter()
    env = child_env(database_url(url, name))
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    print(f"forcescale: migrated the schema template {name} in {time.perf_counter() - started:.0f} s")
    return name


def _migrate_kept(url: str, name: str) -> None:
    """A kept data set whose migrations have moved on is migrated, not rebuilt: the data
    are the same, and the new migrations get run on a force's worth of rows."""
    fingerprint = _migrations_fingerprint()
    conn = _admin_conn(database_url(url, name))
    with conn.cursor() as cur:
        cur.execute("ALTER TABLE bench_forcescale ADD COLUMN IF NOT EXISTS migrations text")
        cur.execute("SELECT migrations FROM bench_forcescale")
        recorded = cur.fetchone()[0]
    if recorded != fingerprint:
        started = time.perf_counter()
        env = child_env(database_url(url, name))
        subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
        with conn.cursor() as cur:
            cur.execute("UPDATE bench_forcescale SET migrations = %s", [fingerprint])
        print(f"forcescale: migrated {name} to the current migrations in {time.perf_counter() - started:.0f} s")
    conn.close()


def collectstatic(db_url: str) -> None:
    """The manifest static files the production settings serve (pages fail without them)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=child_env(db_url),
        check=True,
    )


def ensure(size: str, *, url: str | None = None) -> str | None:
    """The URL of the force-scale database of ``size``, built first unless a current one exists."""
    url = url or server_url("forcescale")
    if url is None:
        return None
    name = db_name(size)
    rebuild = os.environ.get("BENCH_FORCESCALE_REBUILD") == "1"
    if not rebuild and _recorded_version(url, name) == GENERATOR_VERSION:
        print(f"forcescale {size}: {name} is current (generator version {GENERATOR_VERSION}); kept")
        _migrate_kept(url, name)
        return database_url(url, name)
    template = _schema(url)
    conn = _admin_conn(url)
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    conn.close()
    db_url = database_url(url, name)
    started = time.perf_counter()
    collectstatic(db_url)
    subprocess.run(
        [sys.executable, "-m", "bench.forcescale", "--child", size],
        cwd=ROOT,
        env=child_env(db_url, PYTHONUNBUFFERED="1"),
        check=True,
    )
    _migrate_kept(url, name)
    print(f"forcescale {size}: built {name} in {time.perf_counter() - started:.0f} s")
    return db_url


def run() -> None:
    for size in SIZES:
        ensure(size)


# --- Child: the generic inserts ----------------------------------------------------------------


def _cursor():
    from django.db import connection

    return connection.cursor()


def _defaults(model, named: Iterable[str]) -> dict:
    """{field: default} for every concrete column of ``model`` not in ``named`` (nor the pk)."""
    from django.db import connection

    out = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in named or field.name in named:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = NOW
        elif field.has_default() or (field.empty_strings_allowed and not field.null):
            value = field.get_default()  # a blank CharField's default is ""
        elif field.null:
            value = None
        else:
            raise ValueError(f"{model._meta.label}.{field.name} has no default: name it in the step")
        out[field] = field.get_db_prep_save(value, connection)
    return out


def _text(value) -> str | None:
    """A value as COPY's CSV format wants it (None stays None: written as \\N)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "{" + ",".join(json.dumps(str(v)) for v in value) + "}"
    if isinstance(value, dict):
        return json.dumps(value)
    adapted = getattr(value, "adapted", None)  # psycopg2's Json wrapper
    if adapted is not None:
        return json.dumps(adapted)
    return str(value)


def copy_rows(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY ``rows`` (tuples in the order of ``columns``, field attnames) into ``model``'s
    table; every other column gets its field's default. Returns the number of rows."""
    from django.db.models import JSONField

    defaults = _defaults(model, columns)
    fixed = [_text(v) for v in defaults.values()]
    json_columns = {
        i for i, c in enumerate(columns) if isinstance(model._meta.get_field(c.removesuffix("_id")), JSONField)
    }
    names = [*columns, *(f.column for f in defaults)]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    count = 0
    for row in rows:
        values = [json.dumps(v) if i in json_columns else _text(v) for i, v in enumerate(row)]
        writer.writerow(["\\N" if v is None else v for v in (*values, *fixed)])
        count += 1
    buffer.seek(0)
    cols = ", ".join(f'"{c}"' for c in names)
    with _cursor() as cursor:
        cursor.copy_expert(f"COPY {model._meta.db_table} ({cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)
        cursor.execute(f"ANALYZE {model._meta.db_table}")
    return count


def insert_select(
    model, exprs: dict[str, str], from_sql: str, params: Iterable = (), from_params: Iterable = ()
) -> int:
    """INSERT INTO ``model``'s table the rows of ``SELECT <exprs> <from_sql>``: ``exprs`` maps
    a column (attname) to its SQL (``params`` fill its %s), ``from_params`` fill those of
    ``from_sql``; every other column gets its field's default."""
    from django.db import connection

    defaults = _defaults(model, exprs)
    names = [*exprs, *(f.column for f in defaults)]
    select = [*exprs.values(), *(f"CAST(%s AS {f.db_type(connection)})" for f in defaults)]
    cols = ", ".join(f'"{c}"' for c in names)
    sql = f"INSERT INTO {model._meta.db_table} ({cols}) SELECT {', '.join(select)} {from_sql}"
    # The steps write "%" for SQL's modulo and "%s" for a parameter.
    sql = sql.replace("%", "%%").replace("%%s", "%s")
    with _cursor() as cursor:
        cursor.execute(sql, [*params, *defaults.values(), *from_params])
        count = cursor.rowcount
        cursor.execute(f"ANALYZE {model._meta.db_table}")
        return count


def without_indexes(model):
    """Drop the table's secondary indexes for a bulk load; the returned callable recreates them
    (one sort per index instead of millions of inserts into each)."""
    table = model._meta.db_table
    with _cursor() as cursor:
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               WHERE i.tablename = %s AND NOT EXISTS (
                 SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')

    def recreate() -> None:
        with _cursor() as cursor:
            for _, definition in indexes:
                cursor.execute(definition)

    return recreate


# --- Child: the steps ------------------------------------------------------------------------------


@dataclass
class Step:
    name: str
    run: Callable[[Ctx], str]


STEPS: list[Step] = []


def step(name: str):
    def register(fn: Callable[[Ctx], str]) -> Callable[[Ctx], str]:
        STEPS.append(Step(name, fn))
        return fn

    return register


class Ctx:
    """What the steps share: the scale, the random source, the ids made so far."""

    def __init__(self, people: int) -> None:
        self.people = people
        self.rng = random.Random(20261202)
        self.teams: list[int] = []
        self.officers_by_team: dict[int, list[int]] = {}
        self.supervisor_by_team: dict[int, int] = {}
        self.officers: list[int] = []
        self.person_team: list[int] = []

    def n(self, per_100k: int) -> int:
        """A count given for 100,000 young people, scaled to this size."""
        return max(1, per_100k * self.people // 100_000)


NOW = None  # set in the child: the data set ends "now"
DAYS = 3 * 365


GIVEN = [
    "Oliver",
    "George",
    "Harry",
    "Noah",
    "Jack",
    "Leo",
    "Arthur",
    "Muhammad",
    "Oscar",
    "Charlie",
    "Jacob",
    "Thomas",
    "Henry",
    "William",
    "Freddie",
    "Alfie",
    "Theo",
    "Archie",
    "Joshua",
    "James",
    "Isaac",
    "Lucas",
    "Ethan",
    "Mason",
    "Logan",
    "Reuben",
    "Tyler",
    "Kai",
    "Riley",
    "Jayden",
    "Kayden",
    "Dylan",
    "Callum",
    "Connor",
    "Liam",
    "Kyle",
    "Jordan",
    "Ryan",
    "Aaron",
    "Bradley",
    "Lewis",
    "Nathan",
    "Ben",
    "Sam",
    "Adam",
    "Daniel",
    "Marcus",
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Rosie",
    "Sophia",
    "Grace",
    "Freya",
    "Evie",
    "Poppy",
    "Ella",
    "Chloe",
    "Jessica",
    "Leah",
    "Keira",
    "Megan",
    "Shannon",
    "Courtney",
    "Tia",
    "Jade",
    "Demi",
    "Kacey",
    "Aaliyah",
    "Precious",
    "Zara",
    "Amira",
    "Nia",
    "Kiera",
]
FAMILY = [
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Wilkinson",
    "Foster",
    "Chapman",
    "Powell",
    "Webb",
    "Rogers",
    "Gray",
    "Mason",
    "Ali",
    "Hunt",
    "Hussain",
    "Campbell",
    "Matthews",
    "Owen",
    "Palmer",
    "Holmes",
    "Mills",
    "Barnes",
    "Knight",
    "Lloyd",
    "Butler",
    "Russell",
    "Barker",
    "Fisher",
    "Stevens",
    "Jenkins",
    "Murray",
    "Dixon",
    "Harvey",
    "Okafor",
    "Mensah",
    "Nowak",
]
SYLLABLES = [
    "al",
    "bar",
    "ber",
    "dun",
    "fen",
    "gar",
    "hal",
    "kes",
    "lin",
    "mar",
    "nor",
    "pen",
    "quil",
    "ros",
    "sel",
    "tam",
    "ver",
    "wick",
    "yard",
    "zon",
]
SUITES = ["Northgate Custody", "Riverside Custody", "Eastfield Custody", "Castle Street Custody"]
OFFENCES = [
    "Possession with intent to supply class A",
    "Possession of a bladed article",
    "Robbery",
    "Theft from a shop",
    "Assault occasioning actual bodily harm",
    "Criminal damage",
    "Being concerned in the supply of class A",
    "Burglary",
]


def _zipf(rng: random.Random, items: list[str], k: int, s: float = 1.05) -> list[str]:
    weights = [1 / (rank + 1) ** s for rank in range(len(items))]
    return rng.choices(items, weights=weights, k=k)


@step("agencies, teams, users and sign-in devices")
def _users(ctx: Ctx) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguarding.accounts.models import Agency, Team, User

    force = Agency.objects.create(name="Benchshire Police", kind=Agency.Kind.POLICE_FORCE)
    partner = Agency.objects.create(
        name="Benchshire Children's Services",
        kind=Agency.Kind.CHILDRENS_SERVICES,
        contact_email="mash@bench.example",
        referral_inbox_email="mash@bench.example",
    )
    users = []
    for t in range(6):
        team = Team.objects.create(name=f"Team {t}", agency=force)
        ctx.teams.append(team.pk)
        ctx.officers_by_team[team.pk] = []
        sergeant = User.objects.create_user(
            email=f"sergeant{t}@bench.example",
            full_name=f"Sergeant Bench {t}",
            role=User.Role.SUPERVISOR,
            agency=force,
        )
        sergeant.supervised_teams.set([team])
        ctx.supervisor_by_team[team.pk] = sergeant.pk
        users.append(sergeant)
    for i in range(60):
        team_id = ctx.teams[i % 6]
        officer = User.objects.create_user(
            email=f"officer{i}@bench.example",
            full_name=f"Officer Bench {i}",
            role=User.Role.OFFICER,
            team_id=team_id,
            agency=force,
        )
        ctx.officers_by_team[team_id].append(officer.pk)
        ctx.officers.append(officer.pk)
        users.append(officer)
    users.append(
        User.objects.create_user(
            email=PERSONAS["force_lead"], full_name="Lead Bench", role=User.Role.FORCE_LEAD, agency=force
        )
    )
    users.append(
        User.objects.create_user(
            email=PERSONAS["partner"], full_name="Partner Bench", role=User.Role.PARTNER, agency=partner
        )
    )
    for user in users:
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return f"2 agencies, 6 teams, {len(users)} users"


@step("young people and aliases")
def _people(ctx: Ctx) -> str:
    from cases import names
    from cases.models import Alias, YoungPerson

    rng = ctx.rng
    invented = [
        (rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + rng.choice(["", "e", "s", "son", "ley"])).capitalize()
        for _ in range(2_000)
    ]
    family_pool = FAMILY + invented
    given = _zipf(rng, GIVEN, ctx.people)
    family = _zipf(rng, family_pool, ctx.people, s=0.9)
    # Teams are uneven: the city team holds far more than the rural one.
    team_weights = [30, 22, 16, 14, 10, 8]
    ctx.person_team = rng.choices(ctx.teams, weights=team_weights, k=ctx.people)
    today = NOW.date()

    def people():
        for i in range(ctx.people):
            first, last = given[i], family[i]
            full = names.normalise(f"{first} {last}")
            age_days = rng.randint(10 * 365, 18 * 365)
            yield (
                first,
                last,
                today - timedelta(days=age_days),
                rng.choice(["male", "male", "female", "not_known"]),
                names.normalise(first),
                names.normalise(last),
                full,
                names.name_keys(full),
                ctx.person_team[i],
                NOW - timedelta(days=rng.randint(0, DAYS)),
            )

    columns = [
        "given_name",
        "family_name",
        "date_of_birth",
        "gender",
        "given_name_norm",
        "family_name_norm",
        "full_name_norm",
        "name_keys",
        "created_by_team_id",
        "created_at",
    ]
    count = copy_rows(YoungPerson, columns, people())
    with _cursor() as cursor:
        cursor.execute("SELECT id FROM cases_youngperson ORDER BY id")
        ctx.person_ids = [r[0] for r in cursor.fetchall()]
    # Street names as varied as real ones: a prefix and a given name ("Little Leo"), or a
    # nickname of its own; version 3 drew nine in ten from "Little …", so a search for
    # "Little Leo" matched almost every alias in the force.
    prefixes = ["Little", "Lil", "Young", "Big", "Baby", "Yung", "Mini", "Tall"]
    nicknames = [
        "Ghost", "Snipes", "Shadow", "Tiny", "Ace", "Blaze", "Kid", "Zee", "Flash", "Ziggy", "Bugsy", "Chops",
        "Dodge", "Echo", "Fizz", "Gizmo", "Hex", "Indy", "Jinx", "Kilo", "Loopy", "Moss", "Nitro", "Onyx",
        "Pepper", "Quake", "Rocket", "Scooter", "Tigger", "Vapour", "Wisp", "Yogi", "Bandit", "Copper",
        "Dusty", "Frosty", "Goose", "Junior", "Lucky", "Magic", "Peanut", "Rascal", "Sonic", "Sparky",
    ]  # fmt: skip
    street = [f"{prefix} {g}" for prefix in prefixes for g in GIVEN] + nicknames * 8

    def aliases():
        for pid in ctx.person_ids:
            if rng.random() < 0.2:
                for _ in range(rng.choice([1, 1, 2])):
                    name = rng.choice(street)
                    norm = names.normalise(name)
                    yield pid, name, rng.choice(["street_name", "nickname", "spelling"]), norm, names.name_keys(norm)

    aliases_count = copy_rows(Alias, ["person_id", "name", "kind", "name_norm", "name_keys"], aliases())
    return f"{count:,} people, {aliases_count:,} aliases"


@step("cases")
def _cases(ctx: Ctx) -> str:
    from cases.models import Case

    rng = ctx.rng
    statuses = ["closed"] * 55 + ["active"] * 30 + ["identified"] * 12 + ["awaiting_closure_approval"] * 3
    types = [["cce"], ["cce", "county_lines"], ["cse"], ["county_lines"], ["msht"], ["cce", "cse"]]
    extra = ctx.n(20_000)
    rows_for = list(range(ctx.people)) + [int(rng.paretovariate(1.2) * 7) % ctx.people for _ in range(extra)]

    def cases():
        for index in rows_for:
            pid, team = ctx.person_ids[index], ctx.person_team[index]
            owner = rng.choice(ctx.officers_by_team[team])
            status = rng.choice(statuses)
            opened = NOW - timedelta(days=rng.randint(0, DAYS), minutes=rng.randint(0, 1440))
            closed = opened + timedelta(days=rng.randint(20, 200)) if status == "closed" else None
            if closed and closed > NOW:
                closed = NOW
            yield (
                pid,
                team,
                owner,
                owner,
                status,
                rng.choice(types),
                rng.choice(["low", "medium", "medium", "high"]),
                "Synthetic rationale for benchmarking.",
                rng.choice(["custody_review", "custody_review", "agency_referral", "operation", "other"]),
                opened,
                closed,
                "Support in place; risk reduced." if closed else "",
            )

    columns = [
        "person_id",
        "team_id",
        "owner_id",
        "created_by_id",
        "status",
        "exploitation_types",
        "risk_level",
        "risk_rationale",
        "how_identified",
        "opened_at",
        "closed_at",
        "closure_reason",
    ]
    count = copy_rows(Case, columns, cases())
    return f"{count:,} cases"


@step("custody lists and their rows")
def _imports(ctx: Ctx) -> str:
    from custody.models import CustodyImport, CustodyImportRow

    lists = ctx.n(2_000)
    per_list = 500
    officers = ctx.officers

    def batches():
        for i in range(lists):
            at = NOW - timedelta(minutes=(lists - i) * DAYS * 1440 // lists)
            yield (
                officers[i % len(officers)],
                at,
                f"custody-{at:%Y-%m-%d}-{i}.csv",
                "",
                "0" * 64,
                "utf-8",
                "done",
                at,
                at + timedelta(minutes=2),
                per_list,
                per_list,
                "{}",
            )

    copy_rows(
        CustodyImport,
        [
            "uploaded_by_id",
            "uploaded_at",
            "filename",
            "content",
            "sha256",
            "encoding",
            "status",
            "started_at",
            "finished_at",
            "total_rows",
            "processed_rows",
            "column_mapping",
        ],
        batches(),
    )
    recreate = without_indexes(CustodyImportRow)
    decided = "g % 25 = 0 AND b.id <> (SELECT max(id) FROM custody_custodyimport)"
    known = f"{decided} AND g % 50 <> 0"
    some_case = "((SELECT min(id) FROM cases_case) + (b.id * 500 + g) % (SELECT count(*) FROM cases_case))"
    # Rows are mostly "not flagged"; a few per list went to review and were decided; the
    # last list's flagged rows wait in the queue. Safeguarded rows are linked to a case below.
    count = insert_select(
        CustodyImportRow,
        {
            "batch_id": "b.id",
            "line_number": "g",
            "last_batch_id": "b.id",
            "dedupe_key": "'bench:' || b.id || ':' || g",
            "custody_number": "'BS/' || b.id || '/' || g",
            "surname": "'Surname' || (g % 97)",
            "forenames": "'Forename' || (g % 89)",
            "date_of_birth": "DATE '2009-01-01' + (g * 7 % 3000)",
            "arrested_at": "b.uploaded_at - interval '1 day' + g * interval '1 minute'",
            "custody_suite": "'Northgate Custody'",
            "offences": "'Theft from a shop'",
            "released_at": "b.uploaded_at - interval '12 hours' + g * interval '1 minute'",
            "outcome": "'nfa'",
            "score": "CASE WHEN g % 25 = 0 THEN 60 ELSE g % 30 END",
            "state": """CASE WHEN g % 25 <> 0 THEN 'not_flagged'
                             WHEN b.id = (SELECT max(id) FROM custody_custodyimport) THEN 'to_review'
                             WHEN g % 50 = 0 THEN 'not_at_risk' ELSE 'already_known' END""",
            "decided_at": f"CASE WHEN {decided} THEN b.uploaded_at + interval '3 hours' END",
            "decided_by_id": f"CASE WHEN {decided} THEN b.uploaded_by_id END",
            "decision_reason": "CASE WHEN g % 50 = 0 THEN 'Adult; no exploitation indicators.' ELSE '' END",
            # An "already known" row names a person and that person's case.
            "case_id": f"CASE WHEN {known} THEN {some_case} END",
            "person_id": f"CASE WHEN {known} THEN (SELECT person_id FROM cases_case WHERE id = {some_case}) END",
            "created_at": "b.uploaded_at",
            "updated_at": "b.uploaded_at",
        },
        f"FROM custody_custodyimport b, generate_series(1, {per_list}) g",
    )
    recreate()
    return f"{lists:,} lists, {count:,} rows"


@step("custody events (skewed per case)")
def _events(ctx: Ctx) -> str:
    from custody.models import CustodyEvent

    rng = ctx.rng
    target = ctx.n(1_000_000)
    with _cursor() as cursor:
        cursor.execute("SELECT id FROM cases_case ORDER BY id")
        case_ids = [r[0] for r in cursor.fetchall()]
    # Pareto weights: most cases a handful of detentions, a few dozens.
    weights = [rng.paretovariate(1.6) for _ in case_ids]

    # The busiest case is capped at 80; the scale is searched so that the capped counts still
    # add up to the target (a plain target/sum(weights) lost a tenth of the events to the cap).
    def capped(scale: float) -> list[int]:
        return [max(1, min(80, round(w * scale))) for w in weights]

    low, high = 0.0, target / sum(weights) * 4
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if sum(capped(middle)) < target else (low, middle)
    counts = capped(high)
    # Rounding leaves a few over: take them back from the largest uncapped counts.
    surplus = sum(counts) - target
    for index in sorted(range(len(counts)), key=lambda i: -counts[i]):
        if surplus <= 0:
            break
        if 1 < counts[index] < 80:
            counts[index] -= 1
            surplus -= 1
    with _cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_event_counts (case_id bigint, n int)")
        buffer = io.StringIO("".join(f"{c},{n}\n" for c, n in zip(case_ids, counts, strict=True)))
        cursor.copy_expert("COPY bench_event_counts FROM STDIN WITH (FORMAT csv)", buffer)
    recreate = without_indexes(CustodyEvent)
    count = insert_select(
        CustodyEvent,
        {
            "case_id": "c.id",
            "person_id": "c.person_id",
            "source": "'custody_review'",
            "custody_number": "'BE/' || c.id || '/' || g",
            "custody_suite": f"(ARRAY{SUITES!r})[1 + (c.id + g) % {len(SUITES)}]",
            "arrested_at": f"%s::timestamptz - ((c.id * 7919 + g * 104729) % {DAYS * 1440}) * interval '1 minute'",
            "offences": f"(ARRAY{OFFENCES!r})[1 + (c.id * 3 + g) % {len(OFFENCES)}]",
            "outcome": "(ARRAY['charged','bailed','rui','nfa','remanded','out_of_court'])[1 + (c.id + g) % 6]",
            "released_at": f"%s::timestamptz - ((c.id * 7919 + g * 104729) % {DAYS * 1440}) * interval '1 minute'"
            " + interval '14 hours'",
            "created_by_id": "c.owner_id",
        },
        "FROM bench_event_counts n JOIN cases_case c ON c.id = n.case_id, generate_series(1, n.n) g",
        [NOW, NOW],
    )
    # released_at can pass "now" for the newest: no release in the future.
    with _cursor() as cursor:
        cursor.execute("UPDATE custody_custodyevent SET released_at = NULL WHERE released_at > %s", [NOW])
    recreate()
    return f"{count:,} events; the busiest case has {max(counts)}"


@step("checklists and their items")
def _checklists(ctx: Ctx) -> str:
    from custody.models import Checklist, ChecklistItem, ChecklistTemplate

    template = ChecklistTemplate.objects.get(is_active=True)
    items = list(template.items.order_by("position"))
    wanted = ctx.n(2_000_000) // len(items)
    # One checklist per detention, for the newest `wanted` detentions; those released in the
    # last two days are still running.
    count = insert_select(
        Checklist,
        {
            "case_id": "e.case_id",
            "custody_event_id": "e.id",
            "template_id": str(template.pk),
            "started_at": "e.released_at",
            "start_basis": "'release'",
            "status": "CASE WHEN e.released_at > %s THEN 'running' ELSE 'complete' END",
            "completed_at": "CASE WHEN e.released_at > %s THEN NULL ELSE e.released_at + interval '40 hours' END",
            "created_by_id": "e.created_by_id",
            "created_at": "e.released_at",
        },
        "FROM (SELECT * FROM custody_custodyevent WHERE released_at IS NOT NULL ORDER BY released_at DESC LIMIT %s) e",
        [NOW - timedelta(days=2), NOW - timedelta(days=2)],
        [wanted],
    )
    recreate = without_indexes(ChecklistItem)
    values = ", ".join(
        "(%s, %s, %s, %s, %s, %s, %s)" for _ in items
    )  # template item id, position, title, offset, rule, condition, n/a reason
    params: list = []
    for item in items:
        params += [
            item.pk,
            item.position,
            item.title,
            item.due_offset_minutes,
            item.owner_rule,
            item.condition,
            item.not_applicable_reason,
        ]
    total = insert_select(
        ChecklistItem,
        {
            "checklist_id": "k.id",
            "template_item_id": "t.item_id",
            "position": "t.position",
            "title": "t.title",
            "due_at": "k.started_at + t.offset_minutes * interval '1 minute'",
            "owner_id": "CASE WHEN t.rule = 'team_supervisor' THEN s.user_id ELSE c.owner_id END",
            "status": "CASE WHEN k.status = 'running' AND (k.id + t.position) % 3 = 0 THEN 'pending' "
            "WHEN t.condition <> 'always' THEN 'not_applicable' ELSE 'done' END",
            "resolved_at": "CASE WHEN k.status = 'running' AND (k.id + t.position) % 3 = 0 THEN NULL "
            # Never in the future: a running checklist's done items were done by now.
            f"ELSE LEAST(k.started_at + interval '20 hours', TIMESTAMPTZ '{NOW.isoformat()}') END",
            "resolved_by_id": "CASE WHEN k.status = 'running' AND (k.id + t.position) % 3 = 0 THEN NULL "
            "WHEN t.condition <> 'always' THEN NULL ELSE c.owner_id END",
            "not_applicable_reason": "CASE WHEN k.status = 'running' AND (k.id + t.position) % 3 = 0 THEN '' "
            "WHEN t.condition <> 'always' THEN t.reason ELSE '' END",
        },
        f"""FROM custody_checklist k JOIN cases_case c ON c.id = k.case_id
            JOIN LATERAL (SELECT min(user_id) AS user_id FROM accounts_team_supervisors st
                          WHERE st.team_id = c.team_id) s ON true,
            (VALUES {values}) AS t(item_id, position, title, offset_minutes, rule, condition, reason)""",
        from_params=params,
    )
    recreate()
    return f"{count:,} checklists, {total:,} items"


@step("missing episodes, associates, chronology entries")
def _case_records(ctx: Ctx) -> str:
    from cases.models import Associate, ManualChronologyEntry, MissingEpisode

    with _cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_case_n AS "
            "SELECT row_number() OVER (ORDER BY id) AS n, id, owner_id, opened_at FROM cases_case"
        )
        cursor.execute("CREATE UNIQUE INDEX ON bench_case_n (n)")
        cursor.execute("ANALYZE bench_case_n")
        cursor.execute("SELECT count(*) FROM bench_case_n")
        cases = cursor.fetchone()[0]

    def spread(n: int) -> str:
        # n rows over the cases, skewed: the row's case is picked with a squared hash of g.
        return (
            f"FROM generate_series(1, {n}) g JOIN bench_case_n c ON c.n = 1 + "
            f"floor(power(((g * 2654435761::bigint) % 1000003) / 1000003.0, 2) * {cases})::bigint"
        )

    now = f"TIMESTAMPTZ '{NOW.isoformat()}'"
    reported = f"LEAST(c.opened_at + (g % 90) * interval '1 day', {now} - interval '2 days')"
    occurred = f"LEAST(c.opened_at + (g % 200) * interval '1 day', {now})"
    missing = insert_select(
        MissingEpisode,
        {
            "case_id": "c.id",
            "reported_missing_at": reported,
            "missing_from": "'Home address'",
            "reported_by": "'Parent'",
            "risk_grade": "(ARRAY['no_apparent_risk','low','medium','high'])[1 + g % 4]",
            "found_at": f"{reported} + interval '30 hours'",
            "found_where": "'Town centre'",
            "created_by_id": "c.owner_id",
        },
        spread(ctx.n(200_000)),
    )
    associates = insert_select(
        Associate,
        {
            "case_id": "c.id",
            "name": "'Associate ' || g",
            "name_norm": "'associate ' || g",
            "relationship": "(ARRAY['suspected_exploiter','peer','family','partner','professional','other'])[1 + g % 6]",
            "created_by_id": "c.owner_id",
        },
        spread(ctx.n(150_000)),
    )
    entries = insert_select(
        ManualChronologyEntry,
        {
            "case_id": "c.id",
            "entry_type": "(ARRAY['contact','home_visit','phone_call','meeting','strategy','intelligence','note'])[1 + g % 7]",
            "occurred_at": occurred,
            "text": "'Synthetic chronology entry ' || g",
            "created_by_id": "c.owner_id",
            "created_at": occurred,
        },
        spread(ctx.n(300_000)),
    )
    return f"{missing:,} missing episodes, {associates:,} associates, {entries:,} chronology entries"


@step("audit log")
def _audit(ctx: Ctx) -> str:
    from safeguarding.audit.models import AuditEvent

    rows = ctx.n(10_000_000)
    recreate = without_indexes(AuditEvent)
    with _cursor() as cursor:
        cursor.execute("SELECT id, email FROM accounts_user ORDER BY id")
        users = cursor.fetchall()
        cursor.execute("SELECT min(id), max(id) FROM cases_youngperson")
        pmin, pmax = cursor.fetchone()
        cursor.execute("SELECT min(id), max(id) FROM cases_case")
        cmin, cmax = cursor.fetchone()
    ids = "ARRAY[" + ",".join(str(u[0]) for u in users) + "]"
    emails = "ARRAY[" + ",".join("'" + u[1] + "'" for u in users) + "]"
    # In time order (as the log grows); a hash of g picks who and what.
    h = "((g * 2654435761::bigint) % 4294967291)"
    count = insert_select(
        AuditEvent,
        {
            "at": f"%s::timestamptz - ({rows} - g) * interval '{DAYS * 86400 / rows:.6f} seconds'",
            "actor_id": f"({ids})[1 + {h} % {len(users)}]",
            "actor_email": f"({emails})[1 + {h} % {len(users)}]",
            "action": f"(ARRAY['view','view','view','view','list','search','update','create'])[1 + ({h} / 7) % 8]",
            "object_type": f"CASE WHEN ({h} / 7) % 8 IN (4, 5) THEN '' WHEN {h} % 2 = 0 "
            "THEN 'cases.youngperson' ELSE 'cases.case' END",
            "object_id": f"CASE WHEN ({h} / 7) % 8 IN (4, 5) THEN '' WHEN {h} % 2 = 0 "
            f"THEN ({pmin} + ({h} / 13) % {pmax - pmin + 1})::text ELSE ({cmin} + ({h} / 13) % {cmax - cmin + 1})::text END",
            "summary": "'Opened the record'",
            "ip_address": "'10.0.0.1'::inet",
        },
        f"FROM generate_series(1, {rows}) g",
        [NOW],
    )
    recreate()
    return f"{count:,} audit rows"


def _sanity() -> str:
    """Every persona's main pages load (200) on the data just made."""
    from django.test import Client
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguarding.accounts.models import User

    pages = ["core:home", "cases:case_list"]
    checked = 0
    for role, email in PERSONAS.items():
        user = User.objects.get(email=email)
        client = Client(HTTP_HOST="localhost")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
        for name in pages if role != "partner" else ["core:home"]:
            response = client.get(reverse(name))
            if response.status_code != 200:
                raise SystemExit(f"sanity check: {name} as {role} answered {response.status_code}")
            checked += 1
    return f"{checked} pages answered 200"


def _child(size: str) -> None:
    import django

    global NOW
    django.setup()
    from django.db import connection
    from django.utils import timezone

    if not connection.settings_dict["NAME"].startswith(DB_PREFIX) or "_schema_" in connection.settings_dict["NAME"]:
        raise SystemExit(f"forcescale builds only into {DB_PREFIX}_*, not {connection.settings_dict['NAME']}")
    NOW = timezone.now().replace(microsecond=0)
    ctx = Ctx(SIZES[size])

    def timed(name: str, fn: Callable[[], str]) -> None:
        started = time.perf_counter()
        what = fn()
        print(f"  {size} {name:<45} {time.perf_counter() - started:7.1f} s  {what}", flush=True)

    with _cursor() as cursor:
        cursor.execute("CREATE TABLE bench_forcescale (version int, size text, built_at timestamptz, complete bool)")
        cursor.execute("INSERT INTO bench_forcescale VALUES (%s, %s, now(), false)", [GENERATOR_VERSION, size])
    for s in STEPS:
        timed(s.name, lambda s=s: s.run(ctx))

    def analyse() -> str:
        with _cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            return cursor.fetchone()[0]

    timed("vacuum analyze", analyse)
    timed("sanity check", _sanity)
    with _cursor() as cursor:
        cursor.execute("UPDATE bench_forcescale SET complete = true")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2])
    else:
        for name in sys.argv[1:] or list(SIZES):
            ensure(name)
