from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views
from accounts.forms import PasswordResetForm
from core.ratelimit import rate_limited

app_name = "accounts"

urlpatterns = [
    path("workspace/", views.workspace_view, name="workspace"),
    path("sign-in/", views.sign_in_view, name="sign_in"),
    path("sign-in/code/", views.sign_in_code_view, name="sign_in_code"),
    path("audit/", views.audit_view, name="audit"),
    path("two-factor/", views.two_factor_verify_view, name="two_factor_verify"),
    path("two-factor/setup/", views.two_factor_setup_view, name="two_factor_setup"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password_change_done")),
        name="password_change",
    ),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Forgotten password: Django's views and token, the site's templates (templates/registration/).
    path(
        "password/reset/",
        rate_limited("password_reset", limit="RATE_LIMIT_LOGINS", window=600)(
            auth_views.PasswordResetView.as_view(
                form_class=PasswordResetForm, success_url=reverse_lazy("accounts:password_reset_done")
            )
        ),
        name="password_reset",
    ),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("accounts:password_reset_complete")),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
