"""Benchmark: the 48-hour clock's sweep costs what is due, not what is stored.

With 1,000 items due (overdue: each gets a reminder, an escalation and a compliance
record, all delivered in-app and by email), one sweep over a table of 2,000,000
checklist items must take at most 1.5x the same sweep over 20,000 items.

The rest of each table is history: mostly items done long ago (with their
delivered outbox rows), and some pending items due later. Rows are loaded with COPY
(foreign keys and indexes rebuilt after the load, then VACUUM ANALYZE, as a table in
steady state would be) into two separate databases, BENCH_CLOCK_DB_20000 and
BENCH_CLOCK_DB_2000000 (created and dropped here), so the figures neither depend on
nor disturb any other database.

Each size is held by its own child process; the parent asks them for sweeps in
turn (small, large, small, large …) so that both sizes meet the same noise from
whatever else the machine is doing. Printed: every sweep, the median and best of
each size, and the ratios.

    .venv/bin/python -m bench.checklist_sweep      # or through bench/run.py

Printed figures, not a timed test.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from bench._support import ROOT, child_env, database_url, drop_create, server_url

BENCH_DB = os.environ.get("BENCH_CLOCK_DB", "safeguarding_bench_clock")
DUE = 1_000
SIZES = (20_000, 2_000_000)
ROUNDS = 5
LIMIT = 1.5


# --- Parent: create the database, run the child, drop the database ----------------------


def _ask(child: subprocess.Popen, command: str) -> str:
    """Send a command to a child; return its answer line (children print notes before it)."""
    child.stdin.write(command + "\n")
    child.stdin.flush()
    while True:
        line = child.stdout.readline()
        if not line:
            raise RuntimeError(f"the bench child for {command!r} exited")
        if line.startswith("="):
            return line[1:].strip()
        print(line.rstrip())


def run() -> None:
    url = server_url("checklist_sweep")
    if url is None:
        return
    children: dict[int, subprocess.Popen] = {}
    names = {size: f"{BENCH_DB}_{size}" for size in SIZES}
    try:
        for size in SIZES:  # one at a time: loading the large one takes the machine
            drop_create(url, names[size], create=True)
            env = child_env(
                database_url(url, names[size]),
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                CHECKLIST_REMINDER_LEAD_MINUTES="60",
                PYTHONUNBUFFERED="1",
            )
            children[size] = subprocess.Popen(
                [sys.executable, "-m", "bench.checklist_sweep", "--child", str(size)],
                cwd=ROOT,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            _ask(children[size], "load")
        times: dict[int, list[float]] = {size: [] for size in SIZES}
        for _ in range(ROUNDS):
            for size in SIZES:
                times[size].append(float(_ask(children[size], "sweep")))
        for size in SIZES:
            _ask(children[size], "quit")
    finally:
        for child in children.values():
            if child.poll() is None:
                child.kill()
            child.wait()
        for name in names.values():
            drop_create(url, name, create=False)

    small, large = SIZES
    for size in SIZES:
        runs = ", ".join(f"{x:.2f}" for x in times[size])
        print(
            f"checklist_sweep: {size:>9,} items, {DUE:,} due: sweep median {statistics.median(times[size]):.2f}s, "
            f"best {min(times[size]):.2f}s  [{runs}]"
        )
    median_ratio = statistics.median(times[large]) / statistics.median(times[small])
    best_ratio = min(times[large]) / min(times[small])
    verdict = "OK" if median_ratio <= LIMIT else "OVER the limit"
    print(
        f"checklist_sweep: one sweep with {large:,} items / with {small:,} items = {median_ratio:.2f}x "
        f"(medians; best-of-{ROUNDS}: {best_ratio:.2f}x); goal <= {LIMIT}x: {verdict}"
    )


# --- Child: in the bench database -------------------------------------------------------


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples; None is NULL) into table, in chunks."""
    count = 0
    buffer = io.StringIO()

    def flush():
        buffer.seek(0)
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", buffer)
        buffer.seek(0)
        buffer.truncate()

    for row in rows:
        buffer.write("\t".join(r"\N" if v is None else str(v) for v in row))
        buffer.write("\n")
        count += 1
        if count % 200_000 == 0:
            flush()
    flush()
    return count


