// Runs in the page. Three ways a page can be wider than its screen:
// 1. the document itself scrolls sideways;
// 2. an element sticks out past the left or right edge of the viewport (partly: an element wholly
//    off-screen, like the skip link before it has focus, is hidden on purpose), or a drawing's
//    text sticks out of its <svg> box;
// 3. an element's content spills out of its own box (a table or a long word wider than its
//    column), or a box scrolls sideways. Only the innermost spilling element is named, not all
//    its ancestors. A deliberate sideways scroller would carry `data-scroll-x`; none does today.
(() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const findings = [];
  const name = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += "#" + el.id;
    const cls = typeof el.className === "string" ? el.className.trim() : "";
    if (cls) text += "." + cls.split(/\s+/).join(".");
    let parent = el.parentElement, path = [];
    for (let i = 0; parent && parent !== document.body && i < 3; i++, parent = parent.parentElement) {
      path.unshift(parent.tagName.toLowerCase() + (parent.className && typeof parent.className === "string"
        ? "." + parent.className.trim().split(/\s+/).join(".") : ""));
    }
    const words = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return (path.length ? path.join(" > ") + " > " : "") + text + (words ? ` "${words}"` : "");
  };
  if (root.scrollWidth > width) findings.push(`the page is ${root.scrollWidth}px wide in a ${width}px viewport`);
  // Hidden on purpose: not rendered (closed <details> included), or inside a visually-hidden box
  // (a 1 px box that clips: the honeypot field, screen-reader-only text).
  const visible = (el) => el.checkVisibility({visibilityProperty: true}) && el.getClientRects().length > 0;
  const tinyClip = (el) => {
    for (let box = el; box; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (["hidden", "clip"].includes(style.overflowX) && box.clientWidth <= 1) return true;
    }
    return false;
  };
  const scroller = (el) => el.closest("[data-scroll-x]") !== null;
  const sticksOut = (rect) => !(rect.right <= 0 || rect.left >= width) && (rect.left < -1 || rect.right > width + 1);
  const parentSticksOut = (el) => {
    const parent = el.parentElement;
    return parent && parent !== document.body && sticksOut(parent.getBoundingClientRect());
  };
  const spilling = new Set();
  for (const el of document.body.querySelectorAll("*")) {
    if (el.tagName === "OPTION" || !visible(el) || scroller(el) || tinyClip(el)) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    // Named once: the outermost element that sticks out, not each of its descendants.
    if (sticksOut(rect) && !parentSticksOut(el)) {
      findings.push(`${name(el)} spans ${Math.round(rect.left)}..${Math.round(rect.right)}px of a ${width}px viewport`);
    }
    if (el instanceof SVGElement && !(el instanceof SVGSVGElement) && el.ownerSVGElement) {
      const box = el.ownerSVGElement.getBoundingClientRect();
      if (rect.left < box.left - 1 || rect.right > box.right + 1) {
        findings.push(`${name(el)} sticks out of its drawing (${Math.round(rect.left)}..${Math.round(rect.right)}px, the drawing ${Math.round(box.left)}..${Math.round(box.right)}px)`);
      }
      continue;
    }
    const style = getComputedStyle(el);
    if (style.display.startsWith("inline") && style.display !== "inline-block" && style.display !== "inline-flex"
        && style.display !== "inline-grid" && style.display !== "inline-table") continue;
    if (el.clientWidth === 0) continue;
    const clips = style.overflowX === "hidden" || style.overflowX === "clip";
    if (!clips && el.scrollWidth > el.clientWidth + 1) spilling.add(el);
  }
  for (const el of spilling) {
    let inner = false;
    for (const other of spilling) { if (other !== el && el.contains(other)) { inner = true; break; } }
    if (!inner) {
      const scrolls = ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
      findings.push(`${name(el)} ${scrolls ? "scrolls sideways" : "overflows its box"}: ${el.scrollWidth}px of content in ${el.clientWidth}px`);
    }
  }
  return findings;
})
