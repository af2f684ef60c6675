"""Errors as RFC 9457 problem details (``application/problem+json``).

Every refusal the API gives has the same shape: ``type`` (a URI naming the kind of
problem, relative to the API), ``title``, ``status``, ``detail`` and, for bad input,
``errors``: one entry per problem with a JSON pointer (RFC 6901) to the field.
Request bodies are never logged: a failure logs the path and the client, not what
was sent.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "/api/v1/problems/"

TITLES = {
    400: "The request is not valid",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Server error",
}
TYPES = {
    400: "invalid-request",
    401: "not-authenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "unprocessable",
    429: "rate-limited",
    500: "server-error",
}


def escape_pointer(part: str | int) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def pointer(*parts: str | int) -> str:
    return "".join(f"/{escape_pointer(p)}" for p in parts)


def _flatten(detail: Any, path: tuple = ()) -> list[dict[str, str]]:
    """DRF's nested error detail as [{"pointer", "detail"}]."""
    if isinstance(detail, dict):
        return [
            e
            for key, value in detail.items()
            for e in _flatten(value, (*path, key) if key not in ("non_field_errors", "") else path)
        ]
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [{"pointer": pointer(*path), "detail": str(item)} for item in detail]
        return [e for index, item in enumerate(detail) for e in _flatten(item, (*path, index))]
    return [{"pointer": pointer(*path), "detail": str(detail)}]


def problem(status_code: int, detail: str, *, errors: list[dict] | None = None, headers=None, **extra) -> Response:
    body: dict[str, Any] = {
        "type": TYPE_BASE + TYPES.get(status_code, "error"),
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_JSON)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the record's current state."
    default_code = "conflict"


class Unprocessable(exceptions.APIException):
    """422: well-formed, but nothing in it can be done; ``errors`` point at the fields."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "The request cannot be processed."
    default_code = "unprocessable"

    def __init__(self, detail: str | None = None, *, errors: list[dict] | None = None) -> None:
        super().__init__(detail)
        self.errors = errors or []


def problem_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("No such record.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        view = context.get("view")
        logger.exception("API call to %s failed", getattr(view, "__class__", type(view)).__name__)
        set_rollback()
        return problem(500, "The service could not complete the call. It can be tried again.")
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")}
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        return problem(response.status_code, "The request has problems: see errors.", errors=errors, headers=headers)
    if isinstance(exc, Unprocessable):
        return problem(response.status_code, str(exc.detail), errors=exc.errors, headers=headers)
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    if isinstance(exc, exceptions.Throttled):
        # Always a whole number of seconds, at least 1 (the schema says so).
        wait = max(1, math.ceil(exc.wait or 1))
        headers["Retry-After"] = str(wait)
        detail = f"Too many calls from this client. Try again in {wait} seconds."
    return problem(response.status_code, str(detail), headers=headers)
