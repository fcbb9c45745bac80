from modeltranslation.translator import TranslationOptions, register

from reports.models import ActionItem, ActionPlan, Report


@register(Report)
class ReportTranslation(TranslationOptions):
    # A report may exist in one language only; the services require a title in at least one.
    fields = ("title", "lead", "body", "cover_alt")
    required_languages = ()


@register(ActionPlan)
class ActionPlanTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ()


@register(ActionItem)
class ActionItemTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ()
