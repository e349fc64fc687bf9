//! Password guessing: failed password checks are counted per address and e-mail, per
//! address, and per e-mail, kept in memory per server instance.
//!
//! For one e-mail, an attempt counts as a failure *before* its password is checked
//! ([`Limiter::begin`]) and is taken back only when the password was right: thirty
//! guesses sent at once are counted as thirty, not checked as thirty. The keys are
//! chosen so that a stranger cannot lock a user out: the pair (address, e-mail) is
//! blocked for a while after a few failures, which stops one source; the e-mail alone,
//! attacked from many addresses, only gets a growing delay between attempts (capped at
//! a minute), so its owner, from an address of their own, can always log in. An
//! address trying many e-mails is blocked after [`MAX_ADDRESS_FAILURES`] wrong
//! passwords, and may have at most [`MAX_ADDRESS_IN_FLIGHT`] attempts being checked at
//! once (an office behind one address logging in at nine still gets through: a right
//! password is not a failure).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failures from one address for one e-mail before that pair waits for the window.
pub const MAX_PAIR_FAILURES: usize = 5;
/// Failures from one address, whatever the e-mails, before it waits for the window.
pub const MAX_ADDRESS_FAILURES: usize = 30;
/// Attempts from one address being checked at once.
pub const MAX_ADDRESS_IN_FLIGHT: usize = 32;
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
    in_flight: Mutex<HashMap<IpAddr, usize>>,
}

/// Why an attempt may not be made now.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Too many failures: the seconds to wait.
    TooManyFailures(i64),
    /// Too many attempts from this address being checked at once.
    TooManyAtOnce,
}

/// An attempt being checked: counted as a failure until [`Attempt::succeeded`]; when
/// dropped without it, a failure of its address too.
pub struct Attempt {
    limiter: Arc<Limiter>,
    keys: Vec<Key>,
    address: Option<IpAddr>,
    at: i64,
    succeeded: bool,
}

impl Limiter {
    /// Starts a login attempt for `email` from `address`: refused when too many failed
    /// recently or too many are being checked; otherwise the attempt, already counted
    /// as failed for the e-mail.
    pub fn begin(self: &Arc<Self>, address: IpAddr, email: &str, now: i64) -> Result<Attempt, Refusal> {
        let email = email.trim().to_lowercase();
        {
            let mut in_flight = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
            let n = in_flight.entry(address).or_default();
            if *n >= MAX_ADDRESS_IN_FLIGHT {
                return Err(Refusal::TooManyAtOnce);
            }
            *n += 1;
        }
        let keys = vec![Key::Pair(address, email.clone()), Key::Email(email)];
        let wait = self.wait(&keys, Some(&Key::Address(address)), now);
        let attempt = Attempt { limiter: self.clone(), keys, address: Some(address), at: now, succeeded: false };
        match wait {
            0 => {
                self.record(&attempt.keys, now);
                Ok(attempt)
            }
            wait => {
                // Not checked, so not a failure: the attempt leaves quietly.
                let mut attempt = attempt;
                attempt.keys.clear();
                attempt.succeeded = true;
                Err(Refusal::TooManyFailures((wait + 999) / 1000))
            }
        }
    }

    /// Starts a password change by `user_id` (the current password is checked):
    /// `Err(seconds to wait)` after too many wrong current passwords.
    pub fn begin_password_change(self: &Arc<Self>, user_id: &str, now: i64) -> Result<Attempt, i64> {
        let keys = vec![Key::PasswordChange(user_id.to_string())];
        match self.wait(&keys, None, now) {
            0 => {
                self.record(&keys, now);
                Ok(Attempt { limiter: self.clone(), keys, address: None, at: now, succeeded: false })
            }
            wait => Err((wait + 999) / 1000),
        }
    }

