"""Young people under /people/, cases under /cases/. Search terms travel by POST only."""

from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("people/search/", views.search_view, name="search"),
    path("people/new/", views.person_create_view, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/names/", views.person_aliases, name="person_aliases"),
    path("people/names/<int:pk>/remove/", views.alias_remove_view, name="alias_remove"),
    path("people/<int:pk>/philomena/", views.philomena_edit, name="philomena_edit"),
    path("people/<int:pk>/chronology/", views.person_chronology, name="person_chronology"),
    path("people/<int:pk>/chronology/print/", views.person_chronology_print, name="person_chronology_print"),
    path("people/<int:pk>/changes/", views.person_changes, name="person_changes"),
    path("people/<int:pk>/viewers/", views.person_viewers, name="person_viewers"),
    path("people/break-glass/<str:reference>/", views.break_glass, name="break_glass"),
    path("people/<int:pk>/merge/", views.person_merge_view, name="person_merge"),
    path("people/<int:pk>/cases/new/", views.case_create_view, name="case_create"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/approvals/", views.approvals, name="approvals"),
    path("cases/break-glass/", views.break_glass_review_view, name="break_glass_review"),
    path("cases/break-glass/<int:pk>/reviewed/", views.break_glass_reviewed, name="break_glass_reviewed"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/changes/", views.case_changes, name="case_changes"),
    path("cases/<int:pk>/status/", views.case_status, name="case_status"),
    path("cases/<int:pk>/reassign/", views.case_reassign_view, name="case_reassign"),
    path("cases/<int:pk>/lines/", views.case_links, name="case_links"),
    path("cases/<int:pk>/associates/new/", views.associate_add, name="associate_add"),
    path("cases/<int:pk>/tasks/new/", views.task_add, name="task_add"),
    path("cases/tasks/<int:pk>/done/", views.task_complete_view, name="task_complete"),
    path("cases/<int:pk>/voice/new/", views.voice_add, name="voice_add"),
    path("cases/<int:pk>/missing/new/", views.missing_add, name="missing_add"),
    path("cases/missing/<int:pk>/", views.missing_edit, name="missing_edit"),
    path("cases/missing/<int:pk>/regrade/", views.missing_regrade, name="missing_regrade"),
    path("cases/<int:pk>/chronology/new/", views.entry_add, name="entry_add"),
    path("cases/<int:pk>/placements/new/", views.placement_add, name="placement_add"),
    path("cases/placements/<int:pk>/end/", views.placement_end, name="placement_end"),
    path("cases/<int:pk>/reclassify/", views.reclassification_add, name="reclassification_add"),
    path("cases/reclassifications/<int:pk>/decide/", views.reclassification_decide, name="reclassification_decide"),
    path("cases/<int:pk>/digital-reviews/new/", views.digital_review_add, name="digital_review_add"),
    path("cases/digital-reviews/<int:pk>/", views.digital_review_detail, name="digital_review"),
]
