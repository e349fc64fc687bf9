#!/usr/bin/env python3
"""Real-window UI test of the marketing and customer-service screens, driven through
tauri-driver.

Runs last, after `import_test.py`. It seeds its data with the real `crm` command, then
opens two new devices of the app, each signed in through the login form:

Seeding (before any window opens):
  * the marketing user's own `crm` device (a data directory of its own under
    $CRM_UI_TMP, signed in with `crm login`) enters the lead "Claire Martin Piste UI"
    with `crm lead add` (company, e-mail, phone, origin "salon", a message asking for a
    quote, e-mailing consent: 80 points under the default scoring rules, six reasons)
    and sends it with `crm sync`;
  * the administrator's `crm` device ($CRM_ADMIN_DATA_DIR, signed in by run.sh) creates
    the customer "Boulangerie Appel UI" and its contact "Jeanne Appel UI" whose phone is
    "04 78 00 00 00", and sends them with `crm sync`.

1. Marketing ($CRM_MARKETING_APP, a wrapper giving the app a data directory of its own):
   signing in lands on the lead inbox (« Pistes »), with no link to deals nor tickets;
   the lead arrives with its score badge (80), in « File marketing » (no rep has it);
   its page shows the score with each reason and its points, offers « Qualifier » but
   not « Convertir » (marketing may not create accounts), and qualifying it with the rep
   "Rep UI" picked by name says so.
2. Customer service ($CRM_SUPPORT_APP, with its own data directory and the telephony hook
   on $CRM_SUPPORT_CALL_PORT): signing in lands on the ticket queue, with no link to leads;
   once the account has synced, the script calls the hook as a softphone would
   (http://127.0.0.1:PORT/call?number=04.78.00.00.00) and the window shows the caller's
   card naming "Jeanne Appel UI" at "Boulangerie Appel UI"; the queue's number box opens
   the same card from "+33 4 78 00 00 00"; « Nouveau ticket » on the card opens the form
   with the account chosen, the ticket is saved and shown with its service clock; moving
   it to « En cours » records the first response; the queue lists it.

Screenshots: $CRM_SHOT_DIR/service-leads.png, service-lead.png, service-lead-qualified.png,
service-tickets-empty.png, service-call.png, service-ticket.png, service-tickets.png; on
failure the screen and the page's HTML are kept as service-marketing-final.png / .html and
service-support-final.png / .html.

Only the Python standard library is used. To run by hand, set CRM_APP (unused here but
checked by the shared helpers), CRM_PASSWORD, CRM_SERVER_URL, CRM_CLI, CRM_ADMIN_DATA_DIR,
CRM_MARKETING_APP, CRM_SUPPORT_APP, CRM_SUPPORT_CALL_PORT, CRM_UI_TMP (or TMPDIR) and
optionally CRM_MARKETING_EMAIL, CRM_SUPPORT_EMAIL, CRM_WEBDRIVER_URL.

The last line printed is "N passed, M failed"; the exit status is non-zero on failure.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from webdriver import (
    cli_device,
    crm,
    screenshot,
    sign_in,
    landed_on,
    nav_links,
    ensure_server_up,
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
)

LEAD_NAME = "Claire Martin Piste UI"
LEAD_COMPANY = "Boulangerie Martin UI"
LEAD_SCORE = "80"
REP_NAME = "Rep UI"
REP_EMAIL = "rep@example.fr"
CALL_ACCOUNT = "Boulangerie Appel UI"
CALL_CONTACT = "Jeanne Appel UI"
CALL_PHONE = "04 78 00 00 00"
TICKET_SUBJECT = "Four en panne UI"


# ---------------------------------------------------------------------------------------
# Seeding with the real `crm` command
# ---------------------------------------------------------------------------------------


def seed_lead() -> None:
    """The lead, entered by marketing on a `crm` device of their own, and synced."""
    env = os.environ
    data_dir = cli_device("marketing-cli-", env.get("CRM_MARKETING_EMAIL", "marketing@example.fr"))
    out = crm(
        data_dir,
        "--json",
        "lead",
        "add",
        "--name",
        LEAD_NAME,
        "--company",
        LEAD_COMPANY,
        "--email",
        "c.martin@boulangerie-martin-ui.fr",
        "--phone",
        "04 72 00 00 09",
        "--postal-code",
        "69002",
        "--city",
        "Lyon",
        "--source",
        "salon",
        "--message",
        "Bonjour, pourriez-vous m'envoyer un devis pour deux bornes ?",
        "--consent-email",
        "yes",
    )
    view = json.loads(out)
    print(f"  lead {view['lead']['id']}: {view['score']['score']} points, {len(view['score']['reasons'])} reasons", flush=True)
    if str(view["score"]["score"]) != LEAD_SCORE:
        raise CheckFailed(f"the default rules should give the seeded lead {LEAD_SCORE} points: {view['score']!r}")
    crm(data_dir, "sync")


def seed_caller() -> None:
    """The customer and their contact with the phone number, made by the administrator's
    `crm` device (run.sh signed it in) and synced."""
    data_dir = os.environ["CRM_ADMIN_DATA_DIR"]
    account = json.loads(crm(data_dir, "--json", "account", "add", "--name", CALL_ACCOUNT, "--kind", "customer", "--postal-code", "69003", "--city", "Lyon"))
    crm(data_dir, "contact", "add", "--account", account["id"], "--name", CALL_CONTACT, "--job-title", "Gérante", "--phone", CALL_PHONE)
    crm(data_dir, "sync")


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def lead_rows(session: Session) -> list[dict[str, str]]:
    return session.script(
        "return [...document.querySelectorAll('#leads-table tr.lead-row')].map(tr => ({"
        "id: tr.dataset.id, name: tr.querySelector('.lead-name').textContent.trim(),"
        "score: tr.querySelector('.score-badge').textContent.trim(), text: tr.textContent}));"
    ) or []


def call_hook(number: str) -> tuple[int, str]:
    """Calls the app's telephony hook as a softphone does; retries while it starts."""
    port = os.environ["CRM_SUPPORT_CALL_PORT"]
    url = f"http://127.0.0.1:{port}/call?{urllib.parse.urlencode({'number': number})}"
    last: Any = None
    for _ in range(50):
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return answer.status, answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")
        except OSError as error:  # connection refused while the app starts
            last = error
            time.sleep(0.2)
    raise CheckFailed(f"the telephony hook did not answer on {url}: {last}")


