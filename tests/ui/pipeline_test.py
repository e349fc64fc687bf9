#!/usr/bin/env python3
"""Real-window UI test of the pipeline board, driven through tauri-driver (W3C WebDriver).

Runs after `ui_test.py`, in a new session of the app on the same data directory: the user
is already signed in and the account "Boulangerie Dupont UI" exists.

Scenario: open the pipeline, create the deal "Contrat de maintenance UI" (1200.50 €,
expected to close on 15/06/2031) for that account, see its card in the "qualification"
column, drag it with W3C pointer actions to the "proposal" column, see it there (also after
reloading the board), filter it out and back with the filter box, then with the expected
close range ("du" / "au"), which the column's count follows and the board keeps when left
and opened again, until "Effacer les filtres"; see that the rep is offered no "Commercial"
filter and no rep's name on the cards (their board holds only their deals), and take the
screenshot $CRM_SHOT_DIR/pipeline.png. Dropping the card on the "lost" column asks why
first (an empty reason is refused next to its field) and "Annuler" leaves the card where it
was; choosing "won" in the card's stage select asks too, and Esc cancels
(pipeline-lost.png). Last, the agenda offers the rep no "Équipe" toggle; an appointment
created there opens from the week (Enter, then a click) prefilled with its account, Esc
closes it, its title is changed and saved; a rep is not offered to delete it (crm-core's
permission matrix), a role that may is asked first (agenda-event.png). On failure the
screen and the page's HTML are kept as pipeline-final.png / .html.

Only the Python standard library is used (the WebDriver client is `webdriver.py`). To run
this file by hand, set CRM_APP (the built crm-desktop), CRM_DATA_DIR (a data directory
where a user is signed in and the account exists), CRM_SHOT_DIR, and optionally
CRM_WEBDRIVER_URL (default http://127.0.0.1:4444).

The last line printed is "N passed, M failed"; the exit status is non-zero on failure.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from webdriver import (
    CheckFailed,
    Report,
    Session,
    plain_spaces,
    run,
    select_option_by_text,
    set_date,
    shot_dir,
    text_of,
    wait_until,
    wait_visible,
)

ACCOUNT_NAME = "Boulangerie Dupont UI"
DEAL_TITLE = "Contrat de maintenance UI"
DEAL_AMOUNT = "1200.50"
AMOUNT_SHOWN = ("1 200,50 €", "€1,200.50")
FROM_STAGE = "qualification"
TO_STAGE = "proposal"
# A word found in neither the deal's title nor its account's name.
EXCLUDING_FILTER = "Plomberie"
# The deal's expected close date, and ranges of the board's date filter around it.
EXPECTED_CLOSE = "2031-06-15"
RANGE_WITH = ("2031-06-01", "2031-06-30")
RANGE_WITHOUT = ("2031-06-16", "2031-12-31")
DRAG_STEPS = 12
# The last column of every deal type; won is asked too, from the card's stage select.
LOST_STAGE = "lost"
WON_STAGE = "won"
EVENT_TITLE = "Visite de démonstration UI"
EVENT_TITLE_CHANGED = "Visite de démonstration UI, reportée"
# crm-core's permission matrix gives a rep no deletion of appointments (event: delete
# 'none'), so the app offers them none. Set to True if the matrix lets reps delete their
# own: the test then deletes the appointment, after confirming.
REP_MAY_DELETE_EVENTS = False


def card_css(deal_id: str) -> str:
    return f'#pipeline-board .deal-card[data-id="{deal_id}"]'


def column_of(session: Session, deal_id: str) -> str | None:
    """The stage of the column holding the deal's card, or None when it is not shown."""
    return session.script(
        "const card = [...document.querySelectorAll('#pipeline-board .deal-card')]"
        "  .find(c => c.dataset.id === arguments[0]);"
        "const column = card && card.closest('.pipeline-column');"
        "return column ? column.dataset.stage : null;",
        deal_id,
    )


def card_ids(session: Session) -> list[str]:
    return session.script("return [...document.querySelectorAll('#pipeline-board .deal-card')].map(c => c.dataset.id);")


