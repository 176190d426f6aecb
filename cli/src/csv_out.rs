//! A CSV row writer for the command's machine-readable output: fields go
//! straight into one byte buffer, numbers without the general formatter
//! when the answer is certain, text quoted only when it must be.

use clientele_engine::money::Money;
use std::io::Write;

pub struct CsvOut<W: Write> {
    out: W,
    buf: Vec<u8>,
    fields: usize,
}

impl<W: Write> CsvOut<W> {
    pub fn new(out: W) -> CsvOut<W> {
        CsvOut {
            out,
            buf: Vec::with_capacity(1 << 16),
            fields: 0,
        }
    }

    fn separate(&mut self) {
        if self.fields > 0 {
            self.buf.push(b',');
        }
        self.fields += 1;
    }

    /// Text, quoted (with quotes doubled) when it holds a comma, a quote
    /// or a line break.
    pub fn text(&mut self, s: &str) {
        self.separate();
        if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
            self.buf.push(b'"');
            for b in s.bytes() {
                if b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(b);
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(s.as_bytes());
        }
    }

    pub fn empty(&mut self) {
        self.separate();
    }

    pub fn whole(&mut self, n: u64) {
        self.separate();
        push_digits(&mut self.buf, n, 1);
    }

    /// `x` with `places` decimals, exactly as `format!("{x:.places$}")`
    /// writes it.
    pub fn fixed(&mut self, x: f64, places: u32) {
        self.separate();
        push_fixed(&mut self.buf, x, places);
    }

    /// Minor units as a plain decimal ("-12.05"), no separators.
    pub fn money(&mut self, m: Money) {
        self.separate();
        if m.0 < 0 {
            self.buf.push(b'-');
        }
        let a = m.0.unsigned_abs();
        push_digits(&mut self.buf, a / 100, 1);
        self.buf.push(b'.');
        push_digits(&mut self.buf, a % 100, 2);
    }

    /// Ends the row; writes out once the buffer is large.
    pub fn end_row(&mut self) -> std::io::Result<()> {
        self.buf.push(b'\n');
        self.fields = 0;
        if self.buf.len() >= 1 << 16 {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.out.flush()
    }
}

/// `n` in decimal, left-padded with zeros to at least `width` digits.
fn push_digits(buf: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    while tmp.len() - i < width {
        i -= 1;
        tmp[i] = b'0';
    }
    buf.extend_from_slice(&tmp[i..]);
}

fn push_fixed(buf: &mut Vec<u8>, x: f64, places: u32) {
    // Rounding x * 10^places to the nearest whole is certain unless the
    // product lands within its own rounding error of a half; those few,
    // and huge or non-finite values, take the exact general path.
    if places <= 9 && x.is_finite() {
        let scale = 10u64.pow(places);
        let y = x.abs() * scale as f64;
        if y < 1e15 {
            let whole = y.floor();
            let frac = y - whole;
            if (frac - 0.5).abs() > y * 4.0 * f64::EPSILON + f64::MIN_POSITIVE {
                let n = whole as u64 + u64::from(frac > 0.5);
                if x.is_sign_negative() {
                    buf.push(b'-');
                }
                push_digits(buf, n / scale, 1);
                if places > 0 {
                    buf.push(b'.');
                    push_digits(buf, n % scale, places as usize);
                }
                return;
            }
        }
    }
    let _ = write!(buf, "{x:.*}", places as usize);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(x: f64, places: u32) -> String {
        let mut b = Vec::new();
        push_fixed(&mut b, x, places);
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn fixed_decimals_match_the_standard_formatter() {
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            0.5,
            1.5,
            2.5,
            0.125,
            0.000_000_5,
            0.000_001_5,
            2.675,
            1e-7,
            -1e-7,
            123_456.789_012_5,
            0.999_999_95,
            9.999_999_5,
            1e14,
            1e16,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1.0 / 7.0,
            52.0 / 7.0,
        ];
        // Thirds of weeks and other everyday fractions, and a pseudo-random
        // spread over many magnitudes.
        for k in 0..2_000 {
            values.push(f64::from(k) / 7.0);
            values.push(f64::from(k) / 3.0);
        }
        let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let mantissa = (s >> 11) as f64 / (1u64 << 53) as f64;
            let exp = (s % 24) as i32 - 12;
            values.push(mantissa * 10f64.powi(exp));
        }
        for &x in &values {
            for places in [0, 2, 4, 6] {
                assert_eq!(
                    fixed(x, places),
                    format!("{x:.*}", places as usize),
                    "{x:e} to {places} places"
                );
            }
        }
    }

    #[test]
    fn text_is_quoted_only_when_it_must_be() {
        let mut w = CsvOut::new(Vec::new());
        w.text("M1");
        w.text("a,b");
        w.text("say \"hi\"");
        w.empty();
        w.whole(0);
        w.money(Money(-1205));
        w.money(Money(7));
        w.end_row().unwrap();
        let mut out = Vec::new();
        std::mem::swap(&mut out, &mut w.buf);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "M1,\"a,b\",\"say \"\"hi\"\"\",,0,-12.05,0.07\n"
        );
    }
}
