"""Demo meetings: past and upcoming of every kind, around today, so that every page has data.

Idempotent: a meeting, venue or plan item is looked up by its Kazakh title (demo rows only)
before it is created. Dates are relative to the day the demo is first loaded; people are
fictional. Rows are written directly (past meetings cannot go through meeting_schedule, which
refuses the past), with the same event history the services record.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from districts.models import AdministrativeUnit, Akim
from meetings.models import AgendaItem, Meeting, MeetingEvent, PlanItem, ReceptionSlot, Speaker, Venue
from meetings.periods import current_quarter

K = Meeting.Kind
S = Meeting.Status

# slug of the territory, kk name, ru name, kk address, ru address, capacity, accessibility kk, ru, lat, lon
VENUES = [
    (
        "almaty",
        "Almaty Arena",
        "Almaty Arena",
        "Алматы қ., Наурызбай ауданы, Момышұлы көшесі, 2Б",
        "г. Алматы, Наурызбайский район, ул. Момышулы, 2Б",
        3200,
        "Пандустар, лифт, ымдау тіліне аударма",
        "Пандусы, лифт, сурдоперевод",
        "43.2105",
        "76.8416",
    ),
    (
        "almaty-almaly",
        "Алмалы ауданы әкімдігінің мәжіліс залы",
        "Актовый зал акимата Алмалинского района",
        "Алматы қ., Төле би көшесі, 155",
        "г. Алматы, ул. Толе би, 155",
        250,
        "Бірінші қабат, пандус бар",
        "Первый этаж, есть пандус",
        None,
        None,
    ),
    (
        "shymkent-kainarbulak",
        "№ 104 жалпы білім беретін мектеп",
        "Общеобразовательная школа № 104",
        "Шымкент қ., Қайнарбұлақ тұрғын алабы, Мектеп көшесі, 1",
        "г. Шымкент, ж/м Кайнарбулак, ул. Мектеп, 1",
        400,
        "",
        "",
        None,
        None,
    ),
    (
        "oskemen",
        "Өскемен қалалық мәдениет үйі",
        "Городской дворец культуры Усть-Каменогорска",
        "Өскемен қ., Тәуелсіздік даңғылы, 8",
        "г. Усть-Каменогорск, пр. Независимости, 8",
        600,
        "Пандус, арнайы орындар",
        "Пандус, места для маломобильных граждан",
        None,
        None,
    ),
]

ALMATY_DISTRICTS = [
    "almaty-alatau",
    "almaty-almaly",
    "almaty-auezov",
    "almaty-bostandyk",
    "almaty-zhetysu",
    "almaty-medeu",
    "almaty-nauryzbay",
    "almaty-turksib",
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def _akim(unit: AdministrativeUnit) -> Akim | None:
    return Akim.objects.filter(unit=unit).order_by("-term_start").first()


def _venue(units: dict, row: tuple) -> Venue:
    slug, name_kk, name_ru, address_kk, address_ru, capacity, access_kk, access_ru, lat, lon = row
    venue = Venue.objects.filter(is_demo=True, name_kk=name_kk).first()
    if venue is None:
        venue = Venue.objects.create(
            unit=units[slug],
            name_kk=name_kk,
            name_ru=name_ru,
            address_kk=address_kk,
            address_ru=address_ru,
            capacity=capacity,
            accessibility_kk=access_kk,
            accessibility_ru=access_ru,
            latitude=lat,
            longitude=lon,
            is_demo=True,
        )
    return venue


def _meeting(
    unit: AdministrativeUnit,
    *,
    title_kk: str,
    title_ru: str,
    kind: str,
    starts_at: datetime,
    hours: float = 2,
    venue: Venue | None = None,
    host: Akim | None = None,
    description_kk: str = "",
    description_ru: str = "",
    attendance: int | None = None,
    cancel_reason: str = "",
    livestream_url: str = "",
    recording_url: str = "",
) -> tuple[Meeting, bool]:
    existing = Meeting.objects.filter(is_demo=True, unit=unit, title_kk=title_kk).first()
    if existing is not None:
        return existing, False
    past = starts_at < timezone.now()
    if cancel_reason:
        status = S.CANCELLED
    elif past:
        status = S.HELD
    else:
        status = S.SCHEDULED
    meeting = Meeting.objects.create(
        unit=unit,
        host=host,
        kind=kind,
        title_kk=title_kk,
        title_ru=title_ru,
        description_kk=description_kk,
        description_ru=description_ru,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        venue=venue,
        capacity=venue.capacity if venue else None,
        registration_open=kind != K.RECEPTION,
        questions_close_at=starts_at - timedelta(hours=24),
        livestream_url=livestream_url,
        recording_url=recording_url if past else "",
        attendance=(attendance or (venue.capacity * 8 // 10 if venue else 60)) if status == S.HELD else None,
        cancel_reason=cancel_reason,
        status=status,
        sequence=1 if cancel_reason else 0,
        is_demo=True,
    )
    announced = min(starts_at - timedelta(days=14), timezone.now())
    MeetingEvent.objects.create(
        meeting=meeting,
        kind=MeetingEvent.Kind.SCHEDULED,
        at=announced,
        to_status=S.SCHEDULED,
        to_starts_at=meeting.starts_at,
        to_ends_at=meeting.ends_at,
    )
    if status != S.SCHEDULED:
        MeetingEvent.objects.create(
            meeting=meeting,
            kind=MeetingEvent.Kind.HELD if status == S.HELD else MeetingEvent.Kind.CANCELLED,
            at=min(meeting.ends_at, timezone.now()) if status == S.HELD else announced + timedelta(days=3),
            from_status=S.SCHEDULED,
            to_status=status,
            to_starts_at=meeting.starts_at,
            to_ends_at=meeting.ends_at,
            note=cancel_reason,
        )
    return meeting, True


def _report_agenda(meeting: Meeting, akim: Akim | None, *, report_minutes: int = 25) -> None:
    if akim is not None:
        Speaker.objects.create(
            meeting=meeting,
            name_kk=akim.full_name_kk,
            name_ru=akim.full_name_ru,
            position_kk=f"{meeting.unit.name_kk} әкімі",
            position_ru=f"Аким: {meeting.unit.name_ru}",
            order=1,
        )
    Speaker.objects.create(
        meeting=meeting,
        name_kk="Тимур Болатұлы Жақыпов",
        name_ru="Тимур Болатович Жакупов",
        position_kk="Энергетика және сумен жабдықтау басқармасының басшысы",
        position_ru="Руководитель управления энергетики и водоснабжения",
        order=2,
    )
    total = meeting.duration_minutes
    AgendaItem.objects.create(
        meeting=meeting,
        title_kk="Әкімнің тоқсан қорытындысы туралы баяндамасы",
        title_ru="Доклад акима об итогах квартала",
        minutes=report_minutes,
        is_akim_report=True,
        order=1,
    )
    AgendaItem.objects.create(
        meeting=meeting,
        title_kk="Тұрғындардың сұрақтары мен жауаптар",
        title_ru="Вопросы жителей и ответы",
        minutes=total - report_minutes - 5,
        order=2,
    )
    AgendaItem.objects.create(meeting=meeting, title_kk="Қорытынды", title_ru="Подведение итогов", minutes=5, order=3)


def _reception(unit, *, day: date, title_kk: str, title_ru: str, venue: Venue, host: Akim | None) -> None:
    meeting, created = _meeting(
        unit,
        title_kk=title_kk,
        title_ru=title_ru,
        kind=K.RECEPTION,
        starts_at=_at(day, 10),
        hours=4,
        venue=None,
        host=host,
        description_kk=f"Өтетін орны: {venue.name_kk}. Тұрғындар алдын ала уақытқа жазылады.",
        description_ru=f"Место: {venue.name_ru}. Жители записываются на время заранее.",
    )
    if not created:
        return
    officials = [
        ("Қала әкімінің орынбасары", "Заместитель акима города"),
        ("Жолаушылар көлігі басқармасының басшысы", "Руководитель управления пассажирского транспорта"),
    ]
    for position_kk, position_ru in officials:
        for i in range(8):
            ReceptionSlot.objects.create(
                meeting=meeting,
                official_kk=f"{position_kk}",
                official_ru=f"{position_ru}",
                position_kk=position_kk,
                position_ru=position_ru,
                starts_at=meeting.starts_at + timedelta(minutes=30 * i),
                minutes=20,
            )


def seed() -> None:
    units = {unit.slug: unit for unit in AdministrativeUnit.objects.all()}
    needed = {"almaty", "shymkent-kainarbulak", "oskemen", *ALMATY_DISTRICTS}
    if not needed <= set(units):
        return
    venues = {row[1]: _venue(units, row) for row in VENUES}
    arena, almaly_hall = venues["Almaty Arena"], venues["Алмалы ауданы әкімдігінің мәжіліс залы"]
    school, oskemen_hall = venues["№ 104 жалпы білім беретін мектеп"], venues["Өскемен қалалық мәдениет үйі"]
    today = timezone.localdate()
    quarter = current_quarter()
    previous = quarter.previous()

    # The city akim's report for 3,200 in the arena, with receptions the day before and after.
    almaty = units["almaty"]
    almaty_akim = _akim(almaty)
    report_day = today + timedelta(days=12)
    meeting, created = _meeting(
        almaty,
        title_kk="Алматы қаласы әкімінің тұрғындар алдындағы есебі",
        title_ru="Отчёт акима города Алматы перед населением",
        kind=K.REPORTING,
        starts_at=_at(report_day, 11),
        hours=3,
        venue=arena,
        host=almaty_akim,
        description_kk=(
            "Қала әкімі жыл қорытындысы мен алдағы жоспарлар туралы баяндайды, тұрғындардың сұрақтарына жауап береді."
        ),
        description_ru="Аким города расскажет об итогах и планах и ответит на вопросы жителей.",
        livestream_url="https://www.youtube.com/@almaty_akimat",
    )
    if created:
        _report_agenda(meeting, almaty_akim, report_minutes=40)
    _reception(
        almaty,
        day=report_day - timedelta(days=1),
        title_kk="Есеп алдындағы азаматтарды қабылдау",
        title_ru="Приём граждан накануне отчёта",
        venue=arena,
        host=almaty_akim,
    )
    _reception(
        almaty,
        day=report_day + timedelta(days=1),
        title_kk="Есептен кейінгі азаматтарды қабылдау",
        title_ru="Приём граждан на следующий день после отчёта",
        venue=arena,
        host=almaty_akim,
    )

    # Reporting meetings of the eight districts: all held last quarter; this quarter a mix.
    for index, slug in enumerate(ALMATY_DISTRICTS):
        unit = units[slug]
        akim = _akim(unit)
        venue = almaly_hall if slug == "almaty-almaly" else None
        last_day = previous.first_day + timedelta(days=20 + 5 * index)
        past, created = _meeting(
            unit,
            title_kk=f"{unit.name_kk} әкімінің {previous.index}-тоқсандағы есебі",
            title_ru=f"Отчёт акима: {unit.name_ru}, {previous.index}-й квартал",
            kind=K.REPORTING,
            starts_at=_at(last_day, 15),
            venue=venue,
            host=akim,
            attendance=120 + 15 * index,
            recording_url="https://www.youtube.com/@almaty_akimat",
        )
        if created:
            _report_agenda(past, akim)
        if index < 3:  # held already this quarter (or early in it)
            day = max(quarter.first_day, today - timedelta(days=3 + 4 * index))
            if _at(day, 15) >= timezone.now():
                day = today + timedelta(days=2 + index)  # the quarter has only just begun
        elif index < 6:  # scheduled later this quarter
            day = min(today + timedelta(days=5 + 3 * index), quarter.next_first_day - timedelta(days=1))
        else:  # missing: nothing this quarter
            continue
        current, created = _meeting(
            unit,
            title_kk=f"{unit.name_kk} әкімінің {quarter.index}-тоқсандағы есебі",
            title_ru=f"Отчёт акима: {unit.name_ru}, {quarter.index}-й квартал",
            kind=K.REPORTING,
            starts_at=_at(day, 15 if index % 2 else 18),
            venue=venue,
            host=akim,
            attendance=140 + 10 * index,
        )
        if created:
            _report_agenda(current, akim, report_minutes=40 if slug == "almaty-medeu" else 25)

    # Other kinds in Almaly and Medeu: an outreach meeting held, a forum ahead, one cancelled.
    almaly, medeu = units["almaty-almaly"], units["almaty-medeu"]
    _meeting(
        almaly,
        title_kk="Абай даңғылындағы аулалар тұрғындарымен көшпелі кездесу",
        title_ru="Выездная встреча с жителями дворов на проспекте Абая",
        kind=K.OUTREACH,
        starts_at=_at(today - timedelta(days=9), 18),
        host=_akim(almaly),
        attendance=45,
    )
    _meeting(
        almaty,
        title_kk="Алматы қалалық жастар форумы",
        title_ru="Городской молодёжный форум Алматы",
        kind=K.FORUM,
        starts_at=_at(today + timedelta(days=20), 10),
        hours=5,
        venue=arena,
        host=almaty_akim,
    )
    _meeting(
        medeu,
        title_kk="Медеу ауданы тұрғындарымен көшпелі кездесу (Көктөбе)",
        title_ru="Выездная встреча с жителями Медеуского района (Кок-Тобе)",
        kind=K.OUTREACH,
        starts_at=_at(today + timedelta(days=6), 18),
        host=_akim(medeu),
        cancel_reason="Дауылды ескерту жариялануына байланысты кездесу кейінге қалдырылды.",
    )

    # Shymkent: a reporting meeting in a Kainarbulak school, hosted by the Abai district akim.
    kainarbulak = units["shymkent-kainarbulak"]
    abai_akim = _akim(units["shymkent-abai"]) if "shymkent-abai" in units else None
    meeting, created = _meeting(
        kainarbulak,
        title_kk="Абай ауданы әкімінің Қайнарбұлақ тұрғындары алдындағы есебі",
        title_ru="Отчёт акима Абайского района перед жителями Кайнарбулака",
        kind=K.REPORTING,
        starts_at=_at(today + timedelta(days=8), 17),
        venue=school,
        host=abai_akim,
        description_kk="Тақырыптар: ауыз су, жолдар, мектептегі орын тапшылығы.",
        description_ru="Темы: питьевая вода, дороги, нехватка мест в школе.",
    )
    if created:
        _report_agenda(meeting, abai_akim)

    # Oskemen: a three-cycle programme in three microdistricts.
    oskemen = units["oskemen"]
    oskemen_akim = _akim(oskemen)
    cycles = [
        (K.PROGRAMME_1, -60, "мәселелерді жинау", "сбор проблем"),
        (K.PROGRAMME_2, -20, "жұмыстар кестесін таныстыру", "представление графика работ"),
        (K.PROGRAMME_3, 25, "нәтижелерді қорыту", "подведение итогов"),
    ]
    for offset, slug in enumerate(["oskemen-zashchita", "oskemen-ablaketka", "oskemen-left-bank"]):
        unit = units.get(slug)
        if unit is None:
            continue
        for number, (kind, days, topic_kk, topic_ru) in enumerate(cycles, start=1):
            _meeting(
                unit,
                title_kk=f"{unit.name_kk}: бағдарламаның {number}-кезеңі — {topic_kk}",
                title_ru=f"{unit.name_ru}: {number}-й цикл программы — {topic_ru}",
                kind=kind,
                starts_at=_at(today + timedelta(days=days + 2 * offset), 18),
                venue=oskemen_hall,
                host=oskemen_akim,
                attendance=180 + 20 * offset,
            )

    # The city's annual calendar, published by 15 January, partly kept.
    year = today.year
    published = timezone.make_aware(datetime(year, 1, 10, 12))
    for month, title_kk, title_ru, kind in [
        (3, "Аудан әкімдерінің 1-тоқсандағы есептері", "Отчёты акимов районов за 1-й квартал", K.REPORTING),
        (6, "Аудан әкімдерінің 2-тоқсандағы есептері", "Отчёты акимов районов за 2-й квартал", K.REPORTING),
        (9, "Аудан әкімдерінің 3-тоқсандағы есептері", "Отчёты акимов районов за 3-й квартал", K.REPORTING),
        (12, "Қала әкімінің жылдық есебі", "Годовой отчёт акима города", K.REPORTING),
        (5, "Қалалық жастар форумы", "Городской молодёжный форум", K.FORUM),
    ]:
        if PlanItem.objects.filter(is_demo=True, unit=almaty, title_kk=title_kk, year=year).exists():
            continue
        PlanItem.objects.create(
            unit=almaty,
            year=year,
            planned_on=date(year, month, 20),
            kind=kind,
            title_kk=title_kk,
            title_ru=title_ru,
            published_at=published,
            is_demo=True,
        )
