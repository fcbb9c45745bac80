"""What the site-wide browser sweeps check on an open page: nothing wider than the screen, and
axe-core's accessibility rules.

Both return a list of human-readable findings (empty when the page is fine), so a sweep can
collect the findings of every route before it fails.
"""

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

# Runs in the page; see the comment at its top.
OVERFLOW_SCRIPT = (Path(__file__).parent / "overflow.js").read_text(encoding="utf-8")


def overflow_findings(page) -> list[str]:
    """Everything on the open page that is wider than the screen or spills out of its column."""
    return page.evaluate(OVERFLOW_SCRIPT)


DUPLICATE_IDS_SCRIPT = """
() => {
  const seen = new Map();
  for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  return [...seen].filter(([, count]) => count > 1).map(([id, count]) => `id "${id}" is used ${count} times`);
}
"""


def duplicate_id_findings(page) -> list[str]:
    """Ids used more than once (a page with several forms must keep its labels' targets unique)."""
    return page.evaluate(DUPLICATE_IDS_SCRIPT)


AXE = Axe()
AXE_OPTIONS = {"resultTypes": ["violations", "incomplete"]}
# axe-core's "needs review" reasons that say nothing about the page: a cell holding only a glyph
# (the attendance sheet's "№") has no text whose contrast it could measure.
NOT_A_FINDING = frozenset({"nonBmp"})


def axe_findings(page) -> list[str]:
    """axe-core's violations and `incomplete` ("needs review") results on the open page, each as
    `violation|incomplete rule-id (impact): element — what is wrong`."""
    response = AXE.run(page, options=AXE_OPTIONS).response
    findings = []
    for kind, results in (("violation", response["violations"]), ("incomplete", response["incomplete"])):
        for result in results:
            for node in result["nodes"]:
                checks = [check for key in ("any", "all", "none") for check in node[key]]
                reasons = {
                    (check.get("data") or {}).get("messageKey")
                    for check in checks
                    if isinstance(check.get("data"), dict)
                }
                if kind == "incomplete" and reasons and reasons <= NOT_A_FINDING:
                    continue
                messages = "; ".join(check["message"] for check in checks)
                target = " ".join(str(part) for part in node["target"])
                findings.append(f"{kind} {result['id']} ({result['impact']}): {target} — {messages}")
    return findings
