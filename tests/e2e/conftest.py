"""Browser tests: the seed story in Chromium against the app served by gunicorn.

They need a server and a browser, so the default run leaves this folder out (``--ignore`` in
setup.cfg); ``make e2e`` runs them with ``pytest tests/e2e``. Each test module is a story whose
tests run in order and share what earlier steps created: once a step fails, the later steps of
that story are reported as skipped rather than failing for the same reason.

Debian's Chromium is used (Playwright's own browser download is not available everywhere):
``E2E_CHROMIUM`` names another executable.
"""
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
# Each run's pictures go to build/ (ignored by git); `make guide` refreshes docs/guide, whose
# pictures carry dates and would otherwise change in git on every run.
GUIDE = Path(os.environ.get("E2E_SCREENSHOTS", ROOT / "build" / "e2e-screenshots"))
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
# The browser's own words (the file chooser's button) in Chinese too, with chromium-l10n.
CHROMIUM_ENV = {**os.environ, "LANGUAGE": "zh_CN:zh"}
PASSWORD = "demo2026"

# Viewports (CSS pixels): a common phone, a 10.9" tablet in portrait, an office desktop.
DEVICES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "tablet": {"viewport": {"width": 820, "height": 1180}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}

expect.set_options(timeout=10_000)


# --- stories: steps in order, later steps skipped once one fails ---------------------------

@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.module.__dict__.setdefault("_failed_step", item.name)
    return report


def pytest_runtest_setup(item):
    failed = item.module.__dict__.get("_failed_step")
    if failed:
        pytest.skip(f"an earlier step of this story failed: {failed}")


# --- the server ----------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args: list[str], env: dict) -> None:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def _python(module: str, clock: str | None) -> list[str]:
    """``python -m module``, with the clock moved to ``clock`` when the run has one."""
    if clock:
        return [sys.executable, "-m", "tests.e2e.clocked", clock, module]
    return [sys.executable, "-m", module]


@pytest.fixture(scope="session")
def server(tmp_path_factory, pytestconfig) -> str:
    """A fresh SQLite database with the story's people and places, served by gunicorn (with
    the clock of ``pytest --clock`` when given)."""
    clock = pytestconfig.getoption("--clock")
    from tracker.documents.signing import ensure_demo_identity

    folder = tmp_path_factory.mktemp("e2e")
    identity = ensure_demo_identity(folder / "signing")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ,
           "DATABASE_URL": f"sqlite:///{folder / 'e2e.sqlite'}",
           "SECRET_KEY": "e2e-not-secret",
           "SIGNING_CERT": str(identity.cert_path), "SIGNING_KEY": str(identity.key_path),
           "PUBLIC_BASE_URL": base_url, "DEFAULT_LOCALE": "zh",
           "DISPLAY_TIMEZONE": "Asia/Shanghai", "MAIL_SERVER": "",
           "CACHE_DIR": str(folder / "cache")}
    _run(_python("tests.e2e.world", clock), env)  # migrate, then people and places
    log = (folder / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [*_python("gunicorn", clock), "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--access-logfile", "-", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start; see "
                                       f"{folder / 'gunicorn.log'}") from None
                time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Browser:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             env=CHROMIUM_ENV)
        yield browser
        browser.close()


# --- people at their devices ---------------------------------------------------------------

@dataclass
class People:
    """Opens a page for a person on a device; closes every page when the test ends.

    A person logs in through the form once; later pages of theirs, on any device, start from
    that session's cookies (each login through the form takes most of a second).
    """
    browser: Browser
    base_url: str
    sessions: dict
    contexts: list = field(default_factory=list)

    def anonymous(self, device: str = "desktop", session=None) -> Page:
        context = self.browser.new_context(base_url=self.base_url, locale="zh-CN",
                                           timezone_id="Asia/Shanghai", storage_state=session,
                                           **DEVICES[device])
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        return context.new_page()

    def login(self, username: str, device: str = "desktop") -> Page:
        if username in self.sessions:
            page = self.anonymous(device, session=self.sessions[username])
            page.goto("/")
        else:
            page = self.anonymous(device)
            page.goto("/login")
            page.get_by_label("手机号或用户名").fill(username)
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("button", name="退出登录")).to_be_visible()
        self.sessions[username] = page.context.storage_state()
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture(scope="session")
def sessions() -> dict:
    return {}


