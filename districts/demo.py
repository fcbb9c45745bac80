"""Demo territories (real names and KATO codes) and fictional akims and departments.

KATO codes come from the public classifier of about 2019–2021; where a code could not be
established (Turan district, created in 2021; rural okrugs and microdistricts) it is left
empty rather than guessed.
"""

from datetime import date

from districts import services
from districts.models import AdministrativeUnit, Akim, Department

K = AdministrativeUnit.Kind

# slug, parent slug, kind, KATO, kk, ru
TERRITORIES: list[tuple[str, str | None, str, str | None, str, str]] = [
    ("almaty", None, K.REPUBLICAN_CITY, "750000000", "Алматы", "Алматы"),
    ("almaty-alatau", "almaty", K.DISTRICT, "751210000", "Алатау ауданы", "Алатауский район"),
    ("almaty-almaly", "almaty", K.DISTRICT, "751110000", "Алмалы ауданы", "Алмалинский район"),
    ("almaty-auezov", "almaty", K.DISTRICT, "751310000", "Әуезов ауданы", "Ауэзовский район"),
    ("almaty-bostandyk", "almaty", K.DISTRICT, "751410000", "Бостандық ауданы", "Бостандыкский район"),
    ("almaty-zhetysu", "almaty", K.DISTRICT, "751510000", "Жетісу ауданы", "Жетысуский район"),
    ("almaty-medeu", "almaty", K.DISTRICT, "751710000", "Медеу ауданы", "Медеуский район"),
    ("almaty-nauryzbay", "almaty", K.DISTRICT, "751810000", "Наурызбай ауданы", "Наурызбайский район"),
    ("almaty-turksib", "almaty", K.DISTRICT, "751910000", "Түрксіб ауданы", "Турксибский район"),
    ("shymkent", None, K.REPUBLICAN_CITY, "790000000", "Шымкент", "Шымкент"),
    ("shymkent-abai", "shymkent", K.DISTRICT, "791110000", "Абай ауданы", "Абайский район"),
    ("shymkent-al-farabi", "shymkent", K.DISTRICT, "791310000", "Әл-Фараби ауданы", "Аль-Фарабийский район"),
    ("shymkent-enbekshi", "shymkent", K.DISTRICT, "791510000", "Еңбекші ауданы", "Енбекшинский район"),
    ("shymkent-karatau", "shymkent", K.DISTRICT, "791710000", "Қаратау ауданы", "Каратауский район"),
    ("shymkent-turan", "shymkent", K.DISTRICT, None, "Тұран ауданы", "Туранский район"),
    (
        "shymkent-kainarbulak",
        "shymkent-abai",
        K.MICRODISTRICT,
        None,
        "Қайнарбұлақ тұрғын алабы",
        "Жилой массив Кайнарбулак",
    ),
    ("east-kazakhstan", None, K.REGION, "630000000", "Шығыс Қазақстан облысы", "Восточно-Казахстанская область"),
    ("oskemen", "east-kazakhstan", K.CITY, "631000000", "Өскемен", "Усть-Каменогорск"),
    ("oskemen-zashchita", "oskemen", K.MICRODISTRICT, None, "Защита ықшамауданы", "Микрорайон Защита"),
    ("oskemen-ablaketka", "oskemen", K.MICRODISTRICT, None, "Аблакетка ықшамауданы", "Микрорайон Аблакетка"),
    ("oskemen-left-bank", "oskemen", K.MICRODISTRICT, None, "Сол жағалау ықшамауданы", "Микрорайон Левобережный"),
    ("almaty-region", None, K.REGION, "190000000", "Алматы облысы", "Алматинская область"),
    ("zhambyl-district", "almaty-region", K.DISTRICT, None, "Жамбыл ауданы", "Жамбылский район"),
    (
        "aksengir-okrug",
        "zhambyl-district",
        K.RURAL_OKRUG,
        None,
        "Ақсеңгір ауылдық округі",
        "Аксенгирский сельский округ",
    ),
    ("aksengir", "aksengir-okrug", K.SETTLEMENT, None, "Ақсеңгір ауылы", "село Аксенгир"),
    ("talgar-district", "almaty-region", K.DISTRICT, None, "Талғар ауданы", "Талгарский район"),
    (
        "panfilov-okrug",
        "talgar-district",
        K.RURAL_OKRUG,
        None,
        "Панфилов ауылдық округі",
        "Панфиловский сельский округ",
    ),
    ("zhibek-zholy", "panfilov-okrug", K.SETTLEMENT, None, "Жібек жолы ауылы", "село Жибек жолы"),
    ("ile-district", "almaty-region", K.DISTRICT, None, "Іле ауданы", "Илийский район"),
    (
        "otegen-batyr-okrug",
        "ile-district",
        K.RURAL_OKRUG,
        None,
        "Өтеген батыр ауылдық округі",
        "Сельский округ Отеген батыр",
    ),
    ("kenen-azirbayev", "otegen-batyr-okrug", K.SETTLEMENT, None, "Кенен Әзірбаев ауылы", "село Кенен Азирбаев"),
    ("baikent-okrug", "ile-district", K.RURAL_OKRUG, None, "Байкент ауылдық округі", "Сельский округ Байкент"),
]

