from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and staff roles")

    def ready(self) -> None:
        from notifications import kinds

        kinds.register("accounts.password_reset", _("A link to set a new password"), essential=True)
