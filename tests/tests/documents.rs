//! Documents and reminders, offline: the quote PDF read back by a PDF text extractor, the
//! agenda read by a separate iCalendar parser, reminders computed from local records.

use crm_client::{Client, LineRequest, ReminderKind};
use crm_core::RecordType;
use crm_tests::fields;

fn device() -> (tempfile::TempDir, Client) {
    let dir = tempfile::tempdir().unwrap();
    let client = Client::open(dir.path()).unwrap();
    (dir, client)
}

#[test]
fn the_quote_pdf_holds_its_lines_and_its_total() {
    let (dir, c) = device();
    c.configure_company("Services Picards SARL", Some("3 place Gambetta, 80000 Amiens")).unwrap();
    c.create(
        RecordType::Product,
        fields(&[("reference", "GARDE-01"), ("designation", "Service de garde été"), ("price", "1250.00")]),
    )
    .unwrap();
    let account = c
        .create(
            RecordType::Account,
            fields(&[("name", "Clinique Saint-Éloi"), ("kind", "customer"), ("city", "Amiens")]),
        )
        .unwrap();
    // 40 lines: the quote runs over two pages.
    let lines: Vec<LineRequest> = (0..40)
        .map(|i| LineRequest {
            reference: "GARDE-01".into(),
            quantity: (i % 3 + 1).into(),
            discount_percent: "10".parse().unwrap(),
        })
        .collect();
    let quote = crm_tests::json(c.create_quote(account["id"].as_str().unwrap(), None, &lines).unwrap());
    let path = dir.path().join("devis.pdf");
    std::fs::write(&path, c.quote_pdf(quote["id"].as_str().unwrap()).unwrap()).unwrap();

    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup.sh");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Clinique Saint-Éloi"), "{text}");
    assert!(text.contains("Services Picards SARL"), "the company header: {text}");
    assert!(text.contains(quote["number"].as_str().unwrap()));
    assert!(text.contains("Service de garde été"));
    assert_eq!(text.matches("GARDE-01").count(), 40, "every line is printed");
    assert!(text.contains("Page 2 / 2"), "8 lines left for the last page, room enough for the signature");
    // 40 lines: quantities 1,2,3 repeating → 79 units × 1250 × 0.9 = 88 875.00 HT; TTC 106 650.00.
    assert_eq!(quote["totals"]["total_gross"], "106650.00");
    assert!(text.contains("106 650,00 €"), "{text}");
    assert!(text.contains("valable jusqu'au"));
    assert!(text.contains("Bon pour accord"), "the block the customer signs: {text}");
    assert!(text.contains("Conditions de paiement : Paiement à 30 jours"), "default payment terms: {text}");

    // The French mentions and a logo (a JPEG made from the quote itself by poppler).
    let jpeg_base = dir.path().join("logo");
    let made = std::process::Command::new("pdftoppm")
        .args(["-jpeg", "-r", "8", "-singlefile"])
        .arg(&path)
        .arg(&jpeg_base)
        .status()
        .expect("pdftoppm (poppler-utils)");
    assert!(made.success());
    let logo = std::fs::read(jpeg_base.with_extension("jpg")).unwrap();
    c.configure_company_header(&crm_client::CompanyHeader {
        siret: Some("732 829 320 00074".into()),
        rcs: Some("RCS Amiens B 732 829 320".into()),
        vat_number: Some("fr 40 732829320".into()),
        payment_terms: Some("Paiement à 45 jours fin de mois".into()),
        logo: Some(logo),
        ..Default::default()
    })
    .unwrap();
    std::fs::write(&path, c.quote_pdf(quote["id"].as_str().unwrap()).unwrap()).unwrap();
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("SIRET 73282932000074"), "{text}");
    assert!(text.contains("RCS Amiens B 732 829 320"), "{text}");
    assert!(text.contains("TVA intracommunautaire FR40732829320"), "{text}");
    assert!(text.contains("Paiement à 45 jours fin de mois"), "{text}");
    let images = std::process::Command::new("pdfimages").arg("-list").arg(&path).output().unwrap();
    let listed = String::from_utf8(images.stdout).unwrap();
    assert!(listed.lines().any(|l| l.contains("jpeg")), "the logo is in the PDF: {listed}");

    let err = c
        .configure_company_header(&crm_client::CompanyHeader {
            vat_number: Some("FR12345".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.problem().code, crm_core::Code::VatNumber);
    let err = c
        .configure_company_header(&crm_client::CompanyHeader { logo: Some(b"GIF89a".to_vec()), ..Default::default() })
        .unwrap_err();
    assert_eq!(err.problem().code, crm_core::Code::LogoInvalid, "only JPEG logos");
}

#[test]
fn the_agenda_exports_to_icalendar_that_another_parser_reads() {
    let (dir, c) = device();
    c.create(
        RecordType::Event,
        fields(&[
            ("title", "Visite Clinique Saint-Éloi"),
            ("start", "2026-03-16T09:30:00+01:00"),
            ("end", "2026-03-16T11:00:00+01:00"),
            ("place", "Amiens"),
        ]),
    )
    .unwrap();
    c.create(
        RecordType::Event,
        fields(&[
            ("title", "Comité de pilotage"),
            ("start", "2026-03-18T14:00:00+01:00"),
            ("end", "2026-03-18T15:00:00+01:00"),
        ]),
    )
    .unwrap();
    c.create(
        RecordType::Event,
        fields(&[
            ("title", "Semaine suivante"),
            ("start", "2026-03-23T14:00:00+01:00"),
            ("end", "2026-03-23T15:00:00+01:00"),
        ]),
    )
    .unwrap();
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 3, 16).unwrap();
    let week = c.agenda(monday, monday + chrono::Days::new(7), None).unwrap();
    assert_eq!(week.len(), 2);
    let err = c
        .create(
            RecordType::Event,
            fields(&[("title", "À l'envers"), ("start", "2026-03-16T11:00:00Z"), ("end", "2026-03-16T10:00:00Z")]),
        )
        .unwrap_err();
    assert!(err.to_string().contains("after the start"), "{err}");

    let path = dir.path().join("agenda.ics");
    std::fs::write(&path, c.events_ics(&week)).unwrap();
    let reader = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    let calendars: Vec<_> = ical::IcalParser::new(reader).collect::<Result<_, _>>().unwrap();
    assert_eq!(calendars.len(), 1);
    let events = &calendars[0].events;
    assert_eq!(events.len(), 2);
    let prop = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
        e.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone()).unwrap_or_default()
    };
    assert_eq!(prop(&events[0], "SUMMARY"), "Visite Clinique Saint-Éloi");
    assert_eq!(prop(&events[0], "DTSTART"), "20260316T083000Z", "times are exported in UTC");
    assert_eq!(prop(&events[0], "LOCATION"), "Amiens");
}

