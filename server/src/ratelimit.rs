//! Password guessing: failed password checks are counted per address and e-mail, per
//! address, and per e-mail, kept in memory per server instance.
//!
//! An attempt counts as a failure *before* its password is checked ([`Limiter::begin`])
//! and is taken back only when the password was right: thirty guesses sent at once are
//! counted as thirty, not checked as thirty. The keys are chosen so that a stranger
//! cannot lock a user out: the pair (address, e-mail) and the address alone are
//! blocked for a while after a few failures, which stops one source; the e-mail alone,
//! attacked from many addresses, only gets a growing delay between attempts (capped at
//! a minute), so its owner, from an address of their own, can always log in.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failures from one address for one e-mail before that pair waits for the window.
pub const MAX_PAIR_FAILURES: usize = 5;
/// Failures from one address, whatever the e-mails, before it waits for the window.
pub const MAX_ADDRESS_FAILURES: usize = 30;
/// Failures for one e-mail from anywhere before each further attempt is delayed.
pub const FREE_EMAIL_FAILURES: usize = 10;
/// The longest delay between attempts for one e-mail.
pub const MAX_EMAIL_DELAY_MS: i64 = 60_000;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Pair(IpAddr, String),
    Address(IpAddr),
    Email(String),
    /// Wrong current passwords given to change a password, per user.
    PasswordChange(String),
}

#[derive(Default)]
pub struct Limiter {
    failures: Mutex<HashMap<Key, Vec<i64>>>,
}

/// An attempt being checked: counted as a failure until [`Attempt::succeeded`].
pub struct Attempt {
    limiter: Arc<Limiter>,
    keys: Vec<Key>,
    at: i64,
}

impl Limiter {
    /// Starts a login attempt for `email` from `address`: `Err(seconds to wait)` when
    /// too many failed recently; otherwise the attempt, already counted as failed.
    pub fn begin(self: &Arc<Self>, address: IpAddr, email: &str, now: i64) -> Result<Attempt, i64> {
        let email = email.trim().to_lowercase();
        let keys = vec![Key::Pair(address, email.clone()), Key::Address(address), Key::Email(email)];
        self.begin_keys(keys, now)
    }

    /// Starts a password change by `user_id` (the current password is checked).
    pub fn begin_password_change(self: &Arc<Self>, user_id: &str, now: i64) -> Result<Attempt, i64> {
        self.begin_keys(vec![Key::PasswordChange(user_id.to_string())], now)
    }

    fn begin_keys(self: &Arc<Self>, keys: Vec<Key>, now: i64) -> Result<Attempt, i64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            // Bounded memory under a flood of made-up e-mails and addresses.
            map.retain(|_, times| times.iter().any(|t| now - t < WINDOW_MS));
        }
        let mut wait = 0;
        for key in &keys {
            let times = map.entry(key.clone()).or_default();
            times.retain(|t| now - t < WINDOW_MS);
            wait = wait.max(wait_for(key, times, now));
        }
        if wait > 0 {
            return Err((wait + 999) / 1000);
        }
        for key in &keys {
            map.entry(key.clone()).or_default().push(now);
        }
        Ok(Attempt { limiter: self.clone(), keys, at: now })
    }
}

/// How long `key` must wait, in ms, given its recent failures.
fn wait_for(key: &Key, times: &[i64], now: i64) -> i64 {
    let until_window = |max: usize| {
        if times.len() >= max {
            let oldest = times.iter().min().copied().unwrap_or(now);
            (oldest + WINDOW_MS - now).max(1)
        } else {
            0
        }
    };
    match key {
        Key::Pair(..) | Key::PasswordChange(_) => until_window(MAX_PAIR_FAILURES),
        Key::Address(_) => until_window(MAX_ADDRESS_FAILURES),
        Key::Email(_) => {
            if times.len() < FREE_EMAIL_FAILURES {
                return 0;
            }
            let extra = (times.len() - FREE_EMAIL_FAILURES).min(16) as u32;
            let delay = (1000_i64 << extra).min(MAX_EMAIL_DELAY_MS);
            let last = times.iter().max().copied().unwrap_or(now);
            (last + delay - now).max(0)
        }
    }
}

impl Attempt {
    /// The password was right: the attempt is not a failure, and the pair's earlier
    /// failures are forgotten.
    pub fn succeeded(self) {
        let mut map = self.limiter.failures.lock().unwrap_or_else(|p| p.into_inner());
        for key in &self.keys {
            let Some(times) = map.get_mut(key) else { continue };
            if matches!(key, Key::Pair(..) | Key::PasswordChange(_)) {
                times.clear();
            } else if let Some(i) = times.iter().position(|t| *t == self.at) {
                times.remove(i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(n: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, n])
    }

    #[test]
    fn five_failures_from_one_address_block_that_address_for_that_email() {
        let limiter = Arc::new(Limiter::default());
        for i in 0..MAX_PAIR_FAILURES as i64 {
            let _failed = limiter.begin(ip(1), "a@b.fr", i).unwrap();
        }
        let wait = limiter.begin(ip(1), "a@b.fr", 10).err().unwrap();
        assert!(wait > 800 && wait <= 900, "{wait}");
        assert!(limiter.begin(ip(1), "other@b.fr", 10).is_ok(), "other e-mails from the address");
        assert!(limiter.begin(ip(2), "a@b.fr", 10).is_ok(), "the user from their own address");
        assert!(limiter.begin(ip(1), "a@b.fr", WINDOW_MS + 5).is_ok(), "the window passes");
    }

    #[test]
    fn parallel_attempts_count_before_any_password_is_checked() {
        let limiter = Arc::new(Limiter::default());
        let started: Vec<_> = (0..30).map(|_| limiter.begin(ip(1), "a@b.fr", 0)).collect();
        assert_eq!(started.iter().filter(|a| a.is_ok()).count(), MAX_PAIR_FAILURES);
    }

    #[test]
    fn a_right_password_takes_its_attempt_back() {
        let limiter = Arc::new(Limiter::default());
        for i in 0..20 {
            limiter.begin(ip(1), "a@b.fr", i).unwrap().succeeded();
        }
        assert!(limiter.begin(ip(1), "a@b.fr", 30).is_ok());
    }

    #[test]
    fn an_email_attacked_from_everywhere_is_delayed_never_locked() {
        let limiter = Arc::new(Limiter::default());
        let mut now = 0;
        for n in 0..200u8 {
            // Each attacker waits as long as asked, then fails again.
            loop {
                match limiter.begin(ip(n), "boss@b.fr", now) {
                    Ok(_) => break,
                    Err(wait) => now += wait * 1000,
                }
            }
        }
        let mut waited = 0;
        let mut attempt = limiter.begin(ip(250), "boss@b.fr", now);
        while let Err(wait) = attempt {
            assert!(wait * 1000 <= MAX_EMAIL_DELAY_MS, "{wait}");
            waited += wait;
            attempt = limiter.begin(ip(250), "boss@b.fr", now + waited * 1000);
        }
        assert!(waited <= MAX_EMAIL_DELAY_MS / 1000);
    }
}
