#!/usr/bin/env python3
"""Real-window UI test of the weekly reports and the dashboard, seen by a sales manager,
driven through tauri-driver.

Runs last, after `service_test.py`. It seeds its data with the real `crm` command, then
opens the sales manager's app (a device of its own), signed in through the login form:

Seeding (before any window opens): the rep "Rep UI" (rep@example.fr, whose manager run.sh
made "Manager UI") signs in on a `crm` device of their own (a data directory under
$CRM_UI_TMP, `crm login`), and with it:
  * creates the customer "Garage Rapport UI" (`crm account add --kind customer`);
  * creates the deal "Bornes Garage Rapport UI" of 1234.56 EUR on it (`crm deal add`)
    and wins it (`crm deal edit --stage won`);
  * writes a visit report dated now (`crm activity add --kind visit`);
  * sends the week to the manager with the comment "Semaine chargée UI"
    (`crm report submit`), then `crm sync`.

The manager ($CRM_MANAGER_APP, a wrapper giving the app a data directory of its own):
  1. signs in and lands on « Rapports » (#/reports), the team's week: once the team's
     records have synced, the row of "Rep UI" (`tr[data-rep="Rep UI"]`) says the week
     was sent (« Envoyé le »), and the page shows the comment "Semaine chargée UI";
     the won deals of the row open the deals behind them, among them the seeded one
     with its amount written the French way (« 1 234,56 € »);
  2. « PDF » writes the team's week and says where (`#report-export-result`): the file
     named there exists and ends in .pdf;
  3. « Tableau de bord » in the sidebar opens the dashboard: once drawn
     (`#dashboard-page[data-ready=true]`) its three charts (`canvas[data-chart]`:
     pipeline, forecast, activity) have a size, and the win rate is a percentage.

Screenshots: $CRM_SHOT_DIR/reports-team.png, reports-team-records.png, dashboard.png; on
failure the screen and the page's HTML are kept as reports-manager-final.png / .html.

Only the Python standard library is used. To run by hand, set CRM_PASSWORD,
CRM_SERVER_URL, CRM_CLI, CRM_MANAGER_APP, CRM_UI_TMP (or TMPDIR) and optionally
CRM_EMAIL (the rep, rep@example.fr), CRM_MANAGER_EMAIL (manager@example.fr),
CRM_WEBDRIVER_URL.

The last line printed is "N passed, M failed"; the exit status is non-zero on failure.
"""

from __future__ import annotations

import json
import os
import sys
import time
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
    Session,
    shot_dir,
    text_of,
    wait_until,
    wait_visible,
)

REP_NAME = "Rep UI"
ACCOUNT_NAME = "Garage Rapport UI"
DEAL_TITLE = "Bornes Garage Rapport UI"
DEAL_AMOUNT = "1234.56"
DEAL_AMOUNT_FR = "1 234,56 €"
VISIT_SUBJECT = "Visite Garage Rapport UI"
COMMENT = "Semaine chargée UI"

# What the seeding made, for the checks in the window.
seeded: dict[str, str] = {}


# ---------------------------------------------------------------------------------------
# Seeding with the real `crm` command
# ---------------------------------------------------------------------------------------


def seed_rep_week() -> None:
    """The rep's week, made on a `crm` device of their own and sent to the manager."""
    env = os.environ
    data_dir = cli_device("rep-cli-", env.get("CRM_EMAIL", "rep@example.fr"))
    account = json.loads(crm(data_dir, "--json", "account", "add", "--name", ACCOUNT_NAME, "--kind", "customer", "--postal-code", "69007", "--city", "Lyon"))
    seeded["account"] = account["id"]
    deal = json.loads(crm(data_dir, "--json", "deal", "add", "--account", account["id"], "--title", DEAL_TITLE, "--amount", DEAL_AMOUNT))
    seeded["deal"] = deal["id"]
    won = json.loads(crm(data_dir, "--json", "deal", "edit", deal["id"], "--stage", "won"))
    if won.get("stage") != "won":
        raise CheckFailed(f"the deal should be won: {won!r}")
    crm(data_dir, "activity", "add", "--account", account["id"], "--kind", "visit", "--subject", VISIT_SUBJECT)
    week = json.loads(crm(data_dir, "--json", "report", "submit", "--comment", COMMENT))
    print(f"  week {week.get('week')}: {week.get('visits')} visit(s), won {week.get('deals_won')!r}", flush=True)
    if deal["id"] not in (week.get("deals_won") or {}).get("ids", []):
        raise CheckFailed(f"the week sent should count the deal won: {week.get('deals_won')!r}")
    if week.get("comment") != COMMENT or not week.get("submitted_at"):
        raise CheckFailed(f"the week should be sent with its comment: {week.get('comment')!r}, {week.get('submitted_at')!r}")
    crm(data_dir, "sync")


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def page_error(session: Session, page: str) -> str | None:
    """What the page's error lines say (loading, exporting), when one is shown."""
    return session.script(
        "return [...document.querySelectorAll(arguments[0] + ' > .form-error')].filter(e => !e.hidden)"
        ".map(e => e.textContent).join(' ') || null;",
        page,
    )