#[test]
fn reminders_show_late_tasks_near_notice_deadlines_and_late_deals() {
    let (_dir, c) = device();
    let today = chrono::Local::now().date_naive();
    let day = |offset: i64| (today + chrono::Duration::days(offset)).to_string();
    let account = c.create(RecordType::Account, fields(&[("name", "Garage Moreau"), ("kind", "customer")])).unwrap();
    let account = account["id"].as_str().unwrap();
    c.create(RecordType::Task, fields(&[("title", "Rappeler M. Moreau"), ("due", &day(-1)), ("done", "no")])).unwrap();
    c.create(RecordType::Task, fields(&[("title", "Dans un mois"), ("due", &day(30)), ("done", "no")])).unwrap();
    c.create_deal(fields(&[("account", account), ("title", "Extension atelier"), ("expected_close", &day(-3))]))
        .unwrap();
    let at = chrono::Utc::now().to_rfc3339();
    c.create(
        RecordType::Activity,
        fields(&[
            ("account", account),
            ("kind", "visit"),
            ("at", &at),
            ("subject", "Visite atelier"),
            ("follow_up", &day(2)),
        ]),
    )
    .unwrap();
    // A yearly contract renewed in 120 days with 3 months' notice: the deadline is in
    // about 30 days, within the 60-day horizon.
    let start = (today + chrono::Duration::days(120)) - chrono::Months::new(12);
    let contract = crm_core::Record {
        id: crm_core::RecordId(uuid::Uuid::now_v7()),
        record_type: RecordType::Contract,
        fields: fields(&[
            ("account", account),
            ("status", "active"),
            ("start", &start.to_string()),
            ("tacit_renewal", "yes"),
            ("term_months", "12"),
            ("notice_months", "3"),
        ]),
    };
    c.create(RecordType::Contract, contract.fields).unwrap();

    let reminders = c.reminders(today).unwrap();
    let kinds: Vec<(ReminderKind, bool)> = reminders.iter().map(|r| (r.kind, r.overdue)).collect();
    assert!(kinds.contains(&(ReminderKind::Task, true)), "{kinds:?}");
    assert!(kinds.contains(&(ReminderKind::DealOverdue, true)), "{kinds:?}");
    assert!(kinds.contains(&(ReminderKind::ContractNotice, false)), "{kinds:?}");
    assert!(kinds.contains(&(ReminderKind::FollowUp, false)), "a visit report's next step is a reminder: {kinds:?}");
    assert_eq!(
        reminders.iter().filter(|r| r.kind == ReminderKind::Task).count(),
        1,
        "a task due in a month is not a reminder yet"
    );
    let notice = reminders.iter().find(|r| r.kind == ReminderKind::ContractNotice).unwrap();
    assert_eq!(notice.related_date.as_deref(), Some(day(120).as_str()), "the notice reminder says when it renews");
}

