from modeltranslation.translator import TranslationOptions, register

from districts.models import AdministrativeUnit, Akim, Department


@register(AdministrativeUnit)
class AdministrativeUnitTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("kk", "ru")


@register(Akim)
class AkimTranslation(TranslationOptions):
    fields = ("full_name",)
    required_languages = ("kk",)


@register(Department)
class DepartmentTranslation(TranslationOptions):
    fields = ("name", "head_name")
    required_languages = {"kk": ("name",)}
