//! The store's statements for departments, users and API tokens.

use crate::records::*;
use crate::{Backend, Store, StoreError};
use sau_domain::{Contact, DepartmentId, Roles, UserId};

impl Store {
    pub async fn create_department(
        &self,
        code: String,
        name: String,
        now: jiff::Timestamp,
    ) -> Result<DepartmentRecord, StoreError> {
        write!(self, |c| directory::create_department(c, &code, &name, now))
    }

    pub async fn list_departments(&self) -> Result<Vec<DepartmentRecord>, StoreError> {
        read!(self, |c| directory::list_departments(c))
    }

    pub async fn find_department(
        &self,
        code: &str,
    ) -> Result<Option<DepartmentRecord>, StoreError> {
        read!(self, |c| directory::find_department(c, code))
    }

    pub async fn rename_department(&self, code: String, name: String) -> Result<(), StoreError> {
        write!(self, |c| directory::rename_department(c, &code, &name))
    }

    pub async fn set_department_active(
        &self,
        code: String,
        active: bool,
    ) -> Result<(), StoreError> {
        write!(self, |c| directory::set_department_active(c, &code, active))
    }

    pub async fn create_user(
        &self,
        user: NewUser,
        now: jiff::Timestamp,
    ) -> Result<UserRecord, StoreError> {
        write!(self, |c| directory::create_user(c, user, now))
    }

    pub async fn get_user(&self, id: UserId) -> Result<Option<UserRecord>, StoreError> {
        read!(self, |c| directory::get_user(c, id))
    }

    pub async fn find_user(&self, login: &str) -> Result<Option<UserRecord>, StoreError> {
        read!(self, |c| directory::find_user(c, login))
    }

    pub async fn find_credentials(
        &self,
        login: &str,
    ) -> Result<Option<(UserRecord, Option<String>)>, StoreError> {
        read!(self, |c| directory::find_credentials(c, login))
    }

    pub async fn list_users(&self) -> Result<Vec<UserRecord>, StoreError> {
        read!(self, |c| directory::list_users(c))
    }

    /// Active people every one of whose `words` starts their login, a word of
    /// their name, or their department's code or name; at most `limit`, by name.
    pub async fn find_people(
        &self,
        words: Vec<String>,
        limit: i64,
    ) -> Result<Vec<PersonMatch>, StoreError> {
        read!(self, |c| directory::find_people(c, &words, limit))
    }

    pub async fn set_roles(&self, id: UserId, roles: Roles) -> Result<(), StoreError> {
        write!(self, |c| directory::set_roles(c, id, roles))
    }

    pub async fn set_user_details(
        &self,
        id: UserId,
        display_name: String,
        email: Option<String>,
        department: Option<DepartmentId>,
        contact: Contact,
    ) -> Result<(), StoreError> {
        write!(self, |c| directory::set_user_details(
            c,
            id,
            &display_name,
            email.as_deref(),
            department,
            &contact
        ))
    }

    pub async fn set_user_contact(&self, id: UserId, contact: Contact) -> Result<(), StoreError> {
        write!(self, |c| directory::set_user_contact(c, id, &contact))
    }

    pub async fn set_password_hash(&self, id: UserId, hash: String) -> Result<(), StoreError> {
        write!(self, |c| directory::set_password_hash(c, id, &hash))
    }

    pub async fn set_locale(&self, id: UserId, locale: String) -> Result<(), StoreError> {
        write!(self, |c| directory::set_locale(c, id, &locale))
    }

    pub async fn set_time_zone(&self, id: UserId, zone: Option<String>) -> Result<(), StoreError> {
        write!(self, |c| directory::set_time_zone(c, id, zone.as_deref()))
    }

    pub async fn set_active(&self, id: UserId, active: bool) -> Result<(), StoreError> {
        write!(self, |c| directory::set_active(c, id, active))
    }

    pub async fn create_token(
        &self,
        user: UserId,
        token_hash: String,
        name: String,
        now: jiff::Timestamp,
        expires_at: Option<jiff::Timestamp>,
    ) -> Result<i64, StoreError> {
        write!(self, |c| directory::create_token(
            c,
            user,
            &token_hash,
            &name,
            now,
            expires_at
        ))
    }

    pub async fn user_by_token(
        &self,
        token_hash: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<UserRecord>, StoreError> {
        read!(self, |c| directory::user_by_token(c, token_hash, now))
    }

    pub async fn revoke_token(&self, token_hash: String) -> Result<bool, StoreError> {
        write!(self, |c| directory::revoke_token(c, &token_hash))
    }

    pub async fn technician_loads(&self) -> Result<Vec<TechnicianLoad>, StoreError> {
        let bit = Roles::of(&[sau_domain::Role::Technician]).bits();
        read!(self, |c| directory::technician_loads(c, bit))
    }
}
