//! `crm-bench campaign`: sending a campaign to N consenting contacts through a real SMTP
//! server on 127.0.0.1 (the test harness's sink), unthrottled, with each e-mail filed in
//! its contact's timeline: the server's sending rate.

use crm_core::{FieldValue, RecordType, Role};
use crm_tests::{Backend, SmtpSink, TestServer};
use std::collections::BTreeMap;
use std::time::Instant;

pub async fn run(contacts: usize) -> anyhow::Result<()> {
    let sink = SmtpSink::start().await;
    let smtp = sink.url.clone();
    let server = TestServer::start_with(Backend::Sqlite, move |s| {
        s.smtp_url = Some(smtp.clone());
        s.mail_from = Some("Bench <bench@example.fr>".into());
        s.public_url = Some("https://crm.example.fr".into());
        s.mails_per_second = 100_000;
    })
    .await;
    server.add_user("rep@example.fr", Role::Rep).await;
    server.add_user("marketing@example.fr", Role::Marketing).await;
    let rep = server.client("rep@example.fr").await;
    let f = |pairs: Vec<(&str, String)>| -> BTreeMap<String, FieldValue> {
        pairs.into_iter().map(|(k, v)| (k.to_string(), FieldValue::Text(v))).collect()
    };
    let account = rep.client.create(
        RecordType::Account,
        f(vec![("name", "Salon".into()), ("kind", "customer".into()), ("city", "Lyon".into())]),
    )?;
    let batch = (0..contacts)
        .map(|i| {
            f(vec![
                ("account", account.id().to_string()),
                ("name", format!("Contact {i}")),
                ("email", format!("contact{i}@example.fr")),
                ("consent_email", "yes".into()),
            ])
        })
        .collect();
    rep.client.create_many(RecordType::Contact, batch)?;
    rep.sync().await;
    let marketing = server.client("marketing@example.fr").await;
    marketing.sync().await;
    let campaign = marketing.client.add_campaign("Bench", "city=Lyon", "Objet", "Bonjour,\nTexte.")?;
    let t = Instant::now();
    let report = marketing.client.send_campaign(campaign.id()).await?;
    let seconds = t.elapsed().as_secs_f64();
    println!(
        "campaign to {contacts} contacts: {} sent, {} failed in {seconds:.2} s ({:.0} e-mails/s, timeline entries and \
         the two syncs around it included); the SMTP server received {}",
        report.sent,
        report.failed,
        report.sent as f64 / seconds,
        sink.received().len()
    );
    Ok(())
}