def card_shows(session: Session) -> Any:
    """A probe: the call card with the contact and their account; an error fails at once."""

    def probe() -> tuple[bool, Any]:
        error = session.script("const e = document.querySelector('#call-page > .form-error'); return e && !e.hidden ? e.textContent : null;")
        if error:
            raise CheckFailed(f"the call card says: {error}")
        contacts = session.script("return [...document.querySelectorAll('#call-results .call-contact-name')].map(e => e.textContent.trim());") or []
        accounts = session.script("return [...document.querySelectorAll('#call-results .call-account-link')].map(e => e.textContent.trim());") or []
        return CALL_CONTACT in contacts and CALL_ACCOUNT in accounts, {"contacts": contacts, "accounts": accounts}

    return probe


# ---------------------------------------------------------------------------------------
# Marketing: the lead inbox, a lead's score, qualifying it
# ---------------------------------------------------------------------------------------


def marketing_scenario(session: Session, report: Report) -> None:
    env = os.environ
    state: dict[str, Any] = {}

    def lands_on_inbox() -> None:
        sign_in(session, env.get("CRM_MARKETING_EMAIL", "marketing@example.fr"))
        wait_until("the lead inbox after sign-in", landed_on(session, "#leads-page", "#/leads"), timeout=60)
        links = nav_links(session)
        print(f"  links: {links!r}")
        if text_of(session, "#nav-leads") != "Pistes":
            raise CheckFailed(f"the navigation should offer « Pistes » to marketing: {links!r}")
        for absent in ("nav-tickets", "nav-pipeline"):
            if absent in links:
                raise CheckFailed(f"marketing may not use {absent}, yet it is offered: {links!r}")

    report.check("marketing signs in and lands on the lead inbox, offered no deals nor tickets", lands_on_inbox)

    def lead_listed() -> None:
        def listed() -> tuple[bool, Any]:
            rows = [row for row in lead_rows(session) if row["name"] == LEAD_NAME]
            return bool(rows), rows[0] if rows else [row["name"] for row in lead_rows(session)]

        row = wait_until(f"'{LEAD_NAME}' in the inbox (synced from the other device)", listed, timeout=60)
        print(f"  row: {plain_spaces(row['text'])!r}")
        if row["score"] != LEAD_SCORE:
            raise CheckFailed(f"the lead's badge should say {LEAD_SCORE}: {row['score']!r}")
        if LEAD_COMPANY not in row["text"] or "Nouvelle" not in row["text"] or "salon" not in row["text"]:
            raise CheckFailed(f"the row should show the company, the origin and the status by its label: {row['text']!r}")
        # Entered by marketing, the lead has no rep yet: it waits in marketing's queue.
        if "File marketing" not in row["text"]:
            raise CheckFailed(f"a lead no rep has should say « File marketing »: {row['text']!r}")
        state["lead"] = row["id"]
        screenshot(session, "service-leads.png")

    report.check("the lead entered with `crm` arrives in the inbox with its score badge", lead_listed)

    def lead_page() -> None:
        session.click(wait_visible(session, f'#leads-table tr.lead-row[data-id="{state["lead"]}"] .lead-name'))
        wait_until("the lead's page", lambda: session.script("return location.hash;") == f"#/lead/{state['lead']}")
        wait_until(
            "the score on the lead's page",
            lambda: (lambda s: (s == LEAD_SCORE, s))(text_of(session, "#lead-score-badge .score-badge")),
        )
        reasons = session.script(
            "return [...document.querySelectorAll('#lead-reasons li.score-reason')]"
            ".map(li => [li.querySelector('.reason-label').textContent.trim(), li.querySelector('.reason-points').textContent.trim()]);"
        ) or []
        print(f"  reasons: {reasons!r}")
        expected = [["Demande un devis", "+20"], ["Origine qualifiée (salon, recommandation, partenaire)", "+20"], ["Société indiquée", "+15"]]
        if len(reasons) != 6 or any(reason not in reasons for reason in expected):
            raise CheckFailed(f"the page should list the six reasons with their points: {reasons!r}")
        if text_of(session, "#lead-score-total") != f"{LEAD_SCORE} points":
            raise CheckFailed(f"the score card should say {LEAD_SCORE} points: {text_of(session, '#lead-score-total')!r}")
        wait_visible(session, "#lead-qualify")
        if session.find("#lead-convert") is not None:
            raise CheckFailed("marketing is offered « Convertir », which creates an account and a deal they may not create")
        screenshot(session, "service-lead.png")

    report.check("the lead's page shows its score with each reason and its points, « Qualifier » and no « Convertir »", lead_page)

    def qualify() -> None:
        option = f"{REP_NAME} \u2014 {REP_EMAIL}"
        wait_until(
            "the rep among the people the lead can be handed to",
            lambda: (lambda names: (option in names, names))(
                session.script("return [...document.querySelectorAll('#lead-rep option')].map(o => o.textContent.trim());") or []
            ),
            timeout=30,
        )
        select_option_by_text(session, "#lead-rep", option)
        session.click(wait_visible(session, "#lead-qualify"))

        def said() -> tuple[bool, Any]:
            error = session.script("const e = document.querySelector('#lead-actions .form-error'); return e && !e.hidden ? e.textContent : null;")
            if error:
                raise CheckFailed(f"qualifying was refused: {error}")
            notice = session.script("const n = document.querySelector('#lead-notice'); return n && !n.hidden ? n.textContent : null;")
            return bool(notice), notice

        notice = wait_until("what qualifying did", said, timeout=30)
        print(f"  {notice!r}")
        if notice != f"Piste qualifiée et confiée à {REP_NAME}.":
            raise CheckFailed(f"the page should say the lead was qualified and handed to {REP_NAME}: {notice!r}")
        wait_until(
            "the lead shown qualified and followed by the rep",
            lambda: (
                lambda seen: (seen[0] == "Qualifiée" and seen[1] == REP_NAME, seen)
            )(
                (
                    text_of(session, "#lead-page .page-subtitle .lead-status"),
                    text_of(session, '#lead-details dd[data-field="owner"]'),
                )
            ),
        )
        screenshot(session, "service-lead-qualified.png")

    report.check("« Qualifier » hands the lead to the rep picked by name", qualify)


