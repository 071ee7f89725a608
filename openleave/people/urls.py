from django.urls import path

from . import views

urlpatterns = [
    path("people/import/", views.people_import, name="people_import"),
]
