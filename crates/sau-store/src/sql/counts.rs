// Ticket counts for metrics and the supervisor's overview. Included once per
// backend (see lib.rs).

use crate::StoreError;
use sau_domain::State;

/// Ticket counts per state, for metrics and overviews.
pub(crate) async fn count_by_state(c: &mut Conn) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(sqlx::query_as("SELECT state, COUNT(*) FROM tickets GROUP BY state ORDER BY state")
        .fetch_all(&mut *c)
        .await?)
}

/// The states in which a ticket is still open (not closed nor cancelled).
const OPEN_STATES_SQL: &str = "('new', 'assigned', 'in_progress', 'on_hold', 'resolved')";

/// Open tickets per state, each counted up to `cap`: a figure like "1,000 or more"
/// says enough, and counting stops there even when most tickets are open.
pub(crate) async fn count_open_by_state(c: &mut Conn, cap: i64) -> Result<Vec<(String, i64)>, StoreError> {
    let mut q = sqlx::QueryBuilder::<Db>::new("");
    let open = State::ALL.into_iter().filter(|s| !s.is_finished());
    for (i, state) in open.enumerate() {
        if i > 0 {
            q.push(" UNION ALL ");
        }
        q.push("SELECT ").push_bind(state.as_str());
        q.push(", COUNT(*) FROM (SELECT 1 FROM tickets WHERE state = ").push_bind(state.as_str());
        q.push(" LIMIT ").push_bind(cap).push(format!(") AS c{i}"));
    }
    Ok(q.build_query_as().fetch_all(&mut *c).await?)
}

/// Ticket counts per category: key, Spanish name, English name, count; most first.
pub(crate) async fn count_by_category(
    c: &mut Conn,
) -> Result<Vec<(String, String, String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT c.key, c.name_es, c.name_en, COUNT(*) AS n FROM tickets t \
         JOIN categories c ON c.id = t.category_id \
         GROUP BY c.key, c.name_es, c.name_en ORDER BY n DESC, c.key",
    )
    .fetch_all(&mut *c)
    .await?)
}

/// Open tickets per assigned technician: login, name, count; most first.
pub(crate) async fn count_open_by_technician(
    c: &mut Conn,
) -> Result<Vec<(String, String, i64)>, StoreError> {
    let sql = format!(
        "SELECT u.login, u.display_name, COUNT(*) AS n FROM tickets t \
         JOIN users u ON u.id = t.technician_id WHERE t.state IN {OPEN_STATES_SQL} \
         GROUP BY u.login, u.display_name ORDER BY n DESC, u.login"
    );
    Ok(sqlx::query_as(&sql).fetch_all(&mut *c).await?)
}

/// Ticket counts per requesting department: code and name (none for tickets
/// without a department), count; most first.
pub(crate) async fn count_by_department(
    c: &mut Conn,
) -> Result<Vec<(Option<String>, Option<String>, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT d.code, d.name, COUNT(*) AS n FROM tickets t \
         LEFT JOIN departments d ON d.id = t.department_id \
         GROUP BY d.code, d.name ORDER BY n DESC, d.code",
    )
    .fetch_all(&mut *c)
    .await?)
}
