"""The classroom editions: a static site (``site/``) and reveal.js slides (``site/slides/``), offline.

Built from the committed notebooks, without running them: their saved outputs are the lecture
notes. Every explorer output carries its spec (``metadata["cnnlab"]``); the build draws its
frames in advance (:func:`cnnlab.widgets.static.static_explorer`) and puts that static twin, with
its widget state, in place of the live explorer, so its controls move the picture in the browser
without a kernel. Other widget outputs (the training boards) show their saved picture.

Everything a page loads is on the file system: reveal.js, require.js, jQuery, MathJax and the
ipywidgets HTML manager are copied from ``editions/node_modules`` (``npm ci --prefix editions``,
pinned by ``editions/package-lock.json``) into ``site/assets``. The templates in
``editions/templates`` write each picture's alt text and name every slider.

Usage: ``python scripts/build_site.py [--only 05] [--no-slides] [--no-pages] [SITE_DIR]``
"""

from __future__ import annotations

import argparse
import copy
import html
import itertools
import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
from deck import for_slides, screens
from slide_metadata import WIDGET

ROOT = Path(__file__).resolve().parents[1]
NODE = ROOT / "editions" / "node_modules"
TEMPLATES = ROOT / "editions" / "templates"
STATE = "application/vnd.jupyter.widget-state+json"
# what the pages load, from the npm packages (source in node_modules -> target in assets/)
ASSETS = {
    "reveal.js/dist": "reveal.js/dist",
    "reveal.js/plugin/notes": "reveal.js/plugin/notes",
    "requirejs/require.js": "require.js",
    "jquery/dist/jquery.min.js": "jquery.min.js",
    "@jupyter-widgets/html-manager/dist/embed-amd.js": "html-manager/embed-amd.js",
    "@jupyter-widgets/html-manager/dist/*.woff2": "html-manager",  # its icon fonts (browsers take woff2)
    "@jupyter-widgets/html-manager/dist/*.woff": "html-manager",
    "mathjax/MathJax.js": "mathjax/MathJax.js",
    "mathjax/config/TeX-AMS_CHTML-full.js": "mathjax/config/TeX-AMS_CHTML-full.js",
    "mathjax/config/Safe.js": "mathjax/config/Safe.js",
    "mathjax/extensions": "mathjax/extensions",
    "mathjax/jax/input/TeX": "mathjax/jax/input/TeX",
    "mathjax/jax/element": "mathjax/jax/element",
    "mathjax/jax/output/CommonHTML": "mathjax/jax/output/CommonHTML",
    "mathjax/fonts/HTML-CSS/TeX/woff": "mathjax/fonts/HTML-CSS/TeX/woff",
    "mathjax/localization/en": "mathjax/localization/en",
}
# what nbconvert points to, relative to a page in site/ (slides: one level deeper)
URLS = {"require_js_url": "assets/require.js", "jquery_url": "assets/jquery.min.js",
        "widget_renderer_url": "assets/html-manager/embed-amd.js",
        "mathjax_url": "assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"}


def copy_assets(site):
    """Copy the pinned npm assets into ``site/assets``; a clear error when they are not installed."""
    if not NODE.is_dir():
        raise SystemExit(f"editions/node_modules is missing: run `npm ci --prefix editions` first ({NODE})")
    for source, target in ASSETS.items():
        if "*" in source:  # a pattern: every match into the folder ``target``
            folder, pattern = source.rsplit("/", 1)
            matches = sorted((NODE / folder).glob(pattern))
            if not matches:
                raise SystemExit(f"nothing matches {NODE / source}: run `npm ci --prefix editions`")
            (site / "assets" / target).mkdir(parents=True, exist_ok=True)
            for match in matches:
                shutil.copy2(match, site / "assets" / target / match.name)
            continue
        src, dst = NODE / source, site / "assets" / target
        if not src.exists():
            raise SystemExit(f"{src} is missing: run `npm ci --prefix editions` (editions/package-lock.json)")
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)


class Twins:
    """The static twins of the explorers, drawn once per spec (a page and its deck share them)."""

    def __init__(self):
        self.cache, self.frames = {}, 0

    def state(self, spec):
        """``(model_id, widget state)`` of the twin of ``spec``."""
        key = json.dumps(spec, sort_keys=True)
        if key not in self.cache:
            # every trait, defaults too: the HTML manager failed to render a stack linked to a slider
            # whose index was left out as a default
            from ipywidgets.embed import dependency_state

            from cnnlab.widgets.static import static_explorer

            twin, links, frames = static_explorer(spec)
            state = dependency_state([twin, *links], drop_defaults=False)
            self.cache[key] = (twin.model_id, state, twin.children[0].value)
            self.frames += frames
        return self.cache[key]


