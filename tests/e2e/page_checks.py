"""Helpers of the browser tests (``from page_checks import look``; not a conftest, whose module name other test
folders share): ``look(page)`` checks the page as a person would meet it — axe-core finds no accessibility violation, and the page does not scroll sideways, at a desktop width (1280 px) and at phone width
(390 px). axe-core's script comes from the axe-playwright-python package (a dev dependency); it is injected
through Playwright, not served by the app, so the strict Content-Security-Policy is unchanged."""

from __future__ import annotations

WIDTHS = (1280, 390)


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(
        " ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"]) for n in v["nodes"][:5])
        for v in results.response["violations"]]


def look(page) -> None:
    """Fail unless the page has no axe violation and no horizontal scroll at 1280 px and at 390 px (it is left
    at 390 px, the width the ``sign_in`` pages open at)."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_load_state("load")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide = page.evaluate("""w => [...document.querySelectorAll('main *')]
                .filter(e => e.getBoundingClientRect().right > w).slice(-3)
                .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ': '
                     + (e.textContent || '').trim().slice(0, 60))""", width)
            problems.append(f"at {width} px the page scrolls sideways ({scroll} px wide): {wide}")
        problems += [f"at {width} px: {v}" for v in axe_violations(page)]
    assert not problems, f"{page.url}:\n" + "\n".join(problems)
