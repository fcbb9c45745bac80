from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("workspace/", views.workspace_view, name="workspace"),
    path("sign-in/", views.sign_in_view, name="sign_in"),
    path("sign-in/code/", views.sign_in_code_view, name="sign_in_code"),
    path("audit/", views.audit_view, name="audit"),
    path("two-factor/", views.two_factor_verify_view, name="two_factor_verify"),
    path("two-factor/setup/", views.two_factor_setup_view, name="two_factor_setup"),
    path("password/", auth_views.PasswordChangeView.as_view(success_url="done/"), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
