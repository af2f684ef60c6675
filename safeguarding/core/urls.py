from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home_page, name="home"),
    path("session/keepalive/", views.session_keepalive, name="session_keepalive"),
    path("session/status/", views.session_status, name="session_status"),
    path("manage/system/", views.system_status, name="system_status"),
]
