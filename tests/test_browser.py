"""A real browser reads the notebooks in JupyterLab, and moves every explorer with the keyboard.

JupyterLab is started on 127.0.0.1 (a free port, no token, temporary workspace, settings, data
and runtime directories, a temporary copy of the notebooks, so autosave never touches the
repository and no trust from elsewhere applies). Headless Chromium, driven by Playwright:

- **as saved** (``test_saved_notebook_shows_every_explorer``): each notebook is opened as a fresh
  clone's would be, untrusted and without running a cell; every widget output must show its
  picture (a loaded ``<img>``), never a text placeholder;
- **live** (``test_explorer_follows_the_keyboard``): all cells are run (the test waits for the
  run-all command to finish and the kernel to be idle), then the keyboard moves the explorer's
  controls, also into an invalid setting and back; after each move the explorer's text must show
  the expected words and its picture must change (or come back to the picture it had before).

Texts are read with ``textContent``, which does not depend on whether the browser is painting
the cell; JupyterLab's windowing is switched off so every cell is in the page. Screenshots go to
``artifacts/browser/``. The test shuts down the kernels and the server it started.

Needs the ``playwright`` Python package (pinned in requirements.txt) and a Chromium browser
(Debian's ``chromium``, which ``.ci/run`` installs). Without them the test is skipped on a
developer's machine and fails in CI (``CI`` set).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDGET = "application/vnd.jupyter.widget-view+json"

# notebook -> (explorer title, moves). A move is (control label, action, expected words, picture):
# the action is a key for a slider or a checkbox, "type:<text>" for a text box, "click:<button>"
# for toggle buttons; the picture must "change", or be "same as <k>": the picture after move k
# (0 = before the first move).
MOVES = {
    "02-parameter-explosion.ipynb": ("Parameters of a fully connected network", [
        ("image side", "End", "512x512x1 image", "change"),
        ("channels", "click:3", "512x512x3 image", "change"),
        ("channels", "click:1", "512x512x1 image", "same as 1"),
        ("hidden widths", "type:abc", "no count: hidden must list layer widths", "change"),
        ("hidden widths", "type:90, 50", "= 23,597,460", "same as 1"),  # 512*512*90 + 90*50
    ]),
    "04-locality.ipynb": ("Sharing and locality on the 3x3 example", [
        ("weight sharing", "Space", "sharing off, locality on: 64 weights", "change"),
        ("locality", "Space", "sharing off, locality off: 144 weights", "change"),
        ("weight sharing", "Space", "sharing on, locality off", "change"),
    ]),
    "05-convolution.ipynb": ("Convolution explorer", [
        ("kernel size", "ArrowLeft ArrowLeft", "(1−1)", "change"),  # 49 windows: the position max grows
        ("position", "End", "readout:48", "change"),  # End reaches the new maximum
        ("stride", "ArrowRight", "/ 2⌋", "change"),
        ("kernel size", "End", "(7−1)", "change"),
        ("dilation", "End", "< 1: no output", "change"),  # extent 3*(7-1)+1 = 19 > 7
        ("dilation", "Home", "every pixel is read by some window", "same as 4"),
    ]),
    "06-pooling.ipynb": ("Pooling explorer", [
        ("padding", "ArrowRight ArrowRight", "no output: padding 2 is more than half the window", "change"),
        ("padding", "Home", "the largest of its window", "same as 0"),
        ("mode", "click:avg", "the sum of its window / 4", "change"),
        ("stride", "ArrowRight", "/ 3⌋", "change"),
    ]),
    "07-backpropagation.ipynb": ("Influence of one input cell", [
        ("stride", "ArrowRight", "feeds 4 output(s)", "change"),
    ]),
    "08-cnn-end-to-end.ipynb": ("Receptive field calculator", [
        ("layers", "type:conv 5 1 2, pool 2 2 0", "6x6", "change"),
        ("layers", "type:conv 3", "no picture: layer 1 must read", "change"),
        ("layers", "type:conv 5 1 2, pool 2 2 0", "6x6", "same as 1"),
    ]),
}
KERNEL_IDLE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const kernel = panel && panel.sessionContext && panel.sessionContext.session
        && panel.sessionContext.session.kernel;
    return Boolean(kernel) && kernel.status === 'idle';
}"""
# every cell with a widget output: how many widget outputs, how many loaded pictures, what text
WIDGET_OUTPUTS = """(mime) => {
    const panel = window.jupyterapp.shell.currentWidget;
    return panel.content.widgets.map((cell, index) => {
        if (cell.model.type !== 'code') return null;
        const outputs = cell.model.outputs.toJSON().filter(o => o.data && o.data[mime]);
        if (!outputs.length) return null;
        const area = cell.node.querySelector('.jp-OutputArea');
        const pictures = [...area.querySelectorAll('img')].filter(im => im.complete && im.naturalWidth > 100);
        return {index, outputs: outputs.length, pictures: pictures.length,
                widths: pictures.map(im => im.naturalWidth), alts: pictures.map(im => im.alt),
                ends: pictures.map(im => im.src.slice(-60)), text: area.textContent.slice(0, 300)};
    }).filter(Boolean);
}"""


