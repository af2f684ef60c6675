from django.urls import path

from . import views

# Mounted under /custody/ in the "custody" namespace (custody/urls.py).
urlpatterns = [
    path("clocks/", views.clocks, name="clocks"),
    path("cases/<int:case_pk>/clock/", views.case_clock, name="case_clock"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist_detail"),
    path("checklist-items/<int:pk>/done/", views.item_done, name="checklist_item_done"),
    path("checklist-items/<int:pk>/not-applicable/", views.item_not_applicable, name="checklist_item_not_applicable"),
    path("checklist-items/<int:pk>/reassign/", views.item_reassign, name="checklist_item_reassign"),
    path("return-interviews/<int:pk>/", views.return_interview, name="return_interview"),
]
