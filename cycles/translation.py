from modeltranslation.translator import TranslationOptions, register

from cycles.models import Cycle, Programme


@register(Cycle)
class CycleTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = {"kk": ("title",)}


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = {"kk": ("title",)}
