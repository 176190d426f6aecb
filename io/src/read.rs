//! Bytes to a table of text cells: encoding and delimiter detection for
//! CSV, the first (or a chosen) sheet of an xlsx. Nothing here knows what
//! the columns mean; every failure is a typed [`ReadError`], never a panic.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Files above this size are refused before any work starts: 500,000
/// member rows of a typical export fit in about 60 MB.
pub const MAX_FILE_BYTES: usize = 100 * 1024 * 1024;

/// More rows than this is not a boutique's member file.
pub const MAX_ROWS: usize = 1_000_000;

/// Text encodings a shop's files arrive in. GB18030 is a superset of GBK,
/// which is what Excel on Chinese Windows writes by default.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    Utf8,
    Gb18030,
    Utf16Le,
    Utf16Be,
}

impl TextEncoding {
    fn codec(self) -> &'static encoding_rs::Encoding {
        match self {
            TextEncoding::Utf8 => encoding_rs::UTF_8,
            TextEncoding::Gb18030 => encoding_rs::GB18030,
            TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
            TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delimiter {
    Comma,
    Semicolon,
    Tab,
}

impl Delimiter {
    pub fn byte(self) -> char {
        match self {
            Delimiter::Comma => ',',
            Delimiter::Semicolon => ';',
            Delimiter::Tab => '\t',
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReadError {
    Empty,
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    /// Not text and not an xlsx workbook (an image, a zip, a renamed binary).
    Binary,
    /// The old binary Excel format (.xls): save it as .xlsx or CSV.
    LegacyExcel,
    /// The bytes are not valid in the chosen or detected encoding.
    Undecodable {
        encoding: TextEncoding,
    },
    /// A quoted field opened on this row never closes.
    UnterminatedQuote {
        row: usize,
    },
    /// The file has no header row with at least one name.
    NoHeader,
    DuplicateHeader {
        name: String,
        first: usize,
        second: usize,
    },
    TooManyRows {
        limit: usize,
    },
    /// The workbook could not be opened (damaged or not really xlsx).
    Workbook(String),
    NoSuchSheet(String),
    NoSheets,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Empty => write!(f, "the file is empty"),
            ReadError::TooLarge { bytes, limit } => write!(
                f,
                "the file is {} MB; the limit is {} MB",
                bytes.div_ceil(1024 * 1024),
                limit / (1024 * 1024)
            ),
            ReadError::Binary => write!(f, "not a CSV or xlsx file"),
            ReadError::LegacyExcel => write!(f, "old .xls format: save it as .xlsx or CSV"),
            ReadError::Undecodable { encoding } => {
                write!(f, "the text is not valid {encoding:?}")
            }
            ReadError::UnterminatedQuote { row } => {
                write!(f, "a quote opened on row {row} is never closed")
            }
            ReadError::NoHeader => write!(f, "no header row"),
            ReadError::DuplicateHeader {
                name,
                first,
                second,
            } => write!(
                f,
                "column name '{name}' appears twice ({} and {})",
                column_letter(*first),
                column_letter(*second)
            ),
            ReadError::TooManyRows { limit } => write!(f, "more than {limit} rows"),
            ReadError::Workbook(e) => write!(f, "the workbook cannot be read: {e}"),
            ReadError::NoSuchSheet(s) => write!(f, "no sheet named '{s}'"),
            ReadError::NoSheets => write!(f, "the workbook has no sheets"),
        }
    }
}

impl std::error::Error for ReadError {}

/// Spreadsheet column letters, as users see them: 0 → A, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// One data row with the line (CSV) or row (xlsx) number the user sees
/// in their editor, so messages can point at it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// What the reader found, so the UI can show it and offer overrides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sniffed {
    pub format: FileFormat,
    pub encoding: Option<TextEncoding>,
    pub delimiter: Option<Delimiter>,
    pub sheets: Vec<String>,
}

/// User overrides; `None` means detect.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadOptions {
    pub encoding: Option<TextEncoding>,
    pub delimiter: Option<Delimiter>,
    pub sheet: Option<String>,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];

pub fn check_size(bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            bytes: bytes.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    Ok(())
}

pub fn format_of(bytes: &[u8]) -> Result<FileFormat, ReadError> {
    check_size(bytes)?;
    if bytes.starts_with(ZIP_MAGIC) {
        Ok(FileFormat::Xlsx)
    } else if bytes.starts_with(OLE_MAGIC) {
        Err(ReadError::LegacyExcel)
    } else {
        Ok(FileFormat::Csv)
    }
}

/// Detects the encoding: a BOM decides; otherwise valid UTF-8 is UTF-8 and
/// anything GB18030 decodes cleanly is GB18030. Control bytes other than
/// tab and line breaks mean a binary file.
pub fn detect_encoding(bytes: &[u8]) -> Result<TextEncoding, ReadError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(TextEncoding::Utf8);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Ok(TextEncoding::Utf16Le);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Ok(TextEncoding::Utf16Be);
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    if head
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
    {
        return Err(ReadError::Binary);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Ok(TextEncoding::Utf8);
    }
    if encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_some()
    {
        return Ok(TextEncoding::Gb18030);
    }
    // Text-like but valid in neither: say so, and let the user pick one.
    Err(ReadError::Undecodable {
        encoding: TextEncoding::Gb18030,
    })
}

