"""Interventions on a case: Community Protection Warnings and Notices."""

from django.urls import path

from . import views

app_name = "interventions"

urlpatterns = [
    path("cases/<int:pk>/community-protection/warning/new/", views.cp_warning_create, name="cp_warning_create"),
    path("cases/<int:pk>/community-protection/notice/new/", views.cp_notice_create, name="cp_notice_create"),
    path("community-protection/approvals/", views.cp_approvals, name="cp_approvals"),
    path("community-protection/<int:pk>/", views.cp_detail, name="cp_detail"),
    path("community-protection/<int:pk>/conditions/new/", views.cp_condition_add, name="cp_condition_add"),
    path(
        "community-protection/<int:pk>/conditions/<int:condition_pk>/remove/",
        views.cp_condition_remove,
        name="cp_condition_remove",
    ),
    path("community-protection/<int:pk>/submit/", views.cp_submit, name="cp_submit"),
    path("community-protection/<int:pk>/decision/", views.cp_decide, name="cp_decide"),
    path("community-protection/<int:pk>/issue/", views.cp_issue, name="cp_issue"),
    path("community-protection/<int:pk>/serve/", views.cp_serve, name="cp_serve"),
    path("community-protection/<int:pk>/breaches/new/", views.cp_breach_add, name="cp_breach_add"),
    path("community-protection/<int:pk>/letter/", views.cp_letter, name="cp_letter"),
    path("community-protection/<int:pk>/letter.pdf", views.cp_letter_pdf, name="cp_letter_pdf"),
]
