"""The classroom editions in a real browser: the static site and the slides, offline.

The site and the decks are built once per test run from the committed notebooks
(``scripts/build_site.py``, into pytest's temporary directory, where both workers find it;
``CNNLAB_SITE=<dir>`` reuses a built one) and opened from the file
system in headless Chromium, every request outside the local files blocked and counted:

- every page and deck: zero outside requests, no console errors, every picture with an alt text;
- every explorer: each control moved by the keyboard shows the frame of the values its controls
  now show, and that frame's picture is the one the live explorer draws for those values;
- every deck: reveal is ready, one slide per ``slide`` cell, no slide overflows at 1280x720 and
  1920x1080, and no text on a slide is smaller than 20 px as displayed;
- every slide of every deck (in ``test_site_decks.py``): Tab walks the slide on the screen only
  (no hidden slide's element, nothing scrolls, the deck stays on the slide);
- axe-core (``editions/node_modules``) on every page and on every slide of every deck: no critical
  or serious violation.

Screenshots go to ``artifacts/site/``. Needs playwright, Chromium and ``npm ci --prefix editions``
(``make test`` runs it); without them the tests are skipped on a developer's machine and fail in CI.
"""

from __future__ import annotations

import base64
import fcntl
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "site"
AXE = ROOT / "editions" / "node_modules" / "axe-core" / "axe.min.js"
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BUDGET_MB = 80

sys.path.insert(0, str(ROOT / "scripts"))
# the start of every script run in a deck: reveal.js as the deck loaded it (through require.js)
REVEAL = "const Reveal = await new Promise(ok => require(['../assets/reveal.js/dist/reveal.js'], ok));"


def in_deck(script):
    """A script for page.evaluate in a deck: ``@REVEAL@`` in it becomes the line that gets reveal."""
    return script.replace("@REVEAL@", REVEAL)


def _missing():
    from test_browser import _missing as browser_missing  # playwright and Chromium, as test_browser needs

    if reason := browser_missing():
        return reason
    if not AXE.exists():
        return "the editions' npm packages are not installed (npm ci --prefix editions)"
    return None


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site, built once per test run: pytest's workers share it (the first to ask builds it)."""
    reason = _missing()
    if reason and os.environ.get("CI"):
        pytest.fail(f"the site tests cannot run in CI: {reason}")
    if reason:
        pytest.skip(reason)
    if os.environ.get("CNNLAB_SITE"):
        return Path(os.environ["CNNLAB_SITE"])
    import build_site

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's directory, above each worker's own
    target = shared / "cnnlab-site"
    with open(shared / "cnnlab-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits here until the site is whole
        if not target.exists():
            building = shared / "cnnlab-site.partial"
            shutil.rmtree(building, ignore_errors=True)
            build_site.build(building)
            building.rename(target)
    return target


@pytest.fixture(scope="module")
def chromium(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="cnnlab-chromium-"),
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            headless=True, args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 720})
        yield context
        context.close()


class Visit:
    """One page opened from the file system, with what it asked of the network and what it logged."""

    def __init__(self, context, url, viewport=(1280, 720), local=("file:",)):
        self.outside, self.errors = [], []
        self.page = context.new_page()
        self.page.set_viewport_size({"width": viewport[0], "height": viewport[1]})

        def route(r):
            if r.request.url.startswith((*local, "data:", "blob:")):
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def close(self):
        self.page.close()


