// Users, departments and API tokens. Included once per backend (see lib.rs).

use crate::StoreError;
use crate::records::{DepartmentRecord, NewUser, PersonMatch, UserRecord, UserRef, micros};
use crate::rows::{USER_COLUMNS, UserRow};
use sau_domain::{Contact, DepartmentId, Roles, UserId};

pub(crate) async fn create_department(
    c: &mut Conn,
    code: &str,
    name: &str,
    now: jiff::Timestamp,
) -> Result<DepartmentRecord, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO departments (code, name, active, created_at) VALUES ($1, $2, TRUE, $3) RETURNING id",
    )
    .bind(code)
    .bind(name)
    .bind(micros(now))
    .fetch_one(&mut *c)
    .await?;
    Ok(DepartmentRecord {
        id: DepartmentId(id),
        code: code.to_owned(),
        name: name.to_owned(),
        active: true,
    })
}

pub(crate) async fn list_departments(c: &mut Conn) -> Result<Vec<DepartmentRecord>, StoreError> {
    let rows: Vec<(i64, String, String, bool)> =
        sqlx::query_as("SELECT id, code, name, active FROM departments ORDER BY name, id")
            .fetch_all(&mut *c)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, name, active)| DepartmentRecord {
            id: DepartmentId(id),
            code,
            name,
            active,
        })
        .collect())
}

pub(crate) async fn find_department(
    c: &mut Conn,
    code: &str,
) -> Result<Option<DepartmentRecord>, StoreError> {
    let row: Option<(i64, String, String, bool)> =
        sqlx::query_as("SELECT id, code, name, active FROM departments WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *c)
            .await?;
    Ok(row.map(|(id, code, name, active)| DepartmentRecord {
        id: DepartmentId(id),
        code,
        name,
        active,
    }))
}

pub(crate) async fn rename_department(c: &mut Conn, code: &str, name: &str) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE departments SET name = $1 WHERE code = $2")
        .bind(name)
        .bind(code)
        .execute(&mut *c)
        .await?;
    touched(done)
}

/// An inactive department is no longer offered for users; those in it stay.
pub(crate) async fn set_department_active(c: &mut Conn, code: &str, active: bool) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE departments SET active = $1 WHERE code = $2")
        .bind(active)
        .bind(code)
        .execute(&mut *c)
        .await?;
    touched(done)
}

pub(crate) async fn create_user(
    c: &mut Conn,
    user: NewUser,
    now: jiff::Timestamp,
) -> Result<UserRecord, StoreError> {
    let sql = format!(
        "INSERT INTO users (login, display_name, email, department_id, roles, locale, password_hash, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8) RETURNING {USER_COLUMNS}"
    );
    let row: UserRow = sqlx::query_as(&sql)
        .bind(&user.login)
        .bind(&user.display_name)
        .bind(&user.email)
        .bind(user.department.map(|d| d.0))
        .bind(user.roles.bits())
        .bind(&user.locale)
        .bind(&user.password_hash)
        .bind(micros(now))
        .fetch_one(&mut *c)
        .await?;
    row.into_record()
}

pub(crate) async fn get_user(c: &mut Conn, id: UserId) -> Result<Option<UserRecord>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    let row: Option<UserRow> = sqlx::query_as(&sql).bind(id.0).fetch_optional(&mut *c).await?;
    row.map(UserRow::into_record).transpose()
}

/// The user with this login and their password hash, for signing in.
pub(crate) async fn find_credentials(
    c: &mut Conn,
    login: &str,
) -> Result<Option<(UserRecord, Option<String>)>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE login = $1");
    let row = sqlx::query(&sql).bind(login).fetch_optional(&mut *c).await?;
    let Some(row) = row else { return Ok(None) };
    use sqlx::{FromRow, Row};
    let hash: Option<String> = row.try_get("password_hash")?;
    Ok(Some((UserRow::from_row(&row)?.into_record()?, hash)))
}

/// The active person with this address, the earliest if several share it.
pub(crate) async fn find_user_by_email(c: &mut Conn, email: &str) -> Result<Option<UserRecord>, StoreError> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users WHERE lower(email) = lower($1) AND active ORDER BY id LIMIT 1"
    );
    let row: Option<UserRow> = sqlx::query_as(&sql).bind(email.trim()).fetch_optional(&mut *c).await?;
    row.map(UserRow::into_record).transpose()
}