/// Decodes with `encoding`, dropping its BOM. Malformed bytes are an
/// error rather than replacement characters, so a wrong override is
/// noticed instead of importing mojibake.
pub fn decode(bytes: &[u8], encoding: TextEncoding) -> Result<String, ReadError> {
    let codec = encoding.codec();
    let body = match encoding {
        TextEncoding::Utf8 => bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes),
        TextEncoding::Utf16Le => bytes.strip_prefix(&[0xFF, 0xFE]).unwrap_or(bytes),
        TextEncoding::Utf16Be => bytes.strip_prefix(&[0xFE, 0xFF]).unwrap_or(bytes),
        TextEncoding::Gb18030 => bytes,
    };
    let text = codec
        .decode_without_bom_handling_and_without_replacement(body)
        .ok_or(ReadError::Undecodable { encoding })?;
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}'))
    {
        return Err(ReadError::Binary);
    }
    Ok(text.into_owned())
}

/// Picks the delimiter that splits the header line most (outside quotes);
/// a single-column file is read as comma-separated.
pub fn detect_delimiter(text: &str) -> Delimiter {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' if !in_quotes && counts.iter().any(|&n| n > 0) => break,
            ',' if !in_quotes => counts[0] += 1,
            ';' if !in_quotes => counts[1] += 1,
            '\t' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab][best]
}

/// An incremental RFC 4180 reader over decoded text: quotes are special
/// only at the start of a field, `""` inside quotes is one quote, and a
/// quoted field may hold line breaks. Records are handed out one at a
/// time so a large file can be processed in slices.
pub struct CsvRecords {
    text: String,
    pos: usize,
    line: usize,
    delimiter: char,
}

impl CsvRecords {
    pub fn new(text: String, delimiter: Delimiter) -> CsvRecords {
        CsvRecords {
            text,
            pos: 0,
            line: 1,
            delimiter: delimiter.byte(),
        }
    }

    pub fn bytes_total(&self) -> usize {
        self.text.len()
    }

    pub fn bytes_done(&self) -> usize {
        self.pos
    }

    /// The next `n` good records, leaving the cursor where it was.
    pub fn peek(&mut self, n: usize) -> Vec<Row> {
        let (pos, line) = (self.pos, self.line);
        let mut out = Vec::new();
        while out.len() < n {
            match self.next_record() {
                Some(Ok(r)) => out.push(r),
                _ => break,
            }
        }
        self.pos = pos;
        self.line = line;
        out
    }

