"""What every benchmark's parent process does: find the PostgreSQL server, create a
database of its own, start the child in it, and drop the database afterwards.

bench/run.py skips modules whose name starts with "_", so this is not a benchmark.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://safeguarding:safeguarding@127.0.0.1:5432/safeguarding"
# The headings of a custody list as the benchmarks write one (DESIGN's custody-list format).
CUSTODY_LIST_HEADER = [
    "custody_number",
    "surname",
    "forenames",
    "date_of_birth",
    "home_force_or_local_authority",
    "arrest_datetime",
    "custody_suite",
    "offences",
    "release_datetime",
    "outcome",
]


def server_url(bench: str) -> str | None:
    """DATABASE_URL (or the default), or None — with a note — when it is not PostgreSQL."""
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        print(f"{bench}: needs PostgreSQL (DATABASE_URL=postgres://...); skipped")
        return None
    return url


def _admin_conn(url: str):
    import psycopg2

    parts = urlsplit(url)
    conn = psycopg2.connect(
        dbname=parts.path.lstrip("/") or "postgres",
        user=parts.username,
        password=parts.password,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    conn.autocommit = True
    return conn


def drop_create(url: str, name: str, *, create: bool) -> None:
    """Drop database ``name`` on the server of ``url`` (if it exists) and, if asked, create it afresh."""
    conn = _admin_conn(url)
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def database_url(url: str, name: str) -> str:
    """``url`` with its database name replaced by ``name``."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@contextmanager
def bench_database(url: str, name: str) -> Iterator[str]:
    """A fresh database ``name`` for the duration of the block (its URL is yielded),
    dropped afterwards whatever happens."""
    drop_create(url, name, create=True)
    try:
        yield database_url(url, name)
    finally:
        drop_create(url, name, create=False)


def child_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a child process working in ``database_url``: production
    settings, quiet logs, no broker (nothing in a benchmark is queued)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "safeguarding.settings",
        "VAR_DIR": os.environ.get("VAR_DIR", str(ROOT / "var")),
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env
