"""This app's API routes, mounted under /api/v1/ by config/urls.py."""

from django.urls import path

from core.page_cache import anonymous_page_cache
from questions import api, selectors

urlpatterns = [
    # Anonymous GETs of the public list come from the cache until a question changes.
    path(
        "questions/",
        anonymous_page_cache(
            selectors.questions_version, reads=[*api.QuestionFilterSerializer().fields, "cursor", "page_size"]
        )(api.QuestionListAPI.as_view()),
        name="api-question-list",
    ),
    path("questions/confirm/", api.QuestionConfirmAPI.as_view(), name="api-question-confirm"),
    path("questions/new-code/", api.QuestionNewCodeAPI.as_view(), name="api-question-new-code"),
    path("questions/<int:pk>/", api.QuestionDetailAPI.as_view(), name="api-question-detail"),
    path("question-categories/", api.CategoryListAPI.as_view(), name="api-question-categories"),
    path("staff/questions/", api.StaffQuestionListAPI.as_view(), name="api-staff-question-list"),
    path("staff/questions/<int:pk>/", api.StaffQuestionDetailAPI.as_view(), name="api-staff-question-detail"),
    path(
        "staff/questions/<int:pk>/personal-data/",
        api.StaffPersonalDataAPI.as_view(),
        name="api-staff-question-personal-data",
    ),
    path("staff/questions/<int:pk>/accept/", api.StaffAcceptAPI.as_view(), name="api-staff-question-accept"),
    path("staff/questions/<int:pk>/reject/", api.StaffRejectAPI.as_view(), name="api-staff-question-reject"),
    path("staff/questions/<int:pk>/assign/", api.StaffAssignAPI.as_view(), name="api-staff-question-assign"),
    path("staff/questions/<int:pk>/extend/", api.StaffExtendAPI.as_view(), name="api-staff-question-extend"),
    path("staff/questions/<int:pk>/forward/", api.StaffForwardAPI.as_view(), name="api-staff-question-forward"),
    path("staff/questions/<int:pk>/answer/", api.StaffAnswerAPI.as_view(), name="api-staff-question-answer"),
    path(
        "staff/questions/<int:pk>/answer-on-the-spot/",
        api.StaffOnTheSpotAPI.as_view(),
        name="api-staff-question-on-the-spot",
    ),
]
