//! Money in euros, exact: decimal amounts with at most two decimals, never floats.

use crate::problem::{Code, Problem};
use rust_decimal::Decimal;
use rust_decimal::prelude::RoundingStrategy;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An amount in euros, rounded to the cent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Money(Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// An exact amount, rounded half away from zero to the cent (the usual invoicing rule).
    pub fn rounded(value: Decimal) -> Money {
        Money(value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    /// French display: `1 200,50 €` (narrow no-break space between thousands).
    pub fn to_french(self) -> String {
        let text = format!("{:.2}", self.0);
        let (sign, text) = text.strip_prefix('-').map(|t| ("-", t)).unwrap_or(("", text.as_str()));
        let (units, cents) = text.split_once('.').unwrap_or((text, "00"));
        let mut grouped = String::new();
        for (i, c) in units.chars().enumerate() {
            if i > 0 && (units.len() - i) % 3 == 0 {
                grouped.push('\u{202f}');
            }
            grouped.push(c);
        }
        format!("{sign}{grouped},{cents}\u{a0}€")
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0 + other.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}", self.0)
    }
}

impl From<Money> for String {
    fn from(m: Money) -> String {
        m.to_string()
    }
}

impl TryFrom<String> for Money {
    type Error = String;
    fn try_from(s: String) -> Result<Money, String> {
        s.parse().map_err(|p: Problem| p.to_string())
    }
}

impl FromStr for Money {
    type Err = Problem;
    /// Accepts `1200.50`, `1200,50`, `1 200,50`; refuses more than two decimals.
    fn from_str(s: &str) -> Result<Money, Problem> {
        let cleaned: String = s
            .trim()
            .trim_end_matches('€')
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == ',' { '.' } else { c })
            .collect();
        let value = Decimal::from_str(&cleaned).map_err(|_| Problem::new(Code::AmountInvalid).param("value", s))?;
        if value.scale() > 2 {
            return Err(Problem::new(Code::AmountDecimals).param("value", s));
        }
        Ok(Money(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_exactly_in_both_decimal_styles() {
        assert_eq!("1200.50".parse::<Money>().unwrap().to_string(), "1200.50");
        assert_eq!("1 200,5 €".parse::<Money>().unwrap().to_string(), "1200.50");
        assert!("12.345".parse::<Money>().unwrap_err().to_string().contains("two decimals"));
        assert!("douze".parse::<Money>().is_err());
    }

    #[test]
    fn rounding_is_half_away_from_zero_to_the_cent() {
        assert_eq!(Money::rounded(Decimal::new(12345, 3)).to_string(), "12.35");
        assert_eq!(Money::rounded(Decimal::new(12344, 3)).to_string(), "12.34");
        assert_eq!(Money::rounded(Decimal::new(-12345, 3)).to_string(), "-12.35");
    }

    #[test]
    fn french_display_groups_thousands() {
        assert_eq!("1234567.8".parse::<Money>().unwrap().to_french(), "1\u{202f}234\u{202f}567,80\u{a0}€");
        assert_eq!("99.9".parse::<Money>().unwrap().to_french(), "99,90\u{a0}€");
    }
}
