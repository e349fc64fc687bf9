"""A minimal W3C WebDriver client and the helpers the UI tests share.

Only the Python standard library is used. `ui_test.py`, `pipeline_test.py`,
`account_test.py` and `import_test.py` import this module; `tests/ui/run.sh` runs them one
after the other, each in its own session of the real app (started by tauri-driver).

Every test prints "N passed, M failed" as its last line and exits non-zero on failure.
"""

from __future__ import annotations

import base64
import http.client as http_client
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Iterable

POLL_SECONDS = 0.2
WAIT_SECONDS = 20.0
HTTP_TIMEOUT_SECONDS = 120.0
ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"
DEFAULT_WEBDRIVER_URL = "http://127.0.0.1:4444"


class WebDriverError(Exception):
    """The driver answered with a W3C error."""

    def __init__(self, error: str, message: str):
        super().__init__(f"{error}: {message}")
        self.error = error


class CheckFailed(Exception):
    """A check of the scenario failed; the message says what was expected and seen."""


# ---------------------------------------------------------------------------------------
# The W3C WebDriver client
# ---------------------------------------------------------------------------------------


def http(method: str, url: str, body: Any = None) -> Any:
    # tauri-driver proxies to WebKitWebDriver; when its pooled connection to the driver has
    # gone stale it fails to forward the request ("SendRequest") and closes ours without an
    # answer. The request never reached the driver, so sending it again is safe.
    for attempt in range(3):
        try:
            return _http_once(method, url, body)
        except (http_client.RemoteDisconnected, ConnectionResetError):
            if attempt == 2:
                raise
            time.sleep(0.3)
    raise AssertionError("unreachable")


def _http_once(method: str, url: str, body: Any) -> Any:
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


def tauri_capabilities(application: str) -> dict[str, Any]:
    """What tauri-driver needs to start the app."""
    return {
        "capabilities": {
            "alwaysMatch": {
                "browserName": "wry",
                "tauri:options": {"application": application},
            }
        }
    }


class Session:
    """One WebDriver session. By default, of the Tauri app at `application`."""

    def __init__(self, base_url: str, application: str | None = None, capabilities: dict[str, Any] | None = None):
        self.base_url = base_url.rstrip("/")
        if capabilities is None:
            if not application:
                raise ValueError("Session needs an application or capabilities")
            capabilities = tauri_capabilities(application)
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

    def type_checked(self, element: str, text: str) -> None:
        """Types `text` and reads the field back, typing again (at most three times) when
        keystrokes were lost: once, on a loaded CI machine, the sign-in form kept
        "http://127.0.0.1:47" of the server's address and the sign-in went nowhere."""
        for _ in range(3):
            self.type(element, text)
            if self._call("GET", f"/element/{element}/property/value") == text:
                return
        raise CheckFailed(f"typing {text!r} kept losing keystrokes")

    def send_keys(self, element: str, text: str) -> None:
        """Types `text` into `element` without clearing it first; for an <input type=file>,
        `text` is the path of the file to choose (W3C "Element Send Keys")."""
        self._call("POST", f"/element/{element}/value", {"text": text})

    def script(self, source: str, *args: Any) -> Any:
        return self._call("POST", "/execute/sync", {"script": source, "args": list(args)})

    def perform_actions(self, actions: list[dict[str, Any]]) -> None:
        """W3C input actions (pointer, key, wheel sources)."""
        self._call("POST", "/actions", {"actions": actions})

    def release_actions(self) -> None:
        try:
            self._call("DELETE", "/actions")
        except WebDriverError:
            pass

    def screenshot(self, path: str) -> None:
        png = base64.b64decode(self._call("GET", "/screenshot"))
        with open(path, "wb") as file:
            file.write(png)

    def close(self) -> None:
        try:
            self._call("DELETE", "")
        except (WebDriverError, OSError):
            pass


def element_ref(element: str) -> dict[str, str]:
    """An element id as WebDriver expects it in scripts and actions."""
    return {ELEMENT_KEY: element}


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


