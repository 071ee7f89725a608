"""Civic duty leave, Sec. 8.5 — jury duty (8.5.A–C, F) and witness leave (8.5.D–E), never for own litigation (8.5.G).

Jury duty: leave with pay for the time lost from the regular work schedule, on presenting the
summons. Jury fees (per diem, without expenses, 8.5.C): retained in lieu of pay when they exceed
the regular compensation for the period, otherwise remitted to the Appointing Authority (8.5.B) —
recorded in ``extra['jury_fees']``. Reading: fees equal to the pay are remitted (the employee
keeps the regular pay; the amounts are the same). Witness: court leave with pay when summoned on
behalf of the Commonwealth, a town, city or county, or the Federal Government, unless the matter
arises from the employee's other employment with that body or a private employer (8.5.D).
"""

from __future__ import annotations

from openleave.rules.params import figure
from openleave.rules.requests.common import Draft, h
from openleave.rules.requests.model import FactDeclaration, Finding, KindDeclaration, RequestError

PUBLIC = ("commonwealth", "municipal", "county", "federal")


def check(d: Draft) -> Finding:
    ask = d.ask
    purpose = ask.purpose or "jury"
    if purpose not in ("jury", "witness"):
        raise RequestError("civic duty leave purpose must be jury or witness")
    days = d.by_day()
    requested = sum(days.values())
    d.visible = "civic duty leave"
    d.ground("court_no_summons", "court_personal_litigation")
    if ask.defendant_or_personal_litigation:
        d.say("No court leave is granted when the employee is the defendant or engaged in personal litigation.",
              "Sec. 8.5.G")
        d.offer("vacation", "personal")
        return d.finish(requested, 0)
    if purpose == "jury":
        cite = "Sec. 8.5.A"
        d.say(f"Jury duty: leave with pay for the time lost from the regular work schedule ({h(requested)}).", cite)
        _jury_fees(d)
    else:
        cite = "Sec. 8.5.D"
        d.ground("witness_not_covered")
        if ask.summoned_by not in PUBLIC:
            d.say("Witness leave with pay covers a summons on behalf of the Commonwealth, a town, city or county, or "
                  "the Federal Government.", cite)
            d.offer("vacation", "personal")
            return d.finish(requested, 0)
        if ask.arises_from_other_employment:
            d.say("Not granted when the employee is also employed by that body or a private employer and the matter "
                  "arises from that employment.", cite)
            return d.finish(requested, 0)
        d.say("Witness on behalf of a public body: court leave with pay on filing the notice of service. Fees for "
              "court service during office hours (other than jury fees) are paid to the Commonwealth; expenses are "
              "kept.", cite, "Sec. 8.5.E")
    if not ask.summons_presented:
        d.human("Leave is granted on presentation of the summons (notice of service) to the department head.", cite)
    d.say(f"When excused by the court, the employee reports to duty if the interruption permits "
          f"{figure(d.value('civic.report_back_min_hours'))} or more consecutive hours of work.", "Sec. 8.5.F")
    d.charges.append(("civic", requested))
    return d.finish(requested, requested)


def _jury_fees(d: Draft) -> None:
    ask = d.ask
    if ask.jury_fees is None or ask.regular_pay is None:
        d.say("On the court certificate of service: jury fees (per diem, without expenses) above the regular pay for "
              "the period are kept in lieu of pay; otherwise they are remitted to the Appointing Authority.",
              "Sec. 8.5.B", "Sec. 8.5.C")
        d.extra["jury_fees"] = "to_be_recorded"
        return
    if ask.jury_fees > ask.regular_pay:
        d.extra["jury_fees"] = "retain_in_lieu_of_pay"
        d.say(f"Jury fees ${ask.jury_fees} exceed regular pay ${ask.regular_pay}: the employee keeps the fees in lieu "
              "of pay for the period.", "Sec. 8.5.B.1", "Sec. 8.5.C")
    else:
        d.extra["jury_fees"] = "remit_to_appointing_authority"
        d.say(f"Jury fees ${ask.jury_fees} do not exceed regular pay ${ask.regular_pay}: the employee remits the fees "
              "to the Appointing Authority and keeps the regular pay.", "Sec. 8.5.B.2", "Sec. 8.5.C")


DECLARATION = KindDeclaration(
    code="civic", label="Civic duty: jury or witness (Sec. 8.5)", cite="Sec. 8.5", check=check,
    facts=(
        FactDeclaration("purpose", "choice", "Civic duty", choices=(("jury", "Jury duty"), ("witness", "Witness"))),
        FactDeclaration("summons_presented", "bool", "I have presented the summons or notice of service"),
        FactDeclaration("summoned_by", "choice", "Summoned by", choices=(
            ("commonwealth", "The Commonwealth"), ("municipal", "A town or city"), ("county", "A county"),
            ("federal", "The Federal Government"), ("private", "A private party"))),
        FactDeclaration("arises_from_other_employment", "bool", "The matter arises from my other employment"),
        FactDeclaration("defendant_or_personal_litigation", "bool",
                        "I am the defendant or this is my personal litigation"),
        FactDeclaration("jury_fees", "money", "Jury fees for the period, without expenses ($)"),
        FactDeclaration("regular_pay", "money", "My regular pay for the same period ($)"),
    ),
)
