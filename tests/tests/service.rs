//! Marketing and customer service end to end: web-to-lead attacked as the internet
//! would (double and parallel submits, a robot's honeypot, a foreign origin, an
//! oversize body, bad fields, a flood) with the leads reaching the right devices;
//! a lead qualified, handed to a rep and converted; tickets on their service clock; the
//! incoming-call lookup in ten formats.

use crm_core::{RecordType, Role};
use crm_tests::{Backend, TestServer, fields, on_both_backends};

const SITE: &str = "https://www.exemple.fr";

async fn post(
    server: &TestServer,
    key: &str,
    origin: Option<&str>,
    content_type: &str,
    body: String,
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(format!("{}/v1/public/leads/{key}", server.url))
        .header("content-type", content_type)
        .body(body);
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    request.send().await.unwrap()
}

async fn web_leads_are_one_per_submission_and_reach_the_right_people(backend: Backend) {
    let server = TestServer::start(backend).await;
    server.add_user("marie@example.fr", Role::Marketing).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    let db = server.db().await;
    let now = crm_server::now_ms();
    db.add_territory(
        crm_server::db::NewTerritory {
            name: "Rhône".into(),
            owner_email: "julie@example.fr".into(),
            postal_prefixes: vec!["69".into()],
            countries: vec![],
            sectors: vec![],
            product_lines: vec![],
        },
        now,
    )
    .await
    .unwrap();
    let form = db.add_lead_form("site", SITE, "site", now).await.unwrap();
    assert!(db.add_lead_form("autre", "www.exemple.fr/contact", "site", now).await.is_err(), "not an origin");
    let key = form.form_key.clone();
    let json = "application/json";

    // 1–2. A visitor's request, and the same sent again: one lead.
    let claire = serde_json::json!({"name": "Claire Martin", "company": "Boulangerie Martin",
        "email": "claire@boulangerie-martin.fr", "phone": "06 12 34 56 78", "postal_code": "75011",
        "message": "Je voudrais un devis pour un four.", "website": ""});
    for _ in 0..2 {
        let r = post(&server, &key, Some(SITE), json, claire.to_string()).await;
        assert_eq!(r.status(), 202);
        assert_eq!(r.headers()["access-control-allow-origin"], SITE, "CORS for the form's site");
    }
    // 3–6. Four identical submits at the same instant: still one lead.
    let twice = serde_json::json!({"name": "Marc Petit", "email": "marc@petit.fr"}).to_string();
    let url = format!("{}/v1/public/leads/{key}", server.url);
    let parallel: Vec<_> = (0..4)
        .map(|_| {
            let request = reqwest::Client::new()
                .post(&url)
                .header("content-type", json)
                .header("origin", SITE)
                .body(twice.clone());
            tokio::spawn(async move { request.send().await.unwrap().status() })
        })
        .collect();
    for r in parallel {
        assert_eq!(r.await.unwrap(), 202);
    }
    // 7. An HTML form post from Lyon: the territory's rep gets it, the visitor a page.
    let body =
        "name=Paul+Girard&company=Garage+Girard&phone=04.78.00.00.00&postal_code=69003&city=Lyon&consent_email=on";
    let r = post(&server, &key, Some(SITE), "application/x-www-form-urlencoded", body.into()).await;
    assert_eq!(r.status(), 202);
    assert!(r.text().await.unwrap().contains("Merci"), "a page for the visitor");
    // 8. A robot fills the hidden field: thanked, nothing kept.
    let robot = serde_json::json!({"name": "Buy now", "email": "spam@spam.example", "website": "http://spam"});
    assert_eq!(post(&server, &key, Some(SITE), json, robot.to_string()).await.status(), 202);
    // Another site, an unknown key, a body of no known format: refused before anything.
    let r = post(&server, &key, Some("https://evil.example"), json, claire.to_string()).await;
    assert_eq!(r.status(), 403);
    assert!(r.headers().get("access-control-allow-origin").is_none(), "no CORS for another site");
    assert_eq!(post(&server, "0123456789abcdef0123456789abcdef", Some(SITE), json, "{}".into()).await.status(), 404);
    // 9. A body over the limit.
    let huge = serde_json::json!({"name": "x", "email": "x@x.fr", "message": "a".repeat(20_000)});
    let r = post(&server, &key, Some(SITE), json, huge.to_string()).await;
    assert_eq!(r.status(), 413);
    // 10. A bad e-mail: the visitor is told which field, in French.
    let r =
        post(&server, &key, Some(SITE), json, serde_json::json!({"name": "Zoé", "email": "zoé@"}).to_string()).await;
    assert_eq!(r.status(), 422);
    let answer: serde_json::Value = r.json().await.unwrap();
    assert_eq!(answer["champ"], "email", "{answer}");
    // 11. The flood: more than ten submissions from one address in ten minutes wait.
    let r = post(&server, &key, Some(SITE), json, serde_json::json!({"name": "Encore", "email": "e@e.fr"}).to_string())
        .await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());
    // Preflight: the site's origin only.
    let pre = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, format!("{}/v1/public/leads/{key}", server.url))
        .header("origin", SITE)
        .send()
        .await
        .unwrap();
    assert_eq!(pre.headers()["access-control-allow-origin"], SITE);

    // Marketing sees the three leads; Lyon's went to Julie, the others wait in the queue.
    let marie = server.client("marie@example.fr").await;
    marie.sync().await;
    let leads = marie.client.leads(None).unwrap();
    let names: Vec<&str> = leads.iter().map(|l| l.lead["name"].as_str().unwrap()).collect();
    assert_eq!(leads.len(), 3, "{names:?}");
    let julie_id = server.user_id("julie@example.fr").await;
    let paul = leads.iter().find(|l| l.lead["name"] == "Paul Girard").unwrap();
    assert_eq!(paul.lead["owner"], julie_id.as_str(), "the territory's rep");
    assert_eq!(paul.lead["consent_email"], "yes");
    assert_eq!(paul.lead["form"], "site");
    let claire = leads.iter().find(|l| l.lead["name"] == "Claire Martin").unwrap();
    assert_eq!(claire.lead["source"], "site");
    assert_eq!(leads[0].lead["name"], "Claire Martin", "the best score first: {names:?}");
    assert!(claire.score.reasons.iter().any(|r| r.label == "Demande un devis"), "{:?}", claire.score);
    assert!(claire.in_queue && claire.lead["owner"].is_null(), "marketing's queue: nobody's yet");

    // Julie sees only hers; marketing hands her Claire's, she converts it.
    let julie = server.client("julie@example.fr").await;
    julie.sync().await;
    assert_eq!(julie.client.leads(None).unwrap().len(), 1);
    let err = marie.client.convert_lead(claire.lead.id(), Default::default()).await.unwrap_err();
    assert_eq!(err.problem().code, crm_core::Code::LeadMayNotConvert, "marketing qualifies, reps convert");
    marie.client.qualify_lead(claire.lead.id(), Some("julie@example.fr")).await.unwrap();
    marie.sync().await;
    julie.sync().await;
    let c = &julie.client;
    // Julie already has Boulangerie Martin: the conversion reuses it.
    let shop = c
        .create(
            RecordType::Account,
            fields(&[("name", "Boulangerie Martin"), ("kind", "prospect"), ("phone", "+33 6 12 34 56 78")]),
        )
        .unwrap();
    let converted = c.convert_lead(claire.lead.id(), Default::default()).await.unwrap();
    assert!(!converted.account_created, "the likely duplicate is reused");
    assert_eq!(converted.account.id(), shop.id());
    assert!(converted.contact_created);
    assert_eq!(converted.deal["owner"], julie_id.as_str());
    assert_eq!(converted.lead["status"], "converted");
    assert_eq!(converted.lead["converted_deal"], converted.deal.id());
    assert!(c.convert_lead(claire.lead.id(), Default::default()).await.is_err(), "once");
    let report = julie.sync().await;
    assert_eq!(report.rejected, 0, "the server accepts all of it");
    marie.sync().await;
    assert_eq!(marie.client.lead(claire.lead.id()).unwrap().lead["status"], "converted");
    db.close().await;
}
on_both_backends!(web_leads_are_one_per_submission_and_reach_the_right_people);

