//! Character references (`&amp;`, `&#8217;`, `&#x2019;`, legacy `&nbsp` without
//! the semicolon) decoded with the HTML standard's table of named references.

use std::borrow::Cow;

use markup5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};

/// Longest named reference in the table (`&CounterClockwiseContourIntegral;`).
const MAX_NAME: usize = 33;

/// Decodes the character references in `s`; borrows when there are none.
pub fn decode(s: &str) -> Cow<'_, str> {
    let Some(first) = memchr::memchr(b'&', s.as_bytes()) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..first]);
    let mut rest = &s[first..];
    loop {
        // `rest` starts with `&`.
        let consumed = decode_one(rest, &mut out);
        rest = &rest[consumed..];
        match memchr::memchr(b'&', rest.as_bytes()) {
            Some(i) => {
                out.push_str(&rest[..i]);
                rest = &rest[i..];
            }
            None => {
                out.push_str(rest);
                return Cow::Owned(out);
            }
        }
    }
}

/// Decodes the reference at the start of `s` (which starts with `&`) into
/// `out`; returns the bytes consumed (1 when it is a plain ampersand).
fn decode_one(s: &str, out: &mut String) -> usize {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let (hex, start) = match b.get(2) {
            Some(b'x') | Some(b'X') => (true, 3),
            _ => (false, 2),
        };
        let mut i = start;
        let mut value: u32 = 0;
        while i < b.len() && i - start < 8 {
            let d = match (hex, b[i]) {
                (_, c @ b'0'..=b'9') => u32::from(c - b'0'),
                (true, c @ b'a'..=b'f') => u32::from(c - b'a' + 10),
                (true, c @ b'A'..=b'F') => u32::from(c - b'A' + 10),
                _ => break,
            };
            value = value * if hex { 16 } else { 10 } + d;
            i += 1;
        }
        if i == start {
            out.push('&');
            return 1;
        }
        // Overlong digit runs: skip the rest of them.
        while i < b.len() && (b[i].is_ascii_digit() || (hex && b[i].is_ascii_hexdigit())) {
            value = 0x110000;
            i += 1;
        }
        if b.get(i) == Some(&b';') {
            i += 1;
        }
        let ch = match value {
            0 => '\u{FFFD}',
            0x80..=0x9F => C1_REPLACEMENTS[(value - 0x80) as usize].unwrap_or('\u{FFFD}'),
            v => char::from_u32(v).unwrap_or('\u{FFFD}'),
        };
        out.push(ch);
        return i;
    }
    // Named: the longest prefix in the table (with or without `;`).
    let mut end = 1;
    while end < b.len() && end <= MAX_NAME && b[end].is_ascii_alphanumeric() {
        end += 1;
    }
    if end == 1 {
        out.push('&');
        return 1;
    }
    let with_semi = b.get(end) == Some(&b';');
    if with_semi {
        if let Some(&(c1, c2)) = NAMED_ENTITIES.get(&s[1..=end]).filter(|e| e.0 != 0) {
            push_pair(out, c1, c2);
            return end + 1;
        }
    }
    // Legacy references without `;` (`&nbsp`, `&copy`): longest match.
    for cut in (2..=end).rev() {
        // The table also lists every prefix of a name, as (0, 0).
        if let Some(&(c1, c2)) = NAMED_ENTITIES.get(&s[1..cut]).filter(|e| e.0 != 0) {
            push_pair(out, c1, c2);
            return cut;
        }
    }
    out.push('&');
    1
}

fn push_pair(out: &mut String, c1: u32, c2: u32) {
    if let Some(c) = char::from_u32(c1) {
        out.push(c);
    }
    if c2 != 0 {
        if let Some(c) = char::from_u32(c2) {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn references() {
        assert_eq!(decode("a &amp; b"), "a & b");
        assert_eq!(decode("don&rsquo;t &#8217; &#x2019; &#150;"), "don’t ’ ’ –");
        assert_eq!(
            decode("&nbspx &copy 2020 &bogus; & &#;"),
            "\u{a0}x © 2020 &bogus; & &#;"
        );
        assert_eq!(decode("&#99999999999;"), "\u{FFFD}");
        assert_eq!(decode("plain"), "plain");
    }
}
