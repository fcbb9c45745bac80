"""Messages leave through the notifications outbox: deliver what is due, then read Django's
test mailbox (the locmem email backend pytest-django installs)."""

from django.core import mail

from notifications.services import notifications_deliver_due


def delivered() -> list:
    notifications_deliver_due()
    return mail.outbox