def page_text(session: Session, css: str) -> str:
    return plain_spaces(session.script("const el = document.querySelector(arguments[0]); return el ? el.innerText : '';", css) or "")


# ---------------------------------------------------------------------------------------
# The sales manager: the team's week, its PDF, the dashboard
# ---------------------------------------------------------------------------------------


def manager_scenario(session: Session, report: Report) -> None:
    env = os.environ
    rep_row = f'#report-team-table tr[data-rep="{REP_NAME}"]'

    def lands_on_team_week() -> None:
        # Once here the server was found stopped as the manager's app started (as
        # webdriver.ensure_server_up tells of other runs): it is started again if so.
        ensure_server_up()
        sign_in(session, env.get("CRM_MANAGER_EMAIL", "manager@example.fr"))
        wait_until("the reports page after sign-in", landed_on(session, "#reports-page", "#/reports"), timeout=60)
        links = nav_links(session)
        print(f"  links: {links!r}")
        for link, label in (("#nav-reports", "Rapports"), ("#nav-dashboard", "Tableau de bord")):
            if text_of(session, link) != label:
                raise CheckFailed(f"the navigation should offer « {label} » to a sales manager: {links!r}")
        wait_until(
            "the reports page drawn",
            lambda: session.find('#reports-page[data-ready="true"]') is not None,
            timeout=60,
        )
        print(f"  {text_of(session, '#report-week')!r}")

    report.check("the sales manager signs in and lands on « Rapports », the team's week", lands_on_team_week)

    def team_row() -> None:
        def sent() -> tuple[bool, Any]:
            error = page_error(session, "#reports-page")
            if error:
                raise CheckFailed(f"the reports page says: {error}")
            row = session.script(
                "const r = document.querySelector(arguments[0]); return r ? r.innerText : null;", rep_row
            )
            text = page_text(session, "#reports-page")
            return bool(row) and "Envoyé le" in (row or "") and COMMENT in text, plain_spaces(row) if row else text[:400]

        row = wait_until(f"the row of {REP_NAME}, sent with its comment (synced from the rep's device)", sent, timeout=90)
        print(f"  row: {row!r}")
        if page_text(session, "#report-comments").count(COMMENT) != 1:
            raise CheckFailed(f"the comments should show {COMMENT!r} once: {page_text(session, '#report-comments')!r}")
        if session.find("#report-team-table tfoot tr.report-total") is None:
            raise CheckFailed("the team's table should end with its total")
        screenshot(session, "reports-team.png")

    report.check(f"the team's table has the row of {REP_NAME}, sent, and the page shows their comment", team_row)

    def won_records() -> None:
        button = f'{rep_row} td[data-figure="deals-won"] .figure-button'
        print(f"  won: {plain_spaces(text_of(session, rep_row + ' td[data-figure=deals-won]'))!r}")
        session.click(wait_visible(session, button))

        def listed() -> tuple[bool, Any]:
            # A sync that brought new figures draws the table again, the list closed: open it again.
            if session.script("const b = document.querySelector(arguments[0]); return b ? b.getAttribute('aria-expanded') : null;", button) == "false":
                session.click(wait_visible(session, button))
            entries = session.script(
                "const r = document.querySelector(arguments[0]); const next = r && r.nextElementSibling;"
                "return next ? [...next.querySelectorAll('li.record-entry')].map(li => ({id: li.dataset.id, text: li.innerText})) : [];",
                rep_row,
            ) or []
            found = [entry for entry in entries if entry["id"] == seeded.get("deal")]
            return bool(found), found[0]["text"] if found else entries

        entry = plain_spaces(wait_until("the won deal among the records behind the figure", listed, timeout=30))
        print(f"  entry: {entry!r}")
        for expected in (DEAL_TITLE, ACCOUNT_NAME, DEAL_AMOUNT_FR):
            if expected not in entry:
                raise CheckFailed(f"the won deal should show {expected!r}: {entry!r}")
        if "1 234,56" not in page_text(session, "#reports-page"):
            raise CheckFailed("the page should write the amount won the French way (1 234,56)")
        screenshot(session, "reports-team-records.png")

    report.check("the rep's won deals open the deals behind them, with the amount written « 1 234,56 € »", won_records)

    def pdf() -> None:
        session.click(wait_visible(session, "#report-pdf"))

        def written() -> tuple[bool, Any]:
            error = page_error(session, "#reports-page")
            if error:
                raise CheckFailed(f"the export was refused: {error}")
            notice = session.script("const n = document.querySelector('#report-export-result'); return n && !n.hidden ? n.innerText : null;")
            return bool(notice) and ".pdf" in notice, notice

        notice = wait_until("where the PDF was written", written, timeout=60)
        print(f"  {notice!r}")
        path = session.script("const p = document.querySelector('#report-export-result [data-path]'); return p ? p.dataset.path : null;")
        if not path or not path.endswith(".pdf") or path not in notice:
            raise CheckFailed(f"the notice should name the PDF's path: {path!r} in {notice!r}")
        if not os.path.isfile(path) or os.path.getsize(path) == 0:
            raise CheckFailed(f"the PDF named should exist and not be empty: {path}")
        with open(path, "rb") as file:
            if file.read(5) != b"%PDF-":
                raise CheckFailed(f"the file written should be a PDF: {path}")
        wait_visible(session, "#report-export-result-open")

    report.check("« PDF » writes the team's week and says where; the file is there", pdf)

    def dashboard() -> None:
        session.click(wait_visible(session, "#nav-dashboard"))
        wait_until("the dashboard's address", lambda: (lambda h: (h == "#/dashboard", h))(session.script("return location.hash;")))

        def drawn() -> tuple[bool, Any]:
            error = page_error(session, "#dashboard-page")
            if error:
                raise CheckFailed(f"the dashboard says: {error}")
            return session.find('#dashboard-page[data-ready="true"]') is not None, "not drawn yet"

        wait_until("the dashboard drawn", drawn, timeout=60)
        charts = session.script(
            "return [...document.querySelectorAll('#dashboard-page canvas[data-chart]')].map(c => {"
            "const r = c.getBoundingClientRect(); return {name: c.dataset.chart, width: c.width, height: c.height, shownWidth: r.width, shownHeight: r.height}; });"
        ) or []
        print(f"  charts: {charts!r}")
        names = sorted(chart["name"] for chart in charts)
        if names != ["activity", "forecast", "pipeline"]:
            raise CheckFailed(f"the dashboard should draw the pipeline, forecast and activity charts: {names!r}")
        for chart in charts:
            if min(chart["width"], chart["height"], chart["shownWidth"], chart["shownHeight"]) <= 0:
                raise CheckFailed(f"the chart {chart['name']} should have a size: {chart!r}")
        rate = plain_spaces(text_of(session, "#dashboard-win-rate"))
        print(f"  win rate: {rate!r}")
        if "%" not in rate:
            raise CheckFailed(f"the win rate should be a percentage: {rate!r}")
        screenshot(session, "dashboard.png")

    report.check("« Tableau de bord » draws its three charts with a size, and the win rate as a percentage", dashboard)

    def one_rep() -> None:
        def options() -> tuple[bool, Any]:
            names = session.script("return [...document.querySelectorAll('#dashboard-rep option')].map(o => o.text);") or []
            return REP_NAME in names, names

        wait_until(f"{REP_NAME} among the reps the manager may pick", options)
        session.script(
            "const s = document.querySelector('#dashboard-rep');"
            "s.value = [...s.options].find(o => o.text === arguments[0]).value;"
            "s.dispatchEvent(new Event('change'));",
            REP_NAME,
        )

        def theirs() -> tuple[bool, Any]:
            error = page_error(session, "#dashboard-page")
            if error:
                raise CheckFailed(f"the dashboard says: {error}")
            if session.find('#dashboard-page[data-ready="true"]') is None:
                return False, "not drawn yet"
            top = plain_spaces(text_of(session, "#dashboard-top-accounts"))
            return DEAL_AMOUNT_FR in top, top

        wait_until(f"the dashboard of {REP_NAME} alone, their won deal among the top accounts", theirs, timeout=60)
        pressed = session.script("return [...document.querySelectorAll('#dashboard-scope [aria-pressed=true]')].length;")
        if pressed:
            raise CheckFailed("with one rep picked, no scope button should stay pressed")
        screenshot(session, "dashboard-rep.png")

    report.check(f"the manager picks {REP_NAME} on the dashboard and sees their figures alone", one_rep)


# ---------------------------------------------------------------------------------------
# One session, one report
# ---------------------------------------------------------------------------------------


def main() -> int:
    required = ("CRM_PASSWORD", "CRM_SERVER_URL", "CRM_CLI", "CRM_MANAGER_APP")
    missing = [name for name in required if not os.environ.get(name)]
    if missing:
        print(f"reports_test.py: missing environment variables: {', '.join(missing)}", file=sys.stderr)
        print("0 passed, 1 failed")
        return 2

    report = Report()
    started = time.monotonic()
    ensure_server_up()
    try:
        report.check("the rep's week is made with `crm`, won deal and visit included, and sent with a comment", seed_rep_week)
    except Exception:  # noqa: BLE001 - already reported by the check
        print(f"{report.passed} passed, {report.failed} failed")
        return 1

    sessions = (("the sales manager's app", os.environ["CRM_MANAGER_APP"], manager_scenario, "reports-manager-final"),)
    return run_sessions(report, sessions, started)


if __name__ == "__main__":
    sys.exit(main())