# ---------------------------------------------------------------------------------------
# Customer service: the ticket queue, the incoming-call card, a ticket opened on a call
# ---------------------------------------------------------------------------------------


def support_scenario(session: Session, report: Report) -> None:
    env = os.environ
    state: dict[str, Any] = {}

    def lands_on_queue() -> None:
        sign_in(session, env.get("CRM_SUPPORT_EMAIL", "support@example.fr"))
        wait_until("the ticket queue after sign-in", landed_on(session, "#tickets-page", "#/tickets"), timeout=60)
        links = nav_links(session)
        print(f"  links: {links!r}")
        if text_of(session, "#nav-tickets") != "Tickets":
            raise CheckFailed(f"the navigation should offer « Tickets » to customer service: {links!r}")
        for absent in ("nav-leads", "nav-pipeline"):
            if absent in links:
                raise CheckFailed(f"customer service may not use {absent}, yet it is offered: {links!r}")
        wait_visible(session, "#new-ticket-button")
        wait_visible(session, "#tickets-call-number")

    report.check("customer service signs in and lands on the ticket queue, offered no leads nor deals", lands_on_queue)

    def account_synced() -> None:
        def listed() -> tuple[bool, Any]:
            names = session.script(
                "return [...document.querySelectorAll('#account-list li.account-row .account-name')].map(e => e.textContent.trim());"
            ) or []
            return CALL_ACCOUNT in names, names

        wait_until(f"'{CALL_ACCOUNT}' synced to the portfolio", listed, timeout=60)
        screenshot(session, "service-tickets-empty.png")

    report.check("the customer made with `crm` reaches customer service's device", account_synced)

    def telephony_hook() -> None:
        status, body = call_hook("04.78.00.00.00")
        print(f"  hook answered {status}: {body.strip()!r}")
        if status != 200:
            raise CheckFailed(f"the telephony hook should accept a local call: {status} {body!r}")
        wait_until("the call card opened by the hook", lambda: (lambda h: (h.startswith("#/call?"), h))(session.script("return location.hash;") or ""))
        seen = wait_until("the caller's contact and account on the card", card_shows(session), timeout=30)
        print(f"  card: {seen!r}")
        number = plain_spaces(text_of(session, "#call-number"))
        if number != CALL_PHONE:
            raise CheckFailed(f"the card should write the number as the French do: {number!r}")
        for button in (".call-account .call-report", ".call-account .call-new-ticket"):
            wait_visible(session, button)
        screenshot(session, "service-call.png")

    report.check("a call announced on the telephony hook opens the caller's card, naming the contact", telephony_hook)

    def number_box() -> None:
        session.click(wait_visible(session, "#nav-tickets"))
        wait_visible(session, "#tickets-page")
        session.type(wait_visible(session, "#tickets-call-number"), "+33 4 78 00 00 00")
        session.click(wait_visible(session, "#tickets-call-open"))
        wait_until("the call card opened from the box", lambda: (lambda h: (h.startswith("#/call?"), h))(session.script("return location.hash;") or ""))
        wait_until("the caller's contact on the card", card_shows(session), timeout=30)

    report.check("the queue's number box opens the same card from the number written another way", number_box)

    def ticket_from_call() -> None:
        session.click(wait_visible(session, ".call-account .call-new-ticket"))
        wait_visible(session, "#ticket-form")
        chosen = session.script(
            "const s = document.querySelector('#ticket-form select[name=account]'); return s.options[s.selectedIndex].textContent.trim();"
        )
        if chosen != CALL_ACCOUNT:
            raise CheckFailed(f"the form should come with the caller's account chosen: {chosen!r}")
        wait_until(
            "the caller chosen as the ticket's contact",
            lambda: (lambda c: (c == CALL_CONTACT, c))(
                session.script(
                    "const s = document.querySelector('#ticket-form select[name=contact]'); return s.selectedIndex > 0 ? s.options[s.selectedIndex].textContent.split(' · ')[0].trim() : null;"
                )
            ),
        )
        session.type(wait_visible(session, "#ticket-form input[name=title]"), TICKET_SUBJECT)
        select_option_by_text(session, "#ticket-form select[name=priority]", "Urgente")
        session.click(wait_visible(session, "#ticket-form button[type=submit]"))

        def saved() -> tuple[bool, Any]:
            error = session.script("const e = document.querySelector('#ticket-form .form-error'); return e && !e.hidden ? e.textContent : null;")
            if error:
                raise CheckFailed(f"the ticket was refused: {error}")
            where = session.script("return location.hash;") or ""
            return where.startswith("#/ticket/") and text_of(session, "#ticket-page .page-title") == TICKET_SUBJECT, where

        where = wait_until("the new ticket's page", saved, timeout=30)
        state["ticket"] = where.split("/")[-1]
        status = text_of(session, "#ticket-page .page-subtitle .ticket-status")
        clock = plain_spaces(text_of(session, "#ticket-clock"))
        print(f"  status {status!r}, clock {clock!r}")
        if status != "Nouveau":
            raise CheckFailed(f"a new ticket should say « Nouveau »: {status!r}")
        if "À faire avant le" not in clock:
            raise CheckFailed(f"the service clock should say by when to answer: {clock!r}")
        screenshot(session, "service-ticket.png")

    report.check("« Nouveau ticket » on the card opens the form on the caller's account and saves the ticket with its clock", ticket_from_call)

    def move_and_queue() -> None:
        moved = session.script(
            "const b = [...document.querySelectorAll('#ticket-moves button')].find(b => b.textContent.trim() === 'En cours');"
            "if (!b) return null; b.click(); return true;"
        )
        if not moved:
            raise CheckFailed("the ticket page should offer « En cours »")

        def said() -> tuple[bool, Any]:
            error = session.script("const e = document.querySelector('#ticket-handling .form-error'); return e && !e.hidden ? e.textContent : null;")
            if error:
                raise CheckFailed(f"the move was refused: {error}")
            notice = session.script("const n = document.querySelector('#ticket-notice'); return n && !n.hidden ? n.textContent : null;")
            return bool(notice), notice

        print(f"  {wait_until('what the move did', said, timeout=30)!r}")
        wait_until(
            "the first response recorded",
            lambda: (lambda c: ("Faite le" in c, c))(plain_spaces(text_of(session, '#ticket-clock dd[data-field="first_response"]'))),
        )
        session.click(wait_visible(session, "#nav-tickets"))

        def listed() -> tuple[bool, Any]:
            rows = session.script(
                "return [...document.querySelectorAll('#tickets-table tr.ticket-row')].map(tr => ({id: tr.dataset.id, text: tr.textContent}));"
            ) or []
            found = [row for row in rows if row["id"] == state["ticket"]]
            return bool(found), found[0]["text"] if found else rows

        row = plain_spaces(wait_until("the ticket in the queue", listed, timeout=30))
        print(f"  row: {row!r}")
        for expected in (TICKET_SUBJECT, CALL_ACCOUNT, "En cours", "Urgente", "Résolution avant le"):
            if expected not in row:
                raise CheckFailed(f"the queue's row should show {expected!r}: {row!r}")
        screenshot(session, "service-tickets.png")

    report.check("moving the ticket to « En cours » records the first response, and the queue lists it", move_and_queue)