@pytest.fixture
def people(browser, server, sessions):
    opened = People(browser, server, sessions)
    yield opened
    opened.close()


# --- checks and pictures -------------------------------------------------------------------

def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a picture for the guide as <GUIDE>/<name>.png, in at most 256 colours (a page of
    text loses nothing visible, the file a good deal of its size). Every page pictured on a
    phone is checked for sideways scrolling and unlabelled fields first."""
    if page.viewport_size["width"] == DEVICES["phone"]["viewport"]["width"]:
        assert_fits_and_labelled(page)
    GUIDE.mkdir(parents=True, exist_ok=True)
    png = page.screenshot(full_page=full_page, animations="disabled", caret="hide")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    path = GUIDE / f"{name}.png"
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE) \
        .save(path, optimize=True)
    return path


def assert_fits_and_labelled(page: Page) -> None:
    """Nothing scrolls sideways, and every visible form field has a visible label with text."""
    # Measured once the page and its stylesheets have loaded: a page whose text is already
    # there (what the caller waited for) may not be laid out by its CSS yet — the verdict's
    # long hash is one unbroken line until the stylesheet wraps it.
    page.wait_for_load_state("load")
    widths = page.evaluate("() => [document.documentElement.scrollWidth,"
                           " document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], (
        f"{page.url} overflows horizontally at {page.viewport_size['width']} px: "
        f"content {widths[0]} px wide, viewport {widths[1]} px; widest elements: "
        f"{page.evaluate(_WIDEST)}")
    unlabelled = page.evaluate(_UNLABELLED)
    assert not unlabelled, f"{page.url}: form fields without a visible label: {unlabelled}"


_UNLABELLED = """() => {
  // Not displayed, folded away in a closed <details>, or visibility: hidden all count as unseen.
  const shown = el => el.checkVisibility({visibilityProperty: true})
    && el.getClientRects().length > 0;
  const fields = [...document.querySelectorAll('input, select, textarea')].filter(el =>
    !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type) && shown(el));
  return fields.filter(el => {
    const labels = [...(el.labels || [])];
    const named = (el.getAttribute('aria-labelledby') || '').split(/\\s+/)
      .map(id => id && document.getElementById(id)).filter(Boolean);
    return ![...labels, ...named].some(l => shown(l) && l.innerText.trim().length > 0);
  }).map(el => el.name || el.id || el.outerHTML.slice(0, 80));
}"""

_WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5)
    .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (typeof el.className === 'string' && el.className
         ? '.' + el.className.split(' ').join('.') : '')
      + ' right=' + Math.round(el.getBoundingClientRect().right));
}"""


def check_on_devices(people: People, username: str, path: str, prepare=None) -> None:
    """Open ``path`` as ``username`` on a phone and on a tablet and check its layout and labels;
    ``prepare(page)`` may first open what is folded away (a <details> with a form)."""
    for device in ("phone", "tablet"):
        page = people.login(username, device)
        page.goto(path)
        if prepare:
            prepare(page)
        assert_fits_and_labelled(page)
        page.context.close()
        people.contexts.remove(page.context)


def flash(page: Page):
    """The success message shown after an action."""
    return page.locator(".flash-success")


def photo(path: Path, colour: tuple[int, int, int]) -> Path:
    """A small JPEG standing in for a phone photo (a pump house: a box, a pipe, a gauge)."""
    image = Image.new("RGB", (480, 360), (196, 210, 222))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 250, 480, 360), fill=(120, 128, 110))
    draw.rectangle((120, 120, 300, 280), fill=colour, outline=(40, 40, 40), width=4)
    draw.rectangle((300, 170, 460, 200), fill=(90, 90, 100))
    draw.ellipse((170, 150, 250, 230), fill=(235, 235, 235), outline=(40, 40, 40), width=3)
    draw.line((210, 190, 235, 160), fill=(200, 30, 30), width=3)
    image.save(path, format="JPEG", quality=85)
    return path
