from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safeguarding.accounts.models import User
from safeguarding.core.access import role_required

from .forms import AuditSearchForm
from .models import AuditEvent
from .selectors import audit_events_search, audit_object_types
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
        page = Paginator(audit_events_search(**form.cleaned_data), 50).get_page(request.GET.get("page"))
    elif not form.is_bound:
        audit_record(
            action=AuditEvent.Action.LIST, request=request, object_type="audit.auditevent", summary="Audit log listed"
        )
        page = Paginator(AuditEvent.objects.all(), 50).get_page(1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/search.html", {"form": form, "page": page, "query": query.urlencode()})
