from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safeguarding.core.access import AuthenticatedRequest

from . import kinds, selectors, services
from .forms import PreferencesForm


def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_POST
def notifications_read(request: AuthenticatedRequest) -> HttpResponse:
    count = services.notifications_mark_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    """The user's own choice, per kind of message, of email or the service only."""
    available = kinds.kinds_for(request.user.role)
    current = selectors.preferences_for(request.user, [k.key for k in available])
    initial = {key: "email" if email else "in_app" for key, email in current.items()}
    form = PreferencesForm(request.POST if request.method == "POST" else None, kinds=available, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_set(
            actor=request.user, by_email={key: value == "email" for key, value in form.cleaned_data.items()}
        )
        messages.success(request, "Your notification settings are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "kinds": available})
