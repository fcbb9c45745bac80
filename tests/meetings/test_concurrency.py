"""Capacity under load: many residents press "Register" at once."""

import threading

import pytest
from django.db import connection, connections

from core.errors import ApplicationError
from meetings import services
from meetings.models import Registration
from tests.meetings.factories import make_meeting


@pytest.mark.django_db(transaction=True)
def test_50_concurrent_registrations_for_10_seats_give_10_registered_and_40_waitlisted(almaly):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has one writer at a time, so it cannot show a race; this runs on PostgreSQL.")
    meeting = make_meeting(almaly, capacity=10)
    barrier = threading.Barrier(50)
    errors: list[Exception] = []

    def register(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.registration_create(meeting=meeting, name=f"Тұрғын {i}", email=f"r{i}@example.kz")
        except (ApplicationError, Exception) as error:
            errors.append(error)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=register, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = list(Registration.objects.filter(meeting=meeting).values_list("status", flat=True))
    assert statuses.count(Registration.Status.REGISTERED) == 10
    assert statuses.count(Registration.Status.WAITLISTED) == 40
