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


# axe-core cannot tell the background of text drawn inside an <svg> (it counts the svg as an
# image under the text: "imgNode") and leaves every chart label for review. Those labels are
# measured here instead, from their computed fill and the background behind the svg.
SVG_TEXT_CONTRAST_SCRIPT = """
() => {
  const rgb = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const linear = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length >= 3 && (colour.length < 4 || colour[3] > 0)) return colour;
    }
    return [255, 255, 255];
  };
  const findings = [];
  for (const text of document.querySelectorAll("svg text")) {
    if (!text.getClientRects().length) continue;
    const fill = rgb(getComputedStyle(text).fill);
    const behind = background(text.closest("svg"));
    const [light, dark] = [luminance(fill), luminance(behind)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    const label = text.textContent.trim();
    if (ratio < 4.5) findings.push(`svg text "${label}" has contrast ${ratio.toFixed(2)}:1 (< 4.5:1)`);
  }
  return findings;
}
"""


def _svg_text_left_for_review(result: dict, node: dict) -> bool:
    # Whatever the reason given (an image under it, a label as short as "0"): measured below.
    return result["id"] == "color-contrast" and node["html"].startswith("<text")


def axe_findings(page) -> list[str]:
    """axe-core's violations and `incomplete` ("needs review") results on the open page, each as
    `violation|incomplete rule-id (impact): element — what is wrong`; chart labels in an svg,
    which axe-core leaves for review, are measured by SVG_TEXT_CONTRAST_SCRIPT instead."""
    response = AXE.run(page, options=AXE_OPTIONS).response
    findings = list(page.evaluate(SVG_TEXT_CONTRAST_SCRIPT))
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
                if kind == "incomplete" and _svg_text_left_for_review(result, node):
                    continue
                messages = "; ".join(check["message"] for check in checks)
                target = " ".join(str(part) for part in node["target"])
                findings.append(f"{kind} {result['id']} ({result['impact']}): {target} — {messages}")
    return findings
