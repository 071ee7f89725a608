from django.urls import path

from . import views

app_name = "planner"

urlpatterns = [
    path("planner/", views.planner, name="plan"),
    path("planner/row/", views.planner_row, name="row"),
    path("planner/share/", views.planner_share, name="share"),
    path("planner/shares/<int:pk>/revoke/", views.planner_share_revoke, name="revoke"),
    path("planner/shared/<str:token>/", views.shared_plan, name="shared"),
]
