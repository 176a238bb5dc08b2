//! Browser entry point: hydrates the server-rendered page.
// The app's largest views (the portfolio item editor) nest deeper than the default
// limit of 128 when their types are laid out.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