def _missing():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()):
        return "no chromium browser (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def requirements():
    reason = _missing()
    if reason and os.environ.get("CI"):
        pytest.fail(f"browser test cannot run in CI: {reason}")
    if reason:
        pytest.skip(reason)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(url, method="GET"):
    request = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


@pytest.fixture(scope="module")
def lab(requirements, tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 over a copy of the notebooks; yields its base URL."""
    work = tmp_path_factory.mktemp("lab")
    root = work / "notebooks"
    for folder in ("saved", "live"):  # the live copies get run and autosaved, the saved ones never
        (root / folder).mkdir(parents=True)
        for notebook in MOVES:
            shutil.copy(ROOT / "notebooks" / notebook, root / folder / notebook)
    settings = work / "settings" / "@jupyterlab"
    (settings / "notebook-extension").mkdir(parents=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"}))  # every cell in the page, painted or not
    port = _free_port()
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.token=", "--ServerApp.password=", "--LabApp.expose_app_in_browser=True",
           f"--ServerApp.root_dir={root}", f"--LabApp.workspaces_dir={work / 'workspaces'}",
           f"--LabApp.user_settings_dir={work / 'settings'}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    # fresh data and runtime directories: no notebook signature (trust) from elsewhere
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(work / "runtime"), JUPYTER_DATA_DIR=str(work / "data"))
    log = open(work / "server.log", "w")  # noqa: SIM115 - closed in the finally below
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _api(f"{base}/api/status")
                break
            except OSError as error:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start: {(work / 'server.log').read_text()}") from error
                time.sleep(0.5)
        yield base
    finally:
        try:  # the kernels this test started, by their ids
            for kernel in _api(f"{base}/api/kernels") or []:
                _api(f"{base}/api/kernels/{kernel['id']}", method="DELETE")
        except OSError:
            pass
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture
def browser(lab, tmp_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            headless=True, args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000})
        try:
            yield context
        finally:
            context.close()


def _open(context, lab, path, workspace):
    """A page with ``path`` open in JupyterLab, its kernel idle; a workspace of its own (reset)."""
    page = context.new_page()
    page.goto(f"{lab}/lab/workspaces/{workspace}/tree/{path}?reset")
    page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell')",
                           timeout=120_000)
    page.wait_for_function(KERNEL_IDLE, timeout=180_000)  # a kernel start can stall under load: wait
    return page


def _wait_for(read, condition, what, timeout=60.0):
    """Poll ``read()`` until ``condition(value)``; return (value, seconds waited)."""
    start, value = time.monotonic(), None
    while time.monotonic() - start < timeout:
        value = read()
        if condition(value):
            return value, time.monotonic() - start
        time.sleep(0.03)
    raise AssertionError(f"{what}: not within {timeout} s (last {value!r:.300})")


def test_lab_asks_nothing_of_the_internet(lab):
    """The environment's overrides (installed by make from editions/jupyterlab/overrides.json) reach
    JupyterLab: no pop-up over the first notebook asking to fetch news, no update check."""
    notification = _api(f"{lab}/lab/api/settings/@jupyterlab/apputils-extension:notification")
    defaults = {name: spec["default"] for name, spec in notification["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False  # overridden
    assert "fetchNews" not in notification["settings"]  # and not by this test's own user settings


@pytest.mark.parametrize("notebook", list(MOVES), ids=[n[:2] for n in MOVES])
def test_saved_notebook_shows_every_explorer(notebook, lab, browser):
    """Opened as a fresh clone's notebook (untrusted, nothing run): every widget output is a picture."""
    stem = notebook[:2]
    page = _open(browser, lab, f"saved/{notebook}", f"saved{stem}")
    try:
        trusted = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.model.cells.get(0)"
                                ".trusted")
        assert trusted is False, "the copied notebook must open untrusted, as a fresh clone's does"
        found, _ = _wait_for(lambda: page.evaluate(WIDGET_OUTPUTS, WIDGET),
                             lambda cells: cells and all(c["pictures"] >= c["outputs"] for c in cells),
                             "a picture in every widget output")
        saved = [o["data"]["image/png"].replace("\n", "")
                 for c in json.loads((ROOT / "notebooks" / notebook).read_text())["cells"]
                 for o in c.get("outputs", []) if WIDGET in o.get("data", {})]
        assert sum(c["outputs"] for c in found) == len(saved)
        shown = [end for c in found for end in c["ends"]]
        # the pictures on the page are the saved ones (for 08's boards: the final curves)
        assert all(any(png.endswith(end) for png in saved) for end in shown)
        for cell in found:
            assert "Error displaying widget" not in cell["text"] and "VBox(children" not in cell["text"]
            assert min(cell["widths"]) >= 500, "pictures sized for the column, text >= 12 px"
            page.locator(".jp-Cell").nth(cell["index"]).locator(".jp-OutputArea").screenshot(
                path=str(ARTIFACTS / f"{stem}-saved-cell{cell['index']}.png"))
    except Exception:
        page.screenshot(path=str(ARTIFACTS / f"{stem}-saved-failed.png"), full_page=True)
        raise