def board_visible(session: Session, deal_id: str, stage: str) -> dict[str, Any]:
    """Scrolls the board so the `stage` column shows, then whether the card and that
    column are both within the board's visible part, with their rectangles."""
    return session.script(
        "const board = document.querySelector('#pipeline-columns');"
        "const card = [...document.querySelectorAll('#pipeline-board .deal-card')].find(c => c.dataset.id === arguments[0]);"
        "const column = document.querySelector(`#pipeline-board .pipeline-column[data-stage=\"${arguments[1]}\"]`);"
        "if (!board || !card || !column) return {ok: false, card: !!card, column: !!column};"
        "column.scrollIntoView({block: 'nearest', inline: 'nearest'});"
        "card.scrollIntoView({block: 'nearest'});"
        "const b = board.getBoundingClientRect(), c = card.getBoundingClientRect(), z = column.getBoundingClientRect();"
        "const inside = (r) => r.x + r.width / 2 > b.left + 60 && r.x + r.width / 2 < b.right - 60;"
        "const rect = (r) => ({x: r.x, y: r.y, width: r.width, height: r.height});"
        "return {ok: inside(c) && inside(z), card: rect(c), column: rect(z), board: rect(b)};",
        deal_id,
        stage,
    )


def drag_card_to(session: Session, deal_id: str, stage: str) -> None:
    """Drags the deal's card onto the `stage` column with W3C pointer actions, as a user
    does. When the board is too narrow to show both at once, the portfolio is hidden for
    the drag (the header's button) and shown again after."""
    hid_sidebar = False
    seen = board_visible(session, deal_id, stage)
    if not seen.get("ok") and seen.get("card") and seen.get("column"):
        session.click(wait_visible(session, "#sidebar-toggle"))
        hid_sidebar = True
        seen = wait_until(
            f"the card and the {stage} column to show side by side",
            lambda: (lambda v: (bool(v.get("ok")), v))(board_visible(session, deal_id, stage)),
        )
    if not seen.get("ok"):
        raise CheckFailed(f"could not show the card and the {stage} column together: {seen!r}")
    start, target = seen["card"], seen["column"]
    x0 = start["x"] + start["width"] / 2
    y0 = start["y"] + start["height"] / 2
    x1 = target["x"] + target["width"] / 2
    y1 = min(target["y"] + target["height"] - 10, max(target["y"] + 60, y0))
    moves = [
        {
            "type": "pointerMove",
            "duration": 40,
            "origin": "viewport",
            "x": round(x0 + (x1 - x0) * step / DRAG_STEPS),
            "y": round(y0 + (y1 - y0) * step / DRAG_STEPS),
        }
        for step in range(1, DRAG_STEPS + 1)
    ]
    try:
        session.perform_actions(
            [
                {
                    "type": "pointer",
                    "id": "mouse",
                    "parameters": {"pointerType": "mouse"},
                    "actions": [
                        {"type": "pointerMove", "duration": 0, "origin": "viewport", "x": round(x0), "y": round(y0)},
                        {"type": "pointerDown", "button": 0},
                        {"type": "pause", "duration": 100},
                        *moves,
                        {"type": "pause", "duration": 100},
                        {"type": "pointerUp", "button": 0},
                    ],
                }
            ]
        )
        session.release_actions()
    finally:
        if hid_sidebar:
            session.click(wait_visible(session, "#sidebar-toggle"))
            wait_visible(session, "#account-list")


def field_error(session: Session, css: str) -> str | None:
    """The message shown next to a field marked invalid, if any."""
    return session.script(
        "const c = document.querySelector(arguments[0]);"
        "if (!c || c.getAttribute('aria-invalid') !== 'true') return null;"
        "const n = document.getElementById(c.getAttribute('aria-describedby')); return n ? n.textContent : '';",
        css,
    )


def press_key(session: Session, key: str) -> None:
    """A key pressed where the focus is (a keydown, as the app listens to)."""
    session.script(
        "const target = document.activeElement || document.body;"
        "target.dispatchEvent(new KeyboardEvent('keydown', {key: arguments[0], bubbles: true, cancelable: true}));",
        key,
    )


