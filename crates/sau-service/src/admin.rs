//! Administration: departments, users and roles, the default catalog, demo data.

use crate::auth::check_password_rules;
use crate::{Caller, Service, ServiceError, now};
use sau_domain::{Contact, FieldProblem, Role, Roles, default_categories};
use sau_store::{DepartmentRecord, NewUser, QueueRecord, StoreError, UserRecord};

/// What an admin may change about a user besides roles, password and activity.
#[derive(Debug, Clone)]
pub struct UserDetails {
    pub display_name: String,
    pub email: Option<String>,
    /// Department code; empty or `None` for no department.
    pub department: Option<String>,
    /// Phone, extension and office; `None` leaves them as they are.
    pub contact: Option<ContactInput>,
}

/// How to reach a person, as typed: each empty or `None` for none.
#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    pub phone: Option<String>,
    pub extension: Option<String>,
    pub office: Option<String>,
}

impl ContactInput {
    /// The checked contact, or every field's problem at once.
    pub(crate) fn check(&self) -> Result<Contact, ServiceError> {
        Contact::new(
            self.phone.as_deref(),
            self.extension.as_deref(),
            self.office.as_deref(),
        )
        .map_err(|problems| {
            ServiceError::Invalid(
                problems
                    .into_iter()
                    .map(|(field, problem)| (field.to_owned(), problem))
                    .collect(),
            )
        })
    }
}

#[derive(Debug, Clone)]
pub struct NewUserInput {
    pub login: String,
    pub display_name: String,
    pub email: Option<String>,
    /// Department code.
    pub department: Option<String>,
    pub roles: Roles,
    pub locale: String,
    pub password: Option<String>,
}

/// A user the demo creates; the password equals the login.
#[derive(Debug, Clone, Copy)]
pub struct DemoUser {
    pub login: &'static str,
    pub name: &'static str,
    pub department: &'static str,
    pub roles: &'static [Role],
}

pub const DEMO_USERS: &[DemoUser] = &[
    DemoUser {
        login: "solicitante",
        name: "Ana Solicitante",
        department: "DRH",
        roles: &[Role::Requester],
    },
    DemoUser {
        login: "soporte",
        name: "Sergio Soporte",
        department: "DTI",
        roles: &[Role::Dispatcher],
    },
    DemoUser {
        login: "tecnico",
        name: "Teresa Técnica",
        department: "DTI",
        roles: &[Role::Technician],
    },
    DemoUser {
        login: "tecnico2",
        name: "Tomás Técnico",
        department: "DTI",
        roles: &[Role::Technician],
    },
    DemoUser {
        login: "director",
        name: "Diana Directora",
        department: "DTI",
        roles: &[Role::Supervisor],
    },
    DemoUser {
        login: "admin",
        name: "Administración SAU",
        department: "DTI",
        roles: &[Role::Admin],
    },
];

const DEMO_DEPARTMENTS: &[(&str, &str)] = &[
    ("DTI", "Dirección de Tecnologías de la Información"),
    ("DRH", "Dirección de Recursos Humanos"),
    ("DF", "Dirección Financiera"),
    ("DS", "Despacho Superior"),
];

fn valid_code(field: &str, value: &str) -> Result<String, ServiceError> {
    let value = value.trim();
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'));
    if ok {
        Ok(value.to_owned())
    } else {
        Err(ServiceError::invalid(field, FieldProblem::NotAText))
    }
}

pub(crate) fn required(field: &str, value: &str) -> Result<String, ServiceError> {
    let value = value.trim();
    if value.is_empty() {
        Err(ServiceError::invalid(field, FieldProblem::Required))
    } else if value.chars().count() > 200 {
        Err(ServiceError::invalid(field, FieldProblem::TooLong))
    } else {
        Ok(value.to_owned())
    }
}

/// `Some(trimmed)` for a non-empty address of a plausible shape.
fn optional_email(value: Option<&str>) -> Result<Option<String>, ServiceError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(email) => {
            let plausible = email.len() <= 254
                && !email.chars().any(char::is_whitespace)
                && email
                    .split_once('@')
                    .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
            if plausible {
                Ok(Some(email.to_owned()))
            } else {
                Err(ServiceError::invalid("email", FieldProblem::NotAText))
            }
        }
    }
}

/// Whether `user` is the person calling: admins may not lock themselves out.
fn is_self(caller: &Caller, user: &UserRecord) -> bool {
    caller.user().is_some_and(|me| me.id == user.id)
}

pub(crate) fn duplicate(what: &'static str) -> impl Fn(StoreError) -> ServiceError {
    move |e| match e {
        StoreError::Duplicate(_) => ServiceError::Duplicate(what),
        other => other.into(),
    }
}

