#!/usr/bin/env python3
"""Real-window UI test of the account and deal screens, driven through tauri-driver.

Runs after `pipeline_test.py`, in a new session of the app on the same data directory: the
user "Rep UI" is signed in, the account "Boulangerie Dupont UI" exists with the deal
"Contrat de maintenance UI".

Scenario: open the account; give it a negotiated discount (a wrong one is refused in
French next to its field); enter a running contract from "Nouveau contrat" and land on
its page, active, with its monthly amount; open the deal, see its rep by name, edit its
probability (150 is refused next to the field, 60 is kept); choose "won" and see the page
ask first, then cancel; choose "lost" and see the page ask why, refusing an empty reason,
then cancel; add a contact with their e-mailing consent, open their page and export their
data (RGPD); write a visit report naming that contact among its participants and find
their name on the timeline; write a quote for the administrator's product PHOTO-UI, see
"Envoyer" as its main action, change the draft's quantity from 1 to 3 with "Modifier les
lignes" (the live total, then the saved one, three times the first), send it, and see
"Marquer accepté" ask before it is done (cancelled). Then the pages of changes to review after a sync: "Conflits" and
"Modifications refusées" open from the sidebar, empty; a product the rep may not create
(made through the app's own `create_record` command: the catalogue offers no button to a
rep) is refused by the server, and its card tells why in French and shows what was typed,
to copy or forget; the administrator changes the account's phone with `crm` while the rep
changes it in the app, and the header announces the conflict the sync brings, whose page
names who wrote each value and keeps the one chosen. Screenshots: $CRM_SHOT_DIR/deal.png,
deal-lost.png, contact.png, activity.png, quote-edit.png, quote-accept.png, refused.png and
conflicts.png.

Only the Python standard library is used. To run by hand, set CRM_APP, CRM_DATA_DIR,
CRM_PASSWORD, CRM_SHOT_DIR, CRM_CLI (the `crm` command), CRM_ADMIN_DATA_DIR (the data
directory where run.sh signed the administrator in) and optionally CRM_WEBDRIVER_URL.

The last line printed is "N passed, M failed"; the exit status is non-zero on failure.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from webdriver import (
    crm,
    screenshot,
    CheckFailed,
    Report,
    Session,
    attribute_of,
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
REP_NAME = "Rep UI"
CONTACT_NAME = "Jeanne Dupont"
REFUSED_PRODUCT = "Produit refusé UI"
REFUSED_REFERENCE = "REFUS-UI"
ACTIVITY_SUBJECT = "Visite avec participants UI"
PRODUCT_REFERENCE = "PHOTO-UI"
ADMIN_PHONE = "04 78 00 00 01"
REP_PHONE = "04 78 00 00 02"
COMPANY_NAME = "Terrain Services UI"
COMPANY_RCS = "RCS Amiens B 732 829 320"


def set_value(session: Session, css: str, value: str) -> None:
    session.script(
        "const e = document.querySelector(arguments[0]); e.value = arguments[1];"
        "e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true}));",
        css,
        value,
    )


def text_with(session: Session, css: str, *words: str) -> Any:
    """A probe for `wait_until`: the text of `css` once it holds every one of `words`."""

    def probe() -> tuple[bool, Any]:
        text = text_of(session, css)
        return bool(text) and all(word in text for word in words), text

    return probe


def field_error(session: Session, css: str) -> str | None:
    """The message shown next to a field marked invalid, if any."""
    return session.script(
        "const c = document.querySelector(arguments[0]);"
        "if (!c || c.getAttribute('aria-invalid') !== 'true') return null;"
        "const n = document.getElementById(c.getAttribute('aria-describedby')); return n ? n.textContent : '';",
        css,
    )


def crm_as_admin(*args: str) -> str:
    """Runs the real `crm` command on the administrator's device (run.sh signed it in)."""
    return crm(os.environ["CRM_ADMIN_DATA_DIR"], *args)


def euros(text: str | None) -> float | None:
    """A French amount as shown ("1 187,50 €") as a number, or None ("—", nothing)."""
    digits = plain_spaces(text).replace(" ", "").replace("€", "").replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        return None


def pending_is_zero(session: Session) -> tuple[bool, Any]:
    text = text_of(session, "#pending-count")
    return text == "0", text


