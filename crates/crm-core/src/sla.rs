//! Service-level clocks counted in business hours (issue 14's tickets): Europe/Paris,
//! Monday to Friday 9:00–18:00 by default, French public holidays off, and paused while
//! the ticket waits for the customer. Pure: every device and the server compute the same
//! due times from the same record.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;

/// When the service works: the opening hours of working days, in Paris time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BusinessHours {
    pub opens: NaiveTime,
    pub closes: NaiveTime,
}

impl Default for BusinessHours {
    fn default() -> Self {
        BusinessHours {
            opens: NaiveTime::from_hms_opt(9, 0, 0).expect("9:00"),
            closes: NaiveTime::from_hms_opt(18, 0, 0).expect("18:00"),
        }
    }
}

/// Easter Sunday (anonymous Gregorian algorithm).
fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a date")
}

/// The eleven French public holidays (metropolitan France).
pub fn is_public_holiday(day: NaiveDate) -> bool {
    let fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)];
    if fixed.contains(&(day.month(), day.day())) {
        return true;
    }
    let easter = easter(day.year());
    // Easter Monday, Ascension Thursday, Whit Monday.
    [1, 39, 50].iter().any(|d| easter + Duration::days(*d) == day)
}

impl BusinessHours {
    fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(day)
    }

    /// The working interval of `day` in UTC, if it is a working day.
    fn window(&self, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.is_working_day(day) {
            return None;
        }
        let at = |t: NaiveTime| Paris.from_local_datetime(&day.and_time(t)).earliest().map(|d| d.with_timezone(&Utc));
        Some((at(self.opens)?, at(self.closes)?))
    }

    /// The moment `minutes` of business time after `start`, not counting `paused`
    /// intervals (a ticket waiting for the customer).
    pub fn add(&self, start: DateTime<Utc>, minutes: i64, paused: &[(DateTime<Utc>, DateTime<Utc>)]) -> DateTime<Utc> {
        let mut left = Duration::minutes(minutes.max(0));
        let mut day = start.with_timezone(&Paris).date_naive();
        // At most ten years of days: a target never runs that long.
        for _ in 0..3660 {
            if let Some((opens, closes)) = self.window(day) {
                let mut from = opens.max(start);
                while from < closes {
                    // The next pause that overlaps what is left of the day.
                    let pause = paused.iter().filter(|(a, b)| *b > from && *a < closes).min_by_key(|(a, _)| *a);
                    let until = pause.map(|(a, _)| (*a).max(from)).unwrap_or(closes);
                    if until - from >= left {
                        return from + left;
                    }
                    left -= until - from;
                    from = pause.map(|(_, b)| *b).unwrap_or(closes);
                }
            }
            day = day.succ_opt().expect("a next day");
        }
        start + Duration::days(3660)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Paris.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn french_public_holidays_include_the_moving_ones() {
        assert_eq!(easter(2026), NaiveDate::from_ymd_opt(2026, 4, 5).unwrap());
        assert!(is_public_holiday(NaiveDate::from_ymd_opt(2026, 4, 6).unwrap()), "Easter Monday");
        assert!(is_public_holiday(NaiveDate::from_ymd_opt(2026, 5, 14).unwrap()), "Ascension");
        assert!(is_public_holiday(NaiveDate::from_ymd_opt(2026, 5, 25).unwrap()), "Whit Monday");
        assert!(is_public_holiday(NaiveDate::from_ymd_opt(2026, 7, 14).unwrap()));
        assert!(!is_public_holiday(NaiveDate::from_ymd_opt(2026, 7, 15).unwrap()));
    }

    #[test]
    fn business_time_skips_nights_weekends_holidays_and_pauses() {
        let hours = BusinessHours::default();
        // Friday 17:00 + 4 h: one hour on Friday, three on Monday morning.
        assert_eq!(hours.add(paris(2026, 12, 4, 17, 0), 240, &[]), paris(2026, 12, 7, 12, 0));
        // Opened on a Sunday night: the clock starts Monday 9:00.
        assert_eq!(hours.add(paris(2026, 12, 6, 23, 30), 60, &[]), paris(2026, 12, 7, 10, 0));
        // Thursday 24 December 16:00 + 4 h: two hours, then Christmas and the weekend off,
        // Monday 28th at 11:00.
        assert_eq!(hours.add(paris(2026, 12, 24, 16, 0), 240, &[]), paris(2026, 12, 28, 11, 0));
        // Waiting for the customer from 10:00 to 14:00 pauses the clock.
        let pause = [(paris(2026, 12, 7, 10, 0), paris(2026, 12, 7, 14, 0))];
        assert_eq!(hours.add(paris(2026, 12, 7, 9, 0), 120, &pause), paris(2026, 12, 7, 15, 0));
        // Across the change to summer time (29 March 2026), Paris hours stay 9:00–18:00.
        assert_eq!(hours.add(paris(2026, 3, 27, 17, 0), 120, &[]), paris(2026, 3, 30, 10, 0));
    }
}
