#!/usr/bin/env python3
"""Real-window UI test of the desktop app, driven through tauri-driver (W3C WebDriver).

Scenario: sign in and land on the home page ("Aujourd'hui"), lose the server, create an
account offline, see it in the portfolio with a pending change, bring the server back,
sync, and see the pending count go back to zero with a last sync time; open the account,
find it on the home page among the recent accounts, hide and show the portfolio with the
header's button, and reach the page with the skip link. Screenshots of the home page
($CRM_SHOT_DIR/home.png) and of the page with the portfolio hidden (sidebar-hidden.png) are
saved; one is written at the end, and on failure, to $CRM_SHOT_DIR/ui-final.png (with the
page's HTML next to it).

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
import re
import subprocess
import sys
from typing import Any

from webdriver import (
    screenshot,
    CheckFailed,
    Report,
    Session,
    attribute_of,
    run,
    shot_dir,
    text_of,
    wait_until,
    wait_visible,
)

ACCOUNT_NAME = "Boulangerie Dupont UI"
NEVER_SYNCED = ("Jamais synchronisé", "Never synced")
# The home page's title; the app writes the typographic apostrophe.
TODAY_TITLE = "Aujourd’hui"


# ---------------------------------------------------------------------------------------
# Page queries
# ---------------------------------------------------------------------------------------


def pending_count(session: Session) -> int | None:
    text = text_of(session, "#pending-count")
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def displayed(session: Session, css: str) -> bool:
    """Whether `css` matches an element that is in the page and shown."""
    element = session.find(css)
    return element is not None and session.displayed(element)


def width_of(session: Session, css: str) -> float:
    return session.script(
        "const el = document.querySelector(arguments[0]); return el ? el.getBoundingClientRect().width : 0;", css
    )


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
        session.type_checked(wait_visible(session, "#login-form input[name=server]"), env["CRM_SERVER_URL"])
        session.type_checked(wait_visible(session, "#login-form input[name=email]"), env["CRM_EMAIL"])
        session.type_checked(wait_visible(session, "#login-form input[name=password]"), env["CRM_PASSWORD"])
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

    def home_page_today() -> None:
        # No account is open after signing in: the main area is the start-of-day page.
        wait_visible(session, "#home-page")
        wait_until(
            f"#home-title to say {TODAY_TITLE!r}",
            lambda: (text_of(session, "#home-title") == TODAY_TITLE, text_of(session, "#home-title")),
        )
        for part in ("#home-agenda", "#home-todo", "#reminders", "#home-new-account"):
            wait_visible(session, part)

        # Loaded: each list shows its entries or a sentence saying there are none.
        def lists_loaded() -> tuple[bool, Any]:
            seen = session.script(
                "return ['#home-events', '#home-tasks', '#reminder-list'].map(css => {"
                "  const list = document.querySelector(css);"
                "  return list ? [...list.children].map(li => li.textContent.trim()) : null; });"
            )
            return all(items and all(items) for items in seen), seen

        seen = wait_until("the home page's lists to be loaded", lists_loaded)
        print(f"  today: {seen!r}")
        link = attribute_of(session, "#nav-home", "aria-current")
        if link != "page":
            raise CheckFailed(f"the link {TODAY_TITLE!r} is not marked as the page shown (aria-current={link!r})")
        screenshot(session, "home.png")

    report.check("the home page shows today's appointments, tasks and reminders", home_page_today)

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
        creation = next(e for e in seen if ACCOUNT_NAME in e)
        # Names and labels, never ids: the rep by name, the kind by its word.
        assert "Commercial : Rep UI" in creation, creation
        assert "Type de tiers : Client" in creation, creation
        assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}", creation), f"an id shows through: {creation}"
        del panel

    report.check("the account page shows who changed what, and no delete button for a rep", history_on_the_account_page)

    def recent_account_on_the_home_page() -> None:
        wait_until(
            "the account page to show its name",
            lambda: (
                text_of(session, "#account-page .page-title") == ACCOUNT_NAME,
                text_of(session, "#account-page .page-title"),
            ),
        )
        account_id = attribute_of(session, "#account-page", "data-id")
        session.click(wait_visible(session, "#nav-home"))
        wait_visible(session, "#recent-accounts")

        def listed() -> tuple[bool, Any]:
            rows = session.script(
                "return [...document.querySelectorAll('#recent-account-list li.recent-account')]"
                ".map(li => ({id: li.dataset.id, name: li.querySelector('.item-title').textContent}));"
            )
            return bool(rows) and rows[0]["name"] == ACCOUNT_NAME and rows[0]["id"] == account_id, rows

        rows = wait_until(f"'{ACCOUNT_NAME}' first among the recent accounts", listed)
        print(f"  recent: {[row['name'] for row in rows]!r}")
        # The entry opens the account again.
        session.click(wait_visible(session, "#recent-account-list li.recent-account a"))
        wait_until(
            f"the account page of '{ACCOUNT_NAME}' from the recent accounts",
            lambda: (
                attribute_of(session, "#account-page", "data-id") == account_id,
                attribute_of(session, "#account-page", "data-id"),
            ),
        )
        session.click(wait_visible(session, "#nav-home"))
        wait_visible(session, "#home-page")

    report.check("going home lists the account just opened among the recent accounts, by name", recent_account_on_the_home_page)

    def sidebar_hides_and_comes_back() -> None:
        toggle = wait_visible(session, "#sidebar-toggle")

        def state() -> dict[str, Any]:
            return {
                "expanded": attribute_of(session, "#sidebar-toggle", "aria-expanded"),
                "label": attribute_of(session, "#sidebar-toggle", "aria-label"),
                "sidebar shown": displayed(session, "#sidebar"),
            }

        before = state()
        if before != {"expanded": "true", "label": "Masquer la liste des comptes", "sidebar shown": True}:
            raise CheckFailed(f"the portfolio should be shown with a button to hide it; saw {before!r}")
        if attribute_of(session, "#sidebar-toggle", "aria-controls") != "sidebar":
            raise CheckFailed("#sidebar-toggle does not name #sidebar in aria-controls")
        main_before = width_of(session, "#main")
        session.click(toggle)
        hidden = wait_until(
            "#sidebar to be hidden",
            lambda: (
                state() == {"expanded": "false", "label": "Afficher la liste des comptes", "sidebar shown": False},
                state(),
            ),
        )
        main_after = width_of(session, "#main")
        print(f"  hidden: {hidden!r}; main {main_before:.0f} px -> {main_after:.0f} px")
        if main_after < main_before + 200:
            raise CheckFailed(f"the page did not take the portfolio's width ({main_before:.0f} px -> {main_after:.0f} px)")
        screenshot(session, "sidebar-hidden.png")
        session.click(wait_visible(session, "#sidebar-toggle"))
        wait_until(
            "#sidebar to be shown again",
            lambda: (state() == before, state()),
        )
        # Shown again for the tests that run after this one (the choice is remembered).
        wait_visible(session, "#account-list")

    report.check("the header's button hides the portfolio, gives its width to the page, and shows it again", sidebar_hides_and_comes_back)

    def skip_link_reaches_the_page() -> None:
        text = text_of(session, "#skip-link")
        if text != "Aller au contenu":
            raise CheckFailed(f"the skip link says {text!r}")
        # Out of sight until focused, so it is activated from the keyboard's point of view.
        focused = session.script(
            "const link = document.querySelector('#skip-link'); link.focus();"
            "const seen = document.activeElement === link; link.click();"
            "return {link: seen, after: document.activeElement && document.activeElement.id, hash: location.hash};"
        )
        if not focused["link"] or focused["after"] != "main" or focused["hash"] not in ("", "#/"):
            raise CheckFailed(f"the skip link did not move the focus to the page: {focused!r}")

    report.check("the skip link takes the focus past the portfolio to the page", skip_link_reaches_the_page)


def main() -> int:
    return run(
        "ui_test.py",
        scenario,
        ("CRM_SERVER_URL", "CRM_EMAIL", "CRM_PASSWORD", "CRM_SERVER_STOP_CMD", "CRM_SERVER_START_CMD"),
        artifacts="ui-final",
    )


if __name__ == "__main__":
    sys.exit(main())
