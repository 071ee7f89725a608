"""URL map: the web front end, the JSON API (/api/, schema at /api/openapi.json, docs at /api/docs) and the admin."""

from django.contrib import admin
from django.urls import include, path

from openleave.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("openleave.ledger.urls")),
    path("", include("openleave.holidays.urls")),
    path("", include("openleave.leave.urls")),
    path("", include("openleave.comp.urls")),
    path("", include("openleave.privacy.urls")),
    path("", include("openleave.separation.urls")),
    path("", include("openleave.medical.urls")),
    path("", include("openleave.planner.urls")),
    path("", include("openleave.statements.urls")),
    path("", include("openleave.payroll.urls")),
    path("", include("openleave.grievance.urls")),
    path("", include("openleave.steward.urls")),
    path("", include("openleave.contract.urls")),
    path("", include("openleave.people.urls")),
    path("", include("openleave.web.urls")),
]

handler403 = "openleave.web.views.error_403"
handler404 = "openleave.web.views.error_404"
handler500 = "openleave.web.views.error_500"