    /// The longest any of `keys` (and `extra`) must wait, in ms.
    fn wait(&self, keys: &[Key], extra: Option<&Key>, now: i64) -> i64 {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            // Bounded memory under a flood of made-up e-mails and addresses.
            map.retain(|_, times| times.iter().any(|t| now - t < WINDOW_MS));
        }
        let mut wait = 0;
        for key in keys.iter().chain(extra) {
            if let Some(times) = map.get_mut(key) {
                times.retain(|t| now - t < WINDOW_MS);
                wait = wait.max(wait_for(key, times, now));
            }
        }
        wait
    }

    fn record(&self, keys: &[Key], now: i64) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for key in keys {
            map.entry(key.clone()).or_default().push(now);
        }
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
    pub fn succeeded(mut self) {
        self.succeeded = true;
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

impl Drop for Attempt {
    fn drop(&mut self) {
        let Some(address) = self.address else { return };
        let mut in_flight = self.limiter.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = in_flight.get_mut(&address) {
            *n -= 1;
            if *n == 0 {
                in_flight.remove(&address);
            }
        }
        drop(in_flight);
        if !self.succeeded {
            self.limiter.record(&[Key::Address(address)], self.at);
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
        let Err(Refusal::TooManyFailures(wait)) = limiter.begin(ip(1), "a@b.fr", 10) else { panic!("not refused") };
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
    fn an_office_behind_one_address_logs_in_and_a_stuffer_behind_one_is_stopped() {
        let limiter = Arc::new(Limiter::default());
        // 200 reps log in, 32 checked at a time, all right.
        for batch in 0..7 {
            let attempts: Vec<Attempt> = (0..MAX_ADDRESS_IN_FLIGHT)
                .filter_map(|i| limiter.begin(ip(9), &format!("rep{batch}-{i}@b.fr"), 0).ok())
                .collect();
            assert_eq!(attempts.len(), MAX_ADDRESS_IN_FLIGHT);
            assert_eq!(limiter.begin(ip(9), "one-more@b.fr", 0).err(), Some(Refusal::TooManyAtOnce));
            attempts.into_iter().for_each(Attempt::succeeded);
        }
        // One address trying many e-mails: stopped after 30 wrong passwords.
        for i in 0..MAX_ADDRESS_FAILURES {
            drop(limiter.begin(ip(7), &format!("victim{i}@b.fr"), 1).unwrap());
        }
        assert!(matches!(limiter.begin(ip(7), "victim-next@b.fr", 2), Err(Refusal::TooManyFailures(_))));
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
                    Err(Refusal::TooManyFailures(wait)) => now += wait * 1000,
                    Err(Refusal::TooManyAtOnce) => unreachable!("one at a time"),
                }
            }
        }
        let mut waited = 0;
        let mut attempt = limiter.begin(ip(250), "boss@b.fr", now);
        while let Err(Refusal::TooManyFailures(wait)) = attempt {
            assert!(wait * 1000 <= MAX_EMAIL_DELAY_MS, "{wait}");
            waited += wait;
            attempt = limiter.begin(ip(250), "boss@b.fr", now + waited * 1000);
        }
        assert!(waited <= MAX_EMAIL_DELAY_MS / 1000);
    }
}

/// Public form submissions kept per address, over [`FORM_WINDOW_MS`].
pub const FORM_WINDOW_MS: i64 = 10 * 60 * 1000;
/// Submissions from one address within the window; more wait for it.
pub const FORM_MAX_PER_ADDRESS: usize = 10;
/// Submissions of all addresses within one minute: a flood from many addresses waits.
pub const FORM_MAX_PER_MINUTE: usize = 120;
/// Addresses remembered at most (a flood from many addresses cannot grow memory).
const FORM_MAX_ADDRESSES: usize = 100_000;

/// When each address submitted, and when anyone did.
type Seen = (HashMap<IpAddr, Vec<i64>>, Vec<i64>);

/// Public form submissions (web-to-lead), counted per address and in all, in memory.
#[derive(Default)]
pub struct Submissions {
    seen: Mutex<Seen>,
}

impl Submissions {
    /// Counts a submission from `address`; `Err` holds the seconds to wait.
    pub fn allow(&self, address: IpAddr, now: i64) -> Result<(), i64> {
        let mut guard = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let (per_address, all) = &mut *guard;
        all.retain(|t| now - t < 60_000);
        if all.len() >= FORM_MAX_PER_MINUTE {
            return Err(((all[0] + 60_000 - now) / 1000).max(1));
        }
        if per_address.len() >= FORM_MAX_ADDRESSES {
            per_address.retain(|_, times| times.iter().any(|t| now - t < FORM_WINDOW_MS));
            if per_address.len() >= FORM_MAX_ADDRESSES {
                return Err(60);
            }
        }
        let times = per_address.entry(address).or_default();
        times.retain(|t| now - t < FORM_WINDOW_MS);
        if times.len() >= FORM_MAX_PER_ADDRESS {
            return Err(((times[0] + FORM_WINDOW_MS - now) / 1000).max(1));
        }
        times.push(now);
        all.push(now);
        Ok(())
    }
}
