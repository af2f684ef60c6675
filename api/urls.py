"""/api/v1/: the integration API. Every view is DRF with token authentication only;
login_not_required lets requests past the pages' sign-in middleware, which knows
nothing of tokens (the API's own authentication refuses anything without one)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path

from . import views_custody, views_docs, views_referrals

app_name = "api"

urlpatterns = [
    path("schema/", login_not_required(views_docs.SchemaView.as_view()), name="schema"),
    path("docs/", login_not_required(views_docs.DocsView.as_view()), name="docs"),
    path(
        "custody/detentions/",
        login_not_required(views_custody.DetentionsView.as_view()),
        name="custody_detentions",
    ),
    path("referrals/", login_not_required(views_referrals.ReferralListView.as_view()), name="referral_list"),
    path(
        "referrals/<int:pk>/",
        login_not_required(views_referrals.ReferralDetailView.as_view()),
        name="referral_detail",
    ),
    path(
        "referrals/<int:pk>/acknowledge/",
        login_not_required(views_referrals.AcknowledgeView.as_view()),
        name="referral_acknowledge",
    ),
    path(
        "referrals/<int:pk>/accept/",
        login_not_required(views_referrals.AcceptView.as_view()),
        name="referral_accept",
    ),
    path(
        "referrals/<int:pk>/decline/",
        login_not_required(views_referrals.DeclineView.as_view()),
        name="referral_decline",
    ),
    path(
        "referrals/<int:pk>/updates/",
        login_not_required(views_referrals.UpdateView.as_view()),
        name="referral_updates",
    ),
    # Last: anything else under /api/v1/ is a 404 problem, not the pages' HTML.
    re_path(r"^.*$", login_not_required(views_docs.NotFoundView.as_view()), name="not_found"),
]