class World:
    """The fixed part: a force, a team, an officer, a supervisor, 1,000 cases, template v1."""

    def __init__(self):
        from cases.models import Case, LookedAfterStatus, YoungPerson
        from custody.models import ChecklistTemplate
        from safeguarding.accounts.models import Agency, Team, User

        force = Agency.objects.create(name="Bench Police", kind=Agency.Kind.POLICE_FORCE)
        self.team = Team.objects.create(name="Bench Team", agency=force)
        self.officer = User.objects.create_user(
            "officer@bench.example", full_name="Bench Officer", role="officer", agency=force, team=self.team
        )
        self.supervisor = User.objects.create_user(
            "supervisor@bench.example", full_name="Bench Supervisor", role="supervisor", agency=force
        )
        self.team.supervisors.add(self.supervisor)
        people = YoungPerson.objects.bulk_create(
            YoungPerson(
                given_name=f"Bench{n}",
                family_name="Person",
                date_of_birth=datetime(2010, 1, 1, tzinfo=UTC).date(),
                looked_after_status=LookedAfterStatus.NO,
            )
            for n in range(1000)
        )
        self.cases = Case.objects.bulk_create(
            Case(person=p, team=self.team, owner=self.officer, created_by=self.officer) for p in people
        )
        self.template = ChecklistTemplate.objects.get(is_active=True)
        self.template_items = list(self.template.items.order_by("position"))


LOADED = ["custody_checklist", "custody_checklistitem", "custody_checklistoutbox"]


def _drop_keys_and_indexes(cur) -> list[str]:
    """Drop the loaded tables' foreign keys and plain indexes; return the SQL that restores them."""
    cur.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
        [LOADED],
    )
    keys = cur.fetchall()
    cur.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary",
        [LOADED],
    )
    indexes = cur.fetchall()
    restore = []
    for table, name, definition in keys:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        cur.execute(f"DROP INDEX {name}")
        restore.append(definition)
    return restore


