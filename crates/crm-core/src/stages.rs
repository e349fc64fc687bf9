//! Deal types and their stages. Stage ids are stable (the CLI and the API use them); the
//! UI shows the French labels. Every deal type ends with `won` and `lost`.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stage {
    pub id: &'static str,
    pub label: &'static str,
    /// The default win probability at this stage, in percent.
    pub probability: u8,
}

const fn stage(id: &'static str, label: &'static str, probability: u8) -> Stage {
    Stage { id, label, probability }
}

const WON: Stage = stage("won", "Gagnée", 100);
const LOST: Stage = stage("lost", "Perdue", 0);

const SIMPLE: &[Stage] = &[
    stage("qualification", "Qualification", 10),
    stage("proposal", "Proposition", 40),
    stage("negotiation", "Négociation", 70),
    WON,
    LOST,
];

const COMPLEX: &[Stage] = &[
    stage("qualification", "Qualification", 10),
    stage("analysis", "Analyse des besoins", 20),
    stage("solution", "Conception de la solution", 35),
    stage("proposal", "Proposition", 50),
    stage("negotiation", "Négociation", 70),
    stage("committee", "Comité de décision", 85),
    WON,
    LOST,
];

/// The stages of a deal type (`simple` or `complex`), in order.
pub fn stages(deal_type: &str) -> Option<&'static [Stage]> {
    match deal_type {
        "simple" => Some(SIMPLE),
        "complex" => Some(COMPLEX),
        _ => None,
    }
}

/// Checks that `stage` exists for `deal_type`, with a message listing the allowed ones.
pub fn check_stage(deal_type: &str, stage: &str) -> Result<&'static Stage, String> {
    let list =
        stages(deal_type).ok_or_else(|| format!("`{deal_type}` is not a deal type (expected simple or complex)"))?;
    list.iter().find(|s| s.id == stage).ok_or_else(|| {
        let ids: Vec<&str> = list.iter().map(|s| s.id).collect();
        format!("`{stage}` is not a stage of a {deal_type} deal (expected one of {})", ids.join(", "))
    })
}

pub fn is_final(stage: &str) -> bool {
    stage == WON.id || stage == LOST.id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_deal_type_ends_with_won_then_lost() {
        for t in ["simple", "complex"] {
            let ids: Vec<&str> = stages(t).unwrap().iter().map(|s| s.id).collect();
            assert_eq!(&ids[ids.len() - 2..], ["won", "lost"]);
        }
    }

    #[test]
    fn an_unknown_stage_is_refused_with_the_allowed_list() {
        assert_eq!(check_stage("complex", "committee").unwrap().label, "Comité de décision");
        let err = check_stage("simple", "committee").unwrap_err();
        assert!(err.contains("qualification, proposal, negotiation, won, lost"), "{err}");
        assert!(check_stage("huge", "won").unwrap_err().contains("simple or complex"));
    }
}