def scenario(session: Session, report: Report) -> None:
    state: dict[str, Any] = {}

    def unlock() -> None:
        wait_visible(session, "#unlock-screen")
        session.type(wait_visible(session, "#unlock-password"), os.environ["CRM_PASSWORD"])
        session.click(wait_visible(session, "#unlock-submit"))
        wait_visible(session, "#account-list")

    report.check("the app opens with the password", unlock)

    def open_account() -> None:
        def row() -> tuple[bool, Any]:
            found = session.script(
                "const li = [...document.querySelectorAll('#account-list li.account-row')]"
                ".find(li => li.textContent.includes(arguments[0])); if (!li) return null;"
                "(li.querySelector('a, button') || li).click(); return li.dataset.id;",
                ACCOUNT_NAME,
            )
            return bool(found), found

        state["account"] = wait_until(f"the row '{ACCOUNT_NAME}' to open", row)
        wait_until(
            "the account page",
            lambda: (text_of(session, "#account-page .page-title") == ACCOUNT_NAME, text_of(session, "#account-page .page-title")),
        )
        wait_visible(session, "#account-pricing")

    report.check("the account page opens with its negotiated prices card", open_account)

    def discount() -> None:
        session.click(wait_visible(session, "#pricing-edit"))
        wait_visible(session, "#pricing-form")
        set_value(session, "#pricing-form input[name=discount_percent]", "douze")
        session.click(wait_visible(session, "#pricing-form button[type=submit]"))
        message = wait_until(
            "the wrong discount to be refused next to its field",
            lambda: field_error(session, "#pricing-form input[name=discount_percent]"),
        )
        print(f"  refused: {message!r}")
        if "remise" not in message.lower() and "discount" not in message.lower():
            raise CheckFailed(f"the message does not name the discount: {message!r}")
        set_value(session, "#pricing-form input[name=discount_percent]", "5")
        session.click(wait_visible(session, "#pricing-form button[type=submit]"))
        shown = wait_until(
            "the discount on the card",
            lambda: (lambda text: ("5" in (text or "") and "%" in (text or ""), text))(text_of(session, "#pricing-discount")),
        )
        print(f"  shown: {plain_spaces(shown)!r}")

    report.check("a negotiated discount is refused when wrong, then kept", discount)

    def new_contract() -> None:
        session.click(wait_visible(session, "#new-contract-button"))
        wait_visible(session, "#contract-form")
        select_option_by_text(session, "#contract-form select[name=contract_type]", "Service de garde")
        set_value(session, "#contract-form input[name=term_months]", "12")
        set_value(session, "#contract-form input[name=notice_months]", "3")
        set_value(session, "#contract-form input[name=billing_amount]", "380")
        select_option_by_text(session, "#contract-form select[name=billing_period]", "Mensuelle")
        session.click(wait_visible(session, "#contract-form button[type=submit]"))

        def on_contract_page() -> tuple[bool, Any]:
            error = text_of(session, "#contract-form .form-error")
            if error:
                raise CheckFailed(f"the contract was refused: {error}")
            page = text_of(session, "#contract-page")
            return bool(page and "Service de garde" in page and "Actif" in page), page and page[:200]

        wait_until("the new contract's page, active", on_contract_page)
        text = text_of(session, "#contract-page") or ""
        if "380" not in text:
            raise CheckFailed(f"the contract page does not show its amount: {plain_spaces(text)[:300]!r}")

    report.check("a running contract is entered from the account page and is active", new_contract)

    def open_deal() -> None:
        session.script("history.back();")
        link = wait_until(
            f"the deal '{DEAL_TITLE}' on the account page",
            lambda: session.script(
                "const a = [...document.querySelectorAll('#account-deals a')].find(a => a.textContent.includes(arguments[0]));"
                "if (a) a.click(); return Boolean(a);",
                DEAL_TITLE,
            ),
        )
        wait_visible(session, "#deal-page")
        details = wait_until(
            "the deal's details with its rep",
            text_with(session, "#deal-details", REP_NAME),
        )
        print(f"  details: {plain_spaces(details)[:200]!r} ({link})")

    report.check("the deal page names its rep", open_deal)

    def edit_probability() -> None:
        session.click(wait_visible(session, "#deal-edit-button"))
        wait_visible(session, "#deal-edit-form")
        set_value(session, "#deal-edit-form input[name=probability]", "150")
        session.click(wait_visible(session, "#deal-edit-form button[type=submit]"))
        message = wait_until(
            "150 % to be refused next to the probability",
            lambda: field_error(session, "#deal-edit-form input[name=probability]"),
        )
        print(f"  refused: {message!r}")
        if "100" not in message:
            raise CheckFailed(f"the message does not give the limit: {message!r}")
        set_value(session, "#deal-edit-form input[name=probability]", "60")
        session.click(wait_visible(session, "#deal-edit-form button[type=submit]"))
        def kept() -> tuple[bool, Any]:
            error = field_error(session, "#deal-edit-form input[name=probability]")
            if error:
                raise CheckFailed(f"60 % was refused: {error}")
            text = text_of(session, "#deal-details") or ""
            form_open = session.script("return !document.querySelector('#deal-edit-form').hidden;")
            return (not form_open and "60" in text), text

        wait_until("the new probability in the details", kept)

    report.check("the probability is edited on the deal page (150 refused, 60 kept)", edit_probability)

    def ask_before_winning() -> None:
        before = session.script("return document.querySelector('#deal-stage').value;")
        session.script(
            "const s = document.querySelector('#deal-stage'); s.value = 'won';"
            "s.dispatchEvent(new Event('change', {bubbles: true}));"
        )
        wait_visible(session, "#deal-stage-confirm")
        question = text_of(session, "#deal-stage-confirm")
        print(f"  asked: {question!r}")
        screenshot(session, "deal.png")
        session.click(wait_visible(session, "#deal-confirm-no"))
        wait_until(
            "the stage to stay as it was",
            lambda: (lambda v: (v == before, v))(session.script("return document.querySelector('#deal-stage').value;")),
        )

    report.check("choosing 'won' asks first, and cancelling keeps the stage", ask_before_winning)

    def ask_why_lost() -> None:
        before = session.script("return document.querySelector('#deal-stage').value;")
        session.script(
            "const s = document.querySelector('#deal-stage'); s.value = 'lost';"
            "s.dispatchEvent(new Event('change', {bubbles: true}));"
        )
        wait_visible(session, "#deal-lost-reason")
        question = text_of(session, "#deal-stage-confirm")
        print(f"  asked: {question!r}")
        if "Motif de perte" not in (question or ""):
            raise CheckFailed(f"the question should ask for the reason ('Motif de perte'): {question!r}")
        # Confirmed without a reason: refused next to the field, nothing sent.
        session.click(wait_visible(session, "#deal-confirm-yes"))
        message = wait_until(
            "the empty reason to be refused next to its field",
            lambda: field_error(session, "#deal-lost-reason"),
        )
        print(f"  refused: {message!r}")
        if "perdue" not in message:
            raise CheckFailed(f"the message should say a lost deal needs its reason: {message!r}")
        screenshot(session, "deal-lost.png")
        session.click(wait_visible(session, "#deal-confirm-no"))
        wait_until(
            "the stage to stay as it was",
            lambda: (lambda v: (v == before, v))(session.script("return document.querySelector('#deal-stage').value;")),
        )
        if session.script("return !document.querySelector('#deal-stage-confirm').hidden;"):
            raise CheckFailed("the question is still shown after 'Annuler'")

    report.check("choosing 'lost' asks why, refuses an empty reason, and cancelling keeps the stage", ask_why_lost)

    def contact_with_consent() -> None:
        session.script("location.hash = arguments[0];", f"#/accounts/{state['account']}")
        session.click(wait_visible(session, "#new-contact-button"))
        wait_visible(session, "#contact-form")
        session.type(wait_visible(session, "#contact-form input[name=name]"), CONTACT_NAME)
        session.type(wait_visible(session, "#contact-form input[name=email]"), "jeanne.dupont@example.fr")
        select_option_by_text(session, "#contact-form select[name=consent_email]", "Oui")
        session.click(wait_visible(session, "#contact-form button[type=submit]"))
        wait_until(
            "the contact's link in the list",
            lambda: session.script(
                "const a = [...document.querySelectorAll('#contact-list .contact-name a')].find(a => a.textContent === arguments[0]);"
                "if (a) a.click(); return Boolean(a);",
                CONTACT_NAME,
            ),
        )
        wait_visible(session, "#contact-page")
        details = wait_until(
            "the consent on the contact's page",
            text_with(session, "#contact-details", "Accord e-mailing", "Oui"),
        )
        print(f"  details: {plain_spaces(details)!r}")
        if "Non demandé" not in details:
            raise CheckFailed(f"the phone consent, never asked, should say so: {details!r}")

    report.check("a contact is created with their e-mailing consent and has their own page", contact_with_consent)

    def export_data() -> None:
        session.click(wait_visible(session, "#export-contact-button"))
        notice = wait_until(
            "the export's file named on the page",
            text_with(session, "#contact-export-notice", ".json"),
        )
        print(f"  {notice!r}")
        screenshot(session, "contact.png")

    report.check("a person's data is exported from their page (RGPD)", export_data)

    def activity_with_participant() -> None:
        session.script("location.hash = arguments[0];", f"#/accounts/{state['account']}")
        session.click(wait_visible(session, "#new-activity-button"))
        wait_visible(session, "#activity-form")
        session.type(wait_visible(session, "#activity-form input[name=subject]"), ACTIVITY_SUBJECT)
        # The account's contacts are offered by name, to tick.
        ticked = wait_until(
            f"'{CONTACT_NAME}' offered among the participants",
            lambda: session.script(
                "const l = [...document.querySelectorAll('#activity-contacts label')].find(l => l.textContent.includes(arguments[0]));"
                "if (!l) return null; const box = l.querySelector('input[type=checkbox]');"
                "if (!box.checked) box.click(); return box.checked ? l.textContent : null;",
                CONTACT_NAME,
            ),
        )
        print(f"  ticked: {ticked!r}")
        session.click(wait_visible(session, "#activity-form button[type=submit]"))

        def listed() -> tuple[bool, Any]:
            error = text_of(session, "#activity-form > .form-error")
            if error:
                raise CheckFailed(f"the activity was refused: {error}")
            item = session.script(
                "const li = [...document.querySelectorAll('#timeline li.timeline-item')]"
                ".find(li => li.querySelector('.timeline-subject')?.textContent === arguments[0]);"
                "if (!li) return null; const foot = li.querySelector('.timeline-foot');"
                "return {foot: foot ? foot.textContent : '', text: li.textContent};",
                ACTIVITY_SUBJECT,
            )
            return bool(item and CONTACT_NAME in item["foot"]), item

        item = wait_until(f"the visit on the timeline, naming '{CONTACT_NAME}'", listed)
        print(f"  timeline: {plain_spaces(item['text'])!r}")
        screenshot(session, "activity.png")

    report.check("a visit report names a contact of the account as participant, and the timeline shows their name", activity_with_participant)

    def quote_draft_lines_edited() -> None:
        session.script("location.hash = arguments[0];", f"#/accounts/{state['account']}")
        session.click(wait_visible(session, "#new-quote-button"))
        wait_visible(session, "#quote-editor")
        wait_until(
            "the account chosen and the catalogue offered in the editor",
            lambda: session.script(
                "const a = document.querySelector('#quote-form select[name=account]');"
                "const s = document.querySelector('#quote-form select[name=reference]');"
                "return !!a && a.value === arguments[0] && !!s && [...s.options].some(o => o.value === arguments[1]);",
                state["account"],
                PRODUCT_REFERENCE,
            ),
        )
        set_value(session, "#quote-form select[name=reference]", PRODUCT_REFERENCE)
        wait_until(
            "the live total of the new quote",
            lambda: (lambda v: (v is not None and v > 0, v))(euros(text_of(session, "#quote-form #quote-total-net"))),
        )
        session.click(wait_visible(session, "#quote-form button[type=submit]"))

        def saved() -> tuple[bool, Any]:
            error = text_of(session, "#quote-form > .form-error")
            if error:
                raise CheckFailed(f"the quote was refused: {error}")
            status = attribute_of(session, "#quote-page #quote-status", "data-status")
            return status == "draft", status

        wait_until("the new quote's page, a draft", saved)
        first = wait_until(
            "the saved total",
            lambda: (lambda v: (v is not None and v > 0, v))(euros(text_of(session, "#quote-page #quote-total-net"))),
        )
        print(f"  total excl. VAT: {first}")

        # A draft's main action is "Envoyer", first in its row.
        main = session.script(
            "const b = document.querySelector('#quote-status-actions button');"
            "return b ? {id: b.id, text: b.textContent.trim(), primary: b.classList.contains('button-primary')} : null;"
        )
        print(f"  main action: {main!r}")
        if not main or main["id"] != "quote-status-sent" or main["text"] != "Envoyer" or not main["primary"]:
            raise CheckFailed(f"a draft's first and main button should be 'Envoyer': {main!r}")

        session.click(wait_visible(session, "#quote-edit-lines-button"))
        wait_visible(session, "#quote-lines-form")
        prefilled = wait_until(
            "the editor prefilled with the quote's line",
            lambda: session.script(
                "const rows = [...document.querySelectorAll('#quote-lines-form tr.quote-line')];"
                "return rows.length ? rows.map(r => [r.querySelector('select[name=reference]').value,"
                " r.querySelector('input[name=quantity]').value]) : null;"
            ),
        )
        print(f"  prefilled: {prefilled!r}")
        if prefilled != [[PRODUCT_REFERENCE, "1"]]:
            raise CheckFailed(f"the editor should hold the one saved line, {PRODUCT_REFERENCE} × 1: {prefilled!r}")
        set_value(session, "#quote-lines-form input[name=quantity]", "3")
        live = wait_until(
            "the live total for 3",
            lambda: (lambda v: (v is not None and abs(v - 3 * first) < 0.015, v))(
                euros(text_of(session, "#quote-lines-form #quote-total-net"))
            ),
        )
        print(f"  live total for 3: {live}")
        screenshot(session, "quote-edit.png")
        session.click(wait_visible(session, "#quote-lines-save"))

        def edited() -> tuple[bool, Any]:
            error = text_of(session, "#quote-lines-form > .form-error")
            if error:
                raise CheckFailed(f"the lines were refused: {error}")
            if session.find("#quote-lines-form") is not None:
                return False, "the editor is still open"
            total = euros(text_of(session, "#quote-page #quote-total-net"))
            quantity = text_of(session, "#quote-page #quote-lines tr td:nth-child(3)")
            return total is not None and abs(total - 3 * first) < 0.015 and quantity == "3", (total, quantity)

        total, _ = wait_until("the saved quote's total for 3", edited)
        print(f"  total excl. VAT now: {total}")

    report.check("a new quote's draft lines are edited in place: quantity 1 becomes 3 and the total triples", quote_draft_lines_edited)

    def quote_sent_then_accept_asked() -> None:
        session.click(wait_visible(session, "#quote-status-sent"))
        wait_until(
            "the quote sent",
            lambda: (lambda s: (s == "sent", s))(attribute_of(session, "#quote-page #quote-status", "data-status")),
        )
        if session.script("const b = document.querySelector('#quote-edit-lines-button'); return !!b && !b.hidden;"):
            raise CheckFailed("a sent quote still offers 'Modifier les lignes'")
        session.click(wait_visible(session, "#quote-status-accepted"))
        wait_visible(session, "#quote-status-confirm")
        question = text_of(session, "#quote-status-confirm")
        print(f"  asked: {question!r}")
        if "Accepter ce devis" not in (question or ""):
            raise CheckFailed(f"accepting should be asked first: {question!r}")
        screenshot(session, "quote-accept.png")
        session.click(wait_visible(session, "#quote-confirm-no"))
        wait_until(
            "the question gone",
            lambda: session.script("return document.querySelector('#quote-status-confirm').hidden;"),
        )
        status = attribute_of(session, "#quote-page #quote-status", "data-status")
        if status != "sent":
            raise CheckFailed(f"cancelling should leave the quote sent, it is {status!r}")

    report.check("a sent quote's lines are locked, and 'Marquer accepté' asks before it is done", quote_sent_then_accept_asked)

    def quote_pdf_saved_with_open() -> None:
        session.click(wait_visible(session, "#export-pdf-button"))
        wait_visible(session, "#quote-pdf-open")
        notice = text_of(session, "#quote-pdf-notice") or ""
        print(f"  notice: {plain_spaces(notice)!r}")
        if "PDF enregistré" not in notice or ".pdf" not in notice:
            raise CheckFailed(f"the PDF's place should be said: {notice!r}")
        # Not clicked: it hands the file to the desktop's PDF reader.
        if text_of(session, "#quote-pdf-open") != "Ouvrir":
            raise CheckFailed("the notice should offer 'Ouvrir'")

    report.check("the quote's PDF is saved, its place said, with 'Ouvrir' beside it", quote_pdf_saved_with_open)

    def my_account() -> None:
        session.click(wait_visible(session, "#nav-settings"))
        wait_visible(session, "#my-account-page")
        devices = wait_until(
            "this device in the list of devices",
            text_with(session, "#device-list", "cet appareil"),
        )
        print(f"  devices: {plain_spaces(devices)!r}")
        about = wait_until(
            "the app's and the server's versions",
            text_with(session, "#about", "protocole"),
        )
        print(f"  about: {plain_spaces(about)!r}")
        session.click(wait_visible(session, "#calendar-feed-button"))
        url = wait_until(
            "a secret calendar address",
            lambda: (lambda t: (bool(t) and "/calendar/" in t and t.endswith(".ics"), t))(text_of(session, "#calendar-feed-url")),
        )
        print(f"  feed: {url!r}")
        screenshot(session, "my-account.png")

    report.check("'Mon compte' lists this device, the versions, and makes a calendar address", my_account)

    def quote_header_read_only() -> None:
        # The administrator sets the header with the real `crm` command; the rep, who may
        # read the settings but not change them, sees it on 'Mon compte' with no form.
        crm_as_admin("settings", "company", "--name", COMPANY_NAME, "--rcs", COMPANY_RCS)
        crm_as_admin("sync")

        def shown() -> tuple[bool, Any]:
            rcs = text_of(session, '#company-details [data-field="company_rcs"]')
            if rcs != COMPANY_RCS:
                # The page reads the header once: render it again (as the router does
                # when asked for the screen it is on) until the rep's sync brought it.
                session.script("window.dispatchEvent(new HashChangeEvent('hashchange'));")
            return rcs == COMPANY_RCS, rcs

        wait_until("the quote header synced to the rep's settings page", shown, timeout=40)
        wait_visible(session, "#company-card")
        name = text_of(session, '#company-details [data-field="company"]')
        print(f"  header: {plain_spaces(text_of(session, '#company-details'))!r}")
        if name != COMPANY_NAME:
            raise CheckFailed(f"the company name should read {COMPANY_NAME!r}, not {name!r}")
        if session.find("#company-form") is not None:
            raise CheckFailed("a rep should see the quote header read-only, not a form")
        title = text_of(session, "#company-card-title")
        if title != "En-tête des devis":
            raise CheckFailed(f"the card should be titled 'En-tête des devis', not {title!r}")
        session.script("document.querySelector('#company-card').scrollIntoView();")
        screenshot(session, "quote-header-read-only.png")

    report.check("a rep sees the quote header the administrator set, read-only", quote_header_read_only)

    def portfolio_filters() -> None:
        def listed() -> list[str]:
            return session.script(
                "return [...document.querySelectorAll('#account-list li.account-row')].filter(li => li.offsetParent !== null)"
                ".map(li => li.querySelector('.account-name, a, span')?.textContent.trim() || li.textContent.trim());"
            )

        session.click(wait_visible(session, "#filter-toggle"))
        session.type(wait_visible(session, "#filter-city"), "lyon")
        rows = wait_until(
            "only the accounts in Lyon",
            lambda: (lambda r: (len(r) == 1 and ACCOUNT_NAME in r[0], r))(listed()),
        )
        print(f"  in Lyon: {rows!r}")
        session.type(wait_visible(session, "#filter-save-name"), "Clients lyonnais")
        session.click(wait_visible(session, "#filter-save"))
        wait_until(
            "the saved filter in the list",
            lambda: session.script(
                "return [...document.querySelectorAll('#filter-saved option')].some(o => o.value === 'Clients lyonnais');"
            ),
        )
        session.click(wait_visible(session, "#filter-clear"))
        wait_until("every account again", lambda: (lambda r: (len(r) >= 2, r))(listed()))
        select_option_by_text(session, "#filter-saved", "Clients lyonnais")
        wait_until("the saved filter applied", lambda: (lambda r: (len(r) == 1, r))(listed()))
        session.click(wait_visible(session, "#filter-clear"))
        # Ctrl+K puts the cursor in the search box from anywhere.
        session.script(
            "document.body.focus(); document.dispatchEvent(new KeyboardEvent('keydown', {key: 'k', ctrlKey: true, bubbles: true}));"
        )
        focused = session.script("return document.activeElement && document.activeElement.id;")
        if focused != "search-input":
            raise CheckFailed(f"Ctrl+K should focus the search box, not {focused!r}")
        # ↓ from the search box walks the list.
        session.script(
            "document.querySelector('#search-input').dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true}));"
        )
        row = session.script("const a = document.activeElement; return a && a.classList.contains('account-row') ? a.textContent : null;")
        if not row:
            raise CheckFailed("↓ from the search box should reach the first account")

    report.check("the portfolio is filtered by city, the filter saved and reused, Ctrl+K and ↓ reach the search and the list", portfolio_filters)

    def product_page_with_photo() -> None:
        # The administrator's product (run.sh made it with `crm`); a rep reads the
        # catalogue and may not add to it.
        session.click(wait_visible(session, "#nav-catalogue"))
        wait_until(
            "the product's link in the catalogue",
            lambda: session.script(
                "const a = [...document.querySelectorAll('#product-list .product-name a')].find(a => a.textContent === 'Borne de garde UI');"
                "if (a) a.click(); return Boolean(a);"
            ),
        )
        wait_visible(session, "#product-page")
        text = wait_until("the pitch, readable", text_with(session, "#product-texts", "moins de 2 heures"))
        print(f"  sheet: {plain_spaces(text)!r}")
        if session.script("const b = document.querySelector('#add-media-button'); return b && !b.hidden;"):
            raise CheckFailed("a rep is offered to change the administrator's catalogue")
        session.script("document.querySelector('#product-media .media-tile button').click();")
        size = wait_until(
            "the photo downloaded and shown",
            lambda: session.script(
                "const i = document.querySelector('#product-media img.media-view');"
                "return i && i.complete && i.naturalWidth > 0 ? [i.naturalWidth, i.naturalHeight] : null;"
            ),
        )
        print(f"  photo shown, {size[0]}×{size[1]} pixels")
        if size != [320, 200]:
            raise CheckFailed(f"the photo should be the 320×200 one attached by the administrator, not {size}")
        screenshot(session, "product.png")

    report.check("a rep opens a product page: its pitch, and its photo downloaded on demand", product_page_with_photo)

    def contracts_list() -> None:
        session.click(wait_visible(session, "#nav-contracts"))
        wait_visible(session, "#contracts-table")

        def rows() -> list[str]:
            return session.script("return [...document.querySelectorAll('#contracts-table tbody tr[data-id]')].map(r => r.textContent);")

        wait_until("the running contract listed", lambda: (lambda r: (len(r) >= 1, r))(rows()))
        select_option_by_text(session, "#contracts-status", "Terminé")
        wait_until("no ended contract", lambda: (lambda r: (len(r) == 0, r))(rows()))
        select_option_by_text(session, "#contracts-status", "Actif")
        listed = wait_until("the active contract", lambda: (lambda r: (len(r) == 1 and "Service de garde" in r[0], r))(rows()))
        print(f"  active: {plain_spaces(listed[0])!r}")
        for expected in ("ascending", "descending"):
            session.script("document.querySelector('#contracts-table th [data-sort=billing]').click();")
            sort = session.script("return document.querySelector('#contracts-table th [data-sort=billing]').parentElement.getAttribute('aria-sort');")
            if sort != expected:
                raise CheckFailed(f"the amount column should sort {expected}, it says {sort!r}")

    report.check("the contracts list filters by status and sorts by a column", contracts_list)

    def review_pages_empty() -> None:
        session.click(wait_visible(session, "#nav-conflicts"))
        wait_visible(session, "#conflicts-page")
        empty = wait_until("the conflicts page's empty state", text_with(session, "#conflict-records .list-empty", "Aucun conflit"))
        print(f"  conflicts: {empty!r}")
        if attribute_of(session, "#nav-conflicts", "aria-current") != "page":
            raise CheckFailed("the link 'Conflits' is not marked as the page shown")
        session.click(wait_visible(session, "#nav-refused-changes"))
        wait_visible(session, "#refused-page")
        empty = wait_until(
            "the refused changes page's empty state",
            text_with(session, "#refused-list .list-empty", "Aucune modification refusée"),
        )
        print(f"  refused: {empty!r}")
        if session.script("const b = document.querySelector('#rejected-count'); return b && !b.hidden;"):
            raise CheckFailed(f"the header counts refused changes: {text_of(session, '#rejected-count')!r}")

    report.check("the conflicts and refused changes pages open from the sidebar and say, in French, there are none", review_pages_empty)

    def refused_product() -> None:
        # The catalogue offers a rep no "Nouveau produit" (the permission matrix says no);
        # the app's own command makes one anyway, as an out-of-date app would, and the
        # server refuses it at the next sync.
        session.script(
            "window.__refusedTest = null;"
            "window.__TAURI_INTERNALS__.invoke('create_record', {recordType: 'product', fields: arguments[0]})"
            ".then(r => { window.__refusedTest = {id: r.id}; }, e => { window.__refusedTest = {error: JSON.stringify(e)}; });",
            {"reference": REFUSED_REFERENCE, "designation": REFUSED_PRODUCT, "price": "99"},
        )
        made = wait_until("the product made on this device", lambda: session.script("return window.__refusedTest;"))
        if "error" in made:
            raise CheckFailed(f"the app did not make the product: {made['error']}")
        badge = wait_until(
            "the header to count one refused change",
            lambda: (
                session.script("const b = document.querySelector('#rejected-count'); return !!b && !b.hidden;"),
                text_of(session, "#rejected-count"),
            ),
        )
        print(f"  header: {badge!r}")
        if badge != "1 modification refusée":
            raise CheckFailed(f"the header should say '1 modification refusée', not {badge!r}")
        # The count is a link to the page.
        session.click(wait_visible(session, "#rejected-count"))
        wait_visible(session, "#refused-page")
        card = "#refused-list .refused-card"
        name = wait_until("the refused product's card", text_with(session, f"{card} .review-record-name", REFUSED_PRODUCT))
        kind = text_of(session, f"{card} .record-type-tag")
        reason = text_of(session, f"{card} .refused-reason") or ""
        typed = plain_spaces(text_of(session, f"{card} .refused-fields"))
        print(f"  card: {kind!r} {name!r}; {reason!r}; typed: {typed!r}")
        if kind != "Produit":
            raise CheckFailed(f"the card should name the record type 'Produit', not {kind!r}")
        if "Votre rôle ne permet pas" not in reason:
            raise CheckFailed(f"the reason is not told in French: {reason!r}")
        for expected in ("Désignation", REFUSED_PRODUCT, "Référence", REFUSED_REFERENCE, "99,00 €"):
            if expected not in typed:
                raise CheckFailed(f"the typed data should show {expected!r}: {typed!r}")
        if session.find(f"{card} .refused-open") is not None:
            raise CheckFailed("a refused creation has no record on this device to open")
        screenshot(session, "refused.png")

        session.click(wait_visible(session, f"{card} .refused-copy"))
        status = wait_until("a word on the copy", lambda: text_of(session, f"{card} .refused-copy-status"))
        shown = session.script(
            "const t = document.querySelector(arguments[0]); return t && !t.hidden ? t.value : null;", f"{card} .refused-copy-text"
        )
        print(f"  copy: {status!r}")
        if shown is not None and REFUSED_PRODUCT not in shown:
            raise CheckFailed(f"the text offered to copy does not hold the product's name: {shown!r}")

        session.click(wait_visible(session, f"{card} .refused-dismiss"))
        question = text_of(session, f"{card} .refused-confirm")
        print(f"  asked: {question!r}")
        session.click(wait_visible(session, f"{card} .refused-dismiss-yes"))
        wait_until(
            "the card gone and the page empty",
            text_with(session, "#refused-list .list-empty", "Aucune modification refusée"),
        )
        wait_until(
            "the header's count gone",
            lambda: (
                session.script("const b = document.querySelector('#rejected-count'); return !b || b.hidden;"),
                text_of(session, "#rejected-count"),
            ),
        )

    report.check(
        "a product a rep may not create is refused: its card says why in French and shows what was typed, to copy or forget",
        refused_product,
    )

    def conflict_announced_and_settled() -> None:
        account = state["account"]
        # The administrator's device holds the account, then changes its phone without
        # sending it yet: neither change will have seen the other.
        crm_as_admin("sync")
        crm_as_admin("account", "edit", account, "--phone", ADMIN_PHONE)
        session.script("location.hash = arguments[0];", f"#/accounts/{account}/edit")
        wait_until(
            "the account form filled in",
            lambda: session.script("const i = document.querySelector('#account-form input[name=name]'); return !!i && i.value === arguments[0];", ACCOUNT_NAME),
        )
        set_value(session, "#account-form input[name=phone]", REP_PHONE)
        session.click(wait_visible(session, "#account-form button[type=submit]"))
        wait_visible(session, "#account-page")
        wait_until("the rep's change sent", lambda: pending_is_zero(session))
        crm_as_admin("sync")

        badge = wait_until(
            "the header to announce a conflict to settle",
            lambda: (
                session.script("const b = document.querySelector('#conflicts-count'); return !!b && !b.hidden;"),
                text_of(session, "#conflicts-count"),
            ),
            timeout=40,
        )
        new = "is-new" in (attribute_of(session, "#conflicts-count", "class") or "")
        print(f"  header: {badge!r} (new: {new})")
        if badge != "1 conflit à régler" or not new:
            raise CheckFailed(f"the header should announce '1 conflit à régler' as new, it says {badge!r} (new: {new})")
        session.click(wait_visible(session, "#conflicts-count"))
        wait_visible(session, "#conflicts-page")
        card = f'#conflict-records .open-conflict[data-id="{account}"]'
        wait_visible(session, card)
        field = text_of(session, f'{card} .open-conflict-field[data-field="phone"] .conflict-field')
        values = session.script(
            "return [...document.querySelectorAll(arguments[0])].map(li => ({"
            " text: li.querySelector('.conflict-text').textContent,"
            " meta: li.querySelector('.conflict-meta').textContent,"
            " kept: li.classList.contains('kept')}));",
            f'{card} .open-conflict-field[data-field="phone"] .conflict-value',
        )
        print(f"  {text_of(session, f'{card} .review-record-name')!r}, {field!r}: {values!r}")
        if field != "Téléphone":
            raise CheckFailed(f"the field should be named 'Téléphone', not {field!r}")
        if sorted(value["text"] for value in values) != [ADMIN_PHONE, REP_PHONE]:
            raise CheckFailed(f"both phones should be offered: {values!r}")
        mine = next(value for value in values if value["text"] == REP_PHONE)
        if f"Par {REP_NAME}" not in mine["meta"] or "cet appareil" not in mine["meta"]:
            raise CheckFailed(f"the rep's value should say who wrote it and on which device: {mine['meta']!r}")
        # The server's directory names every user's devices.
        theirs = next(value for value in values if value["text"] == ADMIN_PHONE)
        if "Par Admin UI" not in theirs["meta"] or "appareil " not in theirs["meta"]:
            raise CheckFailed(f"the administrator's value should say who wrote it and on which device: {theirs['meta']!r}")
        screenshot(session, "conflicts.png")

        session.script(
            "const li = [...document.querySelectorAll(arguments[0])].find(li => li.querySelector('.conflict-text').textContent === arguments[1]);"
            "li.querySelector('.conflict-keep').click();",
            f'{card} .open-conflict-field[data-field="phone"] .conflict-value',
            REP_PHONE,
        )
        wait_until("no conflict left", text_with(session, "#conflict-records .list-empty", "Aucun conflit"))
        wait_until(
            "the header's conflict link gone",
            lambda: (
                session.script("const b = document.querySelector('#conflicts-count'); return !b || b.hidden;"),
                text_of(session, "#conflicts-count"),
            ),
        )

    report.check(
        "a change made at the same time on another device: the header announces the conflict, its page says who wrote each value, the one kept settles it",
        conflict_announced_and_settled,
    )


def main() -> int:
    return run("account_test.py", scenario, ("CRM_PASSWORD", "CRM_CLI", "CRM_ADMIN_DATA_DIR"), artifacts="account-final")


if __name__ == "__main__":
    sys.exit(main())