def with_static_explorers(nb, twins):
    """A copy of ``nb`` whose explorers are static twins (with their widget state in the metadata)."""
    nb = copy.deepcopy(nb)
    state, explorers = {}, []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET not in data:
                continue
            spec = output.get("metadata", {}).get("cnnlab")
            if spec is None:  # a widget without a static twin: its saved picture
                del data[WIDGET]
                continue
            model_id, twin_state, title = twins.state(spec)
            data[WIDGET] = {"model_id": model_id, "version_major": 2, "version_minor": 0}
            state.update(twin_state)
            explorers.append(re.sub("<[^>]+>", "", title))
    if state:
        nb.metadata["widgets"] = {STATE: {"state": state, "version_major": 2, "version_minor": 0}}
    else:
        nb.metadata.pop("widgets", None)
    return nb, explorers


LIST_ITEM = re.compile(r"^(?:[-*] |\d+\. )")


def joined_lists(cells):
    """``cells`` with each list that was split over two text cells (for the slides) in one cell again."""
    out = []
    for cell in cells:
        before = out[-1] if out else None
        last = before.source.rstrip().splitlines()[-1] if before is not None and before.source.strip() else ""
        if (cell.cell_type == "markdown" and before is not None and before.cell_type == "markdown"
                and LIST_ITEM.match(cell.source.lstrip("\n")) and (LIST_ITEM.match(last) or last.startswith("  "))):
            before.source = before.source.rstrip() + "\n" + cell.source.lstrip("\n")
        else:
            out.append(cell)
    return out


def for_page(nb, path, paths):
    """The page's copy of ``nb``: a line of links on top (the index, the slides, the neighbours), and
    the lists the slides split joined again."""
    nb = copy.deepcopy(nb)
    nb.cells = joined_lists(nb.cells)
    k = paths.index(path)
    links = ["[the series](index.html)", f"[slides](slides/{path.stem}.slides.html)"]
    if k > 0:
        links.append(f"[previous: {paths[k - 1].stem}]({paths[k - 1].stem}.html)")
    if k + 1 < len(paths):
        links.append(f"[next: {paths[k + 1].stem}]({paths[k + 1].stem}.html)")
    nav = nbformat.v4.new_markdown_cell(" · ".join(links))
    nb.cells.insert(0, nav)
    return nb


def _exporter(kind, prefix):
    from nbconvert import HTMLExporter, SlidesExporter

    cls = SlidesExporter if kind == "slides" else HTMLExporter
    exporter = cls(template_name=f"cnnlab_{'reveal' if kind == 'slides' else 'lab'}",
                   extra_template_basedirs=[str(TEMPLATES)], extra_template_paths=[str(TEMPLATES)])
    for name, url in URLS.items():
        setattr(exporter, name, prefix + url)
    if kind == "slides":
        exporter.reveal_url_prefix = prefix + "assets/reveal.js"
        exporter.reveal_theme = "white"  # the default theme loads Google's fonts
        exporter.reveal_width, exporter.reveal_height = "1280", "720"
        exporter.reveal_number = "c/t"
        from nbconvert.preprocessors import TagRemovePreprocessor

        # a figure's or an explorer's slide shows the picture; its code is on the page
        exporter.register_preprocessor(TagRemovePreprocessor(remove_input_tags={"slides-output-only"}), enabled=True)
    return exporter


def notebook_facts(path, nb, explorers, *, deck=None):
    """What the index says about one notebook: title, goals, prerequisites, time, explorers, exercises
    (``deck``: its deck, ``for_slides(nb)``, if made already)."""
    first = "\n\n".join(c.source for c in itertools.takewhile(lambda c: c.cell_type == "markdown", nb.cells))
    title = first.splitlines()[0].lstrip("# ").strip()
    goals = re.findall(r"^- (.+(?:\n  .+)*)", first.split("**Learning goals**")[-1].split("**Prerequisites")[0], re.M)
    prereq = re.search(r"\*\*Prerequisites\.?\*\*\s*(.+?)(?:\n\n|$)", first, re.S)
    # an exercise is a bold "Exercise 1 · name." or "1. Name." and has a self-check, cnnlab.check(...)
    exercises = re.findall(r"^\*\*(?:Exercise \d+ · |\d+\. )([^*]+?)[.?]?\*\*", "\n".join(
        c.source for c in nb.cells if c.cell_type == "markdown"), re.M)
    checks = sum("cnnlab.check(" in c.source for c in nb.cells if c.cell_type == "code")
    if len(exercises) != checks:
        raise ValueError(f"{path.name}: {len(exercises)} exercise headings but {checks} self-checks")
    words = sum(len(re.findall(r"\w+", c.source)) for c in nb.cells if c.cell_type == "markdown"
                and "<summary>Solution" not in c.source)
    minutes = 5 * round((words / 100 + 10 * len(exercises)) / 5)
    return {"stem": path.stem, "title": title, "goals": [" ".join(g.split()) for g in goals],
            "slides": screens(nb) if deck is None else screens(deck, cut=True),
            "prerequisites": " ".join(prereq.group(1).split()) if prereq else "none",
            "minutes": minutes, "words": words, "explorers": explorers, "exercises": exercises}


