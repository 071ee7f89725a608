"""The HR page ``/contract/impact/?agreement=FOLDER&from=D`` (and its CSV): what a successor agreement folder would
change, before the switch. Thin: policy + selectors. The folder is a path inside the project (e.g.
``tests/fixtures/contract_successor``); anything else, a bad date or a refused folder is a 400 naming the field."""

from __future__ import annotations

import csv
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import render

from openleave import inputs, policy
from openleave.audit.access import UI
from openleave.rules.params import CONTRACT_ROOT

from . import selectors as S

PROJECT = CONTRACT_ROOT.parent
PAGE_ROWS = 100


def _folder(value: str) -> Path:
    if not value:
        raise S.ImpactError("agreement: required (a successor agreement folder, e.g. tests/fixtures/contract_successor)")
    path = (PROJECT / value).resolve()
    if PROJECT.resolve() not in path.parents:
        raise S.ImpactError(f"agreement: {value!r} is not a folder inside the project")
    return path


def _impact(request):
    if not policy.can_assess_contract(request.user):
        raise PermissionDenied("Only HR assesses a successor agreement.")
    folder = request.GET.get("agreement", "")
    try:
        day = inputs.day(request.GET.get("from") or None, "from")
    except inputs.BadInput as exc:
        raise S.ImpactError(str(exc)) from None
    if day is None:
        raise S.ImpactError("from: required (the day to compare on, YYYY-MM-DD)")
    imp = S.impact(folder=_folder(folder), on=day, agency_id=request.user.agency_id)
    imp.folder = folder
    return imp


@login_required
def impact_page(request):
    try:
        imp = _impact(request)
    except S.ImpactError as exc:
        return render(request, "contract/impact.html", {"error": str(exc), "q": request.GET}, status=400)
    shown = list(S.rows(imp, limit=PAGE_ROWS))
    if imp.forfeitures_differ and imp.employees > len(shown):
        imp.forfeiture_totals.clear()
        for _ in S.rows(imp):  # the totals need everyone's ledger; only the rows shown are listed (and logged)
            pass
    S.log_rows(actor=request.user, channel=UI, rows_=shown, fields="contract impact page")
    return render(request, "contract/impact.html", {"imp": imp, "shown": shown, "q": request.GET,
                                                    "totals": S.total_lines(imp), "more": imp.employees - len(shown)})


class _Echo:
    def write(self, value):
        return value


@login_required
def impact_csv(request):
    try:
        imp = _impact(request)
    except S.ImpactError as exc:
        return render(request, "contract/impact.html", {"error": str(exc), "q": request.GET}, status=400)
    user = request.user

    def stream():
        w = csv.writer(_Echo())
        yield w.writerow(S.CSV_HEADER)
        batch = []
        for r in S.rows(imp):
            yield w.writerow(S.csv_row(imp, r))
            batch.append(r)
            if len(batch) >= S.CHUNK:
                S.log_rows(actor=user, channel=UI, rows_=batch, fields="contract impact CSV")
                batch = []
        S.log_rows(actor=user, channel=UI, rows_=batch, fields="contract impact CSV")
        yield w.writerow([])
        for line in S.total_lines(imp):
            yield w.writerow(line)

    resp = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="contract-impact-{imp.on.isoformat()}.csv"'
    return resp
