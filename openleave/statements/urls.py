from django.urls import path

from . import views

app_name = "statements"

urlpatterns = [
    path("me/statements/", views.mine, name="mine"),
    path("statements/at-risk/", views.at_risk, name="at_risk"),
    path("employees/<str:employee_number>/statements/", views.statement_list, name="list"),
    path("employees/<str:employee_number>/statements/<int:year>/", views.statement_page, name="statement"),
    path("employees/<str:employee_number>/statements/<int:year>/pdf/", views.statement_pdf, name="pdf"),
]
