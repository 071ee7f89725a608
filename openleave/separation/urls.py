from django.urls import path

from . import views

app_name = "separation"
urlpatterns = [
    path("employees/<str:employee_number>/separation/", views.employee_separation, name="employee"),
    path("employees/<str:employee_number>/separation/record/", views.record, name="record"),
    path("employees/<str:employee_number>/separation/<int:separation_id>/", views.statement_page, name="statement"),
    path("employees/<str:employee_number>/separation/<int:separation_id>/statement.pdf", views.statement_pdf,
         name="statement_pdf"),
    path("employees/<str:employee_number>/separation/<int:separation_id>/payroll.csv", views.statement_csv,
         name="statement_csv"),
    path("employees/<str:employee_number>/separation/<int:separation_id>/return/", views.record_return,
         name="return"),
]
