//! Files in and out of the browser. Downloads go through a Blob and a
//! temporary link, so nothing leaves the machine.

use wasm_bindgen::JsCast;

/// Offers `bytes` as a download named `filename`.
pub fn download(filename: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "not an anchor")?;
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The bytes of a file the user chose in an `<input type="file">`.
pub async fn read_file_bytes(file: web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A file name that carries the store name and date and is safe on every
/// operating system: `Lotus_Boutique-backup-2026-11-23.json`.
pub fn file_name(store_name: &str, what: &str, date: chrono::NaiveDate, ext: &str) -> String {
    let cleaned: String = store_name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let base = if cleaned.trim_matches('_').is_empty() {
        "clientele".to_string()
    } else {
        cleaned
    };
    // DateFormat::Iso avoids pulling chrono's strftime machinery into the wasm.
    let day = clientele_engine::store::DateFormat::Iso.format(date);
    format!("{base}-{what}-{day}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_dated() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            file_name("莲 · 精品女装", "backup", d, "json"),
            "莲___精品女装-backup-2026-11-23.json"
        );
        assert_eq!(
            file_name("a/b:c", "members", d, "csv"),
            "a_b_c-members-2026-11-23.csv"
        );
        assert_eq!(
            file_name("  ", "backup", d, "json"),
            "clientele-backup-2026-11-23.json"
        );
    }
}
