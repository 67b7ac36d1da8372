//! Which notices go out: an admin may switch any of them off for the whole
//! installation, and each person may switch off, for themselves, the ones
//! they need not act on (`Notice::optional`).

use crate::{Caller, Service, ServiceError};
use sau_domain::{FieldProblem, Notice};

/// The setting that lists the notices switched off for everyone.
const NOTICES_OFF: &str = "mail_notices_off";

/// One notice a person may choose, and whether they receive it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailChoice {
    pub notice: Notice,
    pub on: bool,
}

/// The notices named in `names`, or the field's problem for one unknown.
fn notices(names: &[String], field: &'static str) -> Result<Vec<Notice>, ServiceError> {
    names
        .iter()
        .map(|name| {
            Notice::parse(name.trim())
                .ok_or_else(|| ServiceError::invalid(field, FieldProblem::NotAnOption))
        })
        .collect()
}

impl Service {
    /// The notices switched off for everyone.
    pub async fn notices_off(&self) -> Result<Vec<Notice>, ServiceError> {
        Ok(self
            .store
            .get_setting(NOTICES_OFF)
            .await?
            .unwrap_or_default()
            .split(',')
            .filter_map(|name| Notice::parse(name.trim()))
            .collect())
    }

    /// Switches off, for everyone, the notices named in `off`, and on all the
    /// others (admins only).
    pub async fn set_notices_off(
        &self,
        caller: &Caller,
        off: &[String],
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let off = notices(off, "notices")?;
        let value = off.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(",");
        self.store.put_setting(NOTICES_OFF.into(), value).await?;
        Ok(())
    }

    /// The notices the caller may switch off for themselves: those that may
    /// reach them, can be switched off, and go out at all.
    pub async fn mail_choices(&self, caller: &Caller) -> Result<Vec<MailChoice>, ServiceError> {
        let user = caller.user().ok_or(ServiceError::Forbidden)?;
        let off = self.notices_off().await?;
        let opted_out = self.store.mail_opt_outs(user.id).await?;
        Ok(Notice::ALL
            .into_iter()
            .filter(|n| n.optional() && n.concerns(user.roles) && !off.contains(n))
            .map(|notice| MailChoice {
                notice,
                on: !opted_out.iter().any(|name| name == notice.as_str()),
            })
            .collect())
    }

    /// Keeps, of the caller's choices, those named in `on` and switches off
    /// the rest. A notice they may not switch off cannot be named off.
    pub async fn set_mail_choices(
        &self,
        caller: &Caller,
        on: &[String],
    ) -> Result<(), ServiceError> {
        let user = caller.user().ok_or(ServiceError::Forbidden)?;
        let on = notices(on, "notices")?;
        let off: Vec<String> = Notice::ALL
            .into_iter()
            .filter(|n| n.optional() && n.concerns(user.roles) && !on.contains(n))
            .map(|n| n.as_str().to_owned())
            .collect();
        self.store.set_mail_opt_outs(user.id, off).await?;
        Ok(())
    }

    /// Whether `person` receives `notice`: it goes out at all (`off`), and
    /// they did not switch it off when they may. Each person's choices are
    /// read once per job (`known`).
    pub(crate) async fn receives(
        &self,
        notice: Notice,
        person: sau_domain::UserId,
        off: &[Notice],
        known: &mut std::collections::HashMap<sau_domain::UserId, Vec<String>>,
    ) -> Result<bool, ServiceError> {
        if off.contains(&notice) {
            return Ok(false);
        }
        if !notice.optional() {
            return Ok(true);
        }
        let names = match known.entry(person) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => {
                entry.insert(self.store.mail_opt_outs(person).await?)
            }
        };
        Ok(!names.iter().any(|name| name == notice.as_str()))
    }
}
