//! Login rate limiting: after too many failed logins for one e-mail in a window, further
//! attempts are refused until the window passes. Kept in memory per server instance
//! (several instances each apply the limit).

use std::collections::HashMap;
use std::sync::Mutex;

pub const MAX_FAILURES: usize = 5;
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<i64>>>,
}

impl LoginLimiter {
    /// `Err(seconds to wait)` when `key` has failed too often recently.
    pub fn check(&self, key: &str, now: i64) -> Result<(), i64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(times) = map.get_mut(key) else { return Ok(()) };
        times.retain(|t| now - t < WINDOW_MS);
        if times.len() >= MAX_FAILURES {
            let oldest = times.iter().min().copied().unwrap_or(now);
            return Err(((oldest + WINDOW_MS - now) / 1000).max(1));
        }
        Ok(())
    }

    pub fn failed(&self, key: &str, now: i64) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            // Bounded memory under a flood of made-up e-mails.
            map.retain(|_, times| times.iter().any(|t| now - t < WINDOW_MS));
        }
        map.entry(key.to_string()).or_default().push(now);
    }

    pub fn succeeded(&self, key: &str) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_block_the_sixth_attempt_until_the_window_passes() {
        let limiter = LoginLimiter::default();
        for i in 0..MAX_FAILURES as i64 {
            assert!(limiter.check("a@b.fr", i).is_ok());
            limiter.failed("a@b.fr", i);
        }
        let wait = limiter.check("a@b.fr", 10).unwrap_err();
        assert!(wait > 800 && wait <= 900, "{wait}");
        assert!(limiter.check("other@b.fr", 10).is_ok(), "per e-mail");
        assert!(limiter.check("a@b.fr", WINDOW_MS + 5).is_ok(), "the window passes");
    }
}
