//! Who may read and write which record, and who may do what on the server: the one
//! place where the server decides.
//!
//! The rules are the permission matrix of `crm_core::permissions` (written out in
//! docs/permissions.md). The database layer resolves each record's effective owner
//! (its own owner field, or its account's owner) and asks here; pushes, pulls and the
//! administration routes never decide on their own.

use crate::auth::Session;
use crm_core::permissions::{self, Action, Viewer};
use crm_core::{Code, Problem, Record, RecordId, RecordType, Role};

/// May the viewer receive a stored record of type `doc_type` whose effective owner is
/// `owner`? An unknown type is never sent.
pub fn can_read(viewer: &Viewer, doc_type: &str, owner: Option<&str>) -> bool {
    doc_type.parse::<RecordType>().is_ok_and(|t| viewer.can(Action::Read, t, owner))
}

/// May the viewer turn `before` (with its stored effective owner; absent for a new
/// record) into `after` (with its new effective owner)? The refusal is shown to the
/// user as is.
pub fn can_write(
    viewer: &Viewer,
    before: Option<(&Record, Option<&str>)>,
    after: (&Record, Option<&str>),
) -> Result<(), Problem> {
    viewer.check_write(before, after)
}

/// The effective owner of `record`: its own owner field, or, for a record without one,
/// the owner of its account as `account_owner` finds it.
pub fn effective_owner(record: &Record, account_owner: impl FnOnce(&str) -> Option<String>) -> Option<String> {
    if let Some(owner) = permissions::own_owner(record) {
        return Some(owner.to_string());
    }
    if permissions::inherits_owner(record) { record.text("account").and_then(account_owner) } else { None }
}

/// How far in the future (by the server's clock) a move of a deal may be dated: the
/// clocks of laptops drift a little.
pub const CLOCK_SKEW_MS: i64 = 10 * 60 * 1000;