def _md_inline(text):
    """The little markdown the index shows: code spans and emphasis, escaped."""
    text = html.escape(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    return re.sub(r"\*([^*]+)\*", r"<em>\1</em>", text)


def index_page(facts, frames):
    rows = []
    for f in facts:
        goals = "".join(f"<li>{_md_inline(g)}</li>" for g in f["goals"])
        explorers = ", ".join(html.escape(e) for e in f["explorers"]) or "none in this notebook"
        exercises = "; ".join(_md_inline(e) for e in f["exercises"]) or "none"
        rows.append(f"""
<section class="nb" aria-labelledby="{f['stem']}">
  <h2 id="{f['stem']}"><a href="{f['stem']}.html">{html.escape(f['title'])}</a></h2>
  <p class="links"><a href="{f['stem']}.html">read the notebook</a> ·
     <a href="slides/{f['stem']}.slides.html">slides</a> ({f['slides']} screens) ·
     about {f['minutes']} min ({f['words']:,} words, {len(f['exercises'])} exercises)</p>
  <p><strong>Learning goals</strong></p><ul>{goals}</ul>
  <p><strong>Prerequisites.</strong> {_md_inline(f['prerequisites'])}</p>
  <p><strong>Explorers:</strong> {explorers}. <strong>Exercises:</strong> {exercises}.</p>
</section>""")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>cnnlab: from a fully connected layer to a CNN</title>
<style>
body {{ font-family: system-ui, sans-serif; font-size: 18px; line-height: 1.5; max-width: 60em;
        margin: 2em auto; padding: 0 1em; color: #1a1a1a; }}
h1 {{ font-size: 1.8em; }} h2 {{ font-size: 1.35em; margin-bottom: 0.2em; }}
a {{ color: #0a58ca; }} code {{ font-size: 0.92em; background: #f2f2f2; padding: 0 0.2em; }}
.nb {{ border-top: 1px solid #bbb; padding-top: 0.5em; }} .links {{ margin-top: 0; }}
</style></head>
<body><main>
<h1>cnnlab: from a fully connected layer to a CNN, one honest step at a time</h1>
<p>Eight notebooks, read in order: from a fully connected layer on a 3x3 image, through weight
sharing and locality, to convolution, pooling, backpropagation and a CNN trained in plain numpy.
Each page is a notebook as saved, with its outputs; its explorers move without a kernel, on
pictures drawn in advance ({frames:,} in all) for the values their controls offer. To change the
code or try other values, run the notebooks in JupyterLab (<code>make lab</code>). The times are
our estimate: about 100 words a minute of careful reading, plus 10 minutes per exercise.</p>
{''.join(rows)}
</main></body></html>
"""


def build(site, *, only=None, slides=True, pages=True):
    site = Path(site)
    copy_assets(site)
    twins, facts = Twins(), []
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    for path in paths:
        if only and not path.name.startswith(only):
            continue
        nb, explorers = with_static_explorers(nbformat.read(path, as_version=4), twins)
        deck = for_slides(nb)
        facts.append(notebook_facts(path, nb, explorers, deck=deck))
        meta = {"metadata": {"name": facts[-1]["title"]}}  # the page's <title>
        if pages:
            body, _ = _exporter("html", "").from_notebook_node(for_page(nb, path, paths), resources=meta)
            (site / f"{path.stem}.html").write_text(body, encoding="utf-8")
            print(f"wrote {site / path.stem}.html")
        if slides:
            (site / "slides").mkdir(exist_ok=True)
            body, _ = _exporter("slides", "../").from_notebook_node(deck, resources=meta)
            (site / "slides" / f"{path.stem}.slides.html").write_text(body, encoding="utf-8")
            print(f"wrote {site}/slides/{path.stem}.slides.html")
    if pages and not only:
        (site / "index.html").write_text(index_page(facts, twins.frames), encoding="utf-8")
        print(f"wrote {site / 'index.html'}")
    return facts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default=str(ROOT / "site"))
    parser.add_argument("--only", help="one notebook, by its number (05)")
    parser.add_argument("--no-slides", action="store_true")
    parser.add_argument("--no-pages", action="store_true")
    args = parser.parse_args(argv)
    build(args.site, only=args.only, slides=not args.no_slides, pages=not args.no_pages)


if __name__ == "__main__":
    sys.exit(main())
