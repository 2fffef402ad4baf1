"""Open a page in headless chromium over the DevTools protocol and record what it did.

``--remote-debugging-pipe`` speaks NUL-terminated JSON on fds 3 (to the browser) and 4 (from it), so no
port is opened and no driver package is needed. Console messages, uncaught exceptions, CSP violations
and every request are per-page events, which tells the page's requests apart from the browser's own
background traffic. A proxy on a closed loopback port makes every request fail locally.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--proxy-server=127.0.0.1:9",  # nothing listens there: no request can leave the machine
)
CONSOLE_EVENTS = ("Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded")


def find_chromium() -> tuple[str | None, str]:
    """chromium's path, installing it with scripts/ensure_chromium.sh when missing (root with apt only)."""
    found = shutil.which("chromium")
    if found:
        return found, ""
    done = subprocess.run(
        ["bash", str(REPO / "scripts" / "ensure_chromium.sh")], capture_output=True, text=True, timeout=1200
    )
    return shutil.which("chromium"), done.stderr.strip()


@dataclass(frozen=True)
class PageVisit:
    url: str
    requests: list[str]  # every URL the page asked for, its own first
    console: list[str]  # console calls, uncaught exceptions, browser log entries (CSP, failed loads)
    screenshot: bytes  # PNG of the viewport


class _Pipe:
    def __init__(self, write_fd: int, read_fd: int) -> None:
        self.write_fd, self.read_fd = write_fd, read_fd
        self.buffer = b""
        self.messages: list[dict[str, Any]] = []
        self.next_id = 0

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> int:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        return self.next_id

    def wait_for(self, wanted: Callable[[dict[str, Any]], bool], timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                message = json.loads(raw)
                self.messages.append(message)
                if wanted(message):
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("chromium did not answer over the DevTools pipe")
            ready, _, _ = select.select([self.read_fd], [], [], remaining)
            if ready:
                chunk = os.read(self.read_fd, 1 << 16)
                if not chunk:
                    raise EOFError("chromium closed the DevTools pipe")
                self.buffer += chunk

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        call_id = self.send(method, params, session)
        answer = self.wait_for(lambda m: m.get("id") == call_id, timeout=60)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer["result"]  # type: ignore[no-any-return]


def _describe(event: dict[str, Any]) -> str:
    params = event["params"]
    if event["method"] == "Log.entryAdded":
        return f"{params['entry']['level']}: {params['entry']['text']}"
    if event["method"] == "Runtime.exceptionThrown":
        details = params["exceptionDetails"]
        return f"exception: {details.get('exception', {}).get('description') or details.get('text')}"
    return f"console.{params['type']}: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])


def visit(chromium: str, page: Path, profile: Path, width: int = 1200, height: int = 2000) -> PageVisit:
    """Load ``page`` at ``width``×``height``, wait for its load event, screenshot it, close the browser."""
    to_browser_read, to_browser_write = os.pipe()
    from_browser_read, from_browser_write = os.pipe()

    def wire_fds() -> None:
        os.dup2(to_browser_read, 3)
        os.dup2(from_browser_write, 4)

    browser = subprocess.Popen(
        [chromium, *BROWSER_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
        pass_fds=(3, 4),
        preexec_fn=wire_fds,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(to_browser_read)
    os.close(from_browser_write)
    pipe = _Pipe(to_browser_write, from_browser_read)
    url = page.as_uri()
    try:
        target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            pipe.call(f"{domain}.enable", session=session)
        pipe.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        pipe.call("Page.navigate", {"url": url}, session=session)
        pipe.wait_for(lambda m: m.get("method") == "Page.loadEventFired" and m.get("sessionId") == session, timeout=60)
        png = base64.b64decode(pipe.call("Page.captureScreenshot", {"format": "png"}, session=session)["data"])
        pipe.send("Browser.close")
        browser.wait(timeout=30)
    finally:
        if browser.poll() is None:
            browser.kill()
            browser.wait()
        os.close(to_browser_write)
        os.close(from_browser_read)
    events = [m for m in pipe.messages if m.get("sessionId") == session and "method" in m]
    return PageVisit(
        url=url,
        requests=[e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"],
        console=[_describe(e) for e in events if e["method"] in CONSOLE_EVENTS],
        screenshot=png,
    )