/// Turns the store's "no such row" into the service's, naming what was missing.
pub(crate) fn not_found(what: &'static str) -> impl Fn(StoreError) -> ServiceError {
    move |e| match e {
        StoreError::NotFound => ServiceError::NotFound(what),
        other => other.into(),
    }
}

impl Service {
    /// Agents only: what covers every ticket, not just one's own.
    pub(crate) fn require_agent(caller: &Caller) -> Result<(), ServiceError> {
        if caller.actor()?.roles.is_agent() {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }

    pub(crate) fn require_admin(caller: &Caller) -> Result<(), ServiceError> {
        if caller.is_admin() {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }

    pub async fn create_department(
        &self,
        caller: &Caller,
        code: &str,
        name: &str,
    ) -> Result<DepartmentRecord, ServiceError> {
        Self::require_admin(caller)?;
        let code = valid_code("code", code)?;
        let name = required("name", name)?;
        self.store
            .create_department(code, name, now())
            .await
            .map_err(duplicate("department"))
    }

    /// Departments are no secret: anyone signed in may list them.
    pub async fn list_departments(
        &self,
        _caller: &Caller,
    ) -> Result<Vec<DepartmentRecord>, ServiceError> {
        Ok(self.store.list_departments().await?)
    }

    /// Renames a department (admins only). Its code stays: users and tickets refer
    /// to it.
    pub async fn rename_department(
        &self,
        caller: &Caller,
        code: &str,
        name: &str,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let name = required("name", name)?;
        self.store
            .rename_department(code.trim().to_owned(), name)
            .await
            .map_err(not_found("department"))
    }

    /// Deactivates or reactivates a department (admins only). An inactive one is
    /// not offered for users any more; users already in it stay there.
    pub async fn set_department_active(
        &self,
        caller: &Caller,
        code: &str,
        active: bool,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        self.store
            .set_department_active(code.trim().to_owned(), active)
            .await
            .map_err(not_found("department"))
    }

    pub(crate) async fn department_id(
        &self,
        code: Option<&str>,
    ) -> Result<Option<sau_domain::DepartmentId>, ServiceError> {
        match code.map(str::trim) {
            None | Some("") => Ok(None),
            Some(code) => Ok(Some(
                self.store
                    .find_department(code)
                    .await?
                    .ok_or_else(|| ServiceError::invalid("department", FieldProblem::Unknown))?
                    .id,
            )),
        }
    }

    pub async fn create_user(
        &self,
        caller: &Caller,
        input: NewUserInput,
    ) -> Result<UserRecord, ServiceError> {
        Self::require_admin(caller)?;
        let login = valid_code("login", &input.login)?;
        let display_name = required("display_name", &input.display_name)?;
        let email = optional_email(input.email.as_deref())?;
        let department = self.department_id(input.department.as_deref()).await?;
        let locale = match input.locale.as_str() {
            "es" | "en" => input.locale.clone(),
            _ => return Err(ServiceError::invalid("locale", FieldProblem::NotAnOption)),
        };
        let password_hash = match input.password {
            Some(p) => {
                check_password_rules(&p)?;
                Some(self.hash_password(p).await?)
            }
            None => None,
        };
        let roles = if input.roles.is_empty() {
            Roles::of(&[Role::Requester])
        } else {
            input.roles
        };
        self.store
            .create_user(
                NewUser {
                    login,
                    display_name,
                    email,
                    department,
                    roles,
                    locale,
                    password_hash,
                },
                now(),
            )
            .await
            .map_err(duplicate("user"))
    }

    pub async fn list_users(&self, caller: &Caller) -> Result<Vec<UserRecord>, ServiceError> {
        Self::require_admin(caller)?;
        Ok(self.store.list_users().await?)
    }

    /// One user, by login (admins only).
    pub async fn user(&self, caller: &Caller, login: &str) -> Result<UserRecord, ServiceError> {
        Self::require_admin(caller)?;
        self.user_by_login(login).await
    }

    /// Changes a user's name, e-mail, department and, when given, how to reach
    /// them (admins only). Nothing is written unless all of it is valid.
    pub async fn update_user(
        &self,
        caller: &Caller,
        login: &str,
        details: UserDetails,
    ) -> Result<UserRecord, ServiceError> {
        Self::require_admin(caller)?;
        let user = self.user_by_login(login).await?;
        let display_name = required("display_name", &details.display_name)?;
        let email = optional_email(details.email.as_deref())?;
        let department = self.department_id(details.department.as_deref()).await?;
        let contact = match &details.contact {
            Some(input) => input.check()?,
            None => user.contact.clone(),
        };
        self.store
            .set_user_details(
                user.id,
                display_name.clone(),
                email.clone(),
                department,
                contact.clone(),
            )
            .await?;
        // API tokens answer from a cache of users: let it see the change.
        self.tokens.forget_user(user.id);
        Ok(UserRecord {
            display_name,
            email,
            department,
            contact,
            ..user
        })
    }

    async fn user_by_login(&self, login: &str) -> Result<UserRecord, ServiceError> {
        self.store
            .find_user(login.trim())
            .await?
            .ok_or(ServiceError::NotFound("user"))
    }

    pub async fn set_roles(
        &self,
        caller: &Caller,
        login: &str,
        roles: Roles,
    ) -> Result<UserRecord, ServiceError> {
        Self::require_admin(caller)?;
        if roles.is_empty() {
            return Err(ServiceError::invalid("roles", FieldProblem::Required));
        }
        let user = self.user_by_login(login).await?;
        // Taking away one's own admin role could leave nobody to give it back.
        if is_self(caller, &user) && !roles.has(Role::Admin) {
            return Err(ServiceError::invalid("roles", FieldProblem::NotAnOption));
        }
        self.store.set_roles(user.id, roles).await?;
        self.tokens.forget_user(user.id);
        Ok(UserRecord { roles, ..user })
    }

    /// An admin sets (resets) a password. The person is signed out everywhere.
    pub async fn set_password(
        &self,
        caller: &Caller,
        login: &str,
        password: &str,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        check_password_rules(password)?;
        let user = self.user_by_login(login).await?;
        let hash = self.hash_password(password.to_owned()).await?;
        // Whoever was signed in as them (perhaps with the password being replaced)
        // is signed out.
        self.store.replace_password(user.id, hash, None).await?;
        self.tokens.forget_user(user.id);
        Ok(())
    }

    /// Deactivates a user: they can no longer sign in and their tokens stop working.
    /// Their tickets and history stay. Admins cannot deactivate themselves (the
    /// answer is `Invalid` on `active`), so someone is always left to undo it.
    pub async fn deactivate_user(&self, caller: &Caller, login: &str) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let user = self.user_by_login(login).await?;
        if is_self(caller, &user) {
            return Err(ServiceError::invalid("active", FieldProblem::NotAnOption));
        }
        self.store.set_active(user.id, false).await?;
        self.tokens.forget_user(user.id);
        Ok(())
    }

    /// Lets a deactivated user sign in again (their old API tokens stay revoked).
    pub async fn reactivate_user(&self, caller: &Caller, login: &str) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let user = self.user_by_login(login).await?;
        self.store.set_active(user.id, true).await?;
        self.tokens.forget_user(user.id);
        Ok(())
    }

