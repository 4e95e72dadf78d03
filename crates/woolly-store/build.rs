//! `sqlx::migrate!` embeds the migrations when this crate compiles, and cargo does not notice a
//! new file in the folder by itself: rebuild whenever anything under `migrations/` changes.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