def event_css(event_id: str) -> str:
    return f'#agenda-grid .week-event[data-id="{event_id}"]'


def events_titled(session: Session, title: str) -> list[str]:
    """The ids of the appointments of the week shown whose title is `title`."""
    return session.script(
        "return [...document.querySelectorAll('#agenda-grid .week-event')]"
        "  .filter(e => e.querySelector('.event-title').textContent.trim() === arguments[0]).map(e => e.dataset.id);",
        title,
    )


def event_form_state(session: Session) -> dict[str, Any]:
    """What the appointment form shows: whether it is open, for which appointment, its values."""
    return session.script(
        "const f = document.querySelector('#event-form');"
        "if (!f) return {shown: false};"
        "const v = (n) => f.querySelector(`[name=${n}]`).value;"
        "const account = f.querySelector('select[name=account]');"
        "const error = f.querySelector('.form-error');"
        "return {shown: !f.hidden, id: f.dataset.id || null, title: v('title'), start: v('start'), end: v('end'),"
        "  account: account.selectedOptions[0] ? account.selectedOptions[0].textContent.trim() : null,"
        "  error: error && !error.hidden ? error.textContent : null,"
        "  focused: document.activeElement && document.activeElement.getAttribute('name')};"
    )


def column_count(session: Session, stage: str) -> str | None:
    """The number of cards the column's header announces."""
    return text_of(session, f'#pipeline-board .pipeline-column[data-stage="{stage}"] .column-count')


def wait_board_loaded(session: Session) -> None:
    wait_until(
        "the pipeline columns to be shown",
        lambda: (
            session.find(f'#pipeline-board .pipeline-column[data-stage="{FROM_STAGE}"]') is not None,
            text_of(session, "#main"),
        ),
    )


