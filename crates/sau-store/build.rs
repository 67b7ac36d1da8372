// The migrations are compiled into the crate (`sqlx::migrate!`): a new file
// under `migrations/` must rebuild it, as an edited one does.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
