from django.urls import path

from . import views

app_name = "grievance"

urlpatterns = [
    path("grievance/", views.mine, name="mine"),
    path("employees/<str:employee_number>/grievance-outcomes/", views.employee_outcomes, name="outcomes"),
    path("grievance/<str:act>/<int:pk>/", views.track, name="track"),
    path("grievance/<str:act>/<int:pk>/record/", views.record, name="record"),
    path("grievance/<str:act>/<int:pk>/report/", views.report, name="report"),
    path("grievance/<str:act>/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("grievance/<str:act>/<int:pk>/calendar.ics", views.calendar_ics, name="ics"),
]
