"""The team dashboard (supervisors: their teams), the force dashboard (the force lead),
the records behind each figure, and their CSV exports. Every figure comes from the
core's figure registry, which the domain apps fill; nothing here counts records itself.

Freshness: a dashboard's figures are computed from the records, then kept in the cache
for DASHBOARD_CACHE_SECONDS (at most a minute) under the viewer and their filters, so
a supervisor reloading the page does not run every aggregate again; the page says
when its figures were calculated. The records behind a figure and every export are
always read live."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import Case
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core import figures
from safeguarding.core.access import AuthenticatedRequest, role_required

from .charts import bar_chart
from .exports import csv_response
from .forms import ExportPurposeForm
from .selectors import DashboardRequest, dashboard_filters, filters_described

Action = AuditEvent.Action
READERS = (User.Role.SUPERVISOR, User.Role.FORCE_LEAD)
RECORDS_PER_PAGE = 50


def _filter_query(data: Mapping[str, Any]) -> str:
    """The filter part of the query string, carried into every link and export."""
    keep = ["team", "officer", *(f"{d}_{n}" for d in ("date_from", "date_to") for n in range(3))]
    return urlencode([(k, data[k]) for k in keep if data.get(k)])


def _sections(request: AuthenticatedRequest, wanted: DashboardRequest) -> list[dict]:
    f = wanted.filters
    if f is None:
        return []
    query = _filter_query(wanted.form.data)
    sections: dict[str, list[dict]] = {}
    for provider in figures.providers_for(request.user.role):
        for table in provider.tables(f):
            rows = []
            for row in table.rows:
                href = row.href
                if row.key and provider.records is not None:
                    href = reverse("dashboards:records", args=[provider.key, table.key, row.key]) + f"?{query}"
                rows.append({"cells": row.cells, "href": href})
            sections.setdefault(provider.section, []).append(
                {
                    "id": f"{provider.key}-{table.key}",
                    "table": table,
                    "rows": rows,
                    "chart": bar_chart(table),
                    "export": reverse("dashboards:table_export", args=[provider.key, table.key]) + f"?{query}",
                }
            )
    return [{"title": title, "figures": items} for title, items in sections.items()]


def _cached_sections(request: AuthenticatedRequest, wanted: DashboardRequest) -> tuple[str, datetime]:
    """The figures as HTML and when they were calculated: from the cache while younger
    than DASHBOARD_CACHE_SECONDS, else computed and drawn now. The key holds the user,
    their role and every filter, so nobody is shown figures calculated for another scope."""
    filters = wanted.filters
    if filters is None:
        return "", timezone.now()
    described = json.dumps([request.user.pk, request.user.role, filters_described(filters)], sort_keys=True)
    key = "dashboards:" + hashlib.sha256(described.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    html = render_to_string("dashboards/_sections.html", {"sections": _sections(request, wanted)})
    result = (html, filters.now)
    cache.set(key, result, min(settings.DASHBOARD_CACHE_SECONDS, 60))
    return result


def _dashboard(request: AuthenticatedRequest, *, title: str, url_name: str) -> HttpResponse:
    wanted = dashboard_filters(request.user, request.GET)
    filters = wanted.filters
    sections_html, calculated_at = _cached_sections(request, wanted)
    if filters is not None:
        audit_record(
            action=Action.LIST,
            request=request,
            object_type="dashboards.dashboard",
            summary=f"{title} viewed",
            detail={"filters": filters_described(filters)},
        )
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "title": title,
            "url_name": url_name,
            "form": wanted.form,
            "filters": filters,
            "teams": wanted.teams,
            "sections_html": mark_safe(sections_html),  # noqa: S308 (our own template's output, escaped there)
            "calculated_at": timezone.localtime(calculated_at),
        },
    )


@role_required(User.Role.SUPERVISOR)
@require_GET
def team_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    return _dashboard(request, title="Team dashboard", url_name="dashboards:team")


@role_required(User.Role.FORCE_LEAD)
@require_GET
def force_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    return _dashboard(request, title="Force dashboard", url_name="dashboards:force")


def _valid_filters(request: AuthenticatedRequest) -> figures.Filters:
    """The dashboard's filters from the query string; a link that was tampered with
    into something invalid (another team, a bad date) finds nothing."""
    filters = dashboard_filters(request.user, request.GET).filters
    if filters is None:
        raise Http404("No such figure.")
    return filters


def _table(
    request: AuthenticatedRequest, figure: str, table_key: str
) -> tuple[figures.Provider, figures.Table, figures.Filters]:
    provider = figures.provider(figure)
    if provider is None or request.user.role not in provider.roles:
        raise Http404("No such figure.")
    filters = _valid_filters(request)
    for table in provider.tables(filters):
        if table.key == table_key:
            return provider, table, filters
    raise Http404("No such figure.")


@role_required(*READERS)
@require_GET
def table_export(request: AuthenticatedRequest, figure: str, table: str) -> HttpResponse:
    """One dashboard table as CSV: counts, not people, so no purpose is asked; audited."""
    provider, found, filters = _table(request, figure, table)
    rows = [row.cells for row in found.rows] + ([found.totals] if found.totals else [])
    response, count = csv_response(f"{provider.key}-{found.key}.csv", found.columns, rows)
    audit_record(
        action=Action.EXPORT,
        request=request,
        object_type="dashboards.figure",
        object_id=f"{provider.key}.{found.key}",
        summary=f"Dashboard table exported: {found.title}",
        detail={
            "figure": provider.key,
            "table": found.key,
            "rows": count,
            "filters": filters_described(filters),
        },
    )
    return response


def _records(
    request: AuthenticatedRequest, figure: str, table: str, row: str
) -> tuple[figures.Provider, QuerySet[Case], figures.Filters]:
    provider = figures.provider(figure)
    if provider is None or provider.records is None or request.user.role not in provider.roles:
        raise Http404("No such figure.")
    filters = _valid_filters(request)
    cases = provider.records(filters, table, row)
    if cases is None:
        raise Http404("No such figure.")
    # The provider scoped the cases; select what the list shows, newest first.
    return provider, cases.select_related("person", "team", "owner").order_by("-opened_at", "-pk"), filters


def _row_title(provider: figures.Provider, filters: figures.Filters, table: str, row: str) -> tuple[str, str]:
    for found in provider.tables(filters):
        if found.key == table:
            for candidate in found.rows:
                if candidate.key == row:
                    return found.title, str(candidate.cells[0])
            return found.title, ""
    return provider.title, ""


@role_required(*READERS)
@require_GET
def records(request: AuthenticatedRequest, figure: str, table: str, row: str) -> HttpResponse:
    provider, cases, filters = _records(request, figure, table, row)
    page = Paginator(cases, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    shown = [c.pk for c in page.object_list]
    audit_record(
        action=Action.LIST,
        request=request,
        object_type="cases.case",
        summary=f"Records behind a dashboard figure listed ({provider.key}.{table}.{row})",
        detail={
            "figure": provider.key,
            "table": table,
            "row": row,
            "shown": shown,
            "filters": filters_described(filters),
        },
    )
    table_title, row_title = _row_title(provider, filters, table, row)
    query = _filter_query(request.GET)
    return render(
        request,
        "dashboards/records.html",
        {
            "page": page,
            "query": query,
            "table_title": table_title,
            "row_title": row_title,
            "filters": filters,
            "back": reverse("dashboards:team" if request.user.role == User.Role.SUPERVISOR else "dashboards:force")
            + f"?{query}",
            "export": reverse("dashboards:records_export", args=[figure, table, row]) + f"?{query}",
        },
    )


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def records_export(request: AuthenticatedRequest, figure: str, table: str, row: str) -> HttpResponse:
    """The records behind a figure as CSV. They name young people, so the user states why
    first; the purpose, the rows and their ids go in the audit row of the export."""
    provider, cases, filters = _records(request, figure, table, row)
    form = ExportPurposeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        listed = list(cases)
        response, count = csv_response(
            f"{provider.key}-{table}-{row}-records.csv",
            ["Case reference", "Young person", "Team", "Officer", "Status", "Risk level", "Opened"],
            (
                [
                    c.reference,
                    c.person.full_name,
                    c.team.name,
                    c.owner.full_name,
                    c.get_status_display(),
                    c.get_risk_level_display(),
                    timezone.localtime(c.opened_at).date().isoformat(),
                ]
                for c in listed
            ),
        )
        audit_record(
            action=Action.EXPORT,
            request=request,
            object_type="cases.case",
            summary=f"Records behind a dashboard figure exported ({provider.key}.{table}.{row})",
            justification=form.cleaned_data["purpose"],
            detail={
                "figure": provider.key,
                "table": table,
                "row": row,
                "rows": count,
                "ids": [c.pk for c in listed],
                "filters": filters_described(filters),
            },
        )
        return response
    table_title, row_title = _row_title(provider, filters, table, row)
    query = _filter_query(request.GET)
    return render(
        request,
        "dashboards/export_purpose.html",
        {
            "form": form,
            "count": cases.count(),
            "table_title": table_title,
            "row_title": row_title,
            "back": reverse("dashboards:records", args=[figure, table, row]) + f"?{query}",
        },
    )
