from django.urls import path

from . import views

app_name = "payroll"
urlpatterns = [
    path("payroll/", views.batches, name="batches"),
    path("payroll/export/", views.export, name="export"),
    path("payroll/batches/<int:batch_id>/", views.batch_page, name="batch"),
    path("payroll/batches/<int:batch_id>/payroll.csv", views.batch_csv, name="csv"),
]
