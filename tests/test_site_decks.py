"""Every slide of every deck, in Chromium: the keyboard and axe (the site is built as in test_site).

A file of its own so that pytest's workers (one file each) run it beside the pages' tests.
"""

from __future__ import annotations

import pytest
from test_site import AXE, NOTEBOOKS, Visit, _reveal, chromium, in_deck, site  # noqa: F401, F811 (fixtures)

SLIDES = in_deck("""async () => {
    @REVEAL@
    Reveal.configure({transition: 'none', backgroundTransition: 'none'});
    return Reveal.getHorizontalSlides().map(s => Math.max(1, s.querySelectorAll(':scope > section').length));
}""")
GO_TO = in_deck("""async ([h, v]) => {
    @REVEAL@
    Reveal.slide(h, v);
    document.activeElement.blur();
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    return Reveal.getIndices();
}""")
# where the keyboard's focus is, and whether anything in the deck has scrolled
FOCUS = in_deck("""async () => {
    @REVEAL@
    const focused = document.activeElement;
    const scrolled = [document.scrollingElement, ...document.querySelectorAll('.reveal, .reveal *')]
        .filter(e => e.scrollTop || e.scrollLeft).map(e => e.className.toString().slice(0, 40));
    return {where: Reveal.getIndices(), scrolled,
            hidden: !!focused.closest('.slides') && !Reveal.getCurrentSlide().contains(focused)};
}""")
AXE_SLIDE = in_deck("""async () => {
    @REVEAL@
    const result = await axe.run(Reveal.getCurrentSlide(), {resultTypes: ['violations'], preload: false});
    return result.violations.filter(v => ['critical', 'serious'].includes(v.impact))
        .map(v => [v.id, v.impact, v.nodes.length, v.nodes[0].html.slice(0, 120)]);
}""")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_slides_keyboard_and_axe_on_every_slide(site, chromium, name):  # noqa: F811
    """On every slide: Tab walks the slide on the screen (never a hidden one, nothing scrolls, the
    slide stays), and axe finds no critical or serious violation on it."""
    deck = site / "slides" / name.replace(".ipynb", ".slides.html")
    visit = Visit(chromium, deck.as_uri())
    try:
        page = visit.page
        _reveal(page)
        page.add_script_tag(path=str(AXE))
        tabs, violations, slides = [], [], page.evaluate(SLIDES)
        for h, count in enumerate(slides):
            for v in range(count):
                where = page.evaluate(GO_TO, [h, v])
                violations += [(h, v, *found) for found in page.evaluate(AXE_SLIDE)]
                for press in range(8):
                    page.keyboard.press("Tab")
                    focus = page.evaluate(FOCUS)
                    if focus["where"] != where or focus["scrolled"] or focus["hidden"]:
                        tabs.append((h, v, press + 1, focus))
                        break
        assert sum(slides) > 1
        assert tabs == [], f"Tab left the slide on {len(tabs)} slides: (h, v, presses, focus) {tabs[:4]}"
        assert violations == [], violations[:8]
        assert visit.errors == [], visit.errors
    finally:
        visit.close()