async fn support_finds_the_caller_and_works_tickets_on_the_clock(backend: Backend) {
    use chrono::TimeZone;
    let server = TestServer::start(backend).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    server.add_user("sam@example.fr", Role::Support).await;
    let julie = server.client("julie@example.fr").await;
    let c = &julie.client;
    let account = c
        .create(
            RecordType::Account,
            fields(&[("name", "Garage Girard"), ("kind", "customer"), ("phone", "+33 4 78 11 22 33")]),
        )
        .unwrap();
    let paul = c
        .create(
            RecordType::Contact,
            fields(&[
                ("account", account.id()),
                ("name", "Paul Girard"),
                ("phone", "04 78 00 00 00"),
                ("mobile", "06.12.34.56.78"),
            ]),
        )
        .unwrap();
    c.create_contract(fields(&[
        ("account", account.id()),
        ("contract_type", "on_call"),
        ("status", "active"),
        ("start", "2026-01-01"),
    ]))
    .unwrap();
    julie.sync().await;

    let sam = server.client("sam@example.fr").await;
    sam.sync().await;
    let s = &sam.client;
    let paris =
        |d, h, m| chrono_tz::Europe::Paris.with_ymd_and_hms(2026, 12, d, h, m, 0).unwrap().with_timezone(&chrono::Utc);
    // The phone rings: whatever the format, Paul and his garage come up.
    for number in [
        "04.78.00.00.00",
        "04 78 00 00 00",
        "0478000000",
        "+33 4 78 00 00 00",
        "+33478000000",
        "0033478000000",
        "+33 (0)4 78 00 00 00",
        "(04) 78-00-00-00",
        "04-78-00-00-00",
        "+33.4.78.00.00.00",
    ] {
        let card = s.incoming_call(number, paris(4, 10, 0)).unwrap();
        assert_eq!(card.e164.as_deref(), Some("+33478000000"), "{number}");
        assert_eq!(card.contacts.len(), 1, "{number}");
        assert_eq!(card.contacts[0].id(), paul.id());
        assert_eq!(card.accounts.len(), 1);
        assert_eq!(card.accounts[0].contracts.len(), 1, "the running contract shows");
    }
    assert_eq!(s.incoming_call("06 12 34 56 78", paris(4, 10, 0)).unwrap().contacts.len(), 1, "the mobile too");
    assert_eq!(s.incoming_call("04 78 11 22 33", paris(4, 10, 0)).unwrap().accounts[0].account.id(), account.id());
    let unknown = s.incoming_call("05 56 00 00 00", paris(4, 10, 0)).unwrap();
    assert!(
        unknown.contacts.is_empty() && unknown.accounts.is_empty(),
        "an unknown number offers a new contact or lead"
    );
    assert!(s.incoming_call("hello", paris(4, 10, 0)).is_err());

    // An urgent ticket opened on Friday at 17:30: answer due Monday 9:30, solved by 12:30.
    let new = crm_client::service::NewTicket {
        account: account.id().into(),
        contact: Some(paul.id().into()),
        title: "Compresseur en panne".into(),
        priority: Some("urgent".into()),
        channel: Some("phone".into()),
        opened_at: Some(paris(4, 17, 30).to_rfc3339()),
        ..Default::default()
    };
    let t = s.add_ticket(new, paris(4, 17, 30)).await.unwrap();
    assert_eq!(t.first_response_due.as_deref(), Some("2026-12-07T08:30:00Z"));
    assert_eq!(t.resolution_due.as_deref(), Some("2026-12-07T11:30:00Z"));
    assert!(!t.breached && t.ticket["contract"].is_string(), "linked to the running contract");
    assert_eq!(t.contact_name.as_deref(), Some("Paul Girard"));
    let id = t.ticket.id().to_string();
    // Monday 9:20: answered in time; then waiting for the customer from 10:00 to 14:00.
    s.update_ticket(&id, Some("open"), None, paris(7, 9, 20)).await.unwrap();
    s.update_ticket(&id, Some("waiting"), None, paris(7, 10, 0)).await.unwrap();
    let waiting = s.ticket(&id, paris(7, 13, 0)).unwrap();
    assert!(waiting.paused && !waiting.breached);
    let back = s.update_ticket(&id, Some("open"), None, paris(7, 14, 0)).await.unwrap();
    assert_eq!(back.resolution_due.as_deref(), Some("2026-12-07T15:30:00Z"), "four hours later: 16:30 Paris");
    // Not solved by 16:30: breached, first in the queue, and a reminder for whoever handles it.
    let late = s.tickets(true, true, paris(7, 17, 0)).unwrap();
    assert_eq!(late[0].ticket.id(), id);
    assert!(late[0].breached && late[0].resolution_breached && !late[0].first_response_breached);
    assert_eq!(s.incoming_call("0478000000", paris(7, 17, 0)).unwrap().accounts[0].open_tickets.len(), 1);
    let solved = s.update_ticket(&id, Some("resolved"), None, paris(7, 17, 30)).await.unwrap();
    assert!(solved.breached, "solved late stays late");
    assert!(s.tickets(true, false, paris(7, 18, 0)).unwrap().is_empty(), "no open ticket left");
    assert_eq!(sam.sync().await.rejected, 0);
    // The rep sees the ticket on her customer, with its history.
    julie.sync().await;
    let seen = julie.client.ticket(&id, paris(7, 18, 0)).unwrap();
    assert_eq!(seen.ticket["status"], "resolved");
    assert_eq!(seen.ticket["status_history"].as_array().unwrap().len(), 5);
}
on_both_backends!(support_finds_the_caller_and_works_tickets_on_the_clock);