    /// The next non-blank record, or `None` at the end.
    pub fn next_record(&mut self) -> Option<Result<Row, ReadError>> {
        loop {
            if self.pos >= self.text.len() {
                return None;
            }
            let start_line = self.line;
            let rest = &self.text[self.pos..];
            let mut cells = Vec::new();
            let mut cell = String::new();
            let mut chars = rest.char_indices().peekable();
            let mut at_field_start = true;
            let mut in_quotes = false;
            let mut consumed = rest.len();
            let mut lines = 0usize;
            while let Some((i, c)) = chars.next() {
                if in_quotes {
                    if c == '"' {
                        if matches!(chars.peek(), Some((_, '"'))) {
                            cell.push('"');
                            chars.next();
                        } else {
                            in_quotes = false;
                        }
                    } else {
                        if c == '\n' {
                            lines += 1;
                        }
                        cell.push(c);
                    }
                    continue;
                }
                if c == '"' && at_field_start {
                    in_quotes = true;
                    at_field_start = false;
                } else if c == self.delimiter {
                    cells.push(std::mem::take(&mut cell));
                    at_field_start = true;
                } else if c == '\n' || c == '\r' {
                    if c == '\r' && matches!(chars.peek(), Some((_, '\n'))) {
                        chars.next();
                        consumed = i + 2;
                    } else {
                        consumed = i + 1;
                    }
                    lines += 1;
                    break;
                } else {
                    cell.push(c);
                    at_field_start = false;
                }
            }
            if in_quotes {
                self.pos = self.text.len();
                return Some(Err(ReadError::UnterminatedQuote { row: start_line }));
            }
            cells.push(cell);
            self.pos += consumed;
            self.line += lines.max(1);
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            return Some(Ok(Row {
                number: start_line,
                cells,
            }));
        }
    }
}

/// Checks and cleans a header row: names are trimmed; an empty name is
/// allowed (the column is ignored), a repeated name is an error because
/// the two columns cannot both be mapped.
pub fn clean_headers(cells: Vec<String>) -> Result<Vec<String>, ReadError> {
    let headers: Vec<String> = cells
        .into_iter()
        .map(|h| h.trim().trim_start_matches('\u{FEFF}').trim().to_string())
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(ReadError::NoHeader);
    }
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        if let Some(j) = headers[..i].iter().position(|o| o.eq_ignore_ascii_case(h)) {
            return Err(ReadError::DuplicateHeader {
                name: h.clone(),
                first: j,
                second: i,
            });
        }
    }
    Ok(headers)
}

/// A file turned into text or cells: the costly, format-specific half of
/// reading (encoding tables, the xlsx unzipper). The console does it in a
/// web worker so that code is fetched only when a file is opened; the rest
/// of the import works on this.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decoded {
    /// A CSV decoded to UTF-8 (its BOM dropped), not yet split.
    Text {
        encoding: TextEncoding,
        text: String,
    },
    Sheet {
        sniffed: Sniffed,
        table: Table,
    },
}

/// Decodes a CSV or reads the chosen xlsx sheet.
pub fn decode_file(bytes: &[u8], options: &ReadOptions) -> Result<Decoded, ReadError> {
    match format_of(bytes)? {
        FileFormat::Xlsx => {
            let (sniffed, table) = read_xlsx(bytes, options.sheet.as_deref())?;
            Ok(Decoded::Sheet { sniffed, table })
        }
        FileFormat::Csv => {
            let encoding = match options.encoding {
                Some(e) => e,
                None => detect_encoding(bytes)?,
            };
            let text = decode(bytes, encoding)?;
            Ok(Decoded::Text { encoding, text })
        }
    }
}

/// Opens a CSV: decodes, picks the delimiter, reads the header row.
pub fn open_csv(
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<(Sniffed, Vec<String>, CsvRecords), ReadError> {
    check_size(bytes)?;
    let encoding = match options.encoding {
        Some(e) => e,
        None => detect_encoding(bytes)?,
    };
    open_text(decode(bytes, encoding)?, encoding, options)
}

/// Opens decoded CSV text: picks the delimiter, reads the header row.
pub fn open_text(
    text: String,
    encoding: TextEncoding,
    options: &ReadOptions,
) -> Result<(Sniffed, Vec<String>, CsvRecords), ReadError> {
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    let delimiter = options.delimiter.unwrap_or_else(|| detect_delimiter(&text));
    let mut records = CsvRecords::new(text, delimiter);
    let header = match records.next_record() {
        Some(r) => r?,
        None => return Err(ReadError::Empty),
    };
    let headers = clean_headers(header.cells)?;
    Ok((
        Sniffed {
            format: FileFormat::Csv,
            encoding: Some(encoding),
            delimiter: Some(delimiter),
            sheets: Vec::new(),
        },
        headers,
        records,
    ))
}

/// Sheet names of an xlsx workbook, in order.
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, ReadError> {
    use calamine::Reader;
    check_size(bytes)?;
    let wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| ReadError::Workbook(e.to_string()))?;
    Ok(wb.sheet_names())
}

