//! A short-lived memory of which user a token stands for, so that every API request
//! does not ask the database again.
//!
//! An entry lives a few seconds. This instance forgets a token at once on sign-out,
//! and a user at once when their roles change or they are deactivated; another
//! instance sharing the database notices within the entry's lifetime.

use sau_domain::UserId;
use sau_store::UserRecord;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a looked-up token is trusted without asking the database again.
pub(crate) const TOKEN_CACHE_TTL: Duration = Duration::from_secs(5);
/// Entries kept at most; past this the cache is emptied and refills.
const MAX_ENTRIES: usize = 10_000;

#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    entries: Mutex<HashMap<String, (Instant, UserRecord)>>,
}

impl TokenCache {
    pub(crate) fn get(&self, token_hash: &str) -> Option<UserRecord> {
        let entries = self.entries.lock().ok()?;
        let (at, user) = entries.get(token_hash)?;
        (at.elapsed() < TOKEN_CACHE_TTL).then(|| user.clone())
    }

    pub(crate) fn put(&self, token_hash: String, user: UserRecord) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(token_hash, (Instant::now(), user));
        }
    }

    pub(crate) fn forget_token(&self, token_hash: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(token_hash);
        }
    }

    pub(crate) fn forget_user(&self, user: UserId) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, (_, u)| u.id != user);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sau_domain::Roles;

    fn user(id: i64) -> UserRecord {
        UserRecord {
            id: UserId(id),
            login: format!("u{id}"),
            display_name: "U".into(),
            email: None,
            department: None,
            roles: Roles::empty(),
            locale: "es".into(),
            time_zone: None,
            active: true,
            created_at: jiff::Timestamp::UNIX_EPOCH,
            contact: Default::default(),
        }
    }

    #[test]
    fn forgetting_a_user_drops_all_their_tokens_and_only_theirs() {
        let cache = TokenCache::default();
        cache.put("a".into(), user(1));
        cache.put("b".into(), user(1));
        cache.put("c".into(), user(2));
        cache.forget_user(UserId(1));
        assert!(cache.get("a").is_none());
        assert!(cache.get("b").is_none());
        assert_eq!(cache.get("c").map(|u| u.id), Some(UserId(2)));
        cache.forget_token("c");
        assert!(cache.get("c").is_none());
    }
}
