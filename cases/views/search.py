"""Finding a young person. Search terms travel by POST only."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, role_required
from safeguarding.core.forms import form_data
from safeguarding.core.ratelimits import rate_limit

from .. import search
from ..forms import (
    SearchForm,
)
from ..selectors import (
    can_edit,
)
from ._common import Action


@role_required(*User.Role.case_readers())
@rate_limit("person_search", method="POST")
def search_view(request: AuthenticatedRequest) -> HttpResponse:
    """POST only for the terms, so names never sit in URLs, browser history or server logs."""
    form = SearchForm(form_data(request), reference_label=search.reference_label())
    results = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        results = search.search_people(
            user=request.user, name=data["name"], date_of_birth=data["date_of_birth"], reference=data["reference"]
        )
        audit_record(
            action=Action.SEARCH,
            request=request,
            object_type="cases.youngperson",
            summary="Young people searched",
            detail={
                "name": data["name"],
                "date_of_birth": data["date_of_birth"].isoformat() if data["date_of_birth"] else "",
                "reference": data["reference"],
                "results": len(results),
                "in_scope": [r.person.pk for r in results if r.in_scope],
                "out_of_scope": [r.person.pk for r in results if not r.in_scope],
            },
        )
    return render(
        request,
        "cases/search.html",
        {"form": form, "results": results, "can_edit": can_edit(request.user)},
    )
