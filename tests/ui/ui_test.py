#!/usr/bin/env python3
"""Real-window UI test of the desktop app, driven through tauri-driver (W3C WebDriver).

Scenario: sign in, lose the server, create an account offline, see it in the portfolio
with a pending change, bring the server back, sync, and see the pending count go back to
zero with a last sync time. A screenshot is written at the end, and on failure, to
$CRM_SHOT_DIR/ui-final.png (with the page's HTML next to it).

Only the Python standard library is used. `tests/ui/run.sh` sets up the server,
tauri-driver and the environment; to run this file by hand, set:

  CRM_APP                 path of the built crm-desktop binary
  CRM_SERVER_URL          e.g. http://127.0.0.1:8080
  CRM_EMAIL, CRM_PASSWORD an existing user of that server
  CRM_SHOT_DIR            where to write screenshots
  CRM_SERVER_STOP_CMD     shell command that takes the server down
  CRM_SERVER_START_CMD    shell command that brings it back (returns at once)
  CRM_WEBDRIVER_URL       optional, default http://127.0.0.1:4444

The last line printed is "N passed, M failed"; the exit status is non-zero on failure.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any, Callable

POLL_SECONDS = 0.2
WAIT_SECONDS = 20.0
HTTP_TIMEOUT_SECONDS = 120.0
ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"

ACCOUNT_NAME = "Boulangerie Dupont UI"
NEVER_SYNCED = ("Jamais synchronisé", "Never synced")


class WebDriverError(Exception):
    """The driver answered with a W3C error."""

    def __init__(self, error: str, message: str):
        super().__init__(f"{error}: {message}")
        self.error = error


class CheckFailed(Exception):
    """A check of the scenario failed; the message says what was expected and seen."""


# ---------------------------------------------------------------------------------------
# A minimal W3C WebDriver client
# ---------------------------------------------------------------------------------------


def http(method: str, url: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json; charset=utf-8")
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
            payload = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            payload = json.loads(error.read() or b"{}")
        except ValueError:
            raise WebDriverError("http error", f"{error.code} {error.reason} on {method} {url}") from None
        value = payload.get("value") or {}
        raise WebDriverError(value.get("error", str(error.code)), value.get("message", "")) from None
    return payload.get("value")


class Session:
    def __init__(self, base_url: str, application: str):
        self.base_url = base_url.rstrip("/")
        capabilities = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "wry",
                    "tauri:options": {"application": application},
                }
            }
        }
        value = http("POST", f"{self.base_url}/session", capabilities)
        self.id = value["sessionId"]

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        return http(method, f"{self.base_url}/session/{self.id}{path}", body)

    def find(self, css: str) -> str | None:
        """The element id of the first match, or None."""
        try:
            value = self._call("POST", "/element", {"using": "css selector", "value": css})
        except WebDriverError as error:
            if error.error == "no such element":
                return None
            raise
        return value[ELEMENT_KEY]

    def displayed(self, element: str) -> bool:
        try:
            return bool(self._call("GET", f"/element/{element}/displayed"))
        except WebDriverError as error:
            if error.error == "stale element reference":
                return False
            raise

    def click(self, element: str) -> None:
        self._call("POST", f"/element/{element}/click", {})

    def type(self, element: str, text: str) -> None:
        self._call("POST", f"/element/{element}/clear", {})
        self._call("POST", f"/element/{element}/value", {"text": text})

    def script(self, source: str, *args: Any) -> Any:
        return self._call("POST", "/execute/sync", {"script": source, "args": list(args)})

    def screenshot(self, path: str) -> None:
        png = base64.b64decode(self._call("GET", "/screenshot"))
        with open(path, "wb") as file:
            file.write(png)

    def close(self) -> None:
        try:
            self._call("DELETE", "")
        except (WebDriverError, OSError):
            pass


# ---------------------------------------------------------------------------------------
# Waits and page queries
# ---------------------------------------------------------------------------------------


def wait_until(description: str, probe: Callable[[], Any], timeout: float = WAIT_SECONDS) -> Any:
    """Calls `probe` every 200 ms until it returns something truthy, or fails after `timeout`.

    `probe` may return (ok, seen): `seen` is what the failure message shows.
    """
    deadline = time.monotonic() + timeout
    seen: Any = None
    last_error: Exception | None = None
    while True:
        try:
            result = probe()
            if isinstance(result, tuple):
                ok, seen = result
            else:
                ok, seen = result, result
            if ok:
                return seen
            last_error = None
        except (WebDriverError, OSError) as error:
            last_error = error
        if time.monotonic() >= deadline:
            detail = f"last error: {last_error}" if last_error else f"last seen: {seen!r}"
            raise CheckFailed(f"timed out after {timeout:.0f} s waiting for {description} ({detail})")
        time.sleep(POLL_SECONDS)


def text_of(session: Session, css: str) -> str | None:
    return session.script(
        "const el = document.querySelector(arguments[0]); return el ? el.textContent.trim() : null;", css
    )


def attribute_of(session: Session, css: str, name: str) -> str | None:
    return session.script(
        "const el = document.querySelector(arguments[0]); return el ? el.getAttribute(arguments[1]) : null;",
        css,
        name,
    )


def wait_visible(session: Session, css: str) -> str:
    """Waits until `css` matches a displayed element and returns its id."""

    def probe() -> tuple[bool, Any]:
        element = session.find(css)
        if element is None:
            return False, "not in the page"
        if not session.displayed(element):
            return False, "in the page but hidden"
        return True, element

    return wait_until(f"{css} to be visible", probe)


def pending_count(session: Session) -> int | None:
    text = text_of(session, "#pending-count")
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def run_command(name: str) -> None:
    command = os.environ[name]
    print(f"  $ {command}", flush=True)
    completed = subprocess.run(command, shell=True, stdin=subprocess.DEVNULL, timeout=60)
    if completed.returncode != 0:
        raise CheckFailed(f"{name} exited with status {completed.returncode}")


# ---------------------------------------------------------------------------------------
# The scenario
# ---------------------------------------------------------------------------------------


class Report:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, description: str, step: Callable[[], Any]) -> Any:
        """Runs one check; a failure is recorded, then re-raised to stop the scenario."""
        print(f"- {description} ...", flush=True)
        try:
            result = step()
        except Exception as error:  # noqa: BLE001 - every failure is reported the same way
            self.failed += 1
            print(f"  FAIL: {error}", flush=True)
            raise
        self.passed += 1
        print("  ok", flush=True)
        return result


def scenario(session: Session, report: Report) -> None:
    env = os.environ

    report.check("the sign-in form is shown", lambda: wait_visible(session, "#login-form"))

    def sign_in() -> None:
        session.type(wait_visible(session, "#login-form input[name=server]"), env["CRM_SERVER_URL"])
        session.type(wait_visible(session, "#login-form input[name=email]"), env["CRM_EMAIL"])
        session.type(wait_visible(session, "#login-form input[name=password]"), env["CRM_PASSWORD"])
        session.click(wait_visible(session, "#login-form button[type=submit]"))

        def signed_in() -> tuple[bool, Any]:
            error = text_of(session, "#login-form .form-error")
            if error:
                raise CheckFailed(f"sign-in was refused: {error}")
            name = text_of(session, "#user-name")
            return bool(name) and session.find("#account-list") is not None, name

        name = wait_until("the header to show the signed-in user and the portfolio", signed_in)
        print(f"  signed in as {name}")

    report.check("signing in shows the header and the portfolio", sign_in)

    # Seen online first, so that "offline" below is caused by stopping the server.
    report.check(
        "the badge says online once signed in",
        lambda: wait_until(
            '#online-badge[data-online="true"] after signing in',
            lambda: (session.find('#online-badge[data-online="true"]') is not None, text_of(session, "#online-badge")),
        ),
    )

    def go_offline() -> None:
        run_command("CRM_SERVER_STOP_CMD")
        wait_until(
            '#online-badge[data-online="false"] once the server is down',
            lambda: (session.find('#online-badge[data-online="false"]') is not None, text_of(session, "#online-badge")),
        )

    report.check("the badge says offline when the server is down", go_offline)
    last_sync_offline = attribute_of(session, "#last-sync", "data-at") or ""

    def create_account() -> None:
        session.click(wait_visible(session, "#new-account-button"))
        wait_visible(session, "#account-form")
        session.type(wait_visible(session, "#account-form input[name=name]"), ACCOUNT_NAME)
        chosen = session.script(
            "const s = document.querySelector('#account-form select[name=kind]');"
            "s.value = arguments[0]; s.dispatchEvent(new Event('change', {bubbles: true})); return s.value;",
            "customer",
        )
        if chosen != "customer":
            raise CheckFailed(f"could not choose the kind 'customer' (select says {chosen!r})")
        session.type(wait_visible(session, "#account-form input[name=city]"), "Lyon")
        session.click(wait_visible(session, "#account-form button[type=submit]"))

        def row_listed() -> tuple[bool, Any]:
            error = text_of(session, "#account-form .form-error")
            if error:
                raise CheckFailed(f"the form was refused: {error}")
            rows = session.script(
                "return [...document.querySelectorAll('#account-list li.account-row')]"
                ".map(li => ({id: li.dataset.id, text: li.textContent}));"
            )
            match = [row for row in rows if ACCOUNT_NAME in row["text"]]
            return bool(match and match[0]["id"]), [row["text"] for row in rows]

        wait_until(f"a row '{ACCOUNT_NAME}' in #account-list", row_listed)

    report.check("an account created offline appears in the portfolio", create_account)

    report.check(
        "the pending count is at least 1",
        lambda: wait_until(
            "#pending-count >= 1",
            lambda: ((pending_count(session) or 0) >= 1, text_of(session, "#pending-count")),
        ),
    )

    def come_back_online() -> None:
        run_command("CRM_SERVER_START_CMD")
        wait_until(
            '#online-badge[data-online="true"] once the server is back',
            lambda: (session.find('#online-badge[data-online="true"]') is not None, text_of(session, "#online-badge")),
        )

    report.check("the badge says online when the server is back", come_back_online)

    def sync() -> None:
        # The app syncs by itself when it comes back online; the button only makes sure.
        if (pending_count(session) or 0) > 0:
            button = session.find("#sync-button")
            if button and session.script("return !document.querySelector('#sync-button').disabled;"):
                session.click(button)
        wait_until(
            '#pending-count to be "0"',
            lambda: (text_of(session, "#pending-count") == "0", text_of(session, "#pending-count")),
        )

    report.check("syncing sends the pending change", sync)

    def last_sync_shown() -> None:
        def probe() -> tuple[bool, Any]:
            text = text_of(session, "#last-sync")
            at = attribute_of(session, "#last-sync", "data-at") or ""
            fresh = at != "" and at != last_sync_offline
            return (bool(text) and text not in NEVER_SYNCED and fresh, {"text": text, "data-at": at})

        seen = wait_until("#last-sync to show a sync newer than the offline period", probe)
        print(f"  last sync: {seen['text']}")

    report.check("the last sync time is shown", last_sync_shown)

    def no_sync_error() -> None:
        error = text_of(session, "#sync-error")
        hidden = session.script("const e = document.querySelector('#sync-error'); return !e || e.hidden;")
        if not hidden and error:
            raise CheckFailed(f"#sync-error still shows: {error}")

    report.check("no sync error is left on screen", no_sync_error)


def save_artifacts(session: Session, shot_dir: str) -> None:
    os.makedirs(shot_dir, exist_ok=True)
    png = os.path.join(shot_dir, "ui-final.png")
    try:
        session.screenshot(png)
        print(f"screenshot: {png}")
    except (WebDriverError, OSError) as error:
        print(f"could not take a screenshot: {error}")
    try:
        html = session.script("return document.documentElement.outerHTML;")
        with open(os.path.join(shot_dir, "ui-final.html"), "w", encoding="utf-8") as file:
            file.write(html or "")
    except (WebDriverError, OSError) as error:
        print(f"could not save the page's HTML: {error}")


def main() -> int:
    missing = [
        name
        for name in (
            "CRM_APP",
            "CRM_SERVER_URL",
            "CRM_EMAIL",
            "CRM_PASSWORD",
            "CRM_SERVER_STOP_CMD",
            "CRM_SERVER_START_CMD",
        )
        if not os.environ.get(name)
    ]
    if missing:
        print(f"ui_test.py: missing environment variables: {', '.join(missing)}", file=sys.stderr)
        print("0 passed, 1 failed")
        return 2

    shot_dir = os.environ.get("CRM_SHOT_DIR") or "target/ui-artifacts"
    report = Report()
    try:
        session = Session(os.environ.get("CRM_WEBDRIVER_URL", "http://127.0.0.1:4444"), os.environ["CRM_APP"])
    except (WebDriverError, OSError) as error:
        print(f"could not open a WebDriver session (is tauri-driver running?): {error}")
        print("0 passed, 1 failed")
        return 1

    started = time.monotonic()
    try:
        scenario(session, report)
    except Exception as error:  # noqa: BLE001 - reported below, with the screenshot
        if report.failed == 0:
            # A failure outside any check (for example the driver going away).
            report.failed += 1
            print(f"FAIL: {error}")
    finally:
        save_artifacts(session, shot_dir)
        session.close()

    print(f"scenario took {time.monotonic() - started:.1f} s")
    print(f"{report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
