//! Documents a rep sends or subscribes to: a quote as PDF, the agenda as iCalendar.

use crate::{Client, ClientError};
use crm_core::Money;
use crm_core::quote::QuoteLine;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};
use serde_json::Value;

const LINES_PER_PAGE: usize = 32;

impl Client {
    /// The quote as a PDF: company header, customer, lines, totals, validity date.
    pub fn quote_pdf(&self, id: &str) -> Result<Vec<u8>, ClientError> {
        let quote = self.quote_view(id)?;
        let account = quote["account"].as_str().and_then(|a| self.get(a).ok()).unwrap_or(Value::Null);
        let settings = self.with_store(|s| Ok(s.get_record(&crm_core::stages::SETTINGS_ID.to_string())?))?;
        let header = |k: &str| settings.as_ref().and_then(|s| s.record.text(k).map(str::to_string));
        let company = header("company").unwrap_or_else(|| "CRM Terrain".into());
        let company_address = header("company_address").unwrap_or_default();
        let lines: Vec<QuoteLine> = serde_json::from_value(quote["lines"].clone()).map_err(ClientError::internal)?;
        let money =
            |v: &Value| v.as_str().and_then(|s| s.parse::<Money>().ok()).map(Money::to_french).unwrap_or_default();
        let text = |v: &Value| v.as_str().unwrap_or_default().to_string();

        let mut pages: Vec<Vec<(f32, f32, f32, String)>> = Vec::new();
        let chunks: Vec<&[QuoteLine]> =
            if lines.is_empty() { vec![&[]] } else { lines.chunks(LINES_PER_PAGE).collect() };
        let page_count = chunks.len();
        for (p, chunk) in chunks.into_iter().enumerate() {
            let mut items = Vec::new();
            let mut put = |x: f32, y: f32, size: f32, s: String| items.push((x, y, size, s));
            put(50.0, 790.0, 18.0, company.clone());
            put(300.0, 795.0, 9.0, company_address.clone());
            put(50.0, 765.0, 13.0, format!("Offre commerciale {}", text(&quote["number"])));
            put(400.0, 765.0, 9.0, format!("Page {} / {page_count}", p + 1));
            put(50.0, 745.0, 10.0, format!("Client : {}", text(&account["name"])));
            let address = [text(&account["address"]), text(&account["postal_code"]), text(&account["city"])]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            put(50.0, 731.0, 10.0, address);
            put(50.0, 717.0, 10.0, format!("Valable jusqu'au {}", french_date(&text(&quote["valid_until"]))));
            let mut y = 685.0;
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
            let offset = p * LINES_PER_PAGE;
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
            }
            pages.push(items);
        }
        Ok(render_pdf(&pages))
    }

    /// Events as an iCalendar file that Outlook and other calendars read.
    pub fn events_ics(&self, events: &[Value]) -> String {
        let records: Vec<crm_core::Record> = events
            .iter()
            .filter_map(|e| self.with_store(|s| Ok(s.get_record(e["id"].as_str().unwrap_or_default())?)).ok().flatten())
            .map(|s| s.record)
            .collect();
        crm_core::ics::events_to_ics("CRM Terrain", &records, chrono::Utc::now())
    }
}

fn french_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()
}

/// One A4 page per item list; text in Helvetica with WinAnsi encoding (French accents, €).
fn render_pdf(pages: &[Vec<(f32, f32, f32, String)>]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let font = Ref::new(3);
    let font_name = Name(b"F1");
    let page_ids: Vec<Ref> = (0..pages.len()).map(|i| Ref::new(10 + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(pages.len() as i32);
    pdf.type1_font(font).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    for (items, page_id) in pages.iter().zip(&page_ids) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, 595.0, 842.0)).parent(tree).contents(content_id);
        page.resources().fonts().pair(font_name, font);
        page.finish();
        let mut content = Content::new();
        for (x, y, size, text) in items {
            content.begin_text().set_font(font_name, *size).next_line(*x, *y).show(Str(&win_ansi(text))).end_text();
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
