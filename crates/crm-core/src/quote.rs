//! Quote totals, exact to the cent: lines (quantity × unit price − discount), VAT by rate,
//! totals. Each line is rounded to the cent, then VAT is computed per rate on the sum of
//! the lines at that rate, as French invoices do.

use crate::Money;
use crate::problem::{Code, Problem};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QuoteLine {
    pub reference: String,
    pub designation: String,
    #[ts(type = "string")]
    pub quantity: Decimal,
    #[ts(type = "string")]
    pub unit_price: Money,
    /// Discount in percent (0 to 100).
    #[ts(type = "string")]
    pub discount_percent: Decimal,
    /// VAT rate in percent (20, 10, 5.5, 2.1, 0).
    #[ts(type = "string")]
    pub vat_percent: Decimal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct VatLine {
    #[ts(type = "string")]
    pub rate_percent: Decimal,
    #[ts(type = "string")]
    pub base: Money,
    #[ts(type = "string")]
    pub vat: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct QuoteTotals {
    /// Net amount of each line, in line order.
    #[ts(type = "Array<string>")]
    pub lines: Vec<Money>,
    #[ts(type = "string")]
    pub total_net: Money,
    pub vat: Vec<VatLine>,
    #[ts(type = "string")]
    pub total_vat: Money,
    #[ts(type = "string")]
    pub total_gross: Money,
}

/// The status that accepts a quote, which wins its deal.
pub const ACCEPTED: &str = "accepted";
/// The status of a quote being written: the only one whose lines change.
pub const DRAFT: &str = "draft";
/// The status of a quote sent to the customer.
pub const SENT: &str = "sent";

/// The quote workflow: a draft is sent, accepted or refused; a sent quote is accepted,
/// refused or taken back to draft; a refused one may be reworked (draft) or sent again;
/// an accepted quote has won its deal and no longer moves.
pub fn may_move(from: &str, to: &str) -> bool {
    matches!(
        (from, to),
        ("draft", "sent" | "accepted" | "refused")
            | ("sent", "accepted" | "refused" | "draft")
            | ("refused", "draft" | "sent")
    )
}

/// Checks a status change of a quote against [`may_move`].
pub fn check_move(from: &str, to: &str) -> Result<(), Problem> {
    if from == to || may_move(from, to) {
        return Ok(());
    }
    Err(Problem::new(Code::QuoteMove).field("status").param("type", "quote").param("from", from).param("to", to))
}

/// Checks one line: what a user may have mistyped, named with the rule.
pub fn check_line(line: &QuoteLine) -> Result<(), Problem> {
    let bad = |code| Err(Problem::new(code).field("lines").param("reference", &line.reference));
    if line.quantity <= Decimal::ZERO {
        return bad(Code::QuoteQuantity);
    }
    if line.unit_price.amount() < Decimal::ZERO {
        return bad(Code::QuoteUnitPrice);
    }
    if line.discount_percent < Decimal::ZERO || line.discount_percent > Decimal::ONE_HUNDRED {
        return bad(Code::QuoteDiscount);
    }
    if line.vat_percent < Decimal::ZERO || line.vat_percent > Decimal::ONE_HUNDRED {
        return bad(Code::QuoteVat);
    }
    Ok(())
}

/// Reads an account's special prices (`{"REFERENCE": "price"}`).
pub fn parse_price_list(text: &str) -> Result<std::collections::BTreeMap<String, Money>, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// Reads quote lines from their stored JSON form.
pub fn parse_lines(text: &str) -> Result<Vec<QuoteLine>, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

pub fn compute_totals(lines: &[QuoteLine]) -> QuoteTotals {
    let hundred = Decimal::ONE_HUNDRED;
    let nets: Vec<Money> = lines
        .iter()
        .map(|l| Money::rounded(l.quantity * l.unit_price.amount() * (hundred - l.discount_percent) / hundred))
        .collect();
    let mut rates: Vec<Decimal> = lines.iter().map(|l| l.vat_percent.normalize()).collect();
    rates.sort();
    rates.dedup();
    let vat: Vec<VatLine> = rates
        .into_iter()
        .rev()
        .map(|rate| {
            let base: Money =
                lines.iter().zip(&nets).filter(|(l, _)| l.vat_percent.normalize() == rate).map(|(_, n)| *n).sum();
            VatLine { rate_percent: rate, base, vat: Money::rounded(base.amount() * rate / hundred) }
        })
        .collect();
    let total_net: Money = nets.iter().copied().sum();
    let total_vat: Money = vat.iter().map(|v| v.vat).sum();
    QuoteTotals { lines: nets, total_net, vat, total_vat, total_gross: total_net + total_vat }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn line(qty: &str, price: &str, discount: &str, vat: &str) -> QuoteLine {
        QuoteLine {
            reference: "REF00001".into(),
            designation: "Service".into(),
            quantity: Decimal::from_str(qty).unwrap(),
            unit_price: price.parse().unwrap(),
            discount_percent: Decimal::from_str(discount).unwrap(),
            vat_percent: Decimal::from_str(vat).unwrap(),
        }
    }

    #[test]
    fn totals_with_discounts_and_two_vat_rates_are_exact_to_the_cent() {
        let totals = compute_totals(&[
            line("3", "19.99", "0", "20"),       // 59.97
            line("1.5", "120.00", "12.5", "20"), // 157.50
            line("7", "3.33", "5", "5.5"),       // 22.1445 -> 22.14
        ]);
        let s = |m: Money| m.to_string();
        assert_eq!(totals.lines.iter().map(|m| s(*m)).collect::<Vec<_>>(), ["59.97", "157.50", "22.14"]);
        assert_eq!(s(totals.total_net), "239.61");
        assert_eq!(totals.vat.len(), 2);
        assert_eq!((s(totals.vat[0].base), s(totals.vat[0].vat)), ("217.47".into(), "43.49".into())); // 43.494
        assert_eq!((s(totals.vat[1].base), s(totals.vat[1].vat)), ("22.14".into(), "1.22".into())); // 1.2177
        assert_eq!(s(totals.total_vat), "44.71");
        assert_eq!(s(totals.total_gross), "284.32");
    }

    #[test]
    fn a_sum_of_many_small_lines_never_drifts() {
        let lines: Vec<QuoteLine> = (0..200).map(|_| line("1", "0.10", "0", "20")).collect();
        let totals = compute_totals(&lines);
        assert_eq!(totals.total_net.to_string(), "20.00");
        assert_eq!(totals.total_gross.to_string(), "24.00");
    }

    #[test]
    fn bad_lines_are_refused_with_the_rule() {
        assert!(check_line(&line("-1", "10", "0", "20")).unwrap_err().to_string().contains("more than 0"));
        assert!(check_line(&line("1", "10", "120", "20")).unwrap_err().to_string().contains("between 0 and 100"));
        assert!(check_line(&line("1", "10", "10", "20")).is_ok());
    }
}
