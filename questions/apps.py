from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = _("Questions")

    def ready(self) -> None:
        from accounts import workspace
        from notifications import kinds
        from questions.workspace import question_tools

        workspace.register(question_tools)
        kinds.register("questions.confirmation", _("Confirmation code for a question"), essential=True)
        kinds.register("questions.support_confirmation", _("Confirmation of support"), essential=True)
        kinds.register("questions.status", _("Changes in my question's status"))
        kinds.register("questions.answered", _("The answer to my question"), essential=True)
        kinds.register("questions.feedback_request", _("Was the answer helpful?"))
        kinds.register("questions.officer_due_soon", _("An answer is due in 2 working days"), for_staff=True)
        kinds.register("questions.staff_digest", _("Daily digest of questions"), for_staff=True)
