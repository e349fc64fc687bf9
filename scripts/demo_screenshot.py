"""The demo's screenshot: the real app, driven through tauri-driver, signs in as the demo
rep, waits for the portfolio to arrive from the server, and saves what the window shows.

Run by scripts/demo-screenshot.sh (which starts Xvfb and tauri-driver). Environment:
CRM_APP (the app binary), CRM_SERVER_URL, CRM_EMAIL, CRM_PASSWORD, CRM_WEBDRIVER_URL,
CRM_DEMO_SHOT (the PNG to write) and CRM_DEMO_ACCOUNTS (how many accounts to wait for).
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "ui"))

from webdriver import Session, sign_in, text_of, wait_until, wait_visible  # noqa: E402


def main() -> int:
    env = os.environ
    shot = env["CRM_DEMO_SHOT"]
    expected = int(env.get("CRM_DEMO_ACCOUNTS", "1"))
    session = Session(env["CRM_WEBDRIVER_URL"], env["CRM_APP"])
    try:
        # A laptop's full-HD screen, so the portfolio shows more than a row or two.
        width, height = (int(v) for v in env.get("CRM_DEMO_WINDOW", "1600x1000").split("x"))
        session._call("POST", "/window/rect", {"width": width, "height": height})
        sign_in(session, env["CRM_EMAIL"])

        def portfolio_arrived() -> tuple[bool, object]:
            error = text_of(session, "#login-form .form-error")
            if error:
                raise RuntimeError(f"sign-in was refused: {error}")
            rows = session.script("return document.querySelectorAll('#account-list li.account-row').length;") or 0
            return rows >= expected, f"{rows} account(s) listed"

        seen = wait_until(f"{expected} accounts in the portfolio", portfolio_arrived, timeout=90)
        wait_visible(session, "#home-page")

        def home_loaded() -> tuple[bool, object]:
            items = session.script(
                "return ['#home-events', '#home-tasks', '#reminder-list'].map(css => {"
                "  const list = document.querySelector(css);"
                "  return list ? list.children.length : 0; });"
            )
            return all(items or [0]), items

        wait_until("the home page's lists", home_loaded, timeout=30)
        time.sleep(1.0)  # the last paint (fonts, counters)
        session.screenshot(shot)
        print(f"demo: signed in as {env['CRM_EMAIL']}, {seen}; screenshot {shot}")
        return 0
    except Exception as error:  # noqa: BLE001 - any failure leaves a screenshot to look at
        print(f"demo: could not show the portfolio: {error}", file=sys.stderr)
        try:
            session.screenshot(shot)
            print(f"demo: the window as it was: {shot}", file=sys.stderr)
        except Exception:  # noqa: BLE001
            pass
        return 1
    finally:
        session.close()


if __name__ == "__main__":
    sys.exit(main())
