"""A real browser moves the convolution explorer's sliders in a running JupyterLab.

JupyterLab is started on 127.0.0.1 (a free port, no token, temporary workspace and settings
directories, a temporary copy of the notebooks so autosave never touches the repository),
notebook 05 is opened in headless Chromium driven by Playwright, all cells run, and the
keyboard moves the stride and kernel-size sliders; the rendered picture and the formula text
must change. Screenshots go to ``artifacts/browser/``. The test shuts down the kernel and the
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
NOTEBOOK = "05-convolution.ipynb"
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
    if not (ROOT / "notebooks" / NOTEBOOK).exists():
        pytest.skip(f"notebooks/{NOTEBOOK} does not exist")
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
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, root / NOTEBOOK)
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


def _wait_for_change(read, before, timeout=20.0):
    """Poll ``read()`` until it differs from ``before``; return (value, seconds waited)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        value = read()
        if value != before:
            return value, time.monotonic() - start
        time.sleep(0.02)
    raise AssertionError(f"nothing changed within {timeout} s (still {before!r:.200})")


def test_convolution_explorer_reacts_to_the_keyboard(lab, tmp_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=chromium, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000})
        try:
            page = browser.new_page()
            page.goto(f"{lab}/lab/tree/{NOTEBOOK}")
            page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')",
                                   timeout=90_000)
            # wait for an idle kernel (run-all does nothing before), then run everything; the
            # commands' promises are not awaited (run-all resolves only when all cells are done)
            page.wait_for_function(KERNEL_IDLE, timeout=90_000)
            page.evaluate("() => { window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs'); }")
            page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")

            stride = page.locator(".widget-slider", has=page.locator("label", has_text="stride")).first
            kernel = page.locator(".widget-slider", has=page.locator("label", has_text="kernel size")).first
            formula = page.locator(".widget-html pre").first
            picture = page.locator(".widget-image").last
            stride.wait_for(timeout=120_000)
            picture.wait_for(timeout=30_000)
            stride.scroll_into_view_if_needed()
            page.wait_for_function(
                "[...document.querySelectorAll('.widget-html pre')].some(e => e.textContent.includes('Ho ='))",
                timeout=30_000)
            time.sleep(1.0)  # let the first frame settle

            def frame():
                return picture.screenshot()

            text0, png0 = formula.inner_text(), frame()
            page.screenshot(path=str(ARTIFACTS / "1-before.png"))
            assert "= 5" in text0  # the sources' 7x7 * 3x3 -> 5x5 example

            stride.locator(".noUi-handle").focus()
            page.keyboard.press("ArrowRight")  # stride 1 -> 2
            text1, lag = _wait_for_change(formula.inner_text, text0)
            png1, _ = _wait_for_change(frame, png0)
            page.screenshot(path=str(ARTIFACTS / "2-after-stride.png"))
            assert "/ 2⌋" in text1 and text1.rstrip().endswith("= 3"), text1  # floor(4 / 2) + 1

            kernel.locator(".noUi-handle").focus()
            page.keyboard.press("ArrowRight")  # kernel 3 -> 4
            text2, _ = _wait_for_change(formula.inner_text, text1)
            png2, _ = _wait_for_change(frame, png1)
            page.screenshot(path=str(ARTIFACTS / "3-after-kernel.png"))
            assert "(4−1)" in text2, text2
            assert len({png0, png1, png2}) == 3
            (ARTIFACTS / "timing.txt").write_text(f"keypress to new formula text: {lag * 1000:.0f} ms\n")
        finally:
            browser.close()
