from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and staff roles")

    def ready(self) -> None:
        from accounts import workspace
        from notifications import kinds

        workspace.register(workspace.account_tools)

        # The code is the message: no opting out, and it is erased from the outbox once sent.
        kinds.register("accounts.sign_in_code", _("Sign-in code"), essential=True, secret=("code",))
        from notifications import kinds

        kinds.register("accounts.password_reset", _("A link to set a new password"), essential=True)
