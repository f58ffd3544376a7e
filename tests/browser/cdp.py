#!/usr/bin/env python3
"""Open one page in headless Chromium and report what happened, for tests/suite/html_report.rs.

usage: cdp.py CHROMIUM URL < plan.json > result.json

The plan is {"evaluate": {name: js}, "print_evaluate": {name: js}, "window": [w, h],
"screenshots": [{"path", "x", "y", "width", "height"}], "print_screenshots": [...]}.
The result is {"console", "exceptions", "log", "requests", "values", "print_values"}:
console messages, uncaught exceptions, browser log entries (CSP violations, failed loads),
the URL of every request the page made, and the value of each expression on screen and with
print media emulated.

Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe: commands on
fd 3, replies on fd 4, each a JSON text ended by NUL), which needs nothing but the standard
library. The machine may have no network; Chromium is told not to try.
"""

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

TIMEOUT = float(os.environ.get("PRMLINT_BROWSER_TIMEOUT", "90"))


class Browser:
    def __init__(self, chromium, window):
        self.profile = tempfile.mkdtemp(prefix="prmlint-chromium-")
        commands_r, self.commands = os.pipe()
        self.replies, replies_w = os.pipe()

        def place_pipes():
            # Lift both ends above 3 and 4 first, so that neither dup2 closes the other.
            high_r = fcntl.fcntl(commands_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(replies_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
                f"--user-data-dir={self.profile}",
                f"--window-size={window[0]},{window[1]}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
            preexec_fn=place_pipes,
            pass_fds=(3, 4),
        )
        os.close(commands_r)
        os.close(replies_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.deadline = time.monotonic() + TIMEOUT

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def read(self):
        while b"\0" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"Chromium did not answer within {TIMEOUT:.0f}s")
            ready, _, _ = select.select([self.replies], [], [], left)
            if ready:
                chunk = os.read(self.replies, 1 << 16)
                if not chunk:
                    self.stderr.seek(0)
                    log = self.stderr.read().decode(errors="replace")[-2000:]
                    raise RuntimeError(f"Chromium closed the DevTools pipe:\n{log}")
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, method, session):
        for i, event in enumerate(self.events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            event = self.read()
            if event.get("method") == method and event.get("sessionId") == session:
                return event
            self.events.append(event)

    def drain(self, seconds):
        """Collect events for a while, so late console messages are not missed."""
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.replies], [], [], left)[0]:
                if b"\0" not in self.buffer:
                    return
            self.events.append(self.read())

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:  # noqa: BLE001 - closing is best effort
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def evaluate(browser, session, expressions):
    values = {}
    for name, expression in expressions.items():
        result = browser.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True},
            session,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{name}: {result['exceptionDetails']}")
        values[name] = result["result"].get("value")
    return values


def screenshots(browser, session, shots):
    for shot in shots:
        clip = {k: shot[k] for k in ("x", "y", "width", "height")}
        clip["scale"] = 1
        data = browser.send(
            "Page.captureScreenshot",
            {"format": "png", "clip": clip, "captureBeyondViewport": True},
            session,
        )["data"]
        with open(shot["path"], "wb") as f:
            f.write(base64.b64decode(data))


def main():
    chromium, url = sys.argv[1], sys.argv[2]
    plan = json.load(sys.stdin)
    browser = Browser(chromium, plan.get("window", [1280, 2000]))
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send(
            "Target.attachToTarget", {"targetId": target, "flatten": True}
        )["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", {}, session)
        browser.send("Page.navigate", {"url": url}, session)
        browser.wait_for("Page.loadEventFired", session)
        browser.drain(0.5)
        values = evaluate(browser, session, plan.get("evaluate", {}))
        screenshots(browser, session, plan.get("screenshots", []))
        browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session)
        print_values = evaluate(browser, session, plan.get("print_evaluate", {}))
        screenshots(browser, session, plan.get("print_screenshots", []))
        browser.drain(0.2)
        events = [e for e in browser.events if e.get("sessionId") == session]
        result = {
            "console": [
                {
                    "type": e["params"]["type"],
                    "text": " ".join(
                        str(a.get("value", a.get("description", "")))
                        for a in e["params"].get("args", [])
                    ),
                }
                for e in events
                if e.get("method") == "Runtime.consoleAPICalled"
            ],
            "exceptions": [
                e["params"]["exceptionDetails"].get("text", "")
                + " "
                + str(
                    e["params"]["exceptionDetails"]
                    .get("exception", {})
                    .get("description", "")
                )
                for e in events
                if e.get("method") == "Runtime.exceptionThrown"
            ],
            "log": [
                {
                    "level": e["params"]["entry"]["level"],
                    "source": e["params"]["entry"]["source"],
                    "text": e["params"]["entry"]["text"],
                }
                for e in events
                if e.get("method") == "Log.entryAdded"
            ],
            "requests": [
                e["params"]["request"]["url"]
                for e in events
                if e.get("method") == "Network.requestWillBeSent"
            ],
            "values": values,
            "print_values": print_values,
        }
    finally:
        browser.close()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
