"""The pure core of separation and return (openleave.rules.separation): no Django, no clock.

Hand-worked from Sec. 8.1.O ("twenty percent (20%) of the value of their unused accrued sick leave"), Sec. 9.11,
Sec. 7.2.G and Sec. 8.1.H / 9.12 ("less than three (3) years" / "three (3) years or more")."""

from __future__ import annotations

import datetime as dt

from openleave.rules import separation as core
from openleave.rules.params import default_tree
from openleave.rules.units import to_micro

H = to_micro
ON = dt.date(2026, 11, 30)


def lines(reason, **bal):
    return {ln.leave: ln for ln in core.separation_lines(reason, bal, ON, default_tree())}


def test_retirement_pays_a_fifth_of_sick_leave_rounded_to_the_micro_hour():
    # 20% × 100 h = 20 h; the other 80 h are kept for a return (Sec. 8.1.H).
    out = lines("retirement", sick=H("100"), vacation=H("37.5"), comp_time=H("12"))
    assert (out["sick"].paid, out["sick"].kept) == (H("20"), H("80"))
    assert (out["vacation"].paid, out["comp_time"].paid) == (H("37.5"), H("12"))
    # 20% × 4.326975 h = 0.865395 h exactly (4,326,975 µh × 20 / 100 = 865,395 µh).
    assert lines("retirement", sick=H("4.326975"))["sick"].paid == 865_395
    # 20% × 0.000003 h = 0.0000006 h → 1 µh (half up).
    assert lines("retirement", sick=3)["sick"].paid == 1


def test_no_sick_payment_on_other_terminations_and_nothing_on_a_negative_balance():
    for reason in ("resignation", "layoff", "dismissal", "other"):
        out = lines(reason, sick=H("100"), vacation=H("-4"))
        assert out["sick"].paid == 0 and out["sick"].kept == H("100")
        assert out["vacation"].paid == 0  # a balance below zero pays nothing


def test_money_is_integer_cents_only_with_a_rate():
    # 37.5 h × 3,000 ¢ = 112,500 ¢; 0.865395 h × 2,840 ¢ = 2,457.7218 ¢ → 2,458 ¢ (half up).
    assert core.cents(H("37.5"), 3000) == 112_500
    assert core.cents(865_395, 2840) == 2458
    assert core.cents(H("37.5"), None) is None


def test_three_years_or_more_needs_the_chro():
    tree = default_tree()
    left = dt.date(2023, 11, 28)
    assert not core.return_rule(left, dt.date(2026, 11, 27), False, tree).long_absence  # a day short of three
    r = core.return_rule(left, dt.date(2026, 11, 28), False, tree)  # three years exactly: "or more"
    assert r.long_absence and not r.credited and "Sec. 8.1.H" in r.cites and "Sec. 9.12" in r.cites
    assert core.return_rule(left, dt.date(2026, 11, 28), True, tree).credited
    # 29 February: left 2024-02-29 → three years on 2027-02-28 (the month's last day, rules.service.reaches).
    assert core.return_rule(dt.date(2024, 2, 29), dt.date(2027, 2, 28), False, tree).long_absence
    assert not core.return_rule(dt.date(2024, 2, 29), dt.date(2027, 2, 27), False, tree).long_absence
