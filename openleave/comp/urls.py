from django.urls import path

from . import views

urlpatterns = [
    path("employees/<str:employee_number>/comp/", views.employee_comp, name="comp"),
    path("employees/<str:employee_number>/comp/holiday/", views.record_holiday, name="comp_holiday"),
    path("employees/<str:employee_number>/comp/time/", views.record_comp_time, name="comp_time"),
    path("employees/<str:employee_number>/comp/taken/", views.record_taken, name="comp_taken"),
]
