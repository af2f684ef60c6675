"""Referrals under /referrals/ (officers), the partner portal under /partner/, NRM under /nrm/."""

from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("cases/<int:pk>/referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/send/", views.referral_send, name="referral_send"),
    path("referrals/<int:pk>/revoke/", views.referral_revoke, name="referral_revoke"),
    path("referrals/<int:pk>/close/", views.referral_close, name="referral_close"),
    path("referrals/<int:pk>/answer/", views.referral_answer, name="referral_answer"),
    path("partner/referrals/", views.partner_list, name="partner_list"),
    path("partner/referrals/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partner/referrals/<int:pk>/<slug:action>/", views.partner_act, name="partner_act"),
    path("cases/<int:pk>/nrm/new/", views.nrm_create, name="nrm_create"),
    path("nrm/<int:pk>/", views.nrm_detail, name="nrm_detail"),
    path("nrm/<int:pk>/summary/", views.nrm_summary, name="nrm_summary"),
    path("nrm/<int:pk>/summary/print/", views.nrm_summary_print, name="nrm_summary_print"),
    path("nrm/<int:pk>/decision/", views.nrm_decision, name="nrm_decision"),
    path("nrm/<int:pk>/reconsideration/", views.nrm_reconsideration, name="nrm_reconsideration"),
    path(
        "nrm/reconsiderations/<int:pk>/outcome/", views.nrm_reconsideration_outcome, name="nrm_reconsideration_outcome"
    ),
]
