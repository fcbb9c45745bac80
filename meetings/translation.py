from modeltranslation.translator import TranslationOptions, register

from meetings.models import AgendaItem, MandateRuleSet, Meeting, PlanItem, ReceptionSlot, Speaker, Venue


@register(Venue)
class VenueTranslation(TranslationOptions):
    fields = ("name", "address", "accessibility")
    required_languages = {"kk": ("name", "address")}


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"kk": ("title",)}


@register(Speaker)
class SpeakerTranslation(TranslationOptions):
    fields = ("name", "position")
    required_languages = {"kk": ("name",)}


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("kk",)


@register(ReceptionSlot)
class ReceptionSlotTranslation(TranslationOptions):
    fields = ("official", "position")
    required_languages = {"kk": ("official",)}


@register(MandateRuleSet)
class MandateRuleSetTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"kk": ("name",)}


@register(PlanItem)
class PlanItemTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("kk",)