@pytest.mark.parametrize("notebook", list(MOVES), ids=[n[:2] for n in MOVES])
def test_explorer_follows_the_keyboard(notebook, lab, browser):
    stem = notebook[:2]
    title, moves = MOVES[notebook]
    page = _open(browser, lab, f"live/{notebook}", f"live{stem}")
    try:
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs'); }")
        # the right event: the run-all command resolves once every cell has run
        page.evaluate("() => { window.__ranAll = false; window.jupyterapp.commands"
                      ".execute('notebook:run-all-cells').then(() => { window.__ranAll = true; }); }")
        page.wait_for_function("window.__ranAll === true", timeout=300_000)
        page.wait_for_function(KERNEL_IDLE, timeout=60_000)
        explorer = page.locator(f".widget-vbox:has(> .widget-html b:text-is('{title}'))").last
        explorer.wait_for(timeout=60_000)
        picture = explorer.locator(".widget-image").first
        picture.wait_for(timeout=60_000)
        explorer.scroll_into_view_if_needed()

        def text():  # the explorer's own text views, after its title
            return "\n".join(explorer.locator(".widget-html").evaluate_all("els => els.map(e => e.textContent)")[1:])

        def shot():
            explorer.scroll_into_view_if_needed()
            return picture.screenshot()

        pictures = [shot()]
        page.screenshot(path=str(ARTIFACTS / f"{stem}-live-0.png"))
        lags = []
        for k, (label, action, expected, change) in enumerate(moves, start=1):
            before_text = text()
            if action.startswith("type:"):
                field = explorer.locator(".widget-text", has_text=label).first.locator("input")
                field.fill(action[5:])
                field.press("Enter")
            elif action.startswith("click:"):
                explorer.locator(".widget-toggle-buttons button", has_text=action[6:]).click()
            else:
                control = explorer.locator(".widget-slider", has=page.locator("label", has_text=label))
                if control.count():
                    control.first.locator(".noUi-handle").focus()
                else:
                    explorer.locator(".widget-checkbox", has_text=label).first.locator("input").focus()
                for key in action.split():
                    page.keyboard.press(key)
            if expected.startswith("readout:"):
                readout = explorer.locator(".widget-slider", has=page.locator("label", has_text=label)).first
                value, lag = _wait_for(lambda: readout.locator(".widget-readout").text_content().strip(),
                                       lambda v: v == expected[8:], f"{label} readout {expected[8:]}")
            else:
                _, lag = _wait_for(text, lambda t: expected in t and (t != before_text or k == 1),
                                   f"move {k} ({label} {action}): the text {expected!r}")
            if change == "change":
                after, _ = _wait_for(shot, lambda png: png != pictures[-1], f"move {k}: a new picture")
            else:
                target = pictures[int(change.split()[-1])]
                after, _ = _wait_for(shot, lambda png: png == target, f"move {k}: the picture of {change}")
            pictures.append(after)
            page.screenshot(path=str(ARTIFACTS / f"{stem}-live-{k}-{label.replace(' ', '-')}.png"))
            lags.append(f"{label} {action}: {lag * 1000:.0f} ms")
        (ARTIFACTS / f"{stem}-timing.txt").write_text("keypress to the expected text: " + ", ".join(lags) + "\n")
    except Exception:
        page.screenshot(path=str(ARTIFACTS / f"{stem}-live-failed.png"), full_page=True)
        raise