def select_option_by_text(session: Session, css: str, text: str) -> str:
    """Chooses the option of the <select> `css` whose label is `text`; returns its value."""
    value = session.script(
        "const s = document.querySelector(arguments[0]);"
        "if (!s) return null;"
        "const o = [...s.options].find(o => o.textContent.trim() === arguments[1]);"
        "if (!o) return null;"
        "s.value = o.value; s.dispatchEvent(new Event('change', {bubbles: true})); return s.value;",
        css,
        text,
    )
    if not value:
        options = session.script(
            "const s = document.querySelector(arguments[0]); return s ? [...s.options].map(o => o.textContent) : null;",
            css,
        )
        raise CheckFailed(f"no option {text!r} in {css} (options: {options!r})")
    return value


def plain_spaces(text: str | None) -> str:
    """French number formats use no-break and narrow no-break spaces: make them plain."""
    return (text or "").replace("\u202f", " ").replace("\u00a0", " ")


# ---------------------------------------------------------------------------------------
# Reporting
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


def save_artifacts(session: Session, shot_dir: str, name: str = "ui-final") -> None:
    """A screenshot `<name>.png` and the page's HTML `<name>.html` in `shot_dir`."""
    os.makedirs(shot_dir, exist_ok=True)
    png = os.path.join(shot_dir, f"{name}.png")
    try:
        session.screenshot(png)
        print(f"screenshot: {png}")
    except (WebDriverError, OSError) as error:
        print(f"could not take a screenshot: {error}")
    try:
        html = session.script("return document.documentElement.outerHTML;")
        with open(os.path.join(shot_dir, f"{name}.html"), "w", encoding="utf-8") as file:
            file.write(html or "")
    except (WebDriverError, OSError) as error:
        print(f"could not save the page's HTML: {error}")


def shot_dir() -> str:
    return os.environ.get("CRM_SHOT_DIR") or "target/ui-artifacts"