    /// Creates the default queue and the five categories of the manual's 5.1 when
    /// the database has no categories yet. Safe to call on every start.
    pub async fn ensure_defaults(&self) -> Result<(), ServiceError> {
        if !self.store.list_categories().await?.is_empty() {
            return Ok(());
        }
        let queues = self.store.list_queues().await?;
        let queue: QueueRecord = match queues.into_iter().find(|q| q.key == "soporte") {
            Some(q) => q,
            None => {
                self.store
                    .create_queue("soporte".into(), "Soporte Técnico".into())
                    .await?
            }
        };
        for category in default_categories(queue.id) {
            self.store.create_category(category).await?;
        }
        self.forget_categories();
        Ok(())
    }

    /// Demo data: departments and one user per role (password = login). Existing
    /// records are left as they are, so running it twice is harmless.
    pub async fn seed_demo(&self) -> Result<(), ServiceError> {
        self.ensure_defaults().await?;
        let system = Caller::System;
        for (code, name) in DEMO_DEPARTMENTS {
            match self.create_department(&system, code, name).await {
                Ok(_) | Err(ServiceError::Duplicate(_)) => {}
                Err(e) => return Err(e),
            }
        }
        for demo in DEMO_USERS {
            let input = NewUserInput {
                login: demo.login.into(),
                display_name: demo.name.into(),
                email: Some(format!("{}@sau.example", demo.login)),
                department: Some(demo.department.into()),
                roles: Roles::of(demo.roles),
                locale: "es".into(),
                // Demo logins are shorter than the password rule allows: hash directly.
                password: None,
            };
            match self.create_user(&system, input).await {
                Ok(user) => {
                    let hash = self.hash_password(demo.login.to_owned()).await?;
                    self.store.set_password_hash(user.id, hash).await?;
                }
                Err(ServiceError::Duplicate(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}
