//! Mojibake repair: text that was UTF-8 but got decoded as Windows-1252 or
//! Latin-1 (once or twice) on its way to us, as in `Canalysâ€™` for
//! `Canalys’`.
//!
//! The reference behaviour is Python's `ftfy.fix_encoding`; the method is our
//! own. Each run of characters that re-encodes (as Windows-1252, with Latin-1
//! for the five bytes 1252 leaves undefined) to one well-formed UTF-8 sequence
//! is a candidate. Candidates are strong when their shape almost never occurs
//! in real text (a lead such as `â`, `Ã`, `Â`, `ð` followed by continuation
//! symbols) and weak otherwise (an accented capital followed by `™`, `»`:
//! `CAFÉ™`). Strong ones are always decoded; weak ones only with support from
//! another candidate next to them or anywhere strong in the same text. Passes
//! repeat for text that was mangled twice. Text with nothing to fix comes
//! back borrowed.

use std::borrow::Cow;

/// Windows-1252 bytes 0x80–0x9F. The five bytes 1252 leaves undefined map to
/// the C1 control of the same value, as decoders that "never fail" do: this is
/// how `”` (E2 80 9D) ends up as `â€\u{9d}`.
const CP1252_80_9F: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// Mojibake nests at most this deep in practice (UTF-8 read as 1252 three
/// times is already unreadable to anyone).
const MAX_PASSES: usize = 4;

/// Repairs text that was UTF-8 decoded as Windows-1252 or Latin-1 (possibly
/// twice): `Canalysâ€™` → `Canalys’`, `Ã©` → `é`, `â€œquotedâ€\u{9d}` →
/// `“quoted”`, `Ã¢â‚¬â„¢` → `’`; C1 control characters left by a Latin-1
/// decoder become the Windows-1252 characters they stand for (`\u{93}` → `“`).
/// Correct text is returned unchanged (and borrowed): `Café`, `naïve`,
/// `CAFÉ™`, Cyrillic, CJK.
///
/// ```
/// use newsdesk_normalize::fix_mojibake;
/// assert_eq!(fix_mojibake("Canalysâ€™ report"), "Canalys’ report");
/// assert_eq!(fix_mojibake("Café"), "Café");
/// ```
pub fn fix_mojibake(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let mut text: Cow<'_, str> = Cow::Borrowed(s);
    for _ in 0..MAX_PASSES {
        match fix_pass(&text) {
            Some(fixed) => text = Cow::Owned(fixed),
            None => break,
        }
    }
    if text.chars().any(|c| matches!(c as u32, 0x80..=0x9F)) {
        let fixed = text.chars().map(c1_to_cp1252).collect::<String>();
        if fixed != *text {
            text = Cow::Owned(fixed);
        }
    }
    text
}

/// The byte a character stands for in Windows-1252 (or Latin-1 for what 1252
/// leaves undefined), for characters that can be such bytes.
fn byte_of(c: char) -> Option<u8> {
    let u = c as u32;
    if u <= 0xFF {
        return Some(u as u8);
    }
    CP1252_80_9F
        .iter()
        .position(|&x| x == c)
        .map(|i| 0x80 + i as u8)
}

fn c1_to_cp1252(c: char) -> char {
    let u = c as u32;
    if (0x80..=0x9F).contains(&u) {
        CP1252_80_9F[(u - 0x80) as usize]
    } else {
        c
    }
}

fn is_continuation(c: char) -> bool {
    byte_of(c).is_some_and(|b| (0x80..=0xBF).contains(&b))
}

#[derive(Clone, Copy, PartialEq)]
enum Strength {
    Strong,
    Weak,
}

struct Candidate {
    /// Index of the first character, in `chars`.
    start: usize,
    /// Number of characters replaced.
    len: usize,
    decoded: char,
    strength: Strength,
}