async fn a_campaign_reaches_only_consenting_contacts_and_unsubscribes_in_one_post(backend: Backend) {
    let sink = crm_tests::SmtpSink::start().await;
    let smtp = sink.url.clone();
    let server = TestServer::start_with(backend, move |s| {
        s.smtp_url = Some(smtp.clone());
        s.mail_from = Some("Services Picards <contact@services-picards.fr>".into());
        s.public_url = Some("https://crm.services-picards.fr".into());
        s.mails_per_second = 200;
    })
    .await;
    server.add_user("julie@example.fr", Role::Rep).await;
    server.add_user("marie@example.fr", Role::Marketing).await;
    let julie = server.client("julie@example.fr").await;
    let c = &julie.client;
    let lyon = c
        .create(RecordType::Account, fields(&[("name", "Garage Girard"), ("kind", "customer"), ("city", "Lyon")]))
        .unwrap();
    let paris = c
        .create(RecordType::Account, fields(&[("name", "Garage Dubois"), ("kind", "customer"), ("city", "Paris")]))
        .unwrap();
    let yes = c
        .create(
            RecordType::Contact,
            fields(&[
                ("account", lyon.id()),
                ("name", "Paul Girard"),
                ("email", "paul@girard.fr"),
                ("consent_email", "yes"),
            ]),
        )
        .unwrap();
    c.create(
        RecordType::Contact,
        fields(&[
            ("account", lyon.id()),
            ("name", "Anne Girard"),
            ("email", "anne@girard.fr"),
            ("consent_email", "no"),
        ]),
    )
    .unwrap();
    c.create(RecordType::Contact, fields(&[("account", lyon.id()), ("name", "Sans Mail"), ("consent_email", "yes")]))
        .unwrap();
    c.create(
        RecordType::Contact,
        fields(&[
            ("account", paris.id()),
            ("name", "Luc Dubois"),
            ("email", "luc@dubois.fr"),
            ("consent_email", "yes"),
        ]),
    )
    .unwrap();
    julie.sync().await;

    let marie = server.client("marie@example.fr").await;
    marie.sync().await;
    let m = &marie.client;
    assert!(m.add_campaign("x", "colour=blue", "s", "b").is_err(), "an unknown criterion is refused");
    let campaign = m
        .add_campaign("Salon de Lyon", "kind=customer,city=Lyon", "Venez au salon", "Bonjour,\nVenez nous voir.")
        .unwrap();
    let preview = m.campaign_preview(campaign.id()).unwrap();
    assert_eq!(preview.recipients.len(), 1);
    assert_eq!(preview.recipients[0].email, "paul@girard.fr");
    assert_eq!((preview.excluded_no_consent, preview.excluded_no_email), (1, 1));

    let report = m.send_campaign(campaign.id()).await.unwrap();
    assert_eq!((report.sent, report.failed, report.excluded_no_consent, report.excluded_no_email), (1, 0, 1, 1));
    let mails = sink.received();
    assert_eq!(mails.len(), 1, "only Paul");
    let mail = &mails[0];
    assert!(mail.contains("To: \"Paul Girard\" <paul@girard.fr>") || mail.contains("paul@girard.fr"), "{mail}");
    assert!(mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{mail}");
    let link = mail
        .lines()
        .find_map(|l| l.strip_prefix("List-Unsubscribe: <"))
        .map(|l| l.trim_end_matches('>').to_string())
        .expect("a List-Unsubscribe header");
    assert!(link.starts_with("https://crm.services-picards.fr/v1/public/unsubscribe/"), "{link}");
    assert_eq!(m.get(campaign.id()).unwrap()["status"], "sent");
    assert!(m.send_campaign(campaign.id()).await.is_err(), "sent once");

    // The sent e-mail is in Paul's timeline, on the rep's device too.
    julie.sync().await;
    let timeline = c.list_for_account(lyon.id(), RecordType::Activity).unwrap();
    assert!(timeline.iter().any(|a| a["kind"] == "email" && a["subject"].as_str().unwrap().contains("Salon de Lyon")));

    // A mail scanner opens the link: nothing changes. A made-up link: refused.
    let local = link.replace("https://crm.services-picards.fr", &server.url);
    let http = reqwest::Client::new();
    let page = http.get(&local).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("<form method=\"post\""));
    julie.sync().await;
    assert_eq!(c.get(yes.id()).unwrap()["consent_email"], "yes", "a GET changes nothing");
    let forged = format!("{}/v1/public/unsubscribe/{}/{}", server.url, yes.id(), "00".repeat(32));
    assert_eq!(http.post(&forged).send().await.unwrap().status(), 404);
    // The one-click POST (RFC 8058): consent « no », on every device.
    let done = http
        .post(&local)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    julie.sync().await;
    assert_eq!(c.get(yes.id()).unwrap()["consent_email"], "no");
    marie.sync().await;
    let again = m.add_campaign("Relance", "city=Lyon", "Rappel", "Texte").unwrap();
    assert_eq!(m.campaign_preview(again.id()).unwrap().recipients.len(), 0, "Paul is no longer mailed");
}
on_both_backends!(a_campaign_reaches_only_consenting_contacts_and_unsubscribes_in_one_post);