# ---------------------------------------------------------------------------------------
# Two sessions, one report
# ---------------------------------------------------------------------------------------


def main() -> int:
    required = ("CRM_PASSWORD", "CRM_SERVER_URL", "CRM_CLI", "CRM_ADMIN_DATA_DIR", "CRM_MARKETING_APP", "CRM_SUPPORT_APP", "CRM_SUPPORT_CALL_PORT")
    missing = [name for name in required if not os.environ.get(name)]
    if missing:
        print(f"service_test.py: missing environment variables: {', '.join(missing)}", file=sys.stderr)
        print("0 passed, 1 failed")
        return 2

    report = Report()
    started = time.monotonic()
    ensure_server_up()
    try:
        report.check("the lead is entered and synced with `crm lead add` (marketing's own device)", seed_lead)
        report.check("the customer and their contact at 04 78 00 00 00 are made and synced with `crm` (administrator)", seed_caller)
    except Exception:  # noqa: BLE001 - already reported by the check
        print(f"{report.passed} passed, {report.failed} failed")
        return 1

    sessions = (
        ("marketing's app", os.environ["CRM_MARKETING_APP"], marketing_scenario, "service-marketing-final"),
        ("customer service's app", os.environ["CRM_SUPPORT_APP"], support_scenario, "service-support-final"),
    )
    return run_sessions(report, sessions, started)


if __name__ == "__main__":
    sys.exit(main())
