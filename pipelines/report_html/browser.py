"""Headless Chromium driven over the DevTools protocol on a pipe (no port, no network): open the
report, collect console errors and any request leaving the file, measure its charts, print it to
PDF. `kinerja report --pdf` and the tests use it."""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.errors import KinerjaError

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
         "--disable-extensions", "--remote-debugging-pipe"]
TIMEOUT = 60.0  # seconds for any one step
# Runs in the child: put the two pipe ends at fds 3 and 4, then become Chromium.
_AT_3_AND_4 = "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); os.execv(sys.argv[3], sys.argv[3:])"

# Printed at the foot of every PDF page (inside the page's bottom margin): the title and "halaman 2 dari 9".
FOOTER = ('<div style="font: 7.5pt \'DejaVu Sans\', sans-serif; width: 100%; margin: 0 12mm; color: #333;'
          ' display: flex; justify-content: space-between"><span class="title"></span>'
          '<span>halaman <span class="pageNumber"></span> dari <span class="totalPages"></span></span></div>')
# Each chart: present, drawn with a size, and captioned (figure.chart > svg + figcaption).
_CHARTS = """
Array.from(document.querySelectorAll('figure.chart')).map(f => {
  const svg = f.querySelector('svg'), cap = f.querySelector('figcaption'), box = svg ? svg.getBoundingClientRect() : null;
  return {id: f.id, width: box ? box.width : 0, height: box ? box.height : 0,
          caption: cap ? cap.textContent.trim() : '', labelled: svg ? svg.getAttribute('aria-labelledby') : null};
})
"""


def executable() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise KinerjaError("Chromium is not installed (Debian: apt-get install chromium); it prints the report to PDF")


@dataclass
class Page:
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    charts: list[dict] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # what open(evaluate=...) asked for
    pdf: bytes = b""

    @property
    def outside_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(("file:", "data:", "about:"))]


class Chromium:
    """One headless browser with a fresh profile, closed on exit."""

    def __init__(self):
        chromium = executable()
        self._profile = tempfile.mkdtemp(prefix="kinerja-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # --remote-debugging-pipe reads fd 3 and writes fd 4. The child's ends are first moved to
        # fds >= 10, so putting them at 3 and 4 can never overwrite one with the other.
        child = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_browser_r, from_browser_w)]
        for fd in (to_browser_r, from_browser_w):
            os.close(fd)
        self._process = subprocess.Popen(
            [sys.executable, "-c", _AT_3_AND_4, *map(str, child), chromium, *FLAGS,
             f"--user-data-dir={self._profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=child,
        )
        for fd in child:
            os.close(fd)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._process.poll() is None:
            try:
                self._send("Browser.close")
            except KinerjaError:
                pass
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self._profile, ignore_errors=True)

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise KinerjaError(f"Chromium {method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            self._events.append(reply)

    def _receive(self) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(left, 0))
            chunk = os.read(self._from_browser, 1 << 16) if ready else b""
            if not chunk:
                raise KinerjaError("Chromium stopped answering" if ready else "Chromium did not answer in time")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def _wait_for(self, method: str, session: str) -> None:
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == session:
                    del self._events[i]
                    return
            self._events.append(self._receive())

    def open(self, path: Path, pdf: bool = False, evaluate: dict[str, str] | None = None) -> Page:
        """Load a local file, wait for it, and report what happened (and the value of each of the
        `evaluate` JavaScript expressions, by name, in Page.values)."""
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self._send(f"{domain}.enable", session=session)
        self._events.clear()
        self._send("Page.navigate", {"url": path.resolve().as_uri()}, session=session)
        self._wait_for("Page.loadEventFired", session)
        charts = self._send("Runtime.evaluate", {"expression": _CHARTS, "returnByValue": True},
                            session=session)["result"]["value"]
        page = Page(charts=charts)
        for name, expression in (evaluate or {}).items():
            page.values[name] = self._send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                                           session=session)["result"].get("value")
        if pdf:
            printed = self._send("Page.printToPDF", {
                "printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": True,
                "headerTemplate": "<span></span>", "footerTemplate": FOOTER}, session=session)
            page.pdf = base64.b64decode(printed["data"])
        for event in self._events:
            _collect(page, event)
        self._send("Target.closeTarget", {"targetId": target})
        return page


def _collect(page: Page, event: dict) -> None:
    method, params = event.get("method"), event.get("params", {})
    if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
        page.console_errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
    elif method == "Runtime.exceptionThrown":
        page.console_errors.append(params["exceptionDetails"].get("text", "exception"))
    elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
        page.console_errors.append(params["entry"].get("text", ""))
    elif method == "Network.requestWillBeSent":
        page.requests.append(params["request"]["url"])


def print_pdf(html: Path, pdf: Path) -> Page:
    """A page (the report, an explain slip) as the PDF HR circulates, numbered; refuses a page that
    logged errors or reached outside."""
    with Chromium() as browser:
        page = browser.open(html, pdf=True)
    if page.console_errors or page.outside_requests:
        raise KinerjaError(f"{html.name} did not render cleanly: {page.console_errors + page.outside_requests}")
    partial = pdf.with_name(pdf.name + ".part")
    partial.write_bytes(page.pdf)
    os.replace(partial, pdf)
    return page