/// calamine 0.31 indexes shared strings without a bounds check
/// (xlsx/cells_reader.rs `read_v`): a cell naming a string past the end
/// panics, which in the browser aborts the app. Check every worksheet's
/// shared-string references against the count first.
fn check_shared_strings(bytes: &[u8]) -> Result<(), ReadError> {
    use std::io::Read;
    const MAX_XML: u64 = 256 * 1024 * 1024;
    let bad = |e: zip::result::ZipError| ReadError::Workbook(e.to_string());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(bad)?;
    let read = |zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, i: usize| {
        let mut out = Vec::new();
        let mut f = zip.by_index(i).map_err(bad)?;
        let name = f.name().to_ascii_lowercase();
        (&mut f)
            .take(MAX_XML)
            .read_to_end(&mut out)
            .map_err(|e| ReadError::Workbook(e.to_string()))?;
        Ok::<_, ReadError>((name, out))
    };
    let mut strings = 0usize;
    let mut sheets = Vec::new();
    for i in 0..zip.len() {
        let name = zip
            .by_index(i)
            .map(|f| f.name().to_ascii_lowercase())
            .map_err(bad)?;
        // Only the path calamine opens counts: a damaged directory entry
        // with another name leaves calamine with no strings at all.
        if name == "xl/sharedstrings.xml" {
            let (_, xml) = read(&mut zip, i)?;
            strings += count(&xml, b"<si>")
                + count(&xml, b"<si ")
                + count(&xml, b":si>")
                + count(&xml, b":si ");
        } else if name.contains("worksheets/") && name.ends_with(".xml") {
            sheets.push(i);
        }
    }
    for i in sheets {
        let (_, xml) = read(&mut zip, i)?;
        for pat in [&b"t=\"s\""[..], &b"t='s'"[..]] {
            let mut from = 0;
            while let Some(at) = find(&xml[from..], pat) {
                let start = from + at + pat.len();
                from = start;
                // The cell's value: the digits after the next `v>`.
                let Some(v) = find(&xml[start..], b"v>") else {
                    break;
                };
                let digits: Vec<u8> = xml[start + v + 2..]
                    .iter()
                    .skip_while(|b| b.is_ascii_whitespace())
                    .take_while(|b| b.is_ascii_digit())
                    .copied()
                    .collect();
                let idx = std::str::from_utf8(&digits)
                    .ok()
                    .and_then(|d| d.parse::<usize>().ok())
                    .unwrap_or(0);
                if idx >= strings {
                    return Err(ReadError::Workbook(format!(
                        "cell refers to shared string {idx} of {strings}"
                    )));
                }
            }
        }
    }
    Ok(())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// Reads the chosen sheet (the first when none is chosen) into a table.
/// The first non-empty row is the header.
pub fn read_xlsx(bytes: &[u8], sheet: Option<&str>) -> Result<(Sniffed, Table), ReadError> {
    use calamine::Reader;
    check_size(bytes)?;
    check_shared_strings(bytes)?;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| ReadError::Workbook(e.to_string()))?;
    let sheets = wb.sheet_names();
    let name = match sheet {
        Some(s) if sheets.iter().any(|n| n == s) => s.to_string(),
        Some(s) => return Err(ReadError::NoSuchSheet(s.to_string())),
        None => sheets.first().cloned().ok_or(ReadError::NoSheets)?,
    };
    let range = wb
        .worksheet_range(&name)
        .map_err(|e: calamine::XlsxError| ReadError::Workbook(e.to_string()))?;
    let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let first_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    let mut headers = None;
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        // Cells left of the used range are empty: keep column letters true.
        let mut cells = vec![String::new(); first_col];
        cells.extend(row.iter().map(cell_text));
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let number = first_row + i + 1;
        if headers.is_none() {
            headers = Some(clean_headers(cells)?);
            continue;
        }
        if rows.len() >= MAX_ROWS {
            return Err(ReadError::TooManyRows { limit: MAX_ROWS });
        }
        rows.push(Row { number, cells });
    }
    let headers = headers.ok_or(ReadError::Empty)?;
    Ok((
        Sniffed {
            format: FileFormat::Xlsx,
            encoding: None,
            delimiter: None,
            sheets,
        },
        Table { headers, rows },
    ))
}

