//! The file worker: decodes picked files and writes xlsx off the page's
//! thread and out of its first download (see `files`).
//!
//! It takes `files` by path rather than through the console's library: the
//! library's page chunks are exported for the split loader
//! (xtask/src/split.rs), and linking them would carry every page into the
//! worker. The page-side half of the module goes unused here.

#[allow(dead_code)]
#[path = "../files.rs"]
mod files;

fn main() {
    console_error_panic_hook::set_once();
    files::serve_worker();
}
