from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("team/", views.team_dashboard, name="team"),
    path("force/", views.force_dashboard, name="force"),
    path("figures/<slug:figure>/<slug:table>.csv", views.table_export, name="table_export"),
    path("figures/<slug:figure>/<slug:table>/<slug:row>/", views.records, name="records"),
    path("figures/<slug:figure>/<slug:table>/<slug:row>/export/", views.records_export, name="records_export"),
]
