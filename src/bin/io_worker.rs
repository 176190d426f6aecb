//! The file worker: decodes picked files and writes xlsx off the page's
//! thread and out of its first download (see `files`).

fn main() {
    console_error_panic_hook::set_once();
    clientele_web::files::serve_worker();
}
