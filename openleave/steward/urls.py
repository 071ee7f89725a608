from django.urls import path

from . import views

app_name = "steward"
urlpatterns = [
    path("steward/", views.workspace, name="workspace"),
    path("steward/members/<str:employee_number>/", views.member, name="member"),
    path("union/denials/", views.statistics, name="statistics"),
    path("union/denials.csv", views.statistics_csv, name="statistics_csv"),
]
