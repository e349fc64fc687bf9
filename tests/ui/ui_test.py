#!/usr/bin/env python3
"""Real-window UI test of the desktop app, driven through tauri-driver (W3C WebDriver).

Scenario: sign in, lose the server, create an account offline, see it in the portfolio
with a pending change, bring the server back, sync, and see the pending count go back to
zero with a last sync time. A screenshot is written at the end, and on failure, to
$CRM_SHOT_DIR/ui-final.png (with the page's HTML next to it).

Only the Python standard library is used (the WebDriver client is `webdriver.py`, next to
this file). `tests/ui/run.sh` sets up the server, tauri-driver and the environment, and
runs `pipeline_test.py` after this one; to run this file by hand, set:

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

import os
import subprocess
import sys
from typing import Any

from webdriver import (
    CheckFailed,
    Report,
    Session,
    attribute_of,
    run,
    text_of,
    wait_until,
    wait_visible,
)

ACCOUNT_NAME = "Boulangerie Dupont UI"
NEVER_SYNCED = ("Jamais synchronisé", "Never synced")


# ---------------------------------------------------------------------------------------
# Page queries
# ---------------------------------------------------------------------------------------


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

    def siret_told_in_french() -> None:
        session.click(wait_visible(session, "#new-account-button"))
        wait_visible(session, "#account-form")
        session.type(wait_visible(session, "#account-form input[name=name]"), "Garage du Contrôle")
        siret = wait_visible(session, "#account-form input[name=siret]")
        session.type(siret, "732 829 320 00075")
        session.click(wait_visible(session, "#account-form button[type=submit]"))

        def told() -> tuple[bool, Any]:
            note = session.script(
                "const i = document.querySelector('#account-form input[name=siret]');"
                "const n = i && i.nextElementSibling;"
                "return {invalid: i && i.getAttribute('aria-invalid'), value: i && JSON.stringify(i.value),"
                " note: n && n.classList.contains('field-error') ? n.textContent : null};"
            )
            text = note.get("note") or ""
            return note.get("invalid") == "true" and "SIRET" in text and "clé de contrôle" in text, note

        seen = wait_until("a French sentence next to the SIRET field", told)
        print(f"  told: {seen['note']!r}")
        # The same number typed with its usual spaces, right this time, is accepted.
        session.script("document.querySelector('#account-form input[name=siret]').value = '';")
        session.type(wait_visible(session, "#account-form input[name=siret]"), "732 829 320 00074")
        session.click(wait_visible(session, "#account-form button[type=submit]"))
        wait_until(
            "the account with a spaced SIRET in the portfolio",
            lambda: (
                session.script(
                    "return [...document.querySelectorAll('#account-list li.account-row')]"
                    ".some(li => li.textContent.includes('Garage du Contrôle'));"
                ),
                text_of(session, "#account-form .form-error"),
            ),
        )

    report.check("a mistyped SIRET is told in French next to its field; one typed with spaces is accepted", siret_told_in_french)

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

    def history_on_the_account_page() -> None:
        row = session.script(
            "const li = [...document.querySelectorAll('#account-list li.account-row')]"
            "  .find(li => li.textContent.includes(arguments[0]));"
            "if (!li) return false; (li.querySelector('a, button') || li).click(); return true;",
            ACCOUNT_NAME,
        )
        if not row:
            raise CheckFailed(f"no row '{ACCOUNT_NAME}' to open")
        panel = wait_visible(session, ".history-panel")
        if session.find("#account-delete") is not None:
            raise CheckFailed("a rep is offered to delete the account")
        session.click(wait_visible(session, ".history-panel summary"))

        def entries() -> tuple[bool, Any]:
            found = session.script(
                "return [...document.querySelectorAll('.history-panel .history-entry')].map(e => e.textContent);"
            )
            return bool(found) and any(ACCOUNT_NAME in e for e in found), found

        seen = wait_until("a history entry naming the account", entries)
        print(f"  history: {seen[0][:120]!r}")
        del panel

    report.check("the account page shows who changed what, and no delete button for a rep", history_on_the_account_page)


def main() -> int:
    return run(
        "ui_test.py",
        scenario,
        ("CRM_SERVER_URL", "CRM_EMAIL", "CRM_PASSWORD", "CRM_SERVER_STOP_CMD", "CRM_SERVER_START_CMD"),
        artifacts="ui-final",
    )


if __name__ == "__main__":
    sys.exit(main())
