from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notifications_read, name="mark_read"),
    path("settings/", views.preferences, name="preferences"),
]