/// Fields that name who did something and when are the user's own: the author of a
/// visit report is the person who writes it and stays so; each move of a deal that a
/// push adds to its stage history names the user who pushes it, at a time that is not
/// in the future, and no move is ever taken out of the history. Administrators may
/// correct both.
pub fn check_authorship(viewer: &Viewer, before: Option<&Record>, after: &Record, now: i64) -> Result<(), Problem> {
    if viewer.role == Role::Admin {
        return Ok(());
    }
    match after.record_type {
        RecordType::Activity => {
            let author = after.text("owner");
            match before {
                None if author != Some(viewer.user_id.as_str()) => Err(Problem::new(Code::AuthorIsWriter)),
                Some(old) if old.text("owner") != author => Err(Problem::new(Code::AuthorFixed)),
                _ => Ok(()),
            }
        }
        RecordType::Deal => {
            let old = before.map(|b| b.set("stage_history")).unwrap_or_default();
            let new = after.set("stage_history");
            if old.iter().any(|item| !new.contains(item)) {
                return Err(Problem::new(Code::StageHistoryKept));
            }
            for item in new.iter().filter(|item| !old.contains(item)) {
                let mut parts = item.split(' ');
                let (Some(at), Some(stage), Some(user), None) =
                    (parts.next(), parts.next(), parts.next(), parts.next())
                else {
                    return Err(Problem::new(Code::StageMoveAuthor));
                };
                let at = chrono::DateTime::parse_from_rfc3339(at).map_err(|_| Problem::new(Code::StageMoveAuthor))?;
                if at.timestamp_millis() > now + CLOCK_SKEW_MS {
                    return Err(Problem::new(Code::StageMoveInFuture));
                }
                if stage.is_empty() || user != viewer.user_id {
                    return Err(Problem::new(Code::StageMoveAuthor));
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Ids derived from another record (UUID version 5) are the contract of a deal
/// ([`RecordId::contract_of_deal`]): only someone who may change that deal creates it,
/// owned by the deal's owner, so nobody can take a colleague's contract in advance.
/// `deal_owner` gives the deal's effective owner, `None` when the server has no such
/// deal.
pub fn check_derived_id(
    viewer: &Viewer,
    record: &Record,
    owner: Option<&str>,
    deal_owner: impl FnOnce(&str) -> Option<Option<String>>,
) -> Result<(), Problem> {
    if record.id.0.get_version_num() != 5 {
        return Ok(());
    }
    let deal = record.text("deal").and_then(|d| d.parse::<RecordId>().ok());
    let Some(deal) =
        deal.filter(|d| record.record_type == RecordType::Contract && RecordId::contract_of_deal(*d) == record.id)
    else {
        return Err(Problem::new(Code::DerivedIdReserved));
    };
    let Some(deal_owner) = deal_owner(&deal.to_string()) else {
        return Err(Problem::new(Code::DealOfContractUnknown));
    };
    if !viewer.can(Action::Edit, RecordType::Deal, deal_owner.as_deref()) {
        return Err(Problem::new(Code::ContractOfDealWriter));
    }
    if owner != deal_owner.as_deref() {
        return Err(Problem::new(Code::ContractOfDealOwner));
    }
    Ok(())
}

/// Attachments are shared by the whole company, like the catalogue they illustrate.
pub fn can_read_blob(session: &Session) -> Result<(), Problem> {
    if session.disabled { Err(Problem::new(Code::AccountDisabled)) } else { Ok(()) }
}

pub fn can_write_blob(session: &Session) -> Result<(), Problem> {
    can_read_blob(session)
}

/// Users revoke their own devices; administrators anyone's.
pub fn can_revoke_device(session: &Session, device_owner: &str) -> Result<(), Problem> {
    if device_owner == session.user_id || session.role == Role::Admin {
        Ok(())
    } else {
        Err(Problem::new(Code::MayRevokeOwnDevices))
    }
}

/// Only administrators erase a person's data (RGPD).
pub fn can_erase_person(session: &Session) -> Result<(), Problem> {
    if session.role == Role::Admin { Ok(()) } else { Err(Problem::new(Code::AdminOnlyErase)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_core::FieldValue;

    fn viewer(role: Role) -> Viewer {
        Viewer { user_id: "julie".into(), role, reports: Default::default() }
    }

    fn deal(history: &[&str]) -> Record {
        let mut r = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Deal);
        r.fields.insert("stage_history".into(), FieldValue::Set(history.iter().map(|s| s.to_string()).collect()));
        r
    }

    const NOW: i64 = 1_790_000_000_000; // 2026-09-21

    #[test]
    fn a_move_names_its_author_and_is_never_taken_out_or_dated_in_the_future() {
        let rep = viewer(Role::Rep);
        let before = deal(&["2026-09-01T10:00:00Z prospect julie"]);
        let ok = deal(&["2026-09-01T10:00:00Z prospect julie", "2026-09-20T10:00:00Z proposal julie"]);
        assert!(check_authorship(&rep, Some(&before), &ok, NOW).is_ok());
        let forged = deal(&["2026-09-01T10:00:00Z prospect julie", "2026-09-20T10:00:00Z won marc"]);
        assert!(check_authorship(&rep, Some(&before), &forged, NOW).is_err());
        let future = deal(&["2026-09-01T10:00:00Z prospect julie", "2027-01-01T10:00:00Z won julie"]);
        assert_eq!(check_authorship(&rep, Some(&before), &future, NOW).unwrap_err().code, Code::StageMoveInFuture);
        let erased = deal(&["2026-09-20T10:00:00Z proposal julie"]);
        assert_eq!(check_authorship(&rep, Some(&before), &erased, NOW).unwrap_err().code, Code::StageHistoryKept);
        assert!(check_authorship(&viewer(Role::Admin), Some(&before), &erased, NOW).is_ok());
    }

    #[test]
    fn a_visit_report_is_written_by_its_author_only() {
        let mut report = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Activity);
        report.fields.insert("owner".into(), "marc".into());
        assert!(check_authorship(&viewer(Role::Rep), None, &report, NOW).is_err());
        let mut mine = report.clone();
        mine.fields.insert("owner".into(), "julie".into());
        assert!(check_authorship(&viewer(Role::Rep), None, &mine, NOW).is_ok());
        assert!(check_authorship(&viewer(Role::Rep), Some(&mine), &report, NOW).is_err());
    }

    #[test]
    fn the_contract_of_a_deal_is_created_by_who_may_change_the_deal_for_its_owner() {
        let deal_id = RecordId(uuid::Uuid::now_v7());
        let mut contract = Record::new(RecordId::contract_of_deal(deal_id), RecordType::Contract);
        contract.fields.insert("deal".into(), FieldValue::Text(deal_id.to_string()));
        let rep = viewer(Role::Rep);
        let owned_by = |o: &str| Some(Some(o.to_string()));
        assert!(check_derived_id(&rep, &contract, Some("julie"), |_| owned_by("julie")).is_ok());
        assert!(check_derived_id(&rep, &contract, Some("julie"), |_| owned_by("paul")).is_err(), "a colleague's deal");
        assert!(check_derived_id(&rep, &contract, Some("julie"), |_| None).is_err(), "an unknown deal");
        let manager = Viewer { reports: ["paul".to_string()].into(), ..viewer(Role::Manager) };
        assert!(check_derived_id(&manager, &contract, Some("julie"), |_| owned_by("paul")).is_err(), "owner");
        assert!(check_derived_id(&manager, &contract, Some("paul"), |_| owned_by("paul")).is_ok());
        // The derived id of another deal, or on another type of record: refused.
        let mut squat = contract.clone();
        squat.fields.insert("deal".into(), FieldValue::Text(uuid::Uuid::now_v7().to_string()));
        assert!(check_derived_id(&rep, &squat, Some("julie"), |_| owned_by("julie")).is_err());
        let mut account = Record::new(RecordId::contract_of_deal(deal_id), RecordType::Account);
        account.fields.insert("deal".into(), FieldValue::Text(deal_id.to_string()));
        assert!(check_derived_id(&rep, &account, Some("julie"), |_| owned_by("julie")).is_err());
    }
}