def run(
    program: str,
    scenario: Callable[[Session, Report], None],
    required_env: Iterable[str],
    artifacts: str,
) -> int:
    """Opens a session of the app, plays `scenario`, saves `artifacts`.png/.html, prints
    "N passed, M failed" last and returns the exit status."""
    missing = [name for name in ("CRM_APP", *required_env) if not os.environ.get(name)]
    if missing:
        print(f"{program}: missing environment variables: {', '.join(missing)}", file=sys.stderr)
        print("0 passed, 1 failed")
        return 2

    report = Report()
    try:
        session = Session(os.environ.get("CRM_WEBDRIVER_URL", DEFAULT_WEBDRIVER_URL), os.environ["CRM_APP"])
    except (WebDriverError, OSError) as error:
        print(f"could not open a WebDriver session (is tauri-driver running?): {error}")
        print("0 passed, 1 failed")
        return 1

    started = time.monotonic()
    try:
        play(session, report, scenario)
    finally:
        save_artifacts(session, shot_dir(), artifacts)
        session.close()

    print(f"scenario took {time.monotonic() - started:.1f} s")
    print(f"{report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


def play(session: Session, report: Report, scenario: Callable[[Session, Report], None]) -> None:
    """Plays `scenario`; an error outside any check counts as one failure."""
    try:
        scenario(session, report)
    except Exception as error:  # noqa: BLE001 - reported with the screenshot
        if report.failed == 0:
            # A failure outside any check (for example the driver going away).
            report.failed += 1
            print(f"FAIL: {error}")


def set_date(session: Session, css: str, value: str) -> None:
    """Fills a date field as the user's picker does (typing into one is locale-dependent)."""
    found = session.script(
        "const input = document.querySelector(arguments[0]);"
        "if (!input) return false;"
        "input.value = arguments[1];"
        "input.dispatchEvent(new Event('input', {bubbles: true}));"
        "input.dispatchEvent(new Event('change', {bubbles: true}));"
        "return true;",
        css,
        value,
    )
    if not found:
        raise CheckFailed(f"no date field {css}")


def ensure_server_up() -> None:
    """The server, as the earlier scripts left it: once, in a CI run, it was found down
    between two sessions (stopped by something outside the scripts). It is started again
    (`CRM_SERVER_START_CMD`), and said so, rather than failing a sign-in that has
    nothing to do with the scenario."""
    import subprocess
    import urllib.request

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(os.environ["CRM_SERVER_URL"] + "/health", timeout=2) as answer:
                return answer.status == 200
        except OSError:
            return False

    if healthy() or not os.environ.get("CRM_SERVER_START_CMD"):
        return
    print("  (the server was down: started again)", flush=True)
    subprocess.run(os.environ["CRM_SERVER_START_CMD"], shell=True, stdin=subprocess.DEVNULL, timeout=60)
    for _ in range(100):
        if healthy():
            return
        time.sleep(0.2)


def run_sessions(
    report: Report,
    sessions: Iterable[tuple[str, str, Callable[[Session, Report], None], str]],
    started: float,
) -> int:
    """Plays each (who, application, scenario, artifacts) in a session of its own, in
    order, stopping at the first failure; prints "N passed, M failed" last and returns
    the exit status."""
    base_url = os.environ.get("CRM_WEBDRIVER_URL", DEFAULT_WEBDRIVER_URL)
    for who, application, scenario, artifacts in sessions:
        print(f"{who}:", flush=True)
        ensure_server_up()
        try:
            session = Session(base_url, application)
        except (WebDriverError, OSError) as error:
            print(f"could not open a WebDriver session of {who} (is tauri-driver running?): {error}")
            report.failed += 1
            break
        try:
            play(session, report, scenario)
        finally:
            save_artifacts(session, shot_dir(), artifacts)
            session.close()
        if report.failed:
            break

    print(f"scenario took {time.monotonic() - started:.1f} s")
    print(f"{report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


# ---------------------------------------------------------------------------------------
# Shared steps of the scripts that sign in through the login form
# ---------------------------------------------------------------------------------------


def screenshot(session: Session, name: str) -> None:
    os.makedirs(shot_dir(), exist_ok=True)
    path = os.path.join(shot_dir(), name)
    session.screenshot(path)
    print(f"  screenshot: {path}")


def sign_in(session: Session, email: str) -> None:
    env = os.environ
    wait_visible(session, "#login-form")
    session.type_checked(wait_visible(session, "#login-form input[name=server]"), env["CRM_SERVER_URL"])
    session.type_checked(wait_visible(session, "#login-form input[name=email]"), email)
    session.type_checked(wait_visible(session, "#login-form input[name=password]"), env["CRM_PASSWORD"])
    session.click(wait_visible(session, "#login-form button[type=submit]"))


def landed_on(session: Session, page: str, hash_: str) -> Any:
    """A probe: the page `page` shown at the address `hash_`; a refused sign-in fails at once."""

    def probe() -> tuple[bool, Any]:
        error = session.script("const e = document.querySelector('#login-form .form-error'); return e && !e.hidden ? e.textContent : null;")
        if error:
            raise CheckFailed(f"sign-in was refused: {error}")
        where = session.script("return location.hash;")
        shown = session.find(page) is not None
        return shown and where == hash_, where

    return probe


def nav_links(session: Session) -> list[str]:
    return session.script("return [...document.querySelectorAll('#main-nav a.nav-link')].map(a => a.id);") or []


def crm(data_dir: str, *args: str, stdin: str | None = None) -> str:
    """Runs the real `crm` command on the device whose data directory is `data_dir`."""
    env = dict(os.environ, CRM_DATA_DIR=data_dir)
    print(f"  $ crm {' '.join(args)}", flush=True)
    completed = subprocess.run(
        [os.environ["CRM_CLI"], *args],
        env=env,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if completed.returncode != 0:
        raise CheckFailed(f"crm {' '.join(args)} failed ({completed.returncode}): {completed.stderr.strip()}")
    return completed.stdout


def cli_device(prefix: str, email: str) -> str:
    """A `crm` device of its own (a new data directory under $CRM_UI_TMP) signed in as
    `email`; answers its data directory."""
    env = os.environ
    root = env.get("CRM_UI_TMP") or tempfile.gettempdir()
    data_dir = tempfile.mkdtemp(prefix=prefix, dir=root)
    crm(data_dir, "login", "--server", env["CRM_SERVER_URL"], "--email", email, stdin=env["CRM_PASSWORD"] + "\n")
    return data_dir
