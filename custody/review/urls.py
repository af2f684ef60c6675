from django.urls import path

from . import event_views, time_views, views

# Mounted under /custody/ in the "custody" namespace (custody/urls.py).
urlpatterns = [
    path("", views.review, name="review"),
    path("decide/", views.review_bulk, name="review_bulk"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/columns/", views.import_columns, name="import_columns"),
    path("imports/<int:pk>/problems.csv", views.import_problems_csv, name="import_problems_csv"),
    path("rows/<int:pk>/", views.row_detail, name="row_detail"),
    path("rows/<int:pk>/safeguard/", views.row_safeguard, name="row_safeguard"),
    path("rows/<int:pk>/already-known/", views.row_already_known, name="row_already_known"),
    path("rows/<int:pk>/not-at-risk/", views.row_not_at_risk, name="row_not_at_risk"),
    path("rows/<int:pk>/time/<str:field>/", time_views.row_time, name="row_time"),
    path("cases/<int:case_pk>/custody-events/new/", event_views.event_create, name="event_create"),
    path("events/<int:pk>/", event_views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", event_views.event_update, name="event_update"),
]