pub(crate) async fn find_user(c: &mut Conn, login: &str) -> Result<Option<UserRecord>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE login = $1");
    let row: Option<UserRow> = sqlx::query_as(&sql).bind(login).fetch_optional(&mut *c).await?;
    row.map(UserRow::into_record).transpose()
}

pub(crate) async fn list_users(c: &mut Conn) -> Result<Vec<UserRecord>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY login");
    let rows: Vec<UserRow> = sqlx::query_as(&sql).fetch_all(&mut *c).await?;
    rows.into_iter().map(UserRow::into_record).collect()
}

/// `column` lower-cased without accents, as [`sau_domain::folded`] leaves a search word:
/// PostgreSQL's `unaccent`; on SQLite, which has none, the accented letters
/// Spanish and its neighbours write, replaced one by one.
fn folded(column: &str) -> String {
    match DIALECT {
        crate::Dialect::Postgres => format!("lower(unaccent('unaccent'::regdictionary, {column}))"),
        crate::Dialect::Sqlite => {
            let mut sql = format!("lower({column})");
            for (accented, plain) in [
                ("á", "a"), ("à", "a"), ("â", "a"), ("ä", "a"), ("Á", "a"), ("À", "a"),
                ("é", "e"), ("è", "e"), ("ê", "e"), ("ë", "e"), ("É", "e"), ("È", "e"),
                ("í", "i"), ("ì", "i"), ("î", "i"), ("ï", "i"), ("Í", "i"),
                ("ó", "o"), ("ò", "o"), ("ô", "o"), ("ö", "o"), ("Ó", "o"),
                ("ú", "u"), ("ù", "u"), ("û", "u"), ("ü", "u"), ("Ú", "u"), ("Ü", "u"),
                ("ñ", "n"), ("Ñ", "n"), ("ç", "c"), ("Ç", "c"),
            ] {
                sql = format!("replace({sql}, '{accented}', '{plain}')");
            }
            sql
        }
    }
}

pub(crate) async fn find_people(c: &mut Conn, words: &[String], limit: i64) -> Result<Vec<PersonMatch>, StoreError> {
    let mut q = sqlx::QueryBuilder::<Db>::new(
        "SELECT u.login, u.display_name, d.name FROM users u \
         LEFT JOIN departments d ON d.id = u.department_id WHERE u.active",
    );
    for word in words {
        // A word starts the login, the name or a word of it, or the department.
        let escaped = sau_domain::folded(word).replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let start = format!("{escaped}%");
        let inside = format!("% {escaped}%");
        q.push(" AND (");
        let mut any = q.separated(" OR ");
        for column in ["u.login", "u.display_name", "d.code", "d.name"] {
            any.push(format!("{} LIKE ", folded(column)))
                .push_bind_unseparated(start.clone())
                .push_unseparated(" ESCAPE '\\'");
        }
        for column in ["u.display_name", "d.name"] {
            any.push(format!("{} LIKE ", folded(column)))
                .push_bind_unseparated(inside.clone())
                .push_unseparated(" ESCAPE '\\'");
        }
        q.push(")");
    }
    q.push(" ORDER BY u.display_name, u.login LIMIT ").push_bind(limit);
    let rows: Vec<(String, String, Option<String>)> = q.build_query_as().fetch_all(&mut *c).await?;
    Ok(rows
        .into_iter()
        .map(|(login, display_name, department)| PersonMatch {
            login,
            display_name,
            department,
        })
        .collect())
}

pub(crate) async fn set_roles(c: &mut Conn, id: UserId, roles: Roles) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE users SET roles = $1 WHERE id = $2")
        .bind(roles.bits())
        .bind(id.0)
        .execute(&mut *c)
        .await?;
    touched(done)
}

pub(crate) async fn set_time_zone(c: &mut Conn, id: UserId, zone: Option<&str>) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE users SET time_zone = $1 WHERE id = $2")
        .bind(zone)
        .bind(id.0)
        .execute(&mut *c)
        .await?;
    touched(done)
}

/// A user's name, e-mail, department and contact; login, roles and password stay.
pub(crate) async fn set_user_details(
    c: &mut Conn,
    id: UserId,
    display_name: &str,
    email: Option<&str>,
    department: Option<DepartmentId>,
    contact: &Contact,
) -> Result<(), StoreError> {
    let old_name: Option<String> = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *c)
        .await?;
    let done = sqlx::query("UPDATE users SET display_name = $1, email = $2, department_id = $3 WHERE id = $4")
        .bind(display_name)
        .bind(email)
        .bind(department.map(|d| d.0))
        .bind(id.0)
        .execute(&mut *c)
        .await?;
    touched(done)?;
    set_user_contact(c, id, contact).await?;
    // Their tickets are found by their name: the search index learns the new one.
    if old_name.as_deref() != Some(display_name) {
        super::ticket_search::reindex_requester(c, id).await?;
    }
    Ok(())
}

