from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from districts.models import AdministrativeUnit
from meetings import selectors
from meetings.models import MandateRuleSet, Meeting
from meetings.periods import Period, period_of, period_parse
from tests.factories import make_akim, make_unit
from tests.meetings.factories import in_days, make_meeting, make_registration

S = Meeting.Status


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


# --- Lists -------------------------------------------------------------------------------------


def test_upcoming_lists_scheduled_future_meetings_of_the_subtree_soonest_first(almaty, almaly, medeu):
    later = make_meeting(almaly, starts_at=in_days(9))
    sooner = make_meeting(medeu, starts_at=in_days(2))
    make_meeting(almaly, starts_at=in_days(3), status=S.DRAFT)
    make_meeting(almaly, starts_at=in_days(4), status=S.CANCELLED)
    make_meeting(almaly, starts_at=in_days(-4), status=S.HELD)
    assert list(selectors.meetings_upcoming()) == [sooner, later]
    assert list(selectors.meetings_upcoming(unit=almaty)) == [sooner, later]
    assert list(selectors.meetings_upcoming(unit=almaly)) == [later]


def test_upcoming_filters_by_kind_and_dates(almaly):
    reporting = make_meeting(almaly, starts_at=in_days(5))
    forum = make_meeting(almaly, starts_at=in_days(8), kind=Meeting.Kind.FORUM)
    assert list(selectors.meetings_upcoming(kind=Meeting.Kind.FORUM)) == [forum]
    assert list(selectors.meetings_upcoming(date_to=in_days(6).date())) == [reporting]
    assert list(selectors.meetings_upcoming(date_from=in_days(6).date())) == [forum]


def test_past_shows_held_and_cancelled_latest_first(almaly):
    older = make_meeting(almaly, starts_at=in_days(-20), status=S.HELD)
    newer = make_meeting(almaly, starts_at=in_days(-2), status=S.CANCELLED)
    make_meeting(almaly, starts_at=in_days(-1), status=S.DRAFT)
    assert list(selectors.meetings_past()) == [newer, older]


def test_seats_left_counts_only_registered_residents(almaly_meeting):
    make_registration(almaly_meeting)
    make_registration(almaly_meeting, status="waitlisted")
    make_registration(almaly_meeting, status="cancelled")
    meeting = selectors.meetings_upcoming().get()
    assert (meeting.registered_count, meeting.seats_left) == (1, 9)


def _count_list_queries(client) -> int:
    # Cold each time: the territory options are cached, and a warm page would save a query.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ru/meetings/")
    assert response.status_code == 200
    return len(queries)


def test_the_upcoming_page_query_count_is_the_same_for_5_and_200_meetings(client, almaly, medeu, almaly_akim):
    from tests.meetings.factories import make_venue

    venue = make_venue(almaly, capacity=500)
    for i in range(5):
        meeting = make_meeting(almaly if i % 2 else medeu, starts_at=in_days(1 + i), venue=venue, host=almaly_akim)
        make_registration(meeting)
    few = _count_list_queries(client)
    Meeting.objects.bulk_create(
        [
            Meeting(
                unit=almaly if i % 2 else medeu,
                kind=Meeting.Kind.OUTREACH,
                status=S.SCHEDULED,
                title_kk=f"Кездесу {i}",
                title_ru=f"Встреча {i}",
                starts_at=in_days(1 + i % 60, hour=8 + i % 10),
                ends_at=in_days(1 + i % 60, hour=8 + i % 10) + timedelta(hours=1),
                venue=venue,
                host=almaly_akim,
                capacity=100,
            )
            for i in range(195)
        ]
    )
    assert Meeting.objects.count() == 200
    assert _count_list_queries(client) == few


# --- Periods -----------------------------------------------------------------------------------


def test_periods_are_local_calendar_quarters_half_years_and_years():
    q1 = Period("quarter", 2025, 1)
    assert (q1.starts_at, q1.ends_at) == (local(2025, 1, 1), local(2025, 4, 1))
    assert q1.starts_at.utcoffset() == timedelta(hours=5)
    assert period_of(date(2025, 8, 15), "half_year") == Period("half_year", 2025, 2)
    assert Period("quarter", 2025, 4).next() == Period("quarter", 2026, 1)
    assert Period("quarter", 2025, 1).previous() == Period("quarter", 2024, 4)
    assert Period("quarter", 2025, 3).containing("year") == Period("year", 2025, 1)


@pytest.mark.parametrize("raw", ["", "2025-Q5", "2025-H3", "garbage", "1900", "2025-q1; drop"])
def test_bad_period_input_falls_back_to_the_default(raw):
    default = Period("quarter", 2025, 2)
    assert period_parse(raw, default=default) == default


# --- The mandate -------------------------------------------------------------------------------


