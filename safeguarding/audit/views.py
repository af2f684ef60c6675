from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safeguarding.accounts.models import User
from safeguarding.core.access import role_required

from .forms import AuditSearchForm
from .models import AuditEvent, MisuseAlert
from .selectors import audit_events_search, audit_object_types, keyset_page
from .services import audit_record


@role_required(User.Role.FORCE_LEAD)
def audit_search(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None, object_types=audit_object_types())
    page = None
    # The row recording this look at the log is written before the page is counted
    # and read, so that the count and the rows shown agree.
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
        audit_record(
            action=AuditEvent.Action.SEARCH,
            request=request,
            object_type="audit.auditevent",
            summary="Audit log searched",
            detail={k: str(v) for k, v in filters.items() if k != "page"},
        )
        page = keyset_page(audit_events_search(**form.cleaned_data), request.GET.get("before", ""))
    elif not form.is_bound:
        audit_record(
            action=AuditEvent.Action.LIST, request=request, object_type="audit.auditevent", summary="Audit log listed"
        )
        page = keyset_page(AuditEvent.objects.all(), "")
    query = request.GET.copy()
    query.pop("before", None)
    return render(request, "audit/search.html", {"form": form, "page": page, "query": query.urlencode()})


@role_required(User.Role.FORCE_LEAD)
def misuse_list(request: HttpRequest) -> HttpResponse:
    """Officers whose use of the service went over a bulk-access limit, with what they touched."""
    page = Paginator(MisuseAlert.objects.all(), 20).get_page(request.GET.get("page"))
    audit_record(
        action=AuditEvent.Action.LIST,
        request=request,
        object_type="audit.misusealert",
        summary="Possible misuse listed",
        detail={"alerts_shown": [alert.pk for alert in page.object_list]},
    )
    return render(
        request,
        "audit/misuse.html",
        {
            "page": page,
            "query": "",
            "window_minutes": settings.BULK_ACCESS_WINDOW_MINUTES,
            "records_limit": settings.BULK_ACCESS_RECORDS,
            "searches_limit": settings.BULK_ACCESS_SEARCHES,
        },
    )
