from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.programme_list, name="home"),
    path("programmes/", views.programme_list, name="programme-list"),
]
