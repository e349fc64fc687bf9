#!/usr/bin/env python3
"""Real-window UI test of the pipeline board, driven through tauri-driver (W3C WebDriver).

Runs after `ui_test.py`, in a new session of the app on the same data directory: the user
is already signed in and the account "Boulangerie Dupont UI" exists.

Scenario: open the pipeline, create the deal "Contrat de maintenance UI" (1200.50 €) for
that account, see its card in the "qualification" column, drag it with W3C pointer
actions to the "proposal" column, see it there (also after reloading the board), filter
it out and back with the filter box, and take the screenshot $CRM_SHOT_DIR/pipeline.png.
On failure the screen and the page's HTML are kept as pipeline-final.png / .html.

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
    element_ref,
    plain_spaces,
    run,
    select_option_by_text,
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
DRAG_STEPS = 12


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


def rect_of(session: Session, css: str) -> dict[str, float] | None:
    return session.script(
        "const el = document.querySelector(arguments[0]);"
        "if (!el) return null;"
        "el.scrollIntoView({block: 'nearest', inline: 'nearest'});"
        "const r = el.getBoundingClientRect();"
        "return {x: r.x, y: r.y, width: r.width, height: r.height};",
        css,
    )


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
        card = wait_visible(session, card_css(deal_id))
        start = rect_of(session, card_css(deal_id))
        target = rect_of(session, f'#pipeline-board .pipeline-column[data-stage="{TO_STAGE}"]')
        if not start or not target:
            raise CheckFailed(f"could not measure the card ({start!r}) or the {TO_STAGE} column ({target!r})")
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
        session.perform_actions(
            [
                {
                    "type": "pointer",
                    "id": "mouse",
                    "parameters": {"pointerType": "mouse"},
                    "actions": [
                        {"type": "pointerMove", "duration": 0, "origin": element_ref(card), "x": 0, "y": 0},
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

        def moved() -> tuple[bool, Any]:
            error = session.script(
                "const e = document.querySelector('#pipeline-board > .form-error'); return e && !e.hidden ? e.textContent : null;"
            )
            if error:
                raise CheckFailed(f"the move was refused: {error}")
            return column_of(session, deal_id) == TO_STAGE, column_of(session, deal_id)

        wait_until(f"the card to be in the {TO_STAGE} column after the drag", moved)

    report.check(f"dragging the card moves it to the '{TO_STAGE}' column", drag_card)

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

    def screenshot() -> None:
        os.makedirs(shot_dir(), exist_ok=True)
        path = os.path.join(shot_dir(), "pipeline.png")
        session.screenshot(path)
        print(f"  screenshot: {path}")

    report.check("a screenshot of the board is saved", screenshot)


def main() -> int:
    return run("pipeline_test.py", scenario, (), artifacts="pipeline-final")


if __name__ == "__main__":
    sys.exit(main())
