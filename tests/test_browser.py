"""A real browser moves the convolution explorer's sliders in a running JupyterLab.

JupyterLab is started on 127.0.0.1 (a free port, no token, temporary workspace and settings
directories, a temporary copy of the notebooks so autosave never touches the repository).
Each notebook with an explorer is opened in headless Chromium driven by Playwright, all cells
run, and the keyboard moves the explorer's sliders; the rendered picture and the explorer's text
must change. Screenshots go to ``artifacts/browser/``. The test shuts down the kernels and the
server it started, by their own handles.

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
# notebook, explorer title, controls to move (label, expected text after the move): a slider
# takes ArrowRight (End for the image side: one pixel more moves the marker less than a pixel),
# a checkbox Space, a text box what TYPED says
EXPLORERS = [
    ("02-parameter-explosion.ipynb", "Parameters of a fully connected network",
     [("image side", "512x512x3 image")]),
    ("04-locality.ipynb", "Sharing and locality on the 3x3 example", [("weight sharing", "sharing on")]),
    ("05-convolution.ipynb", "Convolution explorer", [("stride", "/ 2⌋"), ("kernel size", "(4−1)")]),
    ("06-pooling.ipynb", "Pooling explorer", [("stride", "/ 3⌋")]),
    ("07-backpropagation.ipynb", "Influence of one input cell", [("stride", "feeds 4 output(s)")]),
    ("08-cnn-end-to-end.ipynb", "Receptive field calculator", [("layers", "6\t2")]),
]
# a text control gets this typed into it (then Enter)
TYPED = {"layers": "conv 5 1 2, pool 2 2 0"}
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


KERNEL_IDLE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const kernel = panel && panel.sessionContext && panel.sessionContext.session
        && panel.sessionContext.session.kernel;
    return Boolean(kernel) && kernel.status === 'idle';
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
    """A JupyterLab server on 127.0.0.1; yields its base URL; stops it and its kernels."""
    work = tmp_path_factory.mktemp("lab")
    root = work / "notebooks"
    root.mkdir()
    for notebook, _, _ in EXPLORERS:
        if (ROOT / "notebooks" / notebook).exists():
            shutil.copy(ROOT / "notebooks" / notebook, root / notebook)
    settings = work / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port = _free_port()
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.token=", "--ServerApp.password=", "--LabApp.expose_app_in_browser=True",
           f"--ServerApp.root_dir={root}", f"--LabApp.workspaces_dir={work / 'workspaces'}",
           f"--LabApp.user_settings_dir={work / 'settings'}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(work / "runtime"))
    log = open(work / "server.log", "w")
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _api(f"{base}/api/status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start: {(work / 'server.log').read_text()}")
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


def _settled(read, timeout=60.0, quiet=0.75):
    """Poll ``read()`` until it is non-empty and unchanged for ``quiet`` seconds; return it."""
    start, last, since = time.monotonic(), None, time.monotonic()
    while time.monotonic() - start < timeout:
        value = read()
        if value != last:
            last, since = value, time.monotonic()
        elif value and time.monotonic() - since >= quiet:
            return value
        time.sleep(0.05)
    raise AssertionError(f"no settled value within {timeout} s (last {last!r:.200})")


def _wait_for(read, condition, timeout=30.0):
    """Poll ``read()`` until ``condition(value)``; return (value, seconds waited)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        value = read()
        if condition(value):
            return value, time.monotonic() - start
        time.sleep(0.02)
    raise AssertionError(f"condition not met within {timeout} s (last {value!r:.300})")


def _wait_for_change(read, before, timeout=20.0):
    """Poll ``read()`` until it differs from ``before``; return (value, seconds waited)."""
    return _wait_for(read, lambda value: value != before, timeout)


@pytest.mark.parametrize("notebook, title, moves", EXPLORERS, ids=[e[0][:2] for e in EXPLORERS])
def test_explorer_reacts_to_the_keyboard(notebook, title, moves, lab, tmp_path):
    if not (ROOT / "notebooks" / notebook).exists():
        pytest.skip(f"notebooks/{notebook} does not exist")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = notebook[:2]
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=chromium, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000})
        try:
            page = browser.new_page()
            # a workspace of its own (reset): JupyterLab must not restore the previous test's tabs
            page.goto(f"{lab}/lab/workspaces/nb{stem}/tree/{notebook}?reset")
            page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')",
                                   timeout=90_000)
            # wait for an idle kernel (run-all does nothing before), then run everything; the
            # commands' promises are not awaited (run-all resolves only when all cells are done)
            page.wait_for_function(KERNEL_IDLE, timeout=90_000)
            page.evaluate("() => { window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs'); }")
            page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")

            explorer = page.locator(f".widget-vbox:has(b:text-is('{title}'))").last
            explorer.wait_for(timeout=120_000)
            picture = explorer.locator(".widget-image").first
            texts = explorer.locator(".widget-html")
            picture.wait_for(timeout=30_000)
            explorer.scroll_into_view_if_needed()

            def text():  # the explorer's own text views (skip the title)
                return "\n".join(texts.all_inner_texts()[1:])

            # the first frame: text and picture filled in by the kernel and no longer changing
            _settled(text)
            before_png = _settled(picture.screenshot)
            page.screenshot(path=str(ARTIFACTS / f"{stem}-0-before.png"))
            lags = []
            for k, (label, expected) in enumerate(moves, start=1):
                slider = explorer.locator(".widget-slider", has=page.locator("label", has_text=label))
                if label in TYPED:
                    field = explorer.locator(".widget-text", has_text=label).first.locator("input")
                    field.fill(TYPED[label])
                    field.press("Enter")
                elif slider.count():
                    slider.first.locator(".noUi-handle").focus()
                    page.keyboard.press("End" if label == "image side" else "ArrowRight")
                else:
                    box = explorer.locator(".widget-checkbox", has_text=label).first
                    box.locator("input").focus()
                    page.keyboard.press("Space")
                _, lag = _wait_for(text, lambda t, e=expected: e in t)
                after_png, _ = _wait_for_change(picture.screenshot, before_png)
                page.screenshot(path=str(ARTIFACTS / f"{stem}-{k}-after-{label.replace(' ', '-')}.png"))
                lags.append(f"{label}: {lag * 1000:.0f} ms")
                before_png = after_png
            (ARTIFACTS / f"{stem}-timing.txt").write_text(
                "keypress to the expected explorer text: " + ", ".join(lags) + "\n")
        except Exception:
            page.screenshot(path=str(ARTIFACTS / f"{stem}-failed.png"))
            raise
        finally:
            browser.close()