#[test]
fn a_customer_not_visited_within_their_cadence_raises_a_visit_reminder() {
    let (_dir, c) = device();
    let today = chrono::Local::now().date_naive();
    let ago = |days: i64| (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339();
    let every = |name: &str, weeks: &str| {
        let a = c
            .create(RecordType::Account, fields(&[("name", name), ("kind", "customer"), ("visit_every_weeks", weeks)]))
            .unwrap();
        a["id"].as_str().unwrap().to_string()
    };
    let late = every("Boulangerie Petit", "4");
    let fine = every("Pharmacie Roux", "8");
    let never = every("Cabinet Lemaire", "6");
    c.create(RecordType::Account, fields(&[("name", "Sans cadence"), ("kind", "customer")])).unwrap();
    for (account, days) in [(&late, 40), (&late, 70), (&fine, 20)] {
        c.create(RecordType::Activity, fields(&[("account", account), ("kind", "visit"), ("at", &ago(days))])).unwrap();
    }
    // A phone call is not a visit.
    c.create(RecordType::Activity, fields(&[("account", &late), ("kind", "call"), ("at", &ago(1))])).unwrap();

    let due: Vec<_> = c.reminders(today).unwrap().into_iter().filter(|r| r.kind == ReminderKind::VisitDue).collect();
    let accounts: Vec<&str> = due.iter().filter_map(|r| r.account_id.as_deref()).collect();
    assert_eq!(accounts.len(), 2, "{due:?}");
    let late_one = due.iter().find(|r| r.id == late).expect("4 weeks after a visit 40 days ago is late");
    assert!(late_one.overdue);
    assert_eq!(late_one.title, "Boulangerie Petit");
    let last = (chrono::Utc::now() - chrono::Duration::days(40)).with_timezone(&chrono::Local).date_naive();
    assert_eq!(late_one.related_date.as_deref(), Some(last.to_string().as_str()), "the last visit, not the older one");
    assert!(due.iter().any(|r| r.id == never && !r.overdue), "never visited: due today");
    assert!(!due.iter().any(|r| r.id == fine), "visited 20 days ago with an 8-week cadence");

    let err = c.edit(&fine, [("visit_every_weeks".to_string(), Some("0".into()))].into()).unwrap_err();
    assert_eq!(err.problem().field.as_deref(), Some("visit_every_weeks"), "{err}");
    let err = c.edit(&fine, [("parent".to_string(), Some(fine.as_str().into()))].into()).unwrap_err();
    assert_eq!(err.problem().code, crm_core::Code::OwnRelation, "{err}");
}

#[test]
fn a_contact_has_their_own_timeline_newest_first() {
    let (_dir, c) = device();
    let account = c.create(RecordType::Account, fields(&[("name", "Garage Moreau"), ("kind", "customer")])).unwrap();
    let account = account["id"].as_str().unwrap();
    let contact = c.create(RecordType::Contact, fields(&[("account", account), ("name", "Paul Moreau")])).unwrap();
    let contact = contact["id"].as_str().unwrap();
    let other = c.create(RecordType::Contact, fields(&[("account", account), ("name", "Anne Roux")])).unwrap();
    let visit = |subject: &str, at: &str, who: &str| {
        let mut f = fields(&[("account", account), ("kind", "visit"), ("at", at), ("subject", subject)]);
        f.insert("contacts".into(), crm_core::FieldValue::Set(vec![who.to_string()]));
        c.create(RecordType::Activity, f).unwrap();
    };
    visit("Première visite", "2026-03-02T09:00:00+01:00", contact);
    visit("Deuxième visite", "2026-03-16T09:00:00+01:00", contact);
    visit("Visite à Anne", "2026-03-20T09:00:00+01:00", other["id"].as_str().unwrap());

    let view = crm_tests::json(c.contact_view(contact).unwrap());
    assert_eq!(view["account_name"], "Garage Moreau");
    let subjects: Vec<&str> =
        view["timeline"].as_array().unwrap().iter().filter_map(|a| a["subject"].as_str()).collect();
    assert_eq!(subjects, ["Deuxième visite", "Première visite"], "only theirs, newest first");
    assert!(c.contact_view(account).is_err(), "an account is not a contact");
}

#[test]
fn the_quote_header_is_read_back_as_set_and_an_emptied_field_goes() {
    let dir = tempfile::tempdir().unwrap();
    let c = crm_client::Client::open(dir.path()).unwrap();
    assert_eq!(c.company_info().unwrap().name, None);
    let header = |siret: &str| crm_client::CompanyHeader {
        name: Some("Terrain Services".into()),
        siret: Some(siret.into()),
        rcs: Some("RCS Amiens B 732 829 320".into()),
        payment_terms: Some("Paiement à 30 jours".into()),
        ..Default::default()
    };
    c.configure_company_header(&header("732 829 320 00074")).unwrap();
    let info = c.company_info().unwrap();
    assert_eq!(info.name.as_deref(), Some("Terrain Services"));
    assert_eq!(info.siret.as_deref(), Some("73282932000074"), "kept compact");
    assert_eq!(info.rcs.as_deref(), Some("RCS Amiens B 732 829 320"));
    assert!(!info.has_logo);
    let bad = c.configure_company_header(&header("732 829 320 00075")).unwrap_err();
    assert_eq!(bad.problem().field.as_deref(), Some("company_siret"), "{bad}");
    c.configure_company_header(&crm_client::CompanyHeader { rcs: Some(String::new()), ..Default::default() }).unwrap();
    assert_eq!(c.company_info().unwrap().rcs, None);
}
