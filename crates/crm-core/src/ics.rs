//! Events as iCalendar (RFC 5545), which Outlook, Thunderbird and phones read. Pure: the
//! stamp time is passed in.

use crate::Record;
use chrono::{DateTime, Utc};
use icalendar::{Component, EventLike};

/// An iCalendar document holding the events among `records` (others are skipped).
pub fn events_to_ics(name: &str, records: &[Record], now: DateTime<Utc>) -> String {
    let mut calendar = icalendar::Calendar::new();
    calendar.name(name);
    for r in records {
        let parse = |k: &str| r.text(k).and_then(|s| DateTime::parse_from_rfc3339(s).ok());
        let (Some(start), Some(end)) = (parse("start"), parse("end")) else { continue };
        let mut event = icalendar::Event::new();
        event
            .uid(&format!("{}@crm-terrain", r.id))
            .timestamp(now)
            .summary(r.text("title").unwrap_or_default())
            .starts(start.with_timezone(&Utc))
            .ends(end.with_timezone(&Utc));
        if let Some(place) = r.text("place") {
            event.location(place);
        }
        if let Some(notes) = r.text("notes") {
            event.description(notes);
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}