/// E-mails dropped on the app: filed once in the contacts' timelines; to the support
/// address, a ticket; the reply threads into it and reopens it; a stranger's is not kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mails_are_filed_once_open_tickets_and_thread_replies() {
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("sam@example.fr", Role::Admin).await;
    let sam = server.client("sam@example.fr").await;
    let c = &sam.client;
    let account = c.create(RecordType::Account, fields(&[("name", "Garage Girard"), ("kind", "customer")])).unwrap();
    let paul = c
        .create(
            RecordType::Contact,
            fields(&[("account", account.id()), ("name", "Paul Girard"), ("email", "Paul@Girard.fr")]),
        )
        .unwrap();
    let ask = "Message-ID: <q1@girard.fr>\r\nFrom: Paul Girard <paul@girard.fr>\r\nTo: support@services-picards.fr\r\n\
Subject: =?utf-8?q?Compresseur_arr=C3=AAt=C3=A9?=\r\nDate: Fri, 04 Dec 2026 17:30:00 +0100\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nLe compresseur ne démarre plus.\r\n";
    let filed = c.import_mail(ask.as_bytes(), Some("support@services-picards.fr")).unwrap();
    assert!(filed.ticket_opened, "a message to support opens a ticket");
    assert_eq!(filed.subject, "Compresseur arrêté");
    assert_eq!(filed.activities.len(), 1);
    assert_eq!(filed.activities[0]["contacts"][0], paul.id());
    let ticket = filed.ticket.unwrap();
    assert_eq!(ticket["channel"], "email");
    assert_eq!(ticket["opened_at"], "2026-12-04T16:30:00Z");
    // The same file again: nothing new.
    let again = c.import_mail(ask.as_bytes(), Some("support@services-picards.fr")).unwrap();
    assert!(again.already && again.ticket.is_none());
    assert_eq!(c.list_for_account(account.id(), RecordType::Activity).unwrap().len(), 1);
    assert_eq!(c.tickets(false, false, chrono::Utc::now()).unwrap().len(), 1);
    // Support waits for the customer; the customer's reply threads in and reopens it.
    c.update_ticket(ticket.id(), Some("waiting"), None, chrono::Utc::now()).await.unwrap();
    let reply = "Message-ID: <q2@girard.fr>\r\nIn-Reply-To: <q1@girard.fr>\r\nFrom: paul@girard.fr\r\n\
To: support@services-picards.fr\r\nSubject: Re: Compresseur\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n\
--b\r\nContent-Type: text/html\r\n\r\n<p>Photo jointe</p>\r\n--b\r\nContent-Type: text/plain\r\n\r\nPhoto jointe\r\n--b--\r\n";
    let threaded = c.import_mail(reply.as_bytes(), Some("support@services-picards.fr")).unwrap();
    assert!(!threaded.ticket_opened);
    let t = threaded.ticket.unwrap();
    assert_eq!(t.id(), ticket.id(), "threads into the ticket");
    assert_eq!(t["status"], "open", "the customer answered: the clock runs again");
    assert_eq!(t["message_ids"].as_array().unwrap().len(), 2);
    assert_eq!(threaded.activities[0]["body"].as_str().unwrap().trim(), "Photo jointe");
    // A stranger's message is not kept.
    let spam =
        "Message-ID: <s@x.example>\r\nFrom: promo@x.example\r\nTo: sam@example.fr\r\nSubject: Offre\r\n\r\nAchetez\r\n";
    let err = c.import_mail(spam.as_bytes(), None).unwrap_err();
    assert_eq!(err.problem().code, crm_core::Code::MailNoContact);
    assert!(c.import_mail(b"not an e-mail at all", None).is_err());
    assert_eq!(sam.sync().await.rejected, 0);
}