# Fictional people: slug of the territory, kk name, ru name, mandate, term start.
AKIMS: list[tuple[str, str, str, str, date]] = [
    ("almaty", "Ерлан Сапарұлы Әбдіров", "Ерлан Сапарович Абдиров", Akim.Mandate.APPOINTED, date(2023, 9, 1)),
    ("almaty-alatau", "Данияр Мұратұлы Қасымов", "Данияр Муратович Касымов", Akim.Mandate.APPOINTED, date(2024, 2, 1)),
    (
        "almaty-almaly",
        "Айгүл Серікқызы Нұрланова",
        "Айгуль Сериковна Нурланова",
        Akim.Mandate.APPOINTED,
        date(2024, 3, 15),
    ),
    (
        "almaty-auezov",
        "Бауыржан Ержанұлы Төлеев",
        "Бауыржан Ержанович Тулеев",
        Akim.Mandate.APPOINTED,
        date(2023, 6, 1),
    ),
    (
        "almaty-bostandyk",
        "Мәдина Асқарқызы Жүсіпова",
        "Мадина Аскаровна Жусупова",
        Akim.Mandate.APPOINTED,
        date(2024, 1, 10),
    ),
    ("almaty-zhetysu", "Нұржан Бекұлы Омаров", "Нуржан Бекович Омаров", Akim.Mandate.APPOINTED, date(2023, 11, 20)),
    (
        "almaty-medeu",
        "Сәуле Қайратқызы Ахметова",
        "Сауле Кайратовна Ахметова",
        Akim.Mandate.APPOINTED,
        date(2024, 5, 6),
    ),
    ("almaty-nauryzbay", "Арман Талғатұлы Исаев", "Арман Талгатович Исаев", Akim.Mandate.APPOINTED, date(2022, 8, 1)),
    ("almaty-turksib", "Ғалым Даулетұлы Сейітов", "Галым Даулетович Сеитов", Akim.Mandate.APPOINTED, date(2024, 7, 1)),
    ("shymkent", "Қанат Әсетұлы Бекмұратов", "Канат Асетович Бекмуратов", Akim.Mandate.APPOINTED, date(2023, 3, 1)),
    (
        "shymkent-abai",
        "Жандос Нұрлыбекұлы Тасов",
        "Жандос Нурлыбекович Тасов",
        Akim.Mandate.APPOINTED,
        date(2024, 4, 1),
    ),
    (
        "shymkent-al-farabi",
        "Гүлнар Ержанқызы Мырзахметова",
        "Гульнар Ержановна Мырзахметова",
        Akim.Mandate.APPOINTED,
        date(2023, 10, 1),
    ),
    (
        "shymkent-enbekshi",
        "Ерболат Сәкенұлы Құдайбергенов",
        "Ерболат Сакенович Кудайбергенов",
        Akim.Mandate.APPOINTED,
        date(2024, 1, 15),
    ),
    (
        "shymkent-karatau",
        "Асқар Болатұлы Жақыпов",
        "Аскар Болатович Жакупов",
        Akim.Mandate.APPOINTED,
        date(2022, 12, 1),
    ),
    (
        "shymkent-turan",
        "Нұрсұлтан Маратұлы Әлиев",
        "Нурсултан Маратович Алиев",
        Akim.Mandate.APPOINTED,
        date(2024, 9, 1),
    ),
    (
        "east-kazakhstan",
        "Серік Жомартұлы Бейсенов",
        "Серик Жомартович Бейсенов",
        Akim.Mandate.APPOINTED,
        date(2023, 2, 1),
    ),
    ("oskemen", "Виктор Иванович Ковалёв", "Виктор Иванович Ковалёв", Akim.Mandate.APPOINTED, date(2024, 6, 1)),
    ("almaty-region", "Марат Ерланұлы Сұлтанов", "Марат Ерланович Султанов", Akim.Mandate.APPOINTED, date(2023, 7, 1)),
    ("zhambyl-district", "Талғат Өмірұлы Досов", "Талгат Омирович Досов", Akim.Mandate.APPOINTED, date(2024, 2, 20)),
    ("aksengir-okrug", "Бақыт Асанұлы Ерғалиев", "Бакыт Асанович Ергалиев", Akim.Mandate.ELECTED, date(2025, 8, 10)),
    ("talgar-district", "Ержан Қуатұлы Мәмбетов", "Ержан Куатович Мамбетов", Akim.Mandate.APPOINTED, date(2023, 5, 1)),
    (
        "panfilov-okrug",
        "Әсел Бақытқызы Тоқтарова",
        "Асель Бакытовна Токтарова",
        Akim.Mandate.ELECTED,
        date(2025, 8, 10),
    ),
    (
        "ile-district",
        "Мейрам Сайлауұлы Оспанов",
        "Мейрам Сайлаулович Оспанов",
        Akim.Mandate.APPOINTED,
        date(2024, 3, 1),
    ),
    (
        "otegen-batyr-okrug",
        "Руслан Ғаниұлы Байжанов",
        "Руслан Ганиевич Байжанов",
        Akim.Mandate.ELECTED,
        date(2025, 8, 10),
    ),
    (
        "baikent-okrug",
        "Ләззат Төлегенқызы Сарсенова",
        "Ляззат Тулегеновна Сарсенова",
        Akim.Mandate.APPOINTED,
        date(2023, 9, 15),
    ),
]

