"""Pages for the union: the steward's workspace (Sec. 24.1, Art. 23) and the de-identified denial statistics.
Thin: policy and selectors decide and log; a refusal is the same 404 as a missing page."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from openleave import documents
from openleave.policy import not_visible_is_404

from . import selectors as S


@login_required
@require_GET
@not_visible_is_404
def workspace(request):
    ws = S.workspace(request.user)
    return render(request, "steward/workspace.html", documents.page_context({"ws": ws}))


@login_required
@require_GET
@not_visible_is_404
def member(request, employee_number: str):
    case = S.member_case(request.user, employee_number)
    return render(request, "steward/member.html", documents.page_context({"case": case}))


def _stats(request) -> S.DenialStats:
    q = request.GET
    return S.denial_statistics(request.user, year=q.get("year"), agency=q.get("agency"), by=q.get("by"))


@login_required
@require_GET
@not_visible_is_404
def statistics(request):
    stats = _stats(request)  # bad filters: inputs.BadInput → 400 naming the field (InputGuardMiddleware)
    return render(request, "steward/statistics.html", documents.page_context({
        "stats": stats, "agencies": S.agencies(), "breakdowns": [(k, v) for k, v in S.BY.items() if k]}))


CSV_HEADER = ["year", "agency", "kind", "ground", "ground_text", "citation", "breakdown", "decisions", "people"]


@login_required
@require_GET
@not_visible_is_404
def statistics_csv(request):
    stats = _stats(request)
    resp = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"denials-{stats.year}{'-' + stats.agency if stats.agency else ''}{'-' + stats.by if stats.by else ''}"
    resp["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    w = csv.writer(resp)
    w.writerow(CSV_HEADER)
    hidden = f"fewer than {stats.min_cell} people"
    for c in stats.cells:
        w.writerow([stats.year, c.agency, c.kind, c.ground, c.ground_text, c.cite, c.by,
                    hidden if c.suppressed else c.decisions, hidden if c.suppressed else c.people])
    return resp
