from modeltranslation.translator import TranslationOptions, register

from questions.models import Category


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("kk", "ru")