/// Typographic marks that legitimately follow a capital letter (`CAFÉ™`,
/// `RÉ»`). After an accented capital they are only read as mojibake with
/// support from other candidates.
fn is_trailing_mark(c: char) -> bool {
    matches!(
        c,
        '’' | '”'
            | '»'
            | '›'
            | '™'
            | '…'
            | '–'
            | '—'
            | '•'
            | '®'
            | '©'
            | '¹'
            | '²'
            | '³'
            | '°'
            | '·'
    )
}

fn find_candidates(chars: &[char]) -> Vec<Candidate> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let need = match c as u32 {
            0xC2..=0xDF => 1,
            0xE0..=0xEF => 2,
            0xF0..=0xF4 => 3,
            _ => 0,
        };
        if need == 0 {
            i += 1;
            continue;
        }
        let tail = chars.get(i + 1..i + 1 + need).unwrap_or(&[]);
        if tail.len() != need || !tail.iter().all(|&t| is_continuation(t)) {
            // `Ã` + two spaces: `à` + space whose NBSP byte was turned into a
            // space on the way (`voilÃ  la`).
            if c == 'Ã'
                && chars.get(i + 1) == Some(&' ')
                && chars.get(i + 2) == Some(&' ')
                && chars.get(i + 3).is_some_and(|n| n.is_lowercase())
            {
                found.push(Candidate {
                    start: i,
                    len: 2,
                    decoded: 'à',
                    strength: Strength::Strong,
                });
                i += 2;
                continue;
            }
            i += 1;
            continue;
        }
        let mut bytes = Vec::with_capacity(need + 1);
        bytes.push(c as u32 as u8);
        bytes.extend(tail.iter().filter_map(|&t| byte_of(t)));
        let decoded = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|s| s.chars().next());
        let Some(decoded) = decoded.filter(|d| plausible(*d)) else {
            i += 1;
            continue;
        };
        let strength = if matches!(c, 'Â' | 'Ã') || need >= 2 {
            Strength::Strong
        } else {
            Strength::Weak
        };
        found.push(Candidate {
            start: i,
            len: need + 1,
            decoded,
            strength,
        });
        i += need + 1;
    }
    found
}

/// A decoded character a real text could contain: not a control character,
/// not a noncharacter.
fn plausible(c: char) -> bool {
    let u = c as u32;
    !c.is_control() && !(0xFDD0..=0xFDEF).contains(&u) && (u & 0xFFFE) != 0xFFFE
}

fn fix_pass(s: &str) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let candidates = find_candidates(&chars);
    if candidates.is_empty() {
        return None;
    }
    let any_strong = candidates.iter().any(|c| c.strength == Strength::Strong);
    let accepted: Vec<&Candidate> = candidates
        .iter()
        .enumerate()
        .filter(|(k, cand)| {
            if cand.strength == Strength::Strong || any_strong {
                return true;
            }
            let touches_prev = *k > 0 && {
                let p = &candidates[k - 1];
                p.start + p.len == cand.start
            };
            let touches_next = candidates
                .get(k + 1)
                .is_some_and(|n| cand.start + cand.len == n.start);
            if touches_prev || touches_next {
                return true;
            }
            // A lone weak candidate: decode it unless it is an accented
            // capital followed by a typographic mark (`CAFÉ™`).
            let lead = chars[cand.start];
            let first_tail = chars[cand.start + 1];
            !(lead.is_uppercase() && is_trailing_mark(first_tail)) && cand.len == 2 && {
                // ... and it does not sit inside a run of ordinary accented
                // letters, where it is more likely real text.
                let before = cand.start.checked_sub(1).map(|b| chars[b]);
                !before.is_some_and(|b| b.is_alphabetic() && !b.is_ascii())
            }
        })
        .map(|(_, c)| c)
        .collect();
    if accepted.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut next = 0;
    for cand in accepted {
        out.extend(&chars[next..cand.start]);
        out.push(cand.decoded);
        next = cand.start + cand.len;
    }
    out.extend(&chars[next..]);
    (out != s).then_some(out)
}