def scenario(session: Session, report: Report) -> None:
    state: dict[str, Any] = {}

    def unlock() -> None:
        # No keyring (CRM_NO_KEYRING=1): the encrypted data waits for the password.
        wait_visible(session, "#unlock-screen")
        session.type(wait_visible(session, "#unlock-password"), "not-the-password")
        session.click(wait_visible(session, "#unlock-submit"))
        error = wait_until(
            "#unlock-error to say the password is wrong",
            lambda: (bool(text_of(session, "#unlock-error")), text_of(session, "#unlock-error")),
        )
        print(f"  wrong password: {error!r}")
        session.script("document.querySelector('#unlock-password').value = '';")
        session.type(wait_visible(session, "#unlock-password"), os.environ["CRM_PASSWORD"])
        session.click(wait_visible(session, "#unlock-submit"))
        wait_visible(session, "#nav-pipeline")

    report.check("the encrypted data asks for the password, refuses a wrong one, opens with the right one", unlock)

    def open_pipeline() -> None:
        # The app starts signed in: the workspace and its module links come up.
        session.click(wait_visible(session, "#nav-pipeline"))
        wait_visible(session, "#pipeline-board")
        wait_board_loaded(session)
        # The simple deal type is shown (its first column is qualification, then proposal).
        simple = session.find('#pipeline-board .segment[data-deal-type="simple"]')
        if simple and session.script("return !document.querySelector('#pipeline-board .segment[data-deal-type=\"simple\"]').classList.contains('active');"):
            session.click(simple)
        stages = session.script("return [...document.querySelectorAll('#pipeline-board .pipeline-column')].map(c => c.dataset.stage);")
        if stages[:2] != [FROM_STAGE, TO_STAGE]:
            raise CheckFailed(f"expected the columns to start with {FROM_STAGE}, {TO_STAGE}; saw {stages!r}")

    report.check("the pipeline opens from the sidebar with one column per stage", open_pipeline)

    def create_deal() -> None:
        before = set(card_ids(session))
        session.click(wait_visible(session, "#new-deal-button"))
        wait_visible(session, "#deal-form")
        wait_until(
            f"the account '{ACCOUNT_NAME}' in the form's list",
            lambda: session.script(
                "return [...document.querySelectorAll('#deal-form select[name=account] option')]"
                ".some(o => o.textContent.trim() === arguments[0]);",
                ACCOUNT_NAME,
            ),
        )
        select_option_by_text(session, "#deal-form select[name=account]", ACCOUNT_NAME)
        session.type(wait_visible(session, "#deal-form input[name=title]"), DEAL_TITLE)
        session.type(wait_visible(session, "#deal-form input[name=amount]"), DEAL_AMOUNT)
        set_date(session, "#deal-form input[name=expected_close]", EXPECTED_CLOSE)
        session.script(
            "const s = document.querySelector('#deal-form select[name=deal_type]');"
            "s.value = 'simple'; s.dispatchEvent(new Event('change', {bubbles: true}));"
        )
        session.click(wait_visible(session, "#deal-form button[type=submit]"))

        def new_card() -> tuple[bool, Any]:
            error = session.script(
                "const e = document.querySelector('#deal-form .form-error'); return e && !e.hidden ? e.textContent : null;"
            )
            if error:
                raise CheckFailed(f"the deal form was refused: {error}")
            cards = session.script(
                "return [...document.querySelectorAll('#pipeline-board .deal-card')]"
                ".map(c => ({id: c.dataset.id, title: c.querySelector('.deal-title').textContent}));"
            )
            fresh = [c["id"] for c in cards if c["title"] == DEAL_TITLE and c["id"] not in before]
            return bool(fresh), fresh or [c["title"] for c in cards]

        state["id"] = wait_until(f"a new card '{DEAL_TITLE}' on the board", new_card)[0]
        print(f"  deal {state['id']}")

    report.check("a new deal is created from the 'Nouvelle affaire' form", create_deal)

    def in_first_column() -> None:
        deal_id = state["id"]
        wait_until(
            f"the card to be in the {FROM_STAGE} column",
            lambda: (column_of(session, deal_id) == FROM_STAGE, column_of(session, deal_id)),
        )
        text = plain_spaces(text_of(session, card_css(deal_id)))
        if ACCOUNT_NAME not in text:
            raise CheckFailed(f"the card does not show the account {ACCOUNT_NAME!r}: {text!r}")
        if not any(amount in text for amount in AMOUNT_SHOWN):
            raise CheckFailed(f"the card does not show the amount as {AMOUNT_SHOWN[0]!r}: {text!r}")

    report.check(f"the card shows account and amount in the '{FROM_STAGE}' column", in_first_column)

    def drag_card() -> None:
        deal_id = state["id"]
        wait_visible(session, card_css(deal_id))
        drag_card_to(session, deal_id, TO_STAGE)

        def moved() -> tuple[bool, Any]:
            error = session.script(
                "const e = document.querySelector('#pipeline-board > .form-error'); return e && !e.hidden ? e.textContent : null;"
            )
            if error:
                raise CheckFailed(f"the move was refused: {error}")
            return column_of(session, deal_id) == TO_STAGE, column_of(session, deal_id)

        wait_until(f"the card to be in the {TO_STAGE} column after the drag", moved)

    report.check(f"dragging the card moves it to the '{TO_STAGE}' column", drag_card)

    def lost_asks_why_and_cancel_keeps_the_card() -> None:
        deal_id = state["id"]
        drag_card_to(session, deal_id, LOST_STAGE)
        wait_visible(session, "#pipeline-stage-confirm")
        wait_visible(session, "#pipeline-lost-reason")
        question = text_of(session, "#pipeline-stage-confirm") or ""
        print(f"  asked: {question!r}")
        if "Motif de perte" not in question or DEAL_TITLE not in question:
            raise CheckFailed(f"the question should name the deal and ask for the reason ('Motif de perte'): {question!r}")
        # Nothing moved while the question is open.
        if column_of(session, deal_id) != TO_STAGE:
            raise CheckFailed(f"the card left its column before any answer: {column_of(session, deal_id)!r}")
        # Confirmed without a reason: refused next to the field, nothing sent.
        session.click(wait_visible(session, "#pipeline-confirm-yes"))
        message = wait_until(
            "the empty reason to be refused next to its field",
            lambda: field_error(session, "#pipeline-lost-reason"),
        )
        print(f"  refused: {message!r}")
        os.makedirs(shot_dir(), exist_ok=True)
        path = os.path.join(shot_dir(), "pipeline-lost.png")
        session.screenshot(path)
        print(f"  screenshot: {path}")
        session.click(wait_visible(session, "#pipeline-confirm-no"))
        wait_until(
            "the question to close after 'Annuler'",
            lambda: session.script("const q = document.querySelector('#pipeline-stage-confirm'); return !q || q.hidden;"),
        )
        wait_until(
            f"the card to stay in the {TO_STAGE} column",
            lambda: (column_of(session, deal_id) == TO_STAGE, column_of(session, deal_id)),
        )

    report.check("dropping the card on 'lost' asks why first, and 'Annuler' leaves it in its column", lost_asks_why_and_cancel_keeps_the_card)

    def won_from_the_keyboard_asks_too() -> None:
        deal_id = state["id"]
        # The card's stage select is the keyboard's way to move it.
        session.script(
            "const card = [...document.querySelectorAll('#pipeline-board .deal-card')].find(c => c.dataset.id === arguments[0]);"
            "const s = card.querySelector('select.deal-stage-select'); s.focus(); s.value = arguments[1];"
            "s.dispatchEvent(new Event('change', {bubbles: true}));",
            deal_id,
            WON_STAGE,
        )
        wait_visible(session, "#pipeline-stage-confirm")
        question = text_of(session, "#pipeline-stage-confirm") or ""
        print(f"  asked: {question!r}")
        if "contrat" not in question:
            raise CheckFailed(f"the question should say winning creates the contract: {question!r}")
        if session.find("#pipeline-lost-reason") is not None:
            raise CheckFailed("winning asks for a loss reason")
        focused = session.script("return document.activeElement && document.activeElement.id;")
        if focused != "pipeline-confirm-yes":
            raise CheckFailed(f"the question should take the focus (on 'Confirmer'), not {focused!r}")
        press_key(session, "Escape")
        wait_until(
            "Esc to close the question",
            lambda: session.script("const q = document.querySelector('#pipeline-stage-confirm'); return !q || q.hidden;"),
        )

        def kept() -> tuple[bool, Any]:
            stage = session.script(
                "const card = [...document.querySelectorAll('#pipeline-board .deal-card')].find(c => c.dataset.id === arguments[0]);"
                "return card ? [card.closest('.pipeline-column').dataset.stage, card.querySelector('select.deal-stage-select').value] : null;",
                deal_id,
            )
            return stage == [TO_STAGE, TO_STAGE], stage

        wait_until(f"the card and its stage select to stay at {TO_STAGE}", kept)

    report.check("choosing 'won' in the card's stage select asks too, and Esc cancels", won_from_the_keyboard_asks_too)

    def stays_after_reload() -> None:
        deal_id = state["id"]
        # Leave the board and come back: it is rebuilt from the backend's data.
        session.click(wait_visible(session, "#nav-contracts"))
        wait_visible(session, "#contracts-page")
        session.click(wait_visible(session, "#nav-pipeline"))
        wait_visible(session, "#pipeline-board")
        wait_until(
            f"the card to be in the {TO_STAGE} column after reloading the board",
            lambda: (column_of(session, deal_id) == TO_STAGE, column_of(session, deal_id)),
        )
        stage = session.script(
            "const card = [...document.querySelectorAll('#pipeline-board .deal-card')].find(c => c.dataset.id === arguments[0]);"
            "return card ? card.querySelector('select.deal-stage-select').value : null;",
            deal_id,
        )
        if stage != TO_STAGE:
            raise CheckFailed(f"the card's stage select says {stage!r}, expected {TO_STAGE!r}")

    report.check("the move is kept when the board is reloaded", stays_after_reload)

    def filter_out_and_back() -> None:
        deal_id = state["id"]
        box = wait_visible(session, "#pipeline-filter")
        session.type(box, EXCLUDING_FILTER)
        wait_until(
            f"the card to disappear when filtering on {EXCLUDING_FILTER!r}",
            lambda: (column_of(session, deal_id) is None, column_of(session, deal_id)),
        )
        session.type(box, "maintenance")
        wait_until(
            "the card to come back when filtering on 'maintenance'",
            lambda: (column_of(session, deal_id) == TO_STAGE, column_of(session, deal_id)),
        )

    report.check("the filter box hides the card when it does not match", filter_out_and_back)

    def close_range_narrows() -> None:
        deal_id = state["id"]
        # The filter box still says "maintenance": both criteria apply together.
        set_date(session, "#pipeline-close-from", RANGE_WITH[0])
        set_date(session, "#pipeline-close-to", RANGE_WITH[1])
        wait_until(
            f"the card to stay when its close date is in {RANGE_WITH!r}",
            lambda: (column_of(session, deal_id) == TO_STAGE, column_of(session, deal_id)),
        )
        wait_visible(session, "#pipeline-filter-clear")
        set_date(session, "#pipeline-close-from", RANGE_WITHOUT[0])
        set_date(session, "#pipeline-close-to", RANGE_WITHOUT[1])
        wait_until(
            f"the card to disappear when the range {RANGE_WITHOUT!r} leaves out {EXPECTED_CLOSE}",
            lambda: (column_of(session, deal_id) is None, column_of(session, deal_id)),
        )
        wait_until(
            f"the {TO_STAGE} column to count no card",
            lambda: (column_count(session, TO_STAGE) == "0", column_count(session, TO_STAGE)),
        )

    report.check("the expected close range ('du' / 'au') narrows the board and its counts", close_range_narrows)

    def range_kept_for_the_session() -> None:
        deal_id = state["id"]
        session.click(wait_visible(session, "#nav-contracts"))
        wait_visible(session, "#contracts-page")
        session.click(wait_visible(session, "#nav-pipeline"))
        wait_board_loaded(session)
        values = session.script(
            "return ['#pipeline-close-from', '#pipeline-close-to', '#pipeline-filter']"
            ".map(css => { const el = document.querySelector(css); return el ? el.value : null; });"
        )
        if values != [RANGE_WITHOUT[0], RANGE_WITHOUT[1], "maintenance"]:
            raise CheckFailed(f"the board did not keep its criteria: {values!r}")
        if column_of(session, deal_id) is not None:
            raise CheckFailed("the card is shown although the kept range leaves it out")

    report.check("the board keeps its criteria when left and opened again", range_kept_for_the_session)

    def clear_filters() -> None:
        deal_id = state["id"]
        session.click(wait_visible(session, "#pipeline-filter-clear"))
        wait_until(
            "the card to come back after 'Effacer les filtres'",
            lambda: (column_of(session, deal_id) == TO_STAGE, column_of(session, deal_id)),
        )
        values = session.script(
            "return ['#pipeline-close-from', '#pipeline-close-to', '#pipeline-filter']"
            ".map(css => document.querySelector(css).value);"
        )
        if values != ["", "", ""]:
            raise CheckFailed(f"the criteria were not emptied: {values!r}")
        if session.script("return !document.querySelector('#pipeline-filter-clear').hidden;"):
            raise CheckFailed("'Effacer les filtres' is still offered with no criterion")

    report.check("'Effacer les filtres' shows every deal again", clear_filters)

    def no_rep_filter_for_a_rep() -> None:
        deal_id = state["id"]
        if session.find("#pipeline-owner-filter") is not None:
            raise CheckFailed("a rep is offered the 'Commercial' filter")
        if session.find(f"{card_css(deal_id)} .deal-owner") is not None:
            raise CheckFailed(f"a rep's card names its rep: {text_of(session, card_css(deal_id) + ' .deal-owner')!r}")
        # The date range is everyone's.
        wait_visible(session, "#pipeline-close-from")
        wait_visible(session, "#pipeline-close-to")
        # The screenshot shows the range in use, the card inside it.
        set_date(session, "#pipeline-close-from", RANGE_WITH[0])
        set_date(session, "#pipeline-close-to", RANGE_WITH[1])
        wait_until(
            "the card to be shown within the range",
            lambda: (column_of(session, deal_id) == TO_STAGE, column_of(session, deal_id)),
        )

    report.check("a rep's board has no 'Commercial' filter and no rep's name on the cards", no_rep_filter_for_a_rep)

    def screenshot() -> None:
        os.makedirs(shot_dir(), exist_ok=True)
        path = os.path.join(shot_dir(), "pipeline.png")
        session.screenshot(path)
        print(f"  screenshot: {path}")

    report.check("a screenshot of the board is saved", screenshot)

    def no_team_agenda_for_a_rep() -> None:
        session.click(wait_visible(session, "#nav-agenda"))
        wait_visible(session, "#agenda-page")
        wait_visible(session, "#agenda-grid .week-head")
        for css in ("#agenda-team", "#agenda-mine"):
            element = session.find(css)
            if element is not None and session.displayed(element):
                raise CheckFailed(f"a rep is offered {css} on the agenda")
        # Still their own agenda, where they add appointments.
        wait_visible(session, "#new-event-button")

    report.check("the agenda offers a rep no 'Équipe' toggle", no_team_agenda_for_a_rep)

    def create_appointment() -> None:
        before = set(events_titled(session, EVENT_TITLE))
        session.click(wait_visible(session, "#new-event-button"))
        wait_visible(session, "#event-form")
        session.type(wait_visible(session, "#event-form input[name=title]"), EVENT_TITLE)
        wait_until(
            f"the account '{ACCOUNT_NAME}' in the form's list",
            lambda: session.script(
                "return [...document.querySelectorAll('#event-form select[name=account] option')]"
                ".some(o => o.textContent.trim() === arguments[0]);",
                ACCOUNT_NAME,
            ),
        )
        select_option_by_text(session, "#event-form select[name=account]", ACCOUNT_NAME)
        session.click(wait_visible(session, "#event-form button[type=submit]"))

        def created() -> tuple[bool, Any]:
            form = event_form_state(session)
            if form.get("error"):
                raise CheckFailed(f"the appointment was refused: {form['error']}")
            fresh = [i for i in events_titled(session, EVENT_TITLE) if i not in before]
            return bool(fresh) and not form.get("shown"), fresh

        state["event"] = wait_until(f"the appointment '{EVENT_TITLE}' in the week", created)[0]
        print(f"  event {state['event']}")

    report.check("an appointment is created from 'Nouveau rendez-vous'", create_appointment)

    def appointment_opens_from_the_keyboard() -> None:
        event_id = state["event"]
        wait_visible(session, event_css(event_id))
        session.script("document.querySelector(arguments[0]).focus();", event_css(event_id))
        press_key(session, "Enter")
        form = wait_until(
            "Enter on the appointment to open it in the form",
            lambda: (lambda f: (f.get("shown") and f.get("id") == event_id, f))(event_form_state(session)),
        )
        if form["title"] != EVENT_TITLE or form["focused"] != "title":
            raise CheckFailed(f"the form should show the title, the cursor in it: {form!r}")
        press_key(session, "Escape")
        wait_until(
            "Esc to close the form",
            lambda: (lambda f: (not f.get("shown"), f))(event_form_state(session)),
        )
        focused = session.script("const a = document.activeElement; return a && a.dataset ? a.dataset.id : null;")
        if focused != event_id:
            raise CheckFailed(f"the focus should come back to the appointment, not {focused!r}")

    report.check("Enter on an appointment opens it, Esc closes it and the focus comes back", appointment_opens_from_the_keyboard)

    def appointment_changed() -> None:
        event_id = state["event"]
        session.click(wait_visible(session, event_css(event_id)))
        form = wait_until(
            "a click on the appointment to open it in the form",
            lambda: (lambda f: (f.get("shown") and f.get("id") == event_id, f))(event_form_state(session)),
        )
        print(f"  opened: {form!r}")
        if form["title"] != EVENT_TITLE or form["account"] != ACCOUNT_NAME:
            raise CheckFailed(f"the form should be prefilled with the title and the account: {form!r}")
        if not form["start"] or not form["end"] or form["end"] <= form["start"]:
            raise CheckFailed(f"the form should show the start and a later end: {form!r}")
        wait_visible(session, "#event-open-account")
        if text_of(session, "#event-open-account") != "Ouvrir le tiers":
            raise CheckFailed(f"the link to the account says {text_of(session, '#event-open-account')!r}")
        os.makedirs(shot_dir(), exist_ok=True)
        path = os.path.join(shot_dir(), "agenda-event.png")
        session.screenshot(path)
        print(f"  screenshot: {path}")
        session.type(wait_visible(session, "#event-form input[name=title]"), EVENT_TITLE_CHANGED)
        session.click(wait_visible(session, "#event-form button[type=submit]"))

        def saved() -> tuple[bool, Any]:
            form = event_form_state(session)
            if form.get("error"):
                raise CheckFailed(f"the change was refused: {form['error']}")
            title = text_of(session, f"{event_css(event_id)} .event-title")
            return title == EVENT_TITLE_CHANGED and not form.get("shown"), title

        wait_until(f"the week to show the new title {EVENT_TITLE_CHANGED!r}", saved)
        # Opened again: the change was kept.
        session.click(wait_visible(session, event_css(event_id)))
        form = wait_until(
            "the appointment to open again",
            lambda: (lambda f: (f.get("shown") and f.get("id") == event_id, f))(event_form_state(session)),
        )
        if form["title"] != EVENT_TITLE_CHANGED:
            raise CheckFailed(f"the saved title should be shown: {form!r}")

    report.check("a click opens the appointment prefilled with its account; its title is changed and saved", appointment_changed)

    def appointment_deleted_once_confirmed() -> None:
        event_id = state["event"]
        delete = session.find("#event-delete")
        offered = delete is not None and session.displayed(delete)
        if not REP_MAY_DELETE_EVENTS:
            if offered:
                raise CheckFailed("a rep is offered to delete an appointment, which the permission matrix refuses")
            # Annuler closes the form, the appointment kept.
            session.click(wait_visible(session, "#event-form .form-actions button[type=button]"))
            wait_until("the form to close", lambda: (lambda f: (not f.get("shown"), f))(event_form_state(session)))
            wait_visible(session, event_css(event_id))
            return
        if not offered:
            raise CheckFailed("'Supprimer' is not offered on the appointment")
        # Asked first: "Annuler" keeps it.
        session.click(delete)
        wait_visible(session, "#event-delete-confirm")
        question = text_of(session, "#event-delete-confirm") or ""
        print(f"  asked: {question!r}")
        if EVENT_TITLE_CHANGED not in question:
            raise CheckFailed(f"the question should name the appointment: {question!r}")
        session.click(wait_visible(session, "#event-delete-no"))
        wait_until(
            "the question to close, the form still open",
            lambda: (lambda f: (f.get("shown") and session.script("return document.querySelector('#event-delete-confirm').hidden;"), f))(
                event_form_state(session)
            ),
        )
        session.click(wait_visible(session, "#event-delete"))
        session.click(wait_visible(session, "#event-delete-yes"))

        def gone() -> tuple[bool, Any]:
            form = event_form_state(session)
            if form.get("error"):
                raise CheckFailed(f"the deletion was refused: {form['error']}")
            return session.find(event_css(event_id)) is None and not form.get("shown"), form

        wait_until("the appointment to leave the week", gone)

    report.check(
        "deleting an appointment is asked first (a rep is offered none)",
        appointment_deleted_once_confirmed,
    )

    def back_to_the_board() -> None:
        # Back to the board, cleared, for the next test's session.
        session.click(wait_visible(session, "#nav-pipeline"))
        wait_board_loaded(session)
        clear = session.find("#pipeline-filter-clear")
        if clear is not None and session.displayed(clear):
            session.click(clear)

    report.check("the board is left without criteria for the next session", back_to_the_board)


def main() -> int:
    return run("pipeline_test.py", scenario, (), artifacts="pipeline-final")


if __name__ == "__main__":
    sys.exit(main())
