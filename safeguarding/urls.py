"""The project's URLs. Every view here is listed in tests/access_matrix.py."""

from django.urls import include, path

from safeguarding.accounts.admin import admin_site

handler403 = "safeguarding.core.views.error_403"
handler404 = "safeguarding.core.views.error_404"
handler500 = "safeguarding.core.views.error_500"

urlpatterns = [
    path("", include("safeguarding.accounts.urls")),
    path("", include("safeguarding.core.urls")),
    path("notifications/", include("safeguarding.notifications.urls")),
    path("audit/", include("safeguarding.audit.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("", include("cases.urls")),
    path("custody/", include("custody.urls")),
    path("", include("referrals.urls")),
    path("", include("interventions.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin_site.urls),
]
