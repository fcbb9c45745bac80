from django.urls import path

from districts import views

app_name = "districts"

urlpatterns = [
    path("", views.territory_list_view, name="list"),
    path("<slug:slug>/", views.territory_detail_view, name="detail"),
]
