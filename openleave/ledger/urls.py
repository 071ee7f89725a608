from django.urls import path

from . import views

urlpatterns = [
    path("employees/<str:employee_number>/ledger/", views.employee_ledger, name="ledger"),
    path("employees/<str:employee_number>/ledger/adjust/", views.employee_ledger_adjust, name="ledger_adjust"),
    path("ledger/opening-balances/", views.opening_balances_import, name="opening_balances"),
    path("ledger/year-end/", views.year_end_page, name="year_end"),
]