/// A cell as the text a user would type: whole numbers without ".0",
/// money-like numbers with two decimals, dates as ISO text.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => crate::values::excel_serial_text(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn float_text(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let cents = (f * 100.0).round();
    if (f * 100.0 - cents).abs() < 1e-6 && cents.abs() < 1e15 {
        let c = cents as i64;
        let sign = if c < 0 { "-" } else { "" };
        return format!(
            "{sign}{}.{:02}",
            c.unsigned_abs() / 100,
            c.unsigned_abs() % 100
        );
    }
    format!("{f}")
}

/// Reads a whole file (CSV or xlsx) into a table. Large imports use
/// [`crate::plan::Importer`], which reads CSV rows in slices instead.
pub fn read_table(bytes: &[u8], options: &ReadOptions) -> Result<(Sniffed, Table), ReadError> {
    match format_of(bytes)? {
        FileFormat::Xlsx => read_xlsx(bytes, options.sheet.as_deref()),
        FileFormat::Csv => {
            let (sniffed, headers, mut records) = open_csv(bytes, options)?;
            let mut rows = Vec::new();
            while let Some(r) = records.next_record() {
                if rows.len() >= MAX_ROWS {
                    return Err(ReadError::TooManyRows { limit: MAX_ROWS });
                }
                rows.push(r?);
            }
            Ok((sniffed, Table { headers, rows }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(bytes: &[u8]) -> Table {
        read_table(bytes, &ReadOptions::default()).unwrap().1
    }

    #[test]
    fn quoted_fields_keep_delimiters_quotes_and_line_breaks() {
        let t = table(b"name,notes\n\"Li, Na\",\"said \"\"hi\"\"\nthen left\"\nWang,ok\n");
        assert_eq!(t.headers, vec!["name", "notes"]);
        assert_eq!(t.rows[0].cells, vec!["Li, Na", "said \"hi\"\nthen left"]);
        assert_eq!(t.rows[1].number, 4);
        assert_eq!(t.rows[1].cells, vec!["Wang", "ok"]);
    }

    #[test]
    fn semicolons_and_tabs_are_detected() {
        assert_eq!(table(b"a;b\n1;2").rows[0].cells, vec!["1", "2"]);
        assert_eq!(table(b"a\tb\r\n1\t2\r\n").rows[0].cells, vec!["1", "2"]);
    }

    #[test]
    fn gbk_bytes_are_detected_and_decoded() {
        let (bytes, _, _) = encoding_rs::GBK.encode("姓名,手机\n王芳,13800138000\n");
        let (sniffed, t) = read_table(&bytes, &ReadOptions::default()).unwrap();
        assert_eq!(sniffed.encoding, Some(TextEncoding::Gb18030));
        assert_eq!(t.headers, vec!["姓名", "手机"]);
        assert_eq!(t.rows[0].cells[0], "王芳");
    }

    #[test]
    fn an_unterminated_quote_names_its_row() {
        let err = read_table(b"a,b\n1,2\n\"open,3\n4,5\n", &ReadOptions::default());
        assert_eq!(err.unwrap_err(), ReadError::UnterminatedQuote { row: 3 });
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
    }

    #[test]
    fn floats_from_spreadsheets_read_as_typed() {
        assert_eq!(float_text(1001.0), "1001");
        assert_eq!(float_text(1299.5), "1299.50");
        assert_eq!(float_text(0.1 + 0.2), "0.30");
        assert_eq!(float_text(f64::NAN), "");
    }
}