/// The shared mailbox on a real IMAP server (dovecot): the server reads only what
/// concerns a known contact or the support address, files each message once, opens a
/// ticket for a message to support and threads the reply into it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shared_mailbox_is_read_over_imap_and_only_what_concerns_customers_is_kept() {
    let imap = crm_tests::Dovecot::start();
    let url = imap.url.clone();
    let server = TestServer::start_with(Backend::Sqlite, move |s| {
        s.imap_url = Some(url.clone());
        s.support_address = Some("support@example.fr".into());
        s.imap_interval = std::time::Duration::from_millis(300);
    })
    .await;
    server.add_user("julie@example.fr", Role::Rep).await;
    server.add_user("sam@example.fr", Role::Support).await;
    let julie = server.client("julie@example.fr").await;
    let account =
        julie.client.create(RecordType::Account, fields(&[("name", "Garage Girard"), ("kind", "customer")])).unwrap();
    julie
        .client
        .create(
            RecordType::Contact,
            fields(&[("account", account.id()), ("name", "Paul Girard"), ("email", "paul@girard.fr")]),
        )
        .unwrap();
    julie.sync().await;

    imap.deliver("Message-ID: <m1@girard.fr>\r\nFrom: Paul Girard <paul@girard.fr>\r\nTo: support@example.fr\r\nSubject: Compresseur en panne\r\nDate: Mon, 07 Dec 2026 09:00:00 +0100\r\n\r\nIl ne démarre plus.\r\n");
    imap.deliver("Message-ID: <spam@x.example>\r\nFrom: promo@x.example\r\nTo: support@example.fr\r\nSubject: Offre\r\n\r\nAchetez\r\n");
    imap.deliver("Message-ID: <perso@ailleurs.example>\r\nFrom: ami@ailleurs.example\r\nTo: quelqu-un@ailleurs.example\r\nSubject: Perso\r\n\r\nRien à voir\r\n");

    let sam = server.client("sam@example.fr").await;
    let now = chrono::Utc::now();
    let mut tickets = Vec::new();
    for _ in 0..50 {
        sam.sync().await;
        tickets = sam.client.tickets(false, false, now).unwrap();
        if !tickets.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(tickets.len(), 1, "the message to support opened a ticket");
    let ticket = &tickets[0];
    assert_eq!(ticket.ticket["title"], "Compresseur en panne");
    assert_eq!(ticket.ticket["channel"], "email");
    assert_eq!(ticket.ticket["opened_at"], "2026-12-07T08:00:00Z");
    let timeline = sam.client.list_for_account(account.id(), RecordType::Activity).unwrap();
    assert_eq!(timeline.len(), 1, "one activity: the stranger's and the private mail are not kept");

    // Support asks; the customer answers: the reply threads into the ticket and reopens it.
    sam.client.update_ticket(ticket.ticket.id(), Some("waiting"), None, chrono::Utc::now()).await.unwrap();
    sam.sync().await;
    imap.deliver("Message-ID: <m2@girard.fr>\r\nIn-Reply-To: <m1@girard.fr>\r\nFrom: paul@girard.fr\r\nTo: support@example.fr\r\nSubject: Re: Compresseur en panne\r\n\r\nPhoto jointe.\r\n");
    let mut status = String::new();
    for _ in 0..50 {
        sam.sync().await;
        let t = sam.client.ticket(ticket.ticket.id(), chrono::Utc::now()).unwrap();
        status = t.ticket["status"].as_str().unwrap_or_default().to_string();
        if t.ticket["message_ids"].as_array().is_some_and(|m| m.len() == 2) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(status, "open", "the customer's reply reopened the ticket");
    assert_eq!(sam.client.tickets(false, false, chrono::Utc::now()).unwrap().len(), 1, "threaded, not a new ticket");
    // Filed once, however often the box is read.
    tokio::time::sleep(std::time::Duration::from_millis(900)).await;
    sam.sync().await;
    assert_eq!(sam.client.list_for_account(account.id(), RecordType::Activity).unwrap().len(), 2);
}

/// The administrator sets the service targets and the scoring rules; every device
/// computes with them after its next sync.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_companys_service_targets_and_scoring_rules_reach_every_device() {
    use chrono::TimeZone;
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("anne@example.fr", Role::Admin).await;
    server.add_user("sam@example.fr", Role::Support).await;
    let anne = server.client("anne@example.fr").await;
    let a = &anne.client;
    let mut sla = crm_core::service::SlaTargets::default();
    sla.targets.iter_mut().find(|t| t.priority == "urgent").unwrap().first_response_minutes = 30;
    let rules =
        crm_core::leads::parse_rules(r#"[{"field":"postal_code","starts_with":["69"],"points":40,"label":"Rhône"}]"#)
            .unwrap();
    a.configure_service(Some(&sla), Some("support@example.fr"), Some(&rules)).unwrap();
    let shown = a.service_settings().unwrap();
    assert_eq!(shown.support_email.as_deref(), Some("support@example.fr"));
    assert!(a.configure_service(None, None, None).is_err(), "nothing to change");
    let account = a.create(RecordType::Account, fields(&[("name", "Garage Girard"), ("kind", "customer")])).unwrap();
    let lead = a
        .add_lead(fields(&[("name", "Zoé"), ("email", "zoe@x.fr"), ("postal_code", "69003")]), chrono::Utc::now())
        .unwrap();
    assert_eq!(lead.score.score, 40, "the company's rule, not the defaults");
    anne.sync().await;

    let sam = server.client("sam@example.fr").await;
    sam.sync().await;
    let monday = chrono_tz::Europe::Paris.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap().with_timezone(&chrono::Utc);
    let new = crm_client::service::NewTicket {
        account: account.id().into(),
        title: "Urgence".into(),
        priority: Some("urgent".into()),
        opened_at: Some(monday.to_rfc3339()),
        ..Default::default()
    };
    let t = sam.client.add_ticket(new, monday).await.unwrap();
    assert_eq!(t.first_response_due.as_deref(), Some("2026-12-07T08:30:00Z"), "9:30 Paris: half an hour, as set");
}
