from django.urls import path

from . import views

app_name = "contract"

urlpatterns = [
    path("contract/impact/", views.impact_page, name="impact"),
    path("contract/impact.csv", views.impact_csv, name="impact_csv"),
]
