from django.urls import path

from . import views

app_name = "leave"

urlpatterns = [
    path("leave/", views.my_leave, name="mine"),
    path("leave/new/", views.request_new, name="new"),
    path("leave/new/for/", views.request_for_whom, name="for_whom"),
    path("leave/new/fields/", views.request_fields, name="fields"),
    path("leave/new/preview/", views.request_preview, name="preview"),
    path("leave/requests/<int:pk>/", views.request_detail, name="request"),
    path("leave/requests/<int:pk>/scenario.yaml", views.request_scenario, name="scenario"),
    path("leave/requests/<int:pk>/cancel/", views.request_cancel, name="cancel"),
    path("leave/requests/<int:pk>/amend/", views.request_amend, name="amend"),
    path("leave/requests/<int:pk>/decide/", views.request_decide, name="decide"),
    path("leave/requests/<int:pk>/reconsider/", views.request_reconsider, name="reconsider"),
    path("leave/requests/<int:pk>/outcome/", views.request_outcome, name="outcome"),
    path("leave/queue/", views.queue, name="queue"),
    path("leave/team/", views.team, name="team"),
    path("leave/team/summary.csv", views.team_csv, name="team_csv"),
    path("leave/team/absence/", views.absence_new, name="absence"),
    path("leave/notifications/read/", views.notifications_read, name="notifications_read"),
    path("leave/calendar.ics", views.calendar_ics, name="ics"),
    path("leave/emergency/", views.emergency, name="emergency"),
    path("union/limits/", views.union_limits_view, name="union_limits"),
]