def test_a_reporting_meeting_at_2330_on_31_march_counts_for_q1_and_0030_on_1_april_for_q2(almaly, almaly_akim):
    make_meeting(almaly, host=almaly_akim, starts_at=local(2025, 3, 31, 23, 30), hours=0.5, status=S.HELD)
    with time_machine.travel(local(2025, 5, 1, 12), tick=False):
        q1 = selectors.mandate_report(unit=almaly, quarter=Period("quarter", 2025, 1))
        q2 = selectors.mandate_report(unit=almaly, quarter=Period("quarter", 2025, 2))
    assert [row.status for row in q1.rows] == ["held"]
    assert [row.status for row in q2.rows] == ["missing"]

    make_meeting(almaly, host=almaly_akim, starts_at=local(2025, 4, 1, 0, 30), hours=0.5, status=S.HELD)
    q2 = selectors.mandate_report(unit=almaly, quarter=Period("quarter", 2025, 2))
    assert [row.status for row in q2.rows] == ["held"]
    assert q2.rows[0].targets[0].meeting.starts_at == local(2025, 4, 1, 0, 30)


def test_the_mandate_shows_held_scheduled_and_missing_per_akim(almaty, almaly, medeu, almaly_akim, medeu_akim):
    quarter = Period("quarter", 2025, 3)
    make_meeting(almaly, host=almaly_akim, starts_at=local(2025, 7, 10, 11), status=S.HELD)
    make_meeting(medeu, host=medeu_akim, starts_at=local(2025, 9, 20, 11))
    # Not reporting, cancelled, or another quarter: none of them counts.
    make_meeting(almaty, starts_at=local(2025, 8, 1, 11), kind=Meeting.Kind.FORUM, status=S.HELD)
    make_meeting(almaty, starts_at=local(2025, 8, 2, 11), status=S.CANCELLED)
    make_meeting(almaty, starts_at=local(2025, 10, 1, 11), status=S.HELD)
    report = selectors.mandate_report(unit=almaty, quarter=quarter)
    assert {row.office.slug: row.status for row in report.rows} == {
        "almaty": "missing",
        "almaty-almaly": "held",
        "almaty-medeu": "scheduled",
    }
    assert (report.held, report.scheduled, report.missing) == (1, 1, 1)
    assert [row.office for row in report.child_rows] == [almaly, medeu]


def test_a_meeting_hosted_by_the_city_akim_counts_for_the_city_not_the_district(almaty, almaly, almaty_akim):
    make_meeting(almaly, host=almaty_akim, starts_at=local(2025, 7, 10, 11), status=S.HELD)
    report = selectors.mandate_report(unit=almaty, quarter=Period("quarter", 2025, 3))
    assert {row.office.slug: row.status for row in report.rows} == {"almaty": "held", "almaty-almaly": "missing"}


def test_the_decree_826_preset_asks_the_city_akim_for_one_meeting_per_district_a_year(
    almaty, almaly, medeu, almaty_akim, administrator
):
    from meetings.services import mandate_ruleset_activate

    mandate_ruleset_activate(ruleset=MandateRuleSet.objects.get(slug="decree-826-2024"), actor=administrator)
    make_meeting(almaly, host=almaty_akim, starts_at=local(2025, 2, 10, 11), status=S.HELD)
    make_meeting(medeu, host=almaty_akim, starts_at=local(2025, 11, 10, 11))
    report = selectors.mandate_report(unit=almaty, quarter=Period("quarter", 2025, 3))
    city = next(row for row in report.rows if row.office == almaty)
    assert city.period == Period("year", 2025)
    assert (city.held, city.scheduled, city.missing, city.status) == (1, 1, 0, "scheduled")
    # District akims report every half-year in each rural okrug; these districts have none.
    assert {row.office.slug: row.status for row in report.rows if row.office != almaty} == {
        "almaty-almaly": "held",
        "almaty-medeu": "held",
    }


def test_the_decree_preset_asks_a_district_akim_for_each_rural_okrug_every_half_year(
    zhambyl, aksengir_okrug, administrator
):
    from meetings.services import mandate_ruleset_activate

    mandate_ruleset_activate(ruleset=MandateRuleSet.objects.get(slug="decree-826-2024"), actor=administrator)
    second_okrug = make_unit(AdministrativeUnit.Kind.RURAL_OKRUG, parent=zhambyl, name_kk="Ұзынағаш ауылдық округі")
    akim = make_akim(zhambyl, full_name_kk="Жамбыл ауданының әкімі", term_start=date(2020, 1, 1))
    make_meeting(aksengir_okrug, host=akim, starts_at=local(2025, 1, 20, 11), status=S.HELD)
    h1 = selectors.mandate_report(unit=zhambyl, quarter=Period("quarter", 2025, 2))
    row = next(row for row in h1.rows if row.office == zhambyl)
    assert row.period == Period("half_year", 2025, 1)
    assert {target.unit: target.status for target in row.targets} == {aksengir_okrug: "held", second_okrug: "missing"}
    h2 = selectors.mandate_report(unit=zhambyl, quarter=Period("quarter", 2025, 3))
    assert next(row for row in h2.rows if row.office == zhambyl).held == 0