def _explorer_specs(name):
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    return [o["metadata"]["cnnlab"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if "cnnlab" in o.get("metadata", {})]


def _slide_cells(name):
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    return sum(c.metadata.get("slideshow", {}).get("slide_type") == "slide" for c in nb.cells)


VISIBLE_FRAMES = """(root) => [...root.querySelectorAll('.cnnlab-frame')].filter(e => e.offsetParent)
    .map(e => ({state: e.dataset.state, src: e.querySelector('img').src}))"""
# the values the visible controls of the n-th explorer show: {description: shown value}
SHOWN = """(root) => {
    const shown = {};
    for (const box of root.querySelectorAll('.widget-slider, .widget-toggle-buttons')) {
        if (!box.offsetParent) continue;
        const label = box.querySelector('.widget-label').textContent;
        const readout = box.querySelector('.widget-readout');
        const active = box.querySelector('.mod-active');
        shown[label] = readout ? readout.textContent.trim() : (active ? active.textContent.trim() : null);
    }
    return shown;
}"""


def _expected_src(spec, state):
    """The frame the live explorer of ``spec`` draws for the values in ``state`` (``a=1; b=on``)."""
    import cnnlab
    from cnnlab.widgets.static import frame_png

    kwargs = dict(spec["kwargs"])
    if kwargs.get("image") is not None:
        import numpy as np

        kwargs["image"] = np.asarray(kwargs["image"], dtype=float)
    explorer = getattr(cnnlab, spec["explorer"])(**kwargs)
    values = dict(part.split("=", 1) for part in state.split("; "))
    for control in explorer.controls.values():  # in order: the position's range follows the others
        shown = values[control.description]
        current = control.value
        value = (shown == "on") if isinstance(current, bool) else type(current)(shown)
        control.value = value
    png = frame_png(bytes(explorer.views["plot"].value))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


GO_TO_EXPLORER = in_deck("""async (k) => {
    @REVEAL@
    const where = Reveal.getIndices(document.querySelectorAll('.cnnlab-explorer')[k].closest('section'));
    Reveal.slide(where.h, where.v);
    await new Promise(r => setTimeout(r, 300));
    return Reveal.getIndices();
}""")

INDICES = in_deck("""async () => {
    @REVEAL@
    return Reveal.getIndices();
}""")


def _check_explorers(visit, specs, shot, *, deck=False):
    """Move every control of every explorer on the page by the keyboard; check frame and picture.

    In a deck, the explorer's slide is shown first, and the keys must not move the slides."""
    page = visit.page
    page.wait_for_function(f"document.querySelectorAll('.cnnlab-frame').length >= {len(specs)}", timeout=30000)
    roots = page.locator(".cnnlab-explorer")
    assert roots.count() == len(specs)
    for k, spec in enumerate(specs):
        root = roots.nth(k)
        slide = page.evaluate(GO_TO_EXPLORER, k) if deck else None
        if not deck:
            root.scroll_into_view_if_needed()
        before = None
        for step in range(2):  # the first slider and the last (the position, where there is one)
            handles = root.locator("[role=slider]")
            if handles.count():
                handles.nth(0 if step == 0 else handles.count() - 1).focus()
                page.keyboard.press("ArrowRight")
            else:  # toggle buttons only: the keyboard presses the next one
                root.locator(".widget-toggle-button").nth(step + 1).focus()
                page.keyboard.press("Space")
            page.wait_for_timeout(150)
            frames = root.evaluate(VISIBLE_FRAMES)
            assert len(frames) == 1, f"explorer {k}: {len(frames)} frames visible after a key"
            shown = root.evaluate(SHOWN)
            state = dict(part.split("=", 1) for part in frames[0]["state"].split("; "))
            for label, value in shown.items():
                assert state.get(label) == value, f"the slider shows {label}={value}, the frame {frames[0]['state']}"
            assert frames[0]["src"] == _expected_src(spec, frames[0]["state"]), frames[0]["state"]
            assert frames[0]["src"] != before, "the key did not change the picture"
            before = frames[0]["src"]
            if deck:
                assert page.evaluate(INDICES) == slide, "a key on the explorer moved the slides"
        root.screenshot(path=str(shot.with_name(f"{shot.stem}-explorer{k}.png")))


def _axe(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations'], preload: false})")
    return [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["html"][:120]) for v in result["violations"]
            if v["impact"] in ("critical", "serious")]


PAGES = ["index.html", *[n.replace(".ipynb", ".html") for n in NOTEBOOKS]]


@pytest.mark.parametrize("page_name", PAGES)
def test_page_offline_with_moving_explorers(site, chromium, page_name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    visit = Visit(chromium, (site / page_name).as_uri())
    try:
        page = visit.page
        specs = [] if page_name == "index.html" else _explorer_specs(page_name.replace(".html", ".ipynb"))
        if specs:
            _check_explorers(visit, specs, ARTIFACTS / page_name.replace(".html", ".png"))
        page.wait_for_timeout(300)
        missing_alt = page.evaluate("[...document.images].filter(i => !i.alt || !i.alt.trim()).length")
        assert missing_alt == 0
        assert visit.outside == [], visit.outside
        assert visit.errors == [], visit.errors
        assert _axe(page) == []
    finally:
        visit.close()


def _reveal(page):
    page.wait_for_function("document.querySelector('.reveal.ready') !== null", timeout=30000)


# every slide's overflow (in reveal's canvas) and its smallest text as displayed (canvas px x scale)
MEASURE = in_deck("""async () => {
    const ARROWS = [180, 90];  // reveal's arrows: the bottom right corner, 180 x 90 canvas px
    @REVEAL@
    Reveal.configure({transition: 'none', backgroundTransition: 'none'});  // no slide is mid-move
    const config = Reveal.getConfig(), out = [];
    const slides = Reveal.getHorizontalSlides();
    for (let h = 0; h < slides.length; h++) {
        const vertical = slides[h].querySelectorAll(':scope > section');
        for (let v = 0; v < Math.max(vertical.length, 1); v++) {
            Reveal.slide(h, v);
            // the deck has MathJax draw a slide's math again when it is shown: wait until every
            // formula of the slide is drawn (up to 5 s), so that its text is measured too
            const shown = Reveal.getCurrentSlide(), formulas = shown.querySelectorAll('script[type^="math/tex"]');
            for (let t = 0; t < 100; t++) {
                const drawn = [...formulas].filter(f => {
                    const frame = document.getElementById(f.id + '-Frame');
                    return frame && frame.querySelector('.mjx-char');
                });
                if (drawn.length === formulas.length) break;
                await new Promise(r => setTimeout(r, 50));
            }
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            const s = Reveal.getCurrentSlide(), scale = Reveal.getScale();
            let smallest = 1e9, where = '';
            const walker = document.createTreeWalker(s, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode, el = node.parentElement;
                if (!node.textContent.trim() || !el.offsetParent) continue;
                const px = parseFloat(getComputedStyle(el).fontSize) * scale;
                if (px < smallest) { smallest = px; where = node.textContent.trim().slice(0, 40); }
            }
            // where the text and the pictures end, in canvas pixels: inside the canvas, and none
            // under reveal's arrows in the bottom right corner
            const box = s.getBoundingClientRect(), rects = [];
            const texts = document.createTreeWalker(s, NodeFilter.SHOW_TEXT);
            while (texts.nextNode()) {
                const node = texts.currentNode;
                if (!node.textContent.trim() || !node.parentElement.offsetParent) continue;
                const range = document.createRange();
                range.selectNodeContents(node);
                rects.push(...range.getClientRects());
            }
            for (const img of s.querySelectorAll('img')) if (img.offsetParent) rects.push(img.getBoundingClientRect());
            let bottom = 0, right = 0, underArrows = false;
            for (const r of rects) {
                if (!r.width || !r.height) continue;
                const b = (r.bottom - box.top) / scale + s.offsetTop, x = (r.right - box.left) / scale + s.offsetLeft;
                bottom = Math.max(bottom, b);
                right = Math.max(right, x);
                if (b > config.height - ARROWS[1] && x > config.width - ARROWS[0]) underArrows = true;
            }
            out.push({h, v, height: underArrows ? 99999 : Math.round(bottom), width: Math.round(right), smallest,
                      where, maxHeight: config.height, maxWidth: config.width});
        }
    }
    Reveal.slide(0, 0);
    return {count: slides.length, slides: out};
}""")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_slides_offline_fit_the_projector(site, chromium, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    deck = site / "slides" / name.replace(".ipynb", ".slides.html")
    for viewport in [(1280, 720), (1920, 1080)]:
        visit = Visit(chromium, deck.as_uri(), viewport)
        try:
            _reveal(visit.page)
            measured = visit.page.evaluate(MEASURE)
            assert measured["count"] == _slide_cells(name)
            index = (site / "index.html").read_text(encoding="utf-8")
            assert f'{deck.name}">slides</a> ({len(measured["slides"])} screens)' in index
            over = [(m["h"], m["v"], m["height"], m["width"]) for m in measured["slides"]
                    if m["height"] > m["maxHeight"] or m["width"] > m["maxWidth"]]
            assert over == [], f"{len(over)} slides overflow at {viewport}: (h, v, height, width) {over[:8]}"
            small = [(m["h"], m["v"], round(m["smallest"], 1), m["where"]) for m in measured["slides"]
                     if m["smallest"] < 20]
            assert small == [], f"text under 20 px at {viewport}: {small[:8]}"
            visit.page.screenshot(path=str(ARTIFACTS / f"{deck.stem}-{viewport[0]}.png"))
            assert visit.outside == [], visit.outside
            assert visit.errors == [], visit.errors
            if viewport == (1280, 720):
                specs = _explorer_specs(name)
                if specs:
                    _check_explorers(visit, specs, ARTIFACTS / f"{deck.stem}.png", deck=True)
                assert visit.errors == [], visit.errors
        finally:
            visit.close()


def test_site_within_its_budget(site):
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert size < BUDGET_MB * 2**20, f"the site takes {size / 2**20:.1f} MiB, over its budget of {BUDGET_MB} MiB"


def test_index_maps_the_series(site):
    text = re.sub("<[^>]+>", " ", (site / "index.html").read_text(encoding="utf-8"))
    for name in NOTEBOOKS:
        assert f'href="{name.replace(".ipynb", ".html")}"' in (site / "index.html").read_text(encoding="utf-8")
    assert text.count("Prerequisites.") == len(NOTEBOOKS)


def test_site_from_a_static_server(site, chromium):
    """The same pages from a plain static server (as on a school's web server) as from the disk."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        for path in ["index.html", "04-locality.html", "slides/04-locality.slides.html"]:
            visit = Visit(chromium, base + path, local=(base,))
            try:
                if "slides" in path:
                    _reveal(visit.page)
                else:
                    visit.page.wait_for_timeout(500)
                if path != "index.html":
                    visit.page.wait_for_function("document.querySelector('.cnnlab-frame') !== null", timeout=30000)
                assert visit.outside == [], visit.outside
                assert visit.errors == [], visit.errors
            finally:
                visit.close()
    finally:
        server.shutdown()
        server.server_close()


def test_readme_lecture_slots_count_the_decks():
    """The README's screens per deck and per section to skip are the decks' own."""
    import deck

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    decks = [deck.for_slides(nbformat.read(ROOT / "notebooks" / name, as_version=4)) for name in NOTEBOOKS]
    counts = re.search(r"The decks have ([\d, ]+) and (\d+) screens \(01-08", readme)
    assert counts, "no screen counts in the README"
    assert [int(n) for n in re.findall(r"\d+", counts.group(1) + " " + counts.group(2))] == [
        deck.screens(nbformat.read(ROOT / "notebooks" / name, as_version=4)) for name in NOTEBOOKS]
    slots = readme.split("**Lecture slots.**")[1].split("**Handing out")[0]
    parts = re.split(r"(\d\d)'s ", slots)  # "04's *a heading* (14 ...), 07's *one* (9) and *another* (10)"
    named = [(number, heading, screens) for number, text in zip(parts[1::2], parts[2::2])
             for heading, screens in re.findall(r"\*([^*]+)\* \((\d+)", text)]
    assert len(named) == 6, named
    for number, heading, screens in named:
        found = dict(deck.sections(decks[int(number) - 1].cells))
        assert found.get(heading) == int(screens), (number, heading, screens, found)


def test_readme_table_agrees_with_the_index():
    """The instructor's table in the README and the site's index count words, exercises and time alike."""
    import build_site

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in NOTEBOOKS:
        path = ROOT / "notebooks" / name
        facts = build_site.notebook_facts(path, nbformat.read(path, as_version=4), [])
        row = re.search(rf"^\| {name[:2]} \| [^|]+ \| [^|]+ \| ([\d,]+) \| (\d+) \| \d+ \| (\d+) min \|$", readme, re.M)
        assert row, f"no row for {name} in the README's table"
        assert (row.group(1), int(row.group(2)), int(row.group(3))) == (
            f"{facts['words']:,}", len(facts["exercises"]), facts["minutes"])
