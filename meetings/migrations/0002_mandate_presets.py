"""The reporting rules as data: the quarterly default (in force) and the Decree 826 (2024) preset."""

from django.db import migrations

QUARTERLY = {
    "slug": "quarterly",
    "name_kk": "Әр тоқсан сайын есеп беру (әдепкі)",
    "name_ru": "Ежеквартальный отчёт (по умолчанию)",
    "description_kk": "Әр деңгейдегі әкім тұрғындарға әр тоқсанда кемінде бір рет есеп береді.",
    "description_ru": "Аким каждого уровня отчитывается перед жителями не реже раза в квартал.",
    "rules": [
        (kind, "quarter", False, [])
        for kind in ("region", "republican_city", "district", "city", "rural_okrug")
    ],
}

DECREE_826_2024 = {
    "slug": "decree-826-2024",
    "name_kk": "№ 826 Жарлық (2024 жылғы өзгерістермен)",
    "name_ru": "Указ № 826 (с изменениями 2024 года)",
    "description_kk": (
        "Облыс әкімі жылына кемінде бір рет әр ауданда және облыстық маңызы бар қалада; Астана, "
        "Алматы, Шымкент әкімдері жылына бір рет әр қалалық ауданда; аудан әкімі жарты жылда бір рет "
        "әр ауылдық округте, ауылда және кентте тұрғындармен кездеседі."
    ),
    "description_ru": (
        "Аким области встречается с жителями не реже раза в год в каждом районе и городе областного "
        "значения; акимы Астаны, Алматы и Шымкента — раз в год в каждом районе города; аким района — "
        "раз в полгода в каждом сельском округе, селе и посёлке."
    ),
    "rules": [
        ("region", "year", True, ["district", "city"]),
        ("republican_city", "year", True, ["district"]),
        ("district", "half_year", True, ["rural_okrug", "settlement"]),
    ],
}


def create_presets(apps, schema_editor):
    RuleSet = apps.get_model("meetings", "MandateRuleSet")
    Rule = apps.get_model("meetings", "MandateRule")
    for preset, active in ((QUARTERLY, True), (DECREE_826_2024, False)):
        fields = {k: v for k, v in preset.items() if k not in {"slug", "rules"}}
        fields["name"] = fields["name_kk"]
        fields["description"] = fields["description_kk"]
        ruleset, created = RuleSet.objects.get_or_create(
            slug=preset["slug"], defaults={**fields, "is_active": active}
        )
        if created:
            for unit_kind, period, per_child, child_kinds in preset["rules"]:
                Rule.objects.create(
                    ruleset=ruleset, unit_kind=unit_kind, period=period, per_child=per_child, child_kinds=child_kinds
                )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(create_presets, migrations.RunPython.noop)]
