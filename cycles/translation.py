from modeltranslation.translator import TranslationOptions, register

from cycles.models import Cycle


@register(Cycle)
class CycleTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = {"kk": ("title",)}
