//! Any bytes (zip-framed, so the xlsx path runs) through the workbook
//! reader: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = clientele_io::read::sheet_names(data);
    let _ = clientele_io::read::read_xlsx(data, None);
    let mut framed = b"PK\x03\x04".to_vec();
    framed.extend_from_slice(data);
    let _ = clientele_io::read::read_xlsx(&framed, None);
});
