"""HR's page for the import from the HR system of record (issue 15, item 1): upload → the dry run with every
row's status and every problem (row, column, what to fix) → confirm; the same checks as ``manage.py import_people``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from openleave import policy

from . import importing

UPLOAD_MAX = 5_000_000  # bytes of CSV accepted from the page (larger files: manage.py import_people)
TEMPLATE = "people/import.html"


def _may_import(user) -> bool:
    from openleave.accounts import roles as R

    return user.has_role(R.HR) and not policy.is_read_only(user)


@login_required
def people_import(request):
    if not _may_import(request.user):
        raise Http404("Not found, or you may not see it.")
    ctx = {"columns": importing.COLUMNS, "required": importing.REQUIRED, "upload_max": UPLOAD_MAX}
    if request.method != "POST":
        return render(request, TEMPLATE, ctx)
    confirm = request.POST.get("action") == "confirm"
    partial = request.POST.get("partial") == "1"
    if confirm:
        text, name = request.POST.get("csv_text", ""), request.POST.get("file_name", "")[:100]
    else:
        upload = request.FILES.get("file")
        if upload is None:
            return render(request, TEMPLATE, {**ctx, "error": "Choose a CSV file to check."}, status=400)
        if upload.size > UPLOAD_MAX:
            return render(request, TEMPLATE, {**ctx, "error": f"The file is larger than {UPLOAD_MAX:,} bytes: split "
                                                              "it, or ask for manage.py import_people."}, status=400)
        name = upload.name[:100]
        try:
            text = importing.decode(upload.read(), name)
        except importing.ImportRefused as exc:
            return render(request, TEMPLATE, {**ctx, "error": str(exc)}, status=400)
    try:
        rows = importing.read_csv(text, name=name or "the file")
    except importing.ImportRefused as exc:
        return render(request, TEMPLATE, {**ctx, "error": str(exc)}, status=400)
    report = importing.import_people(rows=rows, by=request.user, channel="ui", dry_run=not confirm, partial=partial,
                                     source=name)
    ctx.update(report=report, csv_text=text, file_name=name, partial=partial, confirmed=confirm and not report.dry_run,
               can_confirm=report.dry_run and report.writable and not confirm and any(
                   r.status in ("new", "update") or r.new_events for r in report.rows))
    return render(request, TEMPLATE, ctx, status=200 if report.ok or partial else 400)
