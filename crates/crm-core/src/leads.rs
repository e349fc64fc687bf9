//! Marketing: the score of a lead, from rules the company sets (settings field
//! `lead_scoring`, JSON), with the reasons shown. Pure: every device scores a lead the
//! same way from the same record and settings; the score is never stored, so a change
//! of rules re-scores every lead at once.

use crate::{Code, Problem, Record};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One rule: a condition on one field of the lead, and the points it gives (or takes).
/// Exactly one condition is set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScoreRule {
    pub field: String,
    /// The field is filled in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub present: Option<bool>,
    /// The field is one of these values (letter case ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub one_of: Option<Vec<String>>,
    /// The field contains this text (letter case ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub contains: Option<String>,
    /// The field ends with one of these (e-mail domains).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ends_with: Option<Vec<String>>,
    /// The field starts with one of these (postal code departments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub starts_with: Option<Vec<String>>,
    pub points: i32,
    /// What the user reads as the reason.
    pub label: String,
}

/// One reason of a score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct ScoreReason {
    pub label: String,
    pub points: i32,
}

/// A lead's score and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct LeadScore {
    pub score: i32,
    pub reasons: Vec<ScoreReason>,
}

fn rule(field: &str, points: i32, label: &str) -> ScoreRule {
    ScoreRule {
        field: field.into(),
        present: None,
        one_of: None,
        contains: None,
        ends_with: None,
        starts_with: None,
        points,
        label: label.into(),
    }
}

/// The rules until the company sets its own.
pub fn default_rules() -> Vec<ScoreRule> {
    let words = |w: &[&str]| Some(w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    vec![
        ScoreRule { present: Some(true), ..rule("company", 15, "Société indiquée") },
        ScoreRule { present: Some(true), ..rule("phone", 10, "Téléphone donné") },
        ScoreRule { present: Some(true), ..rule("email", 10, "E-mail donné") },
        ScoreRule {
            ends_with: words(&["@gmail.com", "@hotmail.fr", "@hotmail.com", "@yahoo.fr", "@orange.fr", "@free.fr"]),
            ..rule("email", -5, "Adresse e-mail personnelle")
        },
        ScoreRule {
            one_of: words(&["salon", "recommandation", "partenaire"]),
            ..rule("source", 20, "Origine qualifiée (salon, recommandation, partenaire)")
        },
        ScoreRule { contains: Some("devis".into()), ..rule("message", 20, "Demande un devis") },
        ScoreRule { one_of: words(&["yes"]), ..rule("consent_email", 5, "Accepte les e-mails") },
    ]
}

/// The rules of the settings record; the defaults when it has none.
pub fn rules_from_settings(settings: Option<&Record>) -> Vec<ScoreRule> {
    settings.and_then(|s| s.text("lead_scoring")).and_then(|t| parse_rules(t).ok()).unwrap_or_else(default_rules)
}

/// Reads and checks rules written as JSON.
pub fn parse_rules(text: &str) -> Result<Vec<ScoreRule>, Problem> {
    let invalid = |detail: String| Problem::new(Code::SettingsInvalid).field("lead_scoring").param("detail", detail);
    let rules: Vec<ScoreRule> = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
    for r in &rules {
        if crate::schema(crate::RecordType::Lead).iter().all(|f| f.name != r.field) {
            return Err(invalid(format!("a lead has no field {}", r.field)));
        }
        let conditions = [
            r.present.is_some(),
            r.one_of.is_some(),
            r.contains.is_some(),
            r.ends_with.is_some(),
            r.starts_with.is_some(),
        ];
        if conditions.iter().filter(|c| **c).count() != 1 {
            return Err(invalid(format!("the rule « {} » needs exactly one condition", r.label)));
        }
    }
    Ok(rules)
}

fn matches(rule: &ScoreRule, lead: &Record) -> bool {
    let value = lead.text(&rule.field).map(|v| v.trim().to_lowercase());
    let any = |list: &Option<Vec<String>>, test: &dyn Fn(&str, &str) -> bool| {
        list.as_ref().is_some_and(|l| value.as_deref().is_some_and(|v| l.iter().any(|w| test(v, &w.to_lowercase()))))
    };
    if let Some(present) = rule.present {
        return value.is_some() == present;
    }
    if let Some(text) = &rule.contains {
        return value.as_deref().is_some_and(|v| v.contains(&text.to_lowercase()));
    }
    any(&rule.one_of, &|v, w| v == w)
        || any(&rule.ends_with, &|v, w| v.ends_with(w))
        || any(&rule.starts_with, &|v, w| v.starts_with(w))
}

/// A new lead names someone who can be reached: a name, and an e-mail or a phone.
pub fn check_reachable(fields: &std::collections::BTreeMap<String, crate::FieldValue>) -> Result<(), Problem> {
    let has = |k: &str| fields.get(k).and_then(crate::FieldValue::as_str).is_some_and(|v| !v.trim().is_empty());
    for (field, present) in [("name", has("name")), ("email", has("email") || has("phone"))] {
        if !present {
            return Err(Problem::new(Code::Required).field(field).param("type", crate::RecordType::Lead));
        }
    }
    Ok(())
}

/// The score of a lead under the rules, with each rule that counted.
pub fn score(lead: &Record, rules: &[ScoreRule]) -> LeadScore {
    let reasons: Vec<ScoreReason> = rules
        .iter()
        .filter(|r| matches(r, lead))
        .map(|r| ScoreReason { label: r.label.clone(), points: r.points })
        .collect();
    LeadScore { score: reasons.iter().map(|r| r.points).sum(), reasons }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FieldValue, RecordId, RecordType};

    fn lead(fields: &[(&str, &str)]) -> Record {
        let mut r = Record::new(RecordId::from_parts(1, [3; 10]), RecordType::Lead);
        for (k, v) in fields {
            r.fields.insert(k.to_string(), FieldValue::Text(v.to_string()));
        }
        r
    }

    #[test]
    fn a_complete_lead_from_a_fair_scores_high_with_its_reasons() {
        let l = lead(&[
            ("name", "Claire Martin"),
            ("company", "Boulangerie Martin"),
            ("email", "c.martin@boulangerie-martin.fr"),
            ("phone", "+33478000000"),
            ("source", "Salon"),
            ("message", "Pourriez-vous m'envoyer un DEVIS ?"),
        ]);
        let s = score(&l, &default_rules());
        assert_eq!(s.score, 15 + 10 + 10 + 20 + 20);
        assert!(s.reasons.iter().any(|r| r.label == "Demande un devis"), "{s:?}");
    }

    #[test]
    fn a_bare_personal_address_scores_low() {
        let s = score(&lead(&[("name", "x"), ("email", "x@gmail.com")]), &default_rules());
        assert_eq!(s.score, 10 - 5);
        assert_eq!(s.reasons.len(), 2);
    }

    #[test]
    fn company_rules_replace_the_defaults_and_are_checked() {
        let rules =
            parse_rules(r#"[{"field":"postal_code","starts_with":["69","01"],"points":30,"label":"Rhône-Ain"}]"#)
                .unwrap();
        assert_eq!(score(&lead(&[("postal_code", "69003")]), &rules).score, 30);
        assert_eq!(score(&lead(&[("postal_code", "75001")]), &rules).score, 0);
        assert!(parse_rules(r#"[{"field":"shoe_size","present":true,"points":1,"label":"x"}]"#).is_err());
        assert!(parse_rules(r#"[{"field":"email","points":1,"label":"no condition"}]"#).is_err());
    }
}
