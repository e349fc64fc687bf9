//! Sending campaign e-mails over SMTP (lettre), each with its unsubscribe link as RFC
//! 8058 asks: `List-Unsubscribe: <https://…>` and `List-Unsubscribe-Post:
//! List-Unsubscribe=One-Click`. The link is signed by the server (the contact cannot be
//! guessed or changed) and needs a POST: a GET only shows a page with a button, so mail
//! scanners that follow links change nothing.

use lettre::message::Mailbox;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// `List-Unsubscribe` (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

/// The relay and the sender, ready to send.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

/// One e-mail of a campaign.
pub struct Outgoing<'a> {
    pub to: &'a str,
    pub to_name: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub unsubscribe_path: &'a str,
}

impl Mailer {
    /// From the settings; `None` when no relay is configured.
    pub fn from_settings(settings: &crate::Settings) -> anyhow::Result<Option<Mailer>> {
        let Some(url) = settings.smtp_url.as_deref() else { return Ok(None) };
        let from = settings.mail_from.as_deref().ok_or_else(|| anyhow::anyhow!("--smtp needs --mail-from"))?;
        let public_url = settings
            .public_url
            .as_deref()
            .ok_or_else(|| anyhow::anyhow!("--smtp needs --public-url (unsubscribe links)"))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("--smtp {url}: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        let from: Mailbox = from.parse().map_err(|e| anyhow::anyhow!("--mail-from {from}: {e}"))?;
        Ok(Some(Mailer { transport, from, public_url: public_url.trim_end_matches('/').to_string() }))
    }

    fn mailbox(to: &str, to_name: &str) -> anyhow::Result<Mailbox> {
        format!("{} <{to}>", to_name.replace(['<', '>', '"', ','], " "))
            .parse()
            .or_else(|_| to.parse())
            .map_err(|e| anyhow::anyhow!("{to}: {e}"))
    }

    /// One campaign e-mail, with its unsubscribe link and headers.
    pub async fn send(&self, mail: &Outgoing<'_>) -> anyhow::Result<()> {
        let link = format!("{}{}", self.public_url, mail.unsubscribe_path);
        let text = format!(
            "{}\n\n--\nVous recevez ce message parce que vous avez accepté nos e-mails. \
             Pour ne plus en recevoir : {link}\n",
            mail.body.trim_end()
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(Self::mailbox(mail.to, mail.to_name)?)
            .subject(mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .header(ListUnsubscribe(format!("<{link}>")))
            .header(ListUnsubscribePost)
            .body(text)?;
        self.transport.send(message).await?;
        Ok(())
    }

    /// A message to someone of the company (the Monday report to a manager): no
    /// unsubscribe link, it is their work.
    pub async fn send_internal(&self, to: &str, to_name: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(Self::mailbox(to, to_name)?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())?;
        self.transport.send(message).await?;
        Ok(())
    }
}
