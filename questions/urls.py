from django.urls import path

from questions import views

app_name = "questions"

urlpatterns = [
    path("", views.question_list_view, name="list"),
    path("ask/", views.question_ask_view, name="ask"),
    path("similar/", views.similar_questions_view, name="similar"),
    path("mine/", views.my_questions_view, name="mine"),
    path("confirm/<str:signed>/", views.confirm_view, name="confirm"),
    path("track/<str:token>/", views.track_view, name="track"),
    path("track/<str:token>/code/", views.track_code_view, name="track_code"),
    path("track/<str:token>/new-code/", views.track_new_code_view, name="track_new_code"),
    path("track/<str:token>/withdraw/", views.track_withdraw_view, name="track_withdraw"),
    path("track/<str:token>/rate/", views.track_rate_view, name="track_rate"),
    path("territory/<slug:slug>/", views.territory_questions_view, name="territory"),
    path("meeting/<int:pk>/", views.meeting_questions_view, name="meeting"),
    path("support/confirm/<str:signed>/", views.support_confirm_view, name="support_confirm"),
    path("<int:pk>/", views.question_detail_view, name="detail"),
    path("<int:pk>/support/", views.question_support_view, name="support"),
    path("staff/", views.staff_list_view, name="staff"),
    path("staff/bulk/", views.staff_bulk_view, name="staff_bulk"),
    path("staff/enter/", views.staff_enter_view, name="staff_enter"),
    path("staff/<int:pk>/", views.staff_detail_view, name="staff_detail"),
    # Before the actions' pattern, which would take "personal-data" for an action.
    path("staff/<int:pk>/personal-data/", views.staff_personal_data_view, name="staff_personal_data"),
    path("staff/<int:pk>/<slug:action>/", views.staff_action_view, name="staff_action"),
]
