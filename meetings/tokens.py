"""Signed links that let a resident manage a registration or a reception booking without an account."""

from django.core import signing
from django.urls import reverse

from meetings.models import ReceptionBooking, Registration

_REGISTRATION_SALT = "meetings.registration"
_BOOKING_SALT = "meetings.reception-booking"


def registration_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=_REGISTRATION_SALT, compress=True)


def registration_from_token(token: str) -> Registration | None:
    """The registration the token names, or None when it was tampered with or the row is gone."""
    try:
        pk = signing.loads(token, salt=_REGISTRATION_SALT)
    except signing.BadSignature:
        return None
    return Registration.objects.select_related("meeting", "meeting__unit", "meeting__venue").filter(pk=pk).first()


def registration_manage_url(registration: Registration) -> str:
    return reverse("meetings:registration", kwargs={"token": registration_token(registration)})


def booking_token(booking: ReceptionBooking) -> str:
    return signing.dumps(booking.pk, salt=_BOOKING_SALT, compress=True)


def booking_from_token(token: str) -> ReceptionBooking | None:
    try:
        pk = signing.loads(token, salt=_BOOKING_SALT)
    except signing.BadSignature:
        return None
    return ReceptionBooking.objects.select_related("slot", "slot__meeting").filter(pk=pk).first()


def booking_manage_url(booking: ReceptionBooking) -> str:
    return reverse("meetings:booking", kwargs={"token": booking_token(booking)})
