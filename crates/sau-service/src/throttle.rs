//! Sign-in rate limiting, for every way of signing in (pages, API, and any
//! channel after them): a few failed attempts per account and per client
//! address within a window, then sign-in is refused without even checking the
//! password, until the oldest failure ages out. Kept in memory: a restart
//! forgets it, and each instance of SAU counts on its own.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed attempts allowed per account within [`WINDOW`].
pub const ACCOUNT_LIMIT: usize = 5;
/// Failed attempts allowed per client address within [`WINDOW`].
pub const ADDRESS_LIMIT: usize = 5;
/// How long a failed attempt counts.
pub const WINDOW: Duration = Duration::from_secs(5 * 60);
/// How often stale entries of other keys are swept away.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

#[derive(Debug)]
struct Failures {
    by_key: HashMap<Key, VecDeque<Instant>>,
    last_sweep: Instant,
}

#[derive(Debug)]
pub(crate) struct SignInThrottle {
    failures: Mutex<Failures>,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        SignInThrottle {
            failures: Mutex::new(Failures {
                by_key: HashMap::new(),
                last_sweep: Instant::now(),
            }),
        }
    }
}

/// The account key: logins are compared trimmed and lowercased, so `Admin` and
/// `admin ` share one counter.
fn account(login: &str) -> Key {
    Key::Account(login.trim().to_lowercase())
}

fn keys(login: &str, address: Option<IpAddr>) -> impl Iterator<Item = (Key, usize)> {
    std::iter::once((account(login), ACCOUNT_LIMIT))
        .chain(address.map(|a| (Key::Address(a), ADDRESS_LIMIT)))
}

impl Failures {
    /// Drops the failures older than the window: of one key always, of every key
    /// now and then (so a flood of made-up logins cannot grow the map for good).
    fn prune(&mut self, key: &Key, now: Instant) {
        let fresh = |at: &Instant| now.saturating_duration_since(*at) < WINDOW;
        if now.saturating_duration_since(self.last_sweep) >= SWEEP_EVERY {
            self.by_key.retain(|_, times| {
                times.retain(fresh);
                !times.is_empty()
            });
            self.last_sweep = now;
        } else if let Some(times) = self.by_key.get_mut(key) {
            times.retain(fresh);
            if times.is_empty() {
                self.by_key.remove(key);
            }
        }
    }
}

impl SignInThrottle {
    fn lock(&self) -> std::sync::MutexGuard<'_, Failures> {
        // A panic while holding the lock leaves plain counters behind: still usable.
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `Some(wait)` when the account or the address has used up its attempts:
    /// how long until the oldest counted failure ages out.
    pub fn blocked(&self, login: &str, address: Option<IpAddr>) -> Option<Duration> {
        self.blocked_at(login, address, Instant::now())
    }

    fn blocked_at(&self, login: &str, address: Option<IpAddr>, now: Instant) -> Option<Duration> {
        let mut failures = self.lock();
        let mut wait: Option<Duration> = None;
        for (key, limit) in keys(login, address) {
            failures.prune(&key, now);
            let Some(times) = failures.by_key.get(&key) else {
                continue;
            };
            if times.len() >= limit {
                // The attempt that frees a slot is the `len - limit + 1`-th oldest.
                let freeing = times[times.len() - limit];
                let left = WINDOW.saturating_sub(now.saturating_duration_since(freeing));
                wait = Some(wait.map_or(left, |w| w.max(left)));
            }
        }
        wait
    }

    /// Counts a failed attempt against the account and the address.
    pub fn failed(&self, login: &str, address: Option<IpAddr>) {
        self.failed_at(login, address, Instant::now());
    }

    fn failed_at(&self, login: &str, address: Option<IpAddr>, now: Instant) {
        let mut failures = self.lock();
        for (key, limit) in keys(login, address) {
            failures.prune(&key, now);
            let times = failures.by_key.entry(key).or_default();
            times.push_back(now);
            // Only the newest `limit` failures matter.
            while times.len() > limit {
                times.pop_front();
            }
        }
    }

    /// A successful sign-in forgets the account's failures (not the address's).
    pub fn succeeded(&self, login: &str) {
        self.lock().by_key.remove(&account(login));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 7));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 8));

    #[test]
    fn an_account_is_blocked_after_five_failures_until_they_age_out() {
        let throttle = SignInThrottle::default();
        let start = Instant::now();
        for i in 0..5 {
            let at = start + Duration::from_secs(i);
            assert!(throttle.blocked_at("Pedro", None, at).is_none(), "{i}");
            throttle.failed_at("Pedro", None, at);
        }
        let wait = throttle.blocked_at(" pedro ", None, start + Duration::from_secs(10));
        assert_eq!(wait, Some(WINDOW - Duration::from_secs(10)));
        assert!(throttle.blocked_at("maria", None, start).is_none());
        let later = start + WINDOW + Duration::from_secs(1);
        assert!(throttle.blocked_at("pedro", None, later).is_none());
    }

    #[test]
    fn an_address_is_blocked_whatever_the_account() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for i in 0..5 {
            throttle.failed_at(&format!("user{i}"), Some(A), now);
        }
        assert!(throttle.blocked_at("someone", Some(A), now).is_some());
        assert!(throttle.blocked_at("someone", Some(B), now).is_none());
    }

    #[test]
    fn success_clears_the_account_but_not_the_address() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for _ in 0..4 {
            throttle.failed_at("ana", Some(A), now);
        }
        throttle.succeeded("ANA");
        throttle.failed_at("ana", Some(B), now);
        assert!(throttle.blocked_at("ana", Some(B), now).is_none());
        throttle.failed_at("luis", Some(A), now);
        assert!(throttle.blocked_at("other", Some(A), now).is_some());
    }

    #[test]
    fn stale_keys_are_swept() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        throttle.failed_at("old", None, now);
        throttle.failed_at("new", None, now + WINDOW + SWEEP_EVERY);
        assert_eq!(throttle.lock().by_key.len(), 1);
    }
}
