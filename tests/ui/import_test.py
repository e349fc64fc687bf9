#!/usr/bin/env python3
"""Real-window UI test of the import wizard, the duplicate warning and the duplicates page,
driven through tauri-driver.

Runs last, after `account_test.py`, in two sessions of the app:

1. The rep's, on the data directory the other tests used (unlocked with the password):
   "Importer" is in the navigation and offers accounts but not products (a rep may not
   create them); "Doublons" is not offered (a merge deletes a record, which a rep may not).
2. The administrator's, on a device of their own: `run.sh` starts the same app through a
   small wrapper ($CRM_ADMIN_APP) that gives it its own data directory, and the test signs
   in through the login form. There, the import wizard reads a Windows-1252 CSV with `;`
   (made here in a temporary directory and given to the file input with WebDriver's send
   keys) of three accounts, one with a wrong SIRET: "Vérifier" says 2 would be created and
   1 row refused, "Importer" creates 2 and lists the refused row (row 4, column SIRET);
   the portfolio shows both accounts, the import is listed, and "Annuler cet import",
   asked once, removes them. Then an account is created, and typing its name and postal
   code again in "Nouveau tiers" shows "Ce compte existe peut-être déjà" naming it, with
   its likeness, "nom proche" and a link to it; saving stays possible. The "Doublons"
   page lists that pair; "Fusionner" compares them, and merging (the first one kept)
   leaves one account in the portfolio.

Screenshots: $CRM_SHOT_DIR/import-rep.png, import.png, import-undone.png,
duplicate-warning.png, duplicates-merge.png; on failure the screen and the page's HTML are
kept as import-final.png / .html (the rep's session as import-rep-final).

Only the Python standard library is used. To run by hand, set CRM_APP, CRM_PASSWORD,
CRM_SERVER_URL, CRM_ADMIN_APP (an executable that starts the app with the administrator's
data directory), CRM_SHOT_DIR, optionally CRM_ADMIN_EMAIL (default admin@example.fr, same
password) and CRM_WEBDRIVER_URL.

The last line printed is "N passed, M failed"; the exit status is non-zero on failure.
"""

from __future__ import annotations

import atexit
import base64
import os
import shutil
import sys
import tempfile
import time
from typing import Any

from webdriver import (
    screenshot,
    attribute_of,
    CheckFailed,
    plain_spaces,
    Report,
    run_sessions,
    select_option_by_text,
    Session,
    shot_dir,
    text_of,
    wait_until,
    wait_visible,
    WebDriverError,
)

ACCOUNT_NAME = "Boulangerie Dupont UI"
CSV_NAME = "clients-import-ui.csv"
IMPORTED = ("Café des Sports Import UI", "Brasserie Müller Import UI")
REFUSED = "Garage Erroné Import UI"
DUPLICATE_NAME = "Garage Martin Doublon UI"
DUPLICATE_POSTAL_CODE = "69003"


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def siret(first_13: str) -> str:
    """A SIRET whose check digit is right (the Luhn key over its 14 digits)."""
    return next(first_13 + str(d) for d in range(10) if luhn_ok(first_13 + str(d)))


