"""Interventions on a case: Community Protection Warnings and Notices, CCE Prevention Orders, cross-border handovers."""

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
    path("cases/<int:pk>/cce-prevention-orders/new/", views.ccepo_create, name="ccepo_create"),
    path("cce-prevention-orders/", views.ccepo_register, name="ccepo_register"),
    path("cce-prevention-orders/<int:pk>/", views.ccepo_detail, name="ccepo_detail"),
    path("cce-prevention-orders/<int:pk>/evidence/new/", views.ccepo_evidence_add, name="ccepo_evidence_add"),
    path("cce-prevention-orders/<int:pk>/conditions/new/", views.ccepo_condition_add, name="ccepo_condition_add"),
    path("cce-prevention-orders/<int:pk>/order/", views.ccepo_order_record, name="ccepo_order_record"),
    path("cce-prevention-orders/<int:pk>/variations/new/", views.ccepo_variation_add, name="ccepo_variation_add"),
    path("cce-prevention-orders/<int:pk>/breaches/new/", views.ccepo_breach_add, name="ccepo_breach_add"),
    path("cce-prevention-orders/<int:pk>/evidence-pack/", views.ccepo_pack, name="ccepo_pack"),
    path("cases/<int:pk>/handovers/new/", views.handover_create, name="handover_create"),
    path("handovers/<int:pk>/", views.handover_detail, name="handover_detail"),
    path("handovers/<int:pk>/disclosure/", views.handover_disclose, name="handover_disclose"),
    path("handovers/<int:pk>/outcome/", views.handover_outcome, name="handover_outcome"),
    path("handovers/<int:pk>/acceptance/", views.handover_acceptance, name="handover_acceptance"),
    path("handovers/<int:pk>/pack/", views.handover_pack, name="handover_pack"),
    path("handovers/<int:pk>/pack.pdf", views.handover_pack_pdf, name="handover_pack_pdf"),
    path("cce-prevention-orders/<int:pk>/evidence-pack.pdf", views.ccepo_pack_pdf, name="ccepo_pack_pdf"),
]
