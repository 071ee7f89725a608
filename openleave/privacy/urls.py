from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("me/access/", views.my_access, name="access"),
    path("me/consents/", views.my_consents, name="consents"),
    path("me/consents/<int:consent_id>/revoke/", views.revoke_consent, name="revoke"),
    path("me/export/", views.my_export, name="export"),
    path("privacy/access/<str:employee_number>/", views.employee_access, name="employee_access"),
    path("privacy/aggregates/", views.aggregate_view, name="aggregates"),
]