def _load(world: World, total: int, now: datetime) -> list[int]:
    """`total` checklist items, DUE of them overdue and pending; returns the due item ids."""
    from django.db import connection

    per = len(world.template_items)  # 12 items per checklist
    checklists = -(-total // per)
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE custody_checklistoutbox, custody_compliancerecord, custody_checklistitem, custody_checklist, notifications_notification RESTART IDENTITY CASCADE"
        )
        restore = _drop_keys_and_indexes(cur)
        old = now - timedelta(days=30)
        _copy(
            cur,
            "custody_checklist",
            ["id", "case_id", "template_id", "started_at", "start_basis", "status", "completed_at", "created_at"],
            (
                (
                    c + 1,
                    world.cases[c % len(world.cases)].pk,
                    world.template.pk,
                    old + timedelta(seconds=c),
                    "release",
                    "complete",
                    old + timedelta(days=2, seconds=c),
                    old,
                )
                for c in range(checklists)
            ),
        )
        officer, supervisor = world.officer.pk, world.supervisor.pk
        # Of the items that are not due: 10% pending and due later, the rest resolved.
        later = now + timedelta(days=2)

        def items():
            n = 0
            for c in range(checklists):
                for t in world.template_items:
                    if n >= total:
                        return
                    n += 1
                    if n <= DUE:  # overdue, pending, never swept
                        yield (
                            n,
                            c + 1,
                            t.pk,
                            t.position,
                            t.title,
                            now - timedelta(hours=1, seconds=n),
                            officer,
                            "pending",
                            None,
                            None,
                            "",
                            "",
                            None,
                            None,
                            1,
                        )
                    elif n % 10 == 0:  # pending, due later (in the partial indexes)
                        yield (
                            n,
                            c + 1,
                            t.pk,
                            t.position,
                            t.title,
                            later + timedelta(seconds=n),
                            officer,
                            "pending",
                            None,
                            None,
                            "",
                            "",
                            None,
                            None,
                            1,
                        )
                    else:  # history: done long ago, already reminded
                        due = old + timedelta(hours=4, seconds=n)
                        yield (
                            n,
                            c + 1,
                            t.pk,
                            t.position,
                            t.title,
                            due,
                            officer,
                            "done",
                            due - timedelta(hours=1),
                            officer,
                            "",
                            "",
                            due - timedelta(hours=2),
                            None,
                            2,
                        )

        _copy(
            cur,
            "custody_checklistitem",
            [
                "id",
                "checklist_id",
                "template_item_id",
                "position",
                "title",
                "due_at",
                "owner_id",
                "status",
                "resolved_at",
                "resolved_by_id",
                "note",
                "not_applicable_reason",
                "reminder_queued_at",
                "escalated_at",
                "version",
            ],
            items(),
        )
        # Delivered reminders of the history (the outbox keeps its past).
        _copy(
            cur,
            "custody_checklistoutbox",
            [
                "item_id",
                "kind",
                "created_at",
                "notified_at",
                "email_sent_at",
                "delivered_at",
                "recipients",
                "skipped_reason",
                "attempts",
                "last_error",
            ],
            (
                (n, "reminder", old, old, old, old, f"[{supervisor}]", "", 1, "")
                for n in range(DUE + 1, total + 1)
                if n % 10 != 0 and n % 2 == 0
            ),
        )
        # The running checklists the due items belong to.
        cur.execute(
            "UPDATE custody_checklist SET status = 'running', completed_at = NULL WHERE id <= %s", [-(-DUE // per) + 1]
        )
        for table in ("custody_checklist", "custody_checklistitem", "custody_checklistoutbox"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608 - our table names
        for statement in restore:
            cur.execute(statement)
        cur.execute(
            "VACUUM ANALYZE custody_checklist, custody_checklistitem, custody_checklistoutbox, custody_compliancerecord, notifications_notification"
        )
    return list(range(1, DUE + 1))


def _reset(due_ids: list[int]) -> None:
    """Undo one sweep: the due items are due again, nothing sent."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DELETE FROM custody_checklistoutbox WHERE item_id = ANY(%s)", [due_ids])
        cur.execute("DELETE FROM custody_compliancerecord WHERE item_id = ANY(%s)", [due_ids])
        cur.execute("DELETE FROM notifications_notification WHERE dedupe_key LIKE 'checklist:%%'")
        cur.execute(
            "UPDATE custody_checklistitem SET reminder_queued_at = NULL, escalated_at = NULL WHERE id = ANY(%s)",
            [due_ids],
        )


def _sweep_time(due_ids: list[int]) -> float:
    from django.core import mail

    from custody.clock.services import checklist_sweep
    from custody.models import ChecklistOutbox

    _reset(due_ids)
    mail.outbox = []
    started = time.perf_counter()
    result = checklist_sweep()
    took = time.perf_counter() - started
    assert result.reminders == DUE and result.escalations == DUE, result
    assert result.delivered == 2 * DUE, result
    assert len(mail.outbox) == 2 * DUE
    assert not ChecklistOutbox.objects.undelivered().exists()
    return took


def child(size: int) -> None:
    """Hold one database of `size` items; answer "load", "sweep" and "quit" on stdin."""
    import django

    django.setup()
    from django.core import mail

    mail.outbox = []
    due_ids: list[int] = []
    for line in sys.stdin:
        command = line.strip()
        if command == "load":
            from django.core.management import call_command

            started = time.perf_counter()
            call_command("migrate", verbosity=0, interactive=False)
            world = World()
            due_ids = _load(world, size, datetime.now(UTC).replace(microsecond=0))
            print(f"checklist_sweep: {size:>9,} items loaded in {time.perf_counter() - started:.1f}s")
            print("=ok")
        elif command == "sweep":
            print(f"={_sweep_time(due_ids):.4f}")
        else:
            print("=bye")
            return


if __name__ == "__main__":
    if "--child" in sys.argv:
        child(int(sys.argv[-1]))
    else:
        sys.path.insert(0, str(ROOT))
        run()
