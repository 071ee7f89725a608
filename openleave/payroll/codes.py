"""The mapping file kind → payroll time code (``config/payroll_codes.yaml``; the setting ``OPENLEAVE_PAYROLL_CODES``
names another). Strict: an unknown kind, a duplicate key or a code that is not 1–20 letters, digits, ``-`` or ``_``
is refused with the file's name. A kind with hours and no code is refused when the batch is built
(``services``), naming the kind."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from django.conf import settings

from openleave.ledger.models import LEAVE_SLUGS

from .errors import PayrollError

LEDGER_KINDS = tuple(str(v) for v in LEAVE_SLUGS.values())
# The unpaid rest of a decided request, by its charge (``leave.RequestCharge.leave_type``): FMLA after any credits
# chosen (Sec. 8.7.2.A.4/B.5), leave without pay (Sec. 8.11), unpaid family leave (Sec. 8.8), unpaid educational leave.
UNPAID_KINDS = ("fmla", "lwop", "family_unpaid", "educational_unpaid")
UNPAID = "unpaid"  # the fallback code of an unpaid kind without its own
KINDS = (*LEDGER_KINDS, *UNPAID_KINDS, UNPAID)
CODE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


class _Strict(yaml.SafeLoader):
    pass


def _no_duplicates(loader, node, deep=False):
    seen = set()
    for k, _ in node.value:
        key = loader.construct_object(k, deep=deep)
        if key in seen:
            raise PayrollError(f"duplicate key {key!r}", field="codes")
        seen.add(key)
    return loader.construct_mapping(node, deep)


_Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def codes_path() -> Path:
    return Path(getattr(settings, "OPENLEAVE_PAYROLL_CODES", "") or settings.BASE_DIR / "config" / "payroll_codes.yaml")


def load_codes(path: Path | str | None = None) -> tuple[dict[str, str], str]:
    """(kind → code for every kind the file names, with unpaid kinds resolved through ``unpaid``; the file)."""
    p = Path(path) if path else codes_path()
    where = f"payroll codes file {p}"
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PayrollError(f"{where} does not exist; see docs/payroll-export.md", field="codes") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PayrollError(f"{where} cannot be read ({exc.__class__.__name__})", field="codes") from None
    try:
        data = yaml.load(text, Loader=_Strict)  # noqa: S506 — a SafeLoader subclass
    except PayrollError as exc:
        raise PayrollError(f"{where}: {exc.message}", field="codes") from None
    except yaml.YAMLError as exc:
        raise PayrollError(f"{where} is not valid YAML: {str(exc).splitlines()[0]}", field="codes") from None
    if not isinstance(data, dict) or set(data) != {"codes"} or not isinstance(data["codes"], dict):
        raise PayrollError(f"{where} must hold exactly one mapping, 'codes: {{kind: CODE, …}}'", field="codes")
    codes: dict[str, str] = {}
    for kind, code in data["codes"].items():
        if kind not in KINDS:
            raise PayrollError(f"{where}: {kind!r} is not a kind of leave; use one of {', '.join(KINDS)}",
                               field="codes")
        if not isinstance(code, str) or not CODE.match(code):
            raise PayrollError(f"{where}: the code of {kind!r} must be 1-20 letters, digits, '-' or '_'",
                               field="codes")
        codes[kind] = code
    fallback = codes.get(UNPAID)
    resolved = {k: c for k, c in codes.items() if k != UNPAID}
    if fallback:
        for k in UNPAID_KINDS:
            resolved.setdefault(k, fallback)
    return resolved, str(p)
