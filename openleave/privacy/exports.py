"""Export: everything openleave holds about one employee, as JSON and CSV files in a zip (Sec. 24.1).

Each app registers what it contributes::

    from openleave.privacy.exports import register_exporter

    @register_exporter("ledger")
    def ledger_rows(employee):
        # return {"<dataset name>": [ {column: value, ...}, ... ], ...}
        return {"ledger_entries": [...], "balances": [...]}

Rules for exporters: only rows about this employee; name other people only where the employee's own page
does (their supervisor's name, who read their data) and never another employee's number or record.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

_exporters: dict[str, Callable] = {}


def register_exporter(name: str):
    def deco(fn):
        _exporters[name] = fn
        return fn

    return deco


def exporters() -> dict[str, Callable]:
    return dict(_exporters)


def collect(employee) -> dict[str, dict[str, list[dict]]]:
    return {name: fn(employee) for name, fn in _exporters.items()}


def _plain(v):
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def build_zip(employee, *, actor, channel: str) -> tuple[str, bytes]:
    """The zip (file name, bytes); the export itself is logged in the same transaction."""
    from openleave.audit.access import record_access
    from openleave.audit.models import AccessLog

    with transaction.atomic():
        data = collect(employee)
        record_access(actor=actor, subject=employee, object_type="export", object_id=employee.pk,
                      category="all", channel=channel, action=AccessLog.Action.EXPORT,
                      fields=", ".join(f"{app}.{ds}" for app, sets in data.items() for ds in sets))
    now = timezone.now()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        plain = {app: {ds: [{k: _plain(v) for k, v in row.items()} for row in rows] for ds, rows in sets.items()}
                 for app, sets in data.items()}
        z.writestr("openleave-export.json", json.dumps(
            {"employee_number": employee.employee_number, "exported_at": now.isoformat(), "data": plain},
            indent=2, ensure_ascii=False))
        for app, sets in plain.items():
            for ds, rows in sets.items():
                out = io.StringIO()
                columns = list(dict.fromkeys(k for row in rows for k in row)) or ["(no rows)"]
                w = csv.DictWriter(out, fieldnames=columns)
                w.writeheader()
                w.writerows(rows)
                z.writestr(f"csv/{app}-{ds}.csv", out.getvalue())
        z.writestr("README.txt",
                   "Everything openleave holds about you, as of " + now.strftime("%Y-%m-%d %H:%M %Z") + ".\n"
                   "openleave-export.json has it all; csv/ has one file per kind of record.\n"
                   "Sec. 24.1 of the Agreement: you may examine and copy all material in your records.\n")
    return f"openleave-{employee.employee_number}-{now:%Y%m%d}.zip", buf.getvalue()
