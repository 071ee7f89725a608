"""Family and medical leave asks (Sec. 8.7.2, 8.1.M; ``openleave.rules.fmla``), in the common cited shape.

``fmla_eligibility: {on}`` — ``value``: ``eligible``, ``not_eligible`` or ``waiver_possible`` (A.1/B.1,
A.2/B.2); the answer adds ``eligible_from`` and, within probation, ``waiver_from``; ``needs_human`` is true
for ``waiver_possible`` (the Appointing Authority decides a waiver, with reasons).

``fmla_entitlement: {on, reason?, extension_granted?, extension_used_before?, intermittent_determination?}`` —
``value``: ``{weeks_used, weeks_remaining, intermittent_days_used, intermittent_days_remaining}`` in the
look-back period before ``on``, from the ``fmla_leave`` / ``fmla_intermittent`` events; the answer adds the
window, the hours, the weeks allowed and the catastrophic-illness extension still available.

``deadline: {kind, from, designations?}`` — ``value``: the date the step is due (``rules.fmla.DEADLINES``):
``eligibility_notice_due`` and ``certification_request_due`` are business days after ``from`` (weekends and
Art. 10 holidays skipped), ``certification_due`` calendar days after the receipt, ``advance_notice_due`` days
before the leave's first day, ``expedited_review_request_due`` calendar days after the Employer's notice,
``transfer_notice_due`` days before a transfer.
"""

from __future__ import annotations

from openleave.rules.decision import Decision
from openleave.rules.fmla import (
    DEADLINES,
    REASONS,
    ContinuousFmla,
    FmlaError,
    IntermittentFmla,
    fmla_deadline,
    fmla_eligibility,
    fmla_entitlement,
)

from ..schema import DATE, obj
from . import Ask, arg_date, refuse, register
from .holidays import DESIGNATIONS, designations_of

BOOL = {"type": "boolean"}


def _eligibility(args, ctx, path):
    on = arg_date(args, "on", path)
    try:
        d = fmla_eligibility(ctx.facts, on, ctx.tree)
    except FmlaError as exc:
        raise refuse((*path, "on"), str(exc)) from None
    extra = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in d.extra.items()}
    return Decision(d.value, d.citations, d.reasons, unit=d.unit, extra={"answer": extra})


register(Ask(
    name="fmla_eligibility",
    schema=obj({"on": DATE}, ("on",), "whether the employee may take family or medical leave on the date (Sec. 8.7.2)"),
    answer=_eligibility,
    horizon=lambda args, path: arg_date(args, "on", path),
    description="FMLA eligibility on a date",
))

VALUE_KEYS = ("weeks_used", "weeks_remaining", "intermittent_days_used", "intermittent_days_remaining")


def _entitlement(args, ctx, path):
    on = arg_date(args, "on", path)
    taken = [e for e in ctx.events if isinstance(e, ContinuousFmla | IntermittentFmla)]
    try:
        d = fmla_entitlement(ctx.facts, on, taken, reason=args.get("reason", "medical"),
                             extension_granted=bool(args.get("extension_granted", False)),
                             extension_used_before=bool(args.get("extension_used_before", False)),
                             intermittent_determination=bool(args.get("intermittent_determination", False)),
                             tree=ctx.tree)
    except FmlaError as exc:
        raise refuse(path, str(exc)) from None
    j = d.value.as_json()
    value = {k: j[k] for k in VALUE_KEYS}
    return Decision(value, d.citations, d.reasons, unit="fmla_entitlement",
                    extra={"answer": {k: v for k, v in j.items() if k not in VALUE_KEYS}})


register(Ask(
    name="fmla_entitlement",
    schema=obj({"on": DATE, "reason": {"enum": list(REASONS), "description": "family (8.7.2.A) or medical (8.7.2.B); "
                                                                         "default medical"},
                "extension_granted": {**BOOL, "description": "the one-time catastrophic-illness extension is granted (B.1)"},
                "extension_used_before": {**BOOL, "description": "the extension was granted once before"},
                "intermittent_determination": {**BOOL, "description": "intermittent leave was ended (B.4.e-f)"}},
               ("on",), "FMLA weeks and intermittent days used and remaining in the look-back period before the date"),
    answer=_entitlement,
    horizon=lambda args, path: arg_date(args, "on", path),
    description="FMLA entitlement used and remaining",
))


def _deadline(args, ctx, path):
    day = arg_date(args, "from", path)
    try:
        d = fmla_deadline(args["kind"], day, tree=ctx.tree, designations=designations_of(args, path))
    except ValueError as exc:
        raise refuse(path, str(exc)) from None
    return Decision(d.value.isoformat(), d.citations, d.reasons, unit="date")


register(Ask(
    name="deadline",
    schema=obj({"kind": {"enum": list(DEADLINES)}, "from": DATE, "designations": DESIGNATIONS}, ("kind", "from"),
               "the date a step of the FMLA process is due (Sec. 8.1.M, 8.7.2)"),
    answer=_deadline,
    horizon=lambda args, path: arg_date(args, "from", path),
    description="an FMLA deadline",
))
