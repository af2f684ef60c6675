from django.urls import path

from . import manage_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.verify, name="verify"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("activate/", views.activation, name="activation"),
    path("activate/<str:token>/", views.activate, name="activate"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("manage/users/", manage_views.user_list, name="manage_user_list"),
    path("manage/users/new/", manage_views.user_create, name="manage_user_create"),
    path("manage/users/<int:pk>/", manage_views.user_detail, name="manage_user_detail"),
    path("manage/users/<int:pk>/<slug:action>/", manage_views.user_action, name="manage_user_action"),
]