# Territory slug, kk name, ru name, fictional head kk, ru.
DEPARTMENTS: list[tuple[str, str, str, str, str]] = [
    (
        "almaty",
        "Энергетика және сумен жабдықтау басқармасы",
        "Управление энергетики и водоснабжения",
        "Ә. Қасенов",
        "А. Касенов",
    ),
    (
        "almaty",
        "Жолаушылар көлігі және автомобиль жолдары басқармасы",
        "Управление пассажирского транспорта и автомобильных дорог",
        "Т. Серікбаев",
        "Т. Серикбаев",
    ),
    ("almaty", "Білім басқармасы", "Управление образования", "Г. Омарова", "Г. Омарова"),
    (
        "almaty",
        "Қоғамдық денсаулық сақтау басқармасы",
        "Управление общественного здравоохранения",
        "Н. Әбілов",
        "Н. Абилов",
    ),
    (
        "almaty",
        "Жұмыспен қамту және әлеуметтік бағдарламалар басқармасы",
        "Управление занятости и социальных программ",
        "Ж. Нұрпейісова",
        "Ж. Нурпеисова",
    ),
    (
        "shymkent",
        "Энергетика және коммуналдық шаруашылық басқармасы",
        "Управление энергетики и коммунального хозяйства",
        "Б. Мырзабеков",
        "Б. Мырзабеков",
    ),
    (
        "shymkent",
        "Жолаушылар көлігі және автомобиль жолдары басқармасы",
        "Управление пассажирского транспорта и автомобильных дорог",
        "Е. Қалдыбаев",
        "Е. Калдыбаев",
    ),
    ("shymkent", "Білім басқармасы", "Управление образования", "С. Тұрсынбаева", "С. Турсынбаева"),
    (
        "oskemen",
        "Тұрғын үй-коммуналдық шаруашылығы бөлімі",
        "Отдел жилищно-коммунального хозяйства",
        "О. Петренко",
        "О. Петренко",
    ),
]


def seed() -> dict[str, AdministrativeUnit]:
    """Create what is missing; leave what exists (so a second run changes nothing)."""
    units = {unit.slug: unit for unit in AdministrativeUnit.objects.filter(slug__in=[t[0] for t in TERRITORIES])}
    for slug, parent_slug, kind, kato, name_kk, name_ru in TERRITORIES:
        if slug not in units:
            units[slug] = services.unit_create(
                kind=kind,
                name_kk=name_kk,
                name_ru=name_ru,
                slug=slug,
                parent=units[parent_slug] if parent_slug else None,
                kato=kato,
            )
    for slug, name_kk, name_ru, mandate, term_start in AKIMS:
        if not Akim.objects.filter(unit=units[slug], term_start=term_start).exists():
            services.akim_create(
                unit=units[slug],
                full_name_kk=name_kk,
                full_name_ru=name_ru,
                mandate=mandate,
                term_start=term_start,
                is_demo=True,
            )
    for slug, name_kk, name_ru, head_kk, head_ru in DEPARTMENTS:
        if not Department.objects.filter(unit=units[slug], name_kk=name_kk).exists():
            services.department_create(
                unit=units[slug],
                name_kk=name_kk,
                name_ru=name_ru,
                head_name_kk=head_kk,
                head_name_ru=head_ru,
                is_demo=True,
            )
    return units