def test_the_mandate_report_takes_a_fixed_number_of_queries(django_assert_max_num_queries, almaty):
    for i in range(12):
        district = make_unit(AdministrativeUnit.Kind.DISTRICT, parent=almaty)
        akim = make_akim(district, full_name_kk=f"Әкім {i}", term_start=date(2020, 1, 1))
        make_meeting(district, host=akim, starts_at=local(2025, 7, 1 + i, 11), status=S.HELD)
    with django_assert_max_num_queries(6):
        report = selectors.mandate_report(unit=almaty, quarter=Period("quarter", 2025, 3))
        assert report.held == 12


# --- The home page's and the workspace's mandate figures ------------------------------------------


def test_the_status_of_one_territory_is_its_own_akims_row(almaty, almaly, medeu, almaly_akim):
    make_meeting(almaly, host=almaly_akim, starts_at=local(2025, 8, 10, 11))
    make_meeting(medeu, starts_at=local(2025, 8, 11, 11), status=S.HELD)
    quarter = Period("quarter", 2025, 3)
    with time_machine.travel(local(2025, 8, 1, 12), tick=False):
        row = selectors.mandate_status(unit=almaly, quarter=quarter)
        city = selectors.mandate_status(unit=almaty, quarter=quarter)
    assert (row.office, row.akim, row.status, row.period) == (almaly, almaly_akim, "scheduled", quarter)
    assert city.status == "missing"  # the districts' meetings are not the city akim's


def test_a_territory_without_a_rule_has_no_status(aksengir):
    assert selectors.mandate_status(unit=aksengir, quarter=Period("quarter", 2025, 3)) is None


def test_the_decree_preset_status_counts_the_okrugs_of_a_district(zhambyl, aksengir_okrug, administrator):
    from meetings.services import mandate_ruleset_activate

    mandate_ruleset_activate(ruleset=MandateRuleSet.objects.get(slug="decree-826-2024"), actor=administrator)
    make_unit(AdministrativeUnit.Kind.RURAL_OKRUG, parent=zhambyl)
    akim = make_akim(zhambyl, full_name_kk="Жамбыл ауданының әкімі", term_start=date(2020, 1, 1))
    make_meeting(aksengir_okrug, host=akim, starts_at=local(2025, 1, 20, 11), status=S.HELD)
    row = selectors.mandate_status(unit=zhambyl, quarter=Period("quarter", 2025, 1))
    assert (row.due, row.held, row.status) == (2, 1, "missing")


def test_missing_reports_are_counted_in_the_territories_the_user_schedules_for(
    almaty, almaly, medeu, almaly_akim, almaty_staff, almaly_staff, medeu_staff, department_officer
):
    make_meeting(almaly, host=almaly_akim, starts_at=local(2025, 8, 10, 11), status=S.HELD)
    quarter = Period("quarter", 2025, 3)
    counts = {
        user.username: selectors.mandate_missing_count(user=user, quarter=quarter)
        for user in (almaty_staff, almaly_staff, medeu_staff, department_officer)
    }
    # The city and Medeu are missing; Almaly held. An officer schedules nothing.
    assert counts == {"almaty.staff": 2, "almaly.staff": 0, "medeu.staff": 1, "energy.officer": 0}


def test_missing_reports_are_counted_in_a_fixed_number_of_queries(django_assert_max_num_queries, almaty, almaty_staff):
    for i in range(12):
        district = make_unit(AdministrativeUnit.Kind.DISTRICT, parent=almaty)
        if i % 2:
            make_meeting(district, starts_at=local(2025, 7, 1 + i, 11), status=S.HELD)
    with django_assert_max_num_queries(5):
        assert selectors.mandate_missing_count(user=almaty_staff, quarter=Period("quarter", 2025, 3)) == 7


def test_the_workspace_week_is_monday_to_sunday_in_almaty(almaly, almaly_staff):
    make_meeting(almaly, starts_at=local(2025, 9, 1, 0, 30))  # Monday, just after midnight local time
    make_meeting(almaly, starts_at=local(2025, 9, 7, 23, 30))  # Sunday night
    make_meeting(almaly, starts_at=local(2025, 9, 8, 0, 30))  # the next Monday
    make_meeting(almaly, starts_at=local(2025, 9, 3, 11), status=S.CANCELLED)
    counts = selectors.meetings_workspace_counts(user=almaly_staff, now=local(2025, 9, 3, 12))
    assert counts == {"this_week": 2, "drafts": 0, "to_mark_held": 1}
