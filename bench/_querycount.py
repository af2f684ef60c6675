"""Middleware for the page benchmark only: counts the SQL statements a request runs and the
time they took, and answers them in the ``X-Bench-Queries`` and ``X-Bench-SQL-ms`` headers
(what a page spends outside the database is the rest). With ``BENCH_SQL_LOG_MS`` set, every
statement slower than that many milliseconds is written to standard error with its path.
settings.py installs it only when BENCH_COUNT_QUERIES is set (bench/pages.py sets it for its
gunicorn); never in service."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse

SLOW_MS = float(os.environ.get("BENCH_SQL_LOG_MS") or "inf")


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0
        spent = 0.0

        def counter(execute, sql, params, many, context):
            nonlocal count, spent
            count += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                took = time.perf_counter() - started
                spent += took
                if took * 1000 > SLOW_MS:
                    print(f"[slow SQL {took * 1000:.1f} ms] {request.path}: {sql} {params!r}"[:4000], file=sys.stderr)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count)
        response["X-Bench-SQL-ms"] = f"{spent * 1000:.1f}"
        return response
