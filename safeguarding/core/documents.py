"""Letters and packs: one template gives the printable HTML page (with a print stylesheet)
and the PDF (WeasyPrint), so the two can never say different things.

    return document_response(
        request, template="interventions/documents/cp_letter.html", context={...},
        filename="CPW000012", obj=notice, summary="CPW000012 letter", recipient="...", as_pdf=True)

Both are answered with ``Cache-Control: no-store`` (nothing about a child stays in a
browser's or proxy's cache) and audited as an export naming the recipient when there is
one, in the request's transaction. The PDF is rendered without touching the network or the
file system beyond the document stylesheet read from disk: the fetcher refuses every URL,
so a link or image in a record can never make the server fetch anything. Fonts are Arial
or, where it is absent (Linux servers), Liberation Sans: the same metrics.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Model
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

STYLESHEET = "css/documents.css"


class DocumentFetchRefused(ValueError):
    """A document asked for an external resource; documents are self-contained."""


def _refusing_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class RefusingFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type information
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise DocumentFetchRefused(f"Documents do not fetch resources: {url[:80]}")

    return RefusingFetcher()


@cache
def _stylesheet_text() -> str:
    path = finders.find(STYLESHEET)
    if not path:  # collectstatic's copy in production
        path = str(Path(settings.STATIC_ROOT) / STYLESHEET)
    return Path(str(path)).read_text(encoding="utf-8")


def render_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    fetcher = _refusing_fetcher()
    stylesheet = CSS(string=_stylesheet_text(), url_fetcher=fetcher)
    return cast(bytes, HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet]))


def _no_store(response: HttpResponseBase) -> HttpResponseBase:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    return response


def document_response(
    request: HttpRequest,
    *,
    template: str,
    context: dict[str, Any],
    filename: str,
    obj: Model,
    summary: str,
    as_pdf: bool,
    recipient: str = "",
) -> HttpResponseBase:
    """The document as a printable page or a PDF download, audited as an export."""
    audit_record(
        action=AuditEvent.Action.EXPORT,
        request=request,
        obj=obj,
        summary=summary,
        recipient=recipient,
        detail={"format": "pdf" if as_pdf else "html", "document": filename},
    )
    html = render_to_string(template, {**context, "as_pdf": as_pdf, "stylesheet": STYLESHEET}, request=request)
    if not as_pdf:
        return _no_store(HttpResponse(html))
    response = FileResponse(
        io.BytesIO(render_pdf(html)), as_attachment=True, filename=f"{filename}.pdf", content_type="application/pdf"
    )
    return _no_store(response)


# --- Packs: documents other apps add sections to ------------------------------------
#
# A pack (the cross-border handover pack) is assembled from what the case holds, each app
# adding its own section from its wiring.py, so nothing is typed twice and the core imports
# none of them:
#
#     from safeguarding.core import documents
#     documents.register_pack_section(documents.PackSection(
#         key="custody", title="Custody events", template="custody/pack_section.html",
#         context=lambda case, user: {"events": [...]}, order=40))
#
# The contract: a pack leaves the force. A section must never include restricted material:
# no digital-review findings, no intelligence, nothing the disclosure rules keep to the case's
# own team. A section's context takes (case, user), reads only that case's records the user may
# see, and returns its template's context, or None to leave the section out.


@dataclass(frozen=True)
class PackSection:
    key: str
    title: str
    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int = 50
    restricted: bool = False  # never True: register_pack_section refuses restricted sections


_pack_sections: dict[str, PackSection] = {}


def register_pack_section(section: PackSection) -> None:
    if section.restricted:
        raise ValueError(f"Pack section {section.key!r} is restricted: packs leave the force and never hold it")
    _pack_sections[section.key] = section


def pack_sections(case: Any, user: Any) -> list[dict[str, Any]]:
    shown = []
    for section in sorted(_pack_sections.values(), key=lambda s: s.order):
        context = section.context(case, user)
        if context is not None:
            shown.append({"key": section.key, "title": section.title, "template": section.template, **context})
    return shown
