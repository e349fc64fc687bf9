//! Documents a rep sends or subscribes to: a quote as PDF, the agenda as iCalendar.

use crate::{Client, ClientError};
use crm_core::Money;
use crm_core::quote::QuoteLine;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};
use serde_json::Value;

const LINES_PER_PAGE: usize = 32;
/// At most this many lines on the page that ends with the totals and the signature block.
const LINES_ON_LAST_PAGE: usize = 20;

/// What is drawn on a page: text, a frame, or the company's logo.
pub(crate) enum Mark {
    Text(f32, f32, f32, String),
    Frame(f32, f32, f32, f32),
    Logo(f32, f32, f32, f32),
}

/// A JPEG logo with its size in pixels, drawn as it is (PDF reads JPEG natively).
pub(crate) struct Logo {
    bytes: Vec<u8>,
    width: u16,
    height: u16,
    gray: bool,
}

fn read_logo(base64_text: &str) -> Option<Logo> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD.decode(base64_text).ok()?;
    let mut decoder = jpeg_decoder::Decoder::new(std::io::Cursor::new(&bytes));
    decoder.read_info().ok()?;
    let info = decoder.info()?;
    let gray = matches!(info.pixel_format, jpeg_decoder::PixelFormat::L8);
    let colour = matches!(info.pixel_format, jpeg_decoder::PixelFormat::RGB24);
    (gray || colour).then_some(Logo { width: info.width, height: info.height, gray, bytes })
}