def write_csv(directory: str) -> str:
    """Three accounts as an old French system writes them: Windows-1252, `;`, CRLF; the
    third one's SIRET has a mistyped last digit."""
    good_1, good_2 = siret("8140327900001"), siret("4420185600002")
    bad = good_1[:-1] + str((int(good_1[-1]) + 1) % 10)
    lines = [
        "Raison sociale;SIRET;Code postal;Ville",
        f"{IMPORTED[0]};{good_1};69003;Lyon",
        f"{IMPORTED[1]};{good_2};69007;Lyon",
        f"{REFUSED};{bad};69008;Lyon",
    ]
    path = os.path.join(directory, CSV_NAME)
    with open(path, "wb") as file:
        file.write(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def choose_file(session: Session, css: str, path: str) -> None:
    """Chooses `path` in the file input `css` as the user's file picker would: WebDriver's
    send keys of the path. Should this WebKitWebDriver not take files, the same bytes are
    given to the input from the page (a DataTransfer), so the rest is still tested."""
    element = wait_visible(session, css)
    try:
        session.send_keys(element, path)
        wait_until(
            "the file chosen",
            lambda: session.script("const i = document.querySelector(arguments[0]); return i.files.length === 1;", css),
            timeout=3,
        )
        return
    except (WebDriverError, CheckFailed) as error:
        print(f"  send keys did not choose the file ({error}); giving its bytes to the input instead")
    with open(path, "rb") as file:
        data = base64.b64encode(file.read()).decode("ascii")
    session.script(
        "const input = document.querySelector(arguments[0]);"
        "const bytes = Uint8Array.from(atob(arguments[1]), c => c.charCodeAt(0));"
        "const transfer = new DataTransfer(); transfer.items.add(new File([bytes], arguments[2], {type: 'text/csv'}));"
        "input.files = transfer.files; input.dispatchEvent(new Event('change', {bubbles: true}));",
        css,
        data,
        os.path.basename(path),
    )


def account_rows(session: Session) -> list[dict[str, str]]:
    """The portfolio's rows as shown: id and name."""
    return session.script(
        "return [...document.querySelectorAll('#account-list li.account-row')]"
        ".map(li => ({id: li.dataset.id, name: li.querySelector('.account-name').textContent.trim()}));"
    ) or []


def names_listed(session: Session) -> list[str]:
    return [row["name"] for row in account_rows(session)]


def count_of(session: Session, name: str) -> str | None:
    """A count of the import's result (`created`, `errors`…), as shown."""
    return text_of(session, f'#import-counts dd[data-count="{name}"]')


def result_titled(session: Session, title: str) -> Any:
    """A probe: the result block shown with `title`; an error of the wizard fails at once."""

    def probe() -> tuple[bool, Any]:
        error = session.script("const e = document.querySelector('#import-error'); return e && !e.hidden ? e.textContent : null;")
        if error:
            raise CheckFailed(f"the wizard says: {error}")
        shown = session.script("const r = document.querySelector('#import-result'); return !!r && !r.hidden;")
        seen = text_of(session, "#import-result-title")
        return bool(shown) and seen == title, seen

    return probe


def current_account_id(session: Session) -> str | None:
    """The account whose page is shown, from the address (#/accounts/<id>)."""
    hash_ = session.script("return location.hash;") or ""
    parts = hash_.split("/")
    return parts[2] if len(parts) == 3 and parts[1] == "accounts" and parts[2] not in ("", "new") else None


# ---------------------------------------------------------------------------------------
# The rep: what the navigation offers
# ---------------------------------------------------------------------------------------


def rep_scenario(session: Session, report: Report) -> None:
    def unlock() -> None:
        wait_visible(session, "#unlock-screen")
        session.type(wait_visible(session, "#unlock-password"), os.environ["CRM_PASSWORD"])
        session.click(wait_visible(session, "#unlock-submit"))
        wait_visible(session, "#account-list")

    report.check("the rep's app opens with the password", unlock)

    def rep_navigation() -> None:
        if session.find("#nav-duplicates") is not None:
            raise CheckFailed("a rep is offered 'Doublons', but may not merge (a merge deletes a record)")
        link = text_of(session, "#nav-import")
        if link != "Importer":
            raise CheckFailed(f"the navigation should offer 'Importer' to a rep, it says {link!r}")
        session.click(wait_visible(session, "#nav-import"))
        wait_visible(session, "#import-page")
        types = session.script("return [...document.querySelectorAll('#import-type option')].map(o => o.textContent);")
        print(f"  a rep may import: {types!r}")
        if "Comptes" not in types or "Contacts" not in types:
            raise CheckFailed(f"a rep should be offered accounts and contacts: {types!r}")
        if "Produits" in types:
            raise CheckFailed(f"a rep may not create products, yet is offered them: {types!r}")
        screenshot(session, "import-rep.png")

    report.check("a rep is offered 'Importer' (accounts, not products) and no 'Doublons'", rep_navigation)


# ---------------------------------------------------------------------------------------
# The administrator: import, undo, duplicate warning, merge
# ---------------------------------------------------------------------------------------


def admin_scenario(session: Session, report: Report) -> None:
    env = os.environ
    state: dict[str, Any] = {}

    def sign_in() -> None:
        wait_visible(session, "#login-form")
        session.type_checked(wait_visible(session, "#login-form input[name=server]"), env["CRM_SERVER_URL"])
        session.type_checked(wait_visible(session, "#login-form input[name=email]"), env.get("CRM_ADMIN_EMAIL", "admin@example.fr"))
        session.type_checked(wait_visible(session, "#login-form input[name=password]"), env["CRM_PASSWORD"])
        session.click(wait_visible(session, "#login-form button[type=submit]"))

        def synced() -> tuple[bool, Any]:
            error = text_of(session, "#login-form .form-error")
            if error:
                raise CheckFailed(f"sign-in was refused: {error}")
            names = names_listed(session) if session.find("#account-list") is not None else []
            return ACCOUNT_NAME in names, names

        wait_until(f"the administrator's portfolio, with '{ACCOUNT_NAME}' synced", synced, timeout=60)

    report.check("the administrator signs in on a device of their own and gets the company's accounts", sign_in)

    def admin_navigation() -> None:
        for link, label in (("#nav-import", "Importer"), ("#nav-duplicates", "Doublons")):
            shown = text_of(session, link)
            if shown != label:
                raise CheckFailed(f"an administrator should be offered {label!r}, the link says {shown!r}")

    report.check("an administrator is offered 'Importer' and 'Doublons'", admin_navigation)

    def read_the_file() -> None:
        session.click(wait_visible(session, "#nav-import"))
        wait_visible(session, "#import-page")
        select_option_by_text(session, "#import-type", "Comptes")
        directory = tempfile.mkdtemp(prefix="crm-import-ui-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        state["csv"] = write_csv(directory)
        choose_file(session, "#import-file", state["csv"])

        def mapped() -> tuple[bool, Any]:
            error = session.script("const e = document.querySelector('#import-error'); return e && !e.hidden ? e.textContent : null;")
            if error:
                raise CheckFailed(f"the file was not read: {error}")
            mapping = session.script(
                "return Object.fromEntries([...document.querySelectorAll('#import-mapping select')].map(s => [s.dataset.header, s.value]));"
            )
            return bool(mapping) and len(mapping) == 4, mapping

        mapping = wait_until("the columns of the file with their fields", mapped)
        print(f"  mapping: {mapping!r}")
        expected = {"Raison sociale": "name", "SIRET": "siret", "Code postal": "postal_code", "Ville": "city"}
        if mapping != expected:
            raise CheckFailed(f"the columns should be guessed from their French headers as {expected!r}: {mapping!r}")
        label = session.script(
            "const s = document.querySelector('#import-mapping select[data-header=\"Raison sociale\"]');"
            "return s.options[s.selectedIndex].textContent;"
        )
        if label != "Raison sociale":
            raise CheckFailed(f"the field should be shown by its label, not {label!r}")
        preview = plain_spaces(text_of(session, "#import-preview"))
        if IMPORTED[0] not in preview or IMPORTED[1] not in preview:
            raise CheckFailed(f"the Windows-1252 accents should be read right in the preview: {preview!r}")
        total = text_of(session, "#import-total")
        if total != "3 lignes dans le fichier":
            raise CheckFailed(f"the file holds 3 rows, the page says {total!r}")
        if not session.script("return document.querySelector('#import-run').disabled;"):
            raise CheckFailed("'Importer' should wait for 'Vérifier'")

    report.check("a Windows-1252 CSV with ';' is read: its columns guessed, its accents right", read_the_file)

    def check_first() -> None:
        session.click(wait_visible(session, "#import-check"))
        wait_until("what the import would do", result_titled(session, "Ce que l’import ferait"), timeout=40)
        counts = {name: count_of(session, name) for name in ("created", "errors")}
        print(f"  would do: {counts!r}")
        if counts != {"created": "2", "errors": "1"}:
            raise CheckFailed(f"the check should say 2 created and 1 refused row: {counts!r}")
        if any(name in names_listed(session) for name in IMPORTED):
            raise CheckFailed("the check wrote accounts")
        wait_until(
            "'Importer' to be offered",
            lambda: session.script("return !document.querySelector('#import-run').disabled;"),
        )

    report.check("'Vérifier' says 2 accounts would be created and 1 row refused, writing nothing", check_first)

    def import_for_real() -> None:
        session.click(wait_visible(session, "#import-run"))
        wait_until("the import's result", result_titled(session, "Import terminé"), timeout=60)
        counts = {name: count_of(session, name) for name in ("rows", "created", "updated", "errors")}
        print(f"  did: {counts!r}")
        if counts != {"rows": "3", "created": "2", "updated": "0", "errors": "1"}:
            raise CheckFailed(f"the import should read 3 rows, create 2 and refuse 1: {counts!r}")
        errors = session.script(
            "return [...document.querySelectorAll('#import-errors tbody tr')].map(tr => [...tr.cells].map(td => td.textContent));"
        )
        print(f"  refused: {errors!r}")
        if len(errors) != 1 or errors[0][0] != "4" or errors[0][1] != "SIRET" or not errors[0][2]:
            raise CheckFailed(f"the refused row should be row 4, column SIRET, with its reason: {errors!r}")
        wait_visible(session, "#import-open-errors")
        wait_visible(session, "#import-undo")
        screenshot(session, "import.png")

        def listed() -> tuple[bool, Any]:
            names = names_listed(session)
            return all(name in names for name in IMPORTED) and REFUSED not in names, names

        wait_until("both imported accounts in the portfolio", listed)

        def in_history() -> tuple[bool, Any]:
            rows = session.script("return [...document.querySelectorAll('#import-history li.import-summary')].map(li => li.textContent);")
            return bool(rows) and CSV_NAME in rows[0] and "Comptes" in rows[0] and "2 créées" in rows[0], rows

        rows = wait_until("the import first in the list of imports, by its file's name", in_history)
        print(f"  listed: {plain_spaces(rows[0])!r}")

    report.check("'Importer' creates 2 accounts, lists the refused row, and the portfolio shows them", import_for_real)

    def undo() -> None:
        session.click(wait_visible(session, "#import-undo"))
        wait_visible(session, "#import-undo-confirm")
        question = text_of(session, "#import-undo-confirm")
        print(f"  asked: {question!r}")
        if not question or "Annuler cet import" not in question:
            raise CheckFailed(f"the undo should be asked first: {question!r}")
        session.click(wait_visible(session, "#import-undo-yes"))

        def undone() -> tuple[bool, Any]:
            error = session.script("const e = document.querySelector('#import-result .form-error'); return e && !e.hidden ? e.textContent : null;")
            if error:
                raise CheckFailed(f"the undo was refused: {error}")
            shown = session.script("const e = document.querySelector('#import-undone'); return !!e && !e.hidden;")
            return bool(shown), text_of(session, "#import-undone")

        said = wait_until("what the undo did", undone, timeout=40)
        print(f"  {said!r}")
        if "2 fiches supprimées" not in (said or ""):
            raise CheckFailed(f"the undo should say it deleted 2 records: {said!r}")

        def gone() -> tuple[bool, Any]:
            names = names_listed(session)
            return not any(name in names for name in IMPORTED), names

        wait_until("the imported accounts gone from the portfolio", gone)
        row = wait_until(
            "the import marked as undone in the list",
            lambda: (lambda t: ("annulé le" in (t or ""), t))(text_of(session, "#import-history li.import-summary")),
        )
        print(f"  listed: {plain_spaces(row)!r}")
        if session.find("#import-history li.import-summary:first-child .import-history-undo") is not None:
            raise CheckFailed("an undone import still offers 'Annuler cet import'")
        screenshot(session, "import-undone.png")

    report.check("'Annuler cet import', asked once, removes the imported accounts", undo)

    def duplicate_warning() -> None:
        session.click(wait_visible(session, "#new-account-button"))
        wait_visible(session, "#account-form")
        session.type(wait_visible(session, "#account-form input[name=name]"), DUPLICATE_NAME)
        session.type(wait_visible(session, "#account-form input[name=postal_code]"), DUPLICATE_POSTAL_CODE)
        session.type(wait_visible(session, "#account-form input[name=city]"), "Lyon")
        session.click(wait_visible(session, "#account-form button[type=submit]"))

        def saved() -> tuple[bool, Any]:
            error = text_of(session, "#account-form .form-error")
            if error:
                raise CheckFailed(f"the account was refused: {error}")
            return current_account_id(session) is not None and session.find("#account-page") is not None, session.script("return location.hash;")

        wait_until("the first account's page", saved)
        state["first"] = current_account_id(session)

        session.click(wait_visible(session, "#new-account-button"))
        wait_visible(session, "#account-form")
        if session.script("const w = document.querySelector('#account-duplicates'); return !!w && !w.hidden;"):
            raise CheckFailed("the warning shows before anything is typed")
        session.type(wait_visible(session, "#account-form input[name=name]"), DUPLICATE_NAME)
        session.type(wait_visible(session, "#account-form input[name=postal_code]"), DUPLICATE_POSTAL_CODE)

        def warned() -> tuple[bool, Any]:
            shown = session.script("const w = document.querySelector('#account-duplicates'); return !!w && !w.hidden;")
            return bool(shown), text_of(session, "#account-duplicates")

        text = plain_spaces(wait_until("the duplicate warning above 'Enregistrer'", warned))
        print(f"  warning: {text!r}")
        for expected in ("Ce compte existe peut-être déjà", DUPLICATE_NAME, "Lyon", "nom proche", "%", "Ouvrir la fiche existante"):
            if expected not in text:
                raise CheckFailed(f"the warning should say {expected!r}: {text!r}")
        href = attribute_of(session, f'#account-duplicates li[data-id="{state["first"]}"] .duplicate-open', "href")
        if href != f"#/accounts/{state['first']}":
            raise CheckFailed(f"'Ouvrir la fiche existante' should lead to the first account's page, not {href!r}")
        below = session.script(
            "const w = document.querySelector('#account-duplicates'), s = document.querySelector('#account-form button[type=submit]');"
            "return !!(w.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING);"
        )
        if not below:
            raise CheckFailed("the warning should stand above 'Enregistrer'")
        screenshot(session, "duplicate-warning.png")

        # Saving stays possible: the second account is the duplicate the page below merges.
        session.click(wait_visible(session, "#account-form button[type=submit]"))

        def second_saved() -> tuple[bool, Any]:
            error = text_of(session, "#account-form .form-error")
            if error:
                raise CheckFailed(f"the second account was refused: {error}")
            shown = current_account_id(session)
            return shown is not None and shown != state["first"], shown

        state["second"] = wait_until("the second account's page", second_saved)

    report.check(
        "typing an existing account's name and postal code warns it may exist (name, city, likeness, reason, link), and saving stays possible",
        duplicate_warning,
    )

    def merge_duplicates() -> None:
        pair_ids = {state["first"], state["second"]}
        session.click(wait_visible(session, "#nav-duplicates"))
        wait_visible(session, "#duplicates-page")
        session.click(wait_visible(session, "#duplicates-tab-account"))

        def pair_listed() -> tuple[bool, Any]:
            pairs = session.script(
                "return [...document.querySelectorAll('#duplicate-pairs li.duplicate-pair')].map(li => ({a: li.dataset.a, b: li.dataset.b, text: li.textContent}));"
            ) or []
            found = [p for p in pairs if {p["a"], p["b"]} == pair_ids]
            return bool(found), found[0] if found else [p["text"] for p in pairs]

        pair = wait_until("the pair of accounts on the duplicates page", pair_listed)
        text = plain_spaces(pair["text"])
        print(f"  pair: {text!r}")
        if text.count(DUPLICATE_NAME) != 2 or "nom proche" not in text or "%" not in text:
            raise CheckFailed(f"the pair should show both names, the likeness and the reason: {text!r}")
        card = f'#duplicate-pairs li.duplicate-pair[data-a="{pair["a"]}"][data-b="{pair["b"]}"]'
        session.click(wait_visible(session, f"{card} .duplicate-merge"))
        wait_visible(session, f"{card} .merge-panel")
        wait_until(
            "both records loaded for the comparison",
            lambda: session.script("const b = document.querySelector(arguments[0]); return !!b && !b.disabled;", f"{card} .merge-submit"),
        )
        # The first account is kept.
        session.script(
            "const r = document.querySelector(arguments[0]); r.click(); return r.checked;",
            f'{card} .merge-keep input[value="{state["first"]}"]',
        )
        consequence = text_of(session, f"{card} .merge-consequence")
        print(f"  says: {consequence!r}")
        screenshot(session, "duplicates-merge.png")
        session.click(wait_visible(session, f"{card} .merge-submit"))

        def merged() -> tuple[bool, Any]:
            error = session.script("const e = document.querySelector(arguments[0]); return e && !e.hidden ? e.textContent : null;", f"{card} .form-error")
            if error:
                raise CheckFailed(f"the merge was refused: {error}")
            shown = session.script("const n = document.querySelector('#duplicates-notice'); return !!n && !n.hidden;")
            return bool(shown), text_of(session, "#duplicates-notice")

        said = wait_until("the merge done", merged, timeout=40)
        print(f"  {said!r}")
        if not (said or "").startswith("Fusionné : ") or "rattachée" not in (said or ""):
            raise CheckFailed(f"the page should say 'Fusionné : N fiches rattachées': {said!r}")
        wait_until("the pair gone from the list", lambda: (lambda r: (not r[0], r[1]))(pair_listed()))

        def one_left() -> tuple[bool, Any]:
            rows = [row for row in account_rows(session) if row["name"] == DUPLICATE_NAME]
            return len(rows) == 1 and rows[0]["id"] == state["first"], rows

        wait_until("one account left in the portfolio, the one kept", one_left)

    report.check("the duplicates page lists the pair, and merging it leaves the account kept", merge_duplicates)


# ---------------------------------------------------------------------------------------
# Two sessions, one report
# ---------------------------------------------------------------------------------------


def main() -> int:
    required = ("CRM_APP", "CRM_PASSWORD", "CRM_SERVER_URL", "CRM_ADMIN_APP")
    missing = [name for name in required if not os.environ.get(name)]
    if missing:
        print(f"import_test.py: missing environment variables: {', '.join(missing)}", file=sys.stderr)
        print("0 passed, 1 failed")
        return 2

    report = Report()
    started = time.monotonic()
    sessions = (
        ("the rep's app", os.environ["CRM_APP"], rep_scenario, "import-rep-final"),
        ("the administrator's app", os.environ["CRM_ADMIN_APP"], admin_scenario, "import-final"),
    )
    return run_sessions(report, sessions, started)


if __name__ == "__main__":
    sys.exit(main())
