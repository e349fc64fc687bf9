//! Service contracts with tacit renewal: the next renewal date and the last day to give
//! notice. Dates are computed from the start date (never chained), so a contract started
//! on 31 January or 29 February keeps its anniversary instead of drifting.

use chrono::{Months, NaiveDate};

/// The first renewal date strictly after `today` for a contract of `term_months` months
/// started on `start` (the contract's first end, if `today` is before it).
pub fn next_renewal(start: NaiveDate, term_months: u32, today: NaiveDate) -> Option<NaiveDate> {
    if term_months == 0 {
        return None;
    }
    let mut k: u32 = 1;
    loop {
        let date = start.checked_add_months(Months::new(term_months.checked_mul(k)?))?;
        if date > today {
            return Some(date);
        }
        k += 1;
    }
}

/// The last day to give notice before `renewal`: `notice_months` months earlier (clamped to
/// the end of a shorter month).
pub fn notice_deadline(renewal: NaiveDate, notice_months: u32) -> Option<NaiveDate> {
    renewal.checked_sub_months(Months::new(notice_months))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_yearly_contract_renews_on_its_anniversary() {
        assert_eq!(next_renewal(d("2024-03-15"), 12, d("2026-11-23")), Some(d("2027-03-15")));
        assert_eq!(next_renewal(d("2024-03-15"), 12, d("2024-01-01")), Some(d("2025-03-15")));
        // On the renewal day itself the next one is a term later.
        assert_eq!(next_renewal(d("2024-03-15"), 12, d("2026-03-15")), Some(d("2027-03-15")));
    }

    #[test]
    fn month_ends_and_leap_days_do_not_drift() {
        // Started on a leap day: 28 February in common years, 29 in leap years.
        assert_eq!(next_renewal(d("2024-02-29"), 12, d("2024-03-01")), Some(d("2025-02-28")));
        assert_eq!(next_renewal(d("2024-02-29"), 12, d("2027-03-01")), Some(d("2028-02-29")));
        // A monthly contract started on 31 January.
        assert_eq!(next_renewal(d("2025-01-31"), 1, d("2025-02-01")), Some(d("2025-02-28")));
        assert_eq!(next_renewal(d("2025-01-31"), 1, d("2025-02-28")), Some(d("2025-03-31")));
        assert_eq!(next_renewal(d("2023-12-31"), 2, d("2024-01-15")), Some(d("2024-02-29")));
    }

    #[test]
    fn the_notice_deadline_is_before_the_renewal_and_clamped_to_month_end() {
        assert_eq!(notice_deadline(d("2027-03-15"), 3), Some(d("2026-12-15")));
        assert_eq!(notice_deadline(d("2025-05-31"), 3), Some(d("2025-02-28")));
        assert_eq!(notice_deadline(d("2024-05-31"), 3), Some(d("2024-02-29")));
        assert_eq!(next_renewal(d("2025-01-01"), 0, d("2025-01-02")), None);
    }
}
