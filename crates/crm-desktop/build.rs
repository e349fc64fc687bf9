//! Generates Tauri's context (config, capabilities, embedded icon) at compile time.
fn main() {
    tauri_build::build()
}