impl Client {
    /// The quote as a PDF, with what a French quote needs: the company (logo, address,
    /// SIRET, RCS, VAT number), the customer, the date and validity, the lines, VAT by
    /// rate and totals, the payment terms, and a "Bon pour accord" block to sign.
    pub fn quote_pdf(&self, id: &str) -> Result<Vec<u8>, ClientError> {
        // Read as JSON: the totals' amounts are exact decimal strings there.
        let quote = serde_json::to_value(self.quote_view(id)?).map_err(ClientError::internal)?;
        let account = quote["account"].as_str().and_then(|a| self.get(a).ok()).map_or(Value::Null, Value::from);
        let settings = self.with_store(|s| Ok(s.get_record(&crm_core::stages::SETTINGS_ID.to_string())?))?;
        let header = |k: &str| settings.as_ref().and_then(|s| s.record.text(k).map(str::to_string));
        let company = header("company").unwrap_or_else(|| "CRM Terrain".into());
        let company_address = header("company_address").unwrap_or_default();
        let legal = [
            header("company_siret").map(|s| format!("SIRET {s}")),
            header("company_rcs"),
            header("company_vat").map(|v| format!("TVA intracommunautaire {v}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" — ");
        let payment_terms =
            header("payment_terms").unwrap_or_else(|| "Paiement à 30 jours à réception de facture".into());
        let logo = header("company_logo").as_deref().and_then(read_logo);
        let lines: Vec<QuoteLine> = serde_json::from_value(quote["lines"].clone()).map_err(ClientError::internal)?;
        let money =
            |v: &Value| v.as_str().and_then(|s| s.parse::<Money>().ok()).map(Money::to_french).unwrap_or_default();
        let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
        let today = chrono::Local::now().date_naive().to_string();

        let mut pages: Vec<Vec<Mark>> = Vec::new();
        let mut chunks: Vec<&[QuoteLine]> =
            if lines.is_empty() { vec![&[]] } else { lines.chunks(LINES_PER_PAGE).collect() };
        // The last page keeps room for the totals, the payment terms and the signature.
        if let Some(last) = chunks.pop() {
            if last.len() > LINES_ON_LAST_PAGE {
                let (before, after) = last.split_at(last.len() - LINES_ON_LAST_PAGE / 2);
                chunks.extend([before, after]);
            } else {
                chunks.push(last);
            }
        }
        let page_count = chunks.len();
        let mut offset = 0;
        for (p, chunk) in chunks.into_iter().enumerate() {
            let mut items = Vec::new();
            let left = if let Some(logo) = &logo {
                // At most 40 points high and 120 wide, keeping its proportions.
                let scale = (40.0 / f32::from(logo.height)).min(120.0 / f32::from(logo.width));
                let (w, h) = (f32::from(logo.width) * scale, f32::from(logo.height) * scale);
                items.push(Mark::Logo(50.0, 780.0, w, h));
                50.0 + w + 10.0
            } else {
                50.0
            };
            let mut put = |x: f32, y: f32, size: f32, s: String| items.push(Mark::Text(x, y, size, s));
            put(left, 795.0, 16.0, company.clone());
            put(left, 782.0, 8.0, company_address.clone());
            put(50.0, 768.0, 7.0, legal.clone());
            put(50.0, 748.0, 13.0, format!("Devis n° {}", text(&quote["number"])));
            put(400.0, 748.0, 9.0, format!("Page {} / {page_count}", p + 1));
            put(50.0, 732.0, 10.0, format!("Client : {}", text(&account["name"])));
            let address = [text(&account["address"]), text(&account["postal_code"]), text(&account["city"])]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            put(50.0, 718.0, 10.0, address);
            put(
                50.0,
                704.0,
                10.0,
                format!(
                    "Date : {} — Offre valable jusqu'au {}",
                    french_date(&today),
                    french_date(&text(&quote["valid_until"]))
                ),
            );
            let mut y = 680.0;
            for (x, h) in [
                (50.0, "Réf."),
                (115.0, "Désignation"),
                (330.0, "Qté"),
                (370.0, "PU HT"),
                (440.0, "Remise"),
                (490.0, "Total HT"),
            ] {
                put(x, y, 9.0, h.to_string());
            }
            y -= 16.0;
            for (i, l) in chunk.iter().enumerate() {
                let net = &quote["totals"]["lines"][offset + i];
                put(50.0, y, 9.0, l.reference.clone());
                put(115.0, y, 9.0, l.designation.chars().take(40).collect());
                put(330.0, y, 9.0, l.quantity.normalize().to_string());
                put(370.0, y, 9.0, l.unit_price.to_french());
                put(440.0, y, 9.0, format!("{} %", l.discount_percent.normalize()).replace('.', ","));
                put(490.0, y, 9.0, money(net));
                y -= 16.0;
            }
            if p + 1 == page_count {
                y -= 10.0;
                let totals = &quote["totals"];
                put(370.0, y, 10.0, "Total HT".into());
                put(490.0, y, 10.0, money(&totals["total_net"]));
                for vat in totals["vat"].as_array().into_iter().flatten() {
                    y -= 15.0;
                    put(
                        370.0,
                        y,
                        10.0,
                        format!("TVA {} %", vat["rate_percent"].as_str().unwrap_or("?").replace('.', ",")),
                    );
                    put(490.0, y, 10.0, money(&vat["vat"]));
                }
                y -= 18.0;
                put(370.0, y, 12.0, "Total TTC".into());
                put(490.0, y, 12.0, money(&totals["total_gross"]));
                // Payment terms, then the customer's agreement, signed, at the foot.
                put(50.0, 150.0, 9.0, format!("Conditions de paiement : {payment_terms}"));
                put(320.0, 128.0, 10.0, "Bon pour accord".into());
                put(320.0, 116.0, 7.0, "Date, cachet et signature du client,".into());
                put(320.0, 107.0, 7.0, "précédés de la mention « Bon pour accord »".into());
            }
            if p + 1 == page_count {
                items.push(Mark::Frame(315.0, 40.0, 230.0, 100.0));
            }
            offset += chunk.len();
            pages.push(items);
        }
        Ok(render_pdf(&pages, logo.as_ref()))
    }

    /// Events as an iCalendar file that Outlook and other calendars read.
    pub fn events_ics<K: crate::views::Kind>(&self, events: &[crate::Rec<K>]) -> String {
        let records: Vec<crm_core::Record> = events
            .iter()
            .filter_map(|e| self.with_store(|s| Ok(s.get_record(e.id())?)).ok().flatten())
            .map(|s| s.record)
            .collect();
        crm_core::ics::events_to_ics("CRM Terrain", &records, chrono::Utc::now())
    }
}

fn french_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()
}

/// One A4 page per item list; text in Helvetica with WinAnsi encoding (French accents, €).
pub(crate) fn render_pdf(pages: &[Vec<Mark>], logo: Option<&Logo>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let font = Ref::new(3);
    let font_name = Name(b"F1");
    let page_ids: Vec<Ref> = (0..pages.len()).map(|i| Ref::new(10 + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(pages.len() as i32);
    pdf.type1_font(font).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    let image = Ref::new(4);
    let image_name = Name(b"Im1");
    if let Some(logo) = logo {
        let mut xobject = pdf.image_xobject(image, &logo.bytes);
        xobject.filter(pdf_writer::Filter::DctDecode);
        xobject.width(i32::from(logo.width));
        xobject.height(i32::from(logo.height));
        if logo.gray {
            xobject.color_space().device_gray();
        } else {
            xobject.color_space().device_rgb();
        }
        xobject.bits_per_component(8);
        xobject.finish();
    }
    for (items, page_id) in pages.iter().zip(&page_ids) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, 595.0, 842.0)).parent(tree).contents(content_id);
        let mut resources = page.resources();
        resources.fonts().pair(font_name, font);
        if logo.is_some() {
            resources.x_objects().pair(image_name, image);
        }
        resources.finish();
        page.finish();
        let mut content = Content::new();
        for mark in items {
            match mark {
                Mark::Text(x, y, size, text) => {
                    content
                        .begin_text()
                        .set_font(font_name, *size)
                        .next_line(*x, *y)
                        .show(Str(&win_ansi(text)))
                        .end_text();
                }
                Mark::Frame(x, y, w, h) => {
                    content.rect(*x, *y, *w, *h).stroke();
                }
                Mark::Logo(x, y, w, h) => {
                    content.save_state().transform([*w, 0.0, 0.0, *h, *x, *y]).x_object(image_name).restore_state();
                }
            }
        }
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

/// Text in the PDF's WinAnsi encoding: Latin-1 plus the Windows-1252 extras French needs.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            'œ' => 0x9c,
            'Œ' => 0x8c,
            '\u{202f}' | '\u{a0}' => b' ',
            c if (c as u32) < 0x80 || ((c as u32) >= 0xa0 && (c as u32) < 0x100) => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}