/// How to reach a user: phone, extension and office, each `None` for none.
pub(crate) async fn set_user_contact(c: &mut Conn, id: UserId, contact: &Contact) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE users SET phone = $1, extension = $2, office = $3 WHERE id = $4")
        .bind(contact.phone.as_deref())
        .bind(contact.extension.as_deref())
        .bind(contact.office.as_deref())
        .bind(id.0)
        .execute(&mut *c)
        .await?;
    touched(done)
}

pub(crate) async fn set_password_hash(c: &mut Conn, id: UserId, hash: &str) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id.0)
        .execute(&mut *c)
        .await?;
    touched(done)
}

/// The language a user's pages are shown in (`es` or `en`).
pub(crate) async fn set_locale(c: &mut Conn, id: UserId, locale: &str) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
        .bind(locale)
        .bind(id.0)
        .execute(&mut *c)
        .await?;
    touched(done)
}

/// Deactivating a user also revokes their API tokens.
pub(crate) async fn set_active(c: &mut Conn, id: UserId, active: bool) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(active)
        .bind(id.0)
        .execute(&mut *c)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    if !active {
        sqlx::query("UPDATE api_tokens SET revoked = TRUE WHERE user_id = $1")
            .bind(id.0)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

pub(crate) async fn create_token(
    c: &mut Conn,
    user: UserId,
    token_hash: &str,
    name: &str,
    now: jiff::Timestamp,
    expires_at: Option<jiff::Timestamp>,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, token_hash, name, created_at, expires_at, revoked) \
         VALUES ($1, $2, $3, $4, $5, FALSE) RETURNING id",
    )
    .bind(user.0)
    .bind(token_hash)
    .bind(name)
    .bind(micros(now))
    .bind(expires_at.map(micros))
    .fetch_one(&mut *c)
    .await?;
    Ok(id)
}

/// The active user a live (unrevoked, unexpired) token belongs to.
pub(crate) async fn user_by_token(
    c: &mut Conn,
    token_hash: &str,
    now: jiff::Timestamp,
) -> Result<Option<UserRecord>, StoreError> {
    let sql = format!(
        "SELECT {} FROM users u JOIN api_tokens k ON k.user_id = u.id \
         WHERE k.token_hash = $1 AND NOT k.revoked AND u.active \
         AND (k.expires_at IS NULL OR k.expires_at > $2)",
        USER_COLUMNS
            .split(", ")
            .map(|col| format!("u.{col}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let row: Option<UserRow> = sqlx::query_as(&sql)
        .bind(token_hash)
        .bind(micros(now))
        .fetch_optional(&mut *c)
        .await?;
    row.map(UserRow::into_record).transpose()
}

pub(crate) async fn revoke_token(c: &mut Conn, token_hash: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE api_tokens SET revoked = TRUE WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *c)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Active technicians with the number of unfinished tickets each holds, least
/// loaded first.
pub(crate) async fn technician_loads(
    c: &mut Conn,
    technician_bit: i64,
) -> Result<Vec<crate::records::TechnicianLoad>, StoreError> {
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT u.id, u.login, u.display_name, \
         (SELECT COUNT(*) FROM tickets t WHERE t.technician_id = u.id \
          AND t.state IN ('assigned', 'in_progress', 'on_hold', 'resolved')) AS open_tickets \
         FROM users u WHERE u.active AND (u.roles & $1) <> 0 \
         ORDER BY open_tickets, u.login",
    )
    .bind(technician_bit)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, login, display_name, open_tickets)| crate::records::TechnicianLoad {
            user: UserRef {
                id: UserId(id),
                login,
                display_name,
            },
            open_tickets,
        })
        .collect())
}

/// The active people who hold any of the roles in `bits`, by login.
pub(crate) async fn active_users_with(c: &mut Conn, bits: i64) -> Result<Vec<UserRecord>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE active AND (roles & $1) <> 0 ORDER BY login");
    let rows: Vec<UserRow> = sqlx::query_as(&sql).bind(bits).fetch_all(&mut *c).await?;
    rows.into_iter().map(UserRow::into_record).collect()
}
