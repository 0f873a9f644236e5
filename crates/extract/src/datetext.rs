//! Dates as pages show them to readers, in several languages and formats:
//! `12. März 2019`, `March 12th, 2019`, `12 de marzo de 2019`, `12 mars 2019`,
//! `12 marca 2019`, `12 марта 2019`, `03/12/2019`, `12.03.2019`,
//! `2019-03-12`, `2019年3月12日`, `2019년 3월 12일`.
//!
//! Only whole dates count (day, month and a four-digit year): a month and a
//! year alone, or a day and month without a year, say too little to place a
//! story. Date lines (bylines, date elements) may also write the year with
//! two digits (`31.10.23`, see [`line_dates_in`]). Numeric dates with the day and month both 12 or less are read
//! month first when the page says it is American English, day first
//! otherwise.

use chrono::NaiveDate;

/// Month names, full and in the forms dates use (genitive in Slavic and
/// Finnish; Arabic both the Egyptian and the Levantine names), lower case. Abbreviations are prefixes of these (see
/// [`month_of`]).
const MONTHS: [&[&str]; 12] = [
    &[
        "january",
        "januar",
        "jänner",
        "janvier",
        "enero",
        "gennaio",
        "janeiro",
        "januari",
        "stycznia",
        "января",
        "ocak",
        "ledna",
        "tammikuuta",
        "styczeń",
        "يناير",
    ],
    &[
        "february",
        "februar",
        "février",
        "fevrier",
        "febrero",
        "febbraio",
        "fevereiro",
        "februari",
        "lutego",
        "февраля",
        "şubat",
        "února",
        "helmikuuta",
        "فبراير",
        "شباط",
    ],
    &[
        "march",
        "märz",
        "maerz",
        "mars",
        "marzo",
        "março",
        "marco",
        "maart",
        "maret",
        "marca",
        "марта",
        "mart",
        "března",
        "maaliskuuta",
        "مارس",
        "آذار",
    ],
    &[
        "april",
        "avril",
        "abril",
        "aprile",
        "kwietnia",
        "апреля",
        "nisan",
        "dubna",
        "huhtikuuta",
        "أبريل",
        "ابريل",
        "نيسان",
    ],
    &[
        "may",
        "mai",
        "mayo",
        "maggio",
        "maio",
        "mei",
        "maj",
        "maja",
        "мая",
        "mayıs",
        "května",
        "toukokuuta",
        "مايو",
        "أيار",
        "ايار",
    ],
    &[
        "june",
        "juni",
        "juin",
        "junio",
        "giugno",
        "junho",
        "czerwca",
        "июня",
        "haziran",
        "června",
        "kesäkuuta",
        "يونيو",
        "يونيه",
        "حزيران",
    ],
    &[
        "july",
        "juli",
        "juillet",
        "julio",
        "luglio",
        "julho",
        "lipca",
        "июля",
        "temmuz",
        "července",
        "heinäkuuta",
        "يوليو",
        "يوليه",
        "تموز",
    ],
    &[
        "august",
        "août",
        "aout",
        "agosto",
        "augustus",
        "agustus",
        "augusti",
        "sierpnia",
        "августа",
        "ağustos",
        "srpna",
        "elokuuta",
        "أغسطس",
        "اغسطس",
    ],
    &[
        "september",
        "septembre",
        "septiembre",
        "setiembre",
        "settembre",
        "setembro",
        "września",
        "сентября",
        "eylül",
        "září",
        "syyskuuta",
        "سبتمبر",
        "أيلول",
        "ايلول",
    ],
    &[
        "october",
        "oktober",
        "octobre",
        "octubre",
        "ottobre",
        "outubro",
        "października",
        "октября",
        "ekim",
        "října",
        "lokakuuta",
        "أكتوبر",
        "اكتوبر",
    ],
    &[
        "november",
        "novembre",
        "noviembre",
        "novembro",
        "listopada",
        "ноября",
        "kasım",
        "listopadu",
        "marraskuuta",
        "نوفمبر",
    ],
    &[
        "december",
        "dezember",
        "décembre",
        "decembre",
        "diciembre",
        "dicembre",
        "dezembro",
        "desember",
        "grudnia",
        "декабря",
        "aralık",
        "prosince",
        "joulukuuta",
        "ديسمبر",
    ],
];

/// Words that sit between the parts of a date ("12 de marzo de 2019",
/// "March 12th, 2019", "le 12 mars").
const FILLER: &[&str] = &[
    "de", "del", "di", "of", "the", "st", "nd", "rd", "th", "er", "e", "º", "o", "den", "der",
];

/// The month a word names: a full name, or (three letters or more, an
/// optional dot) a prefix of names of one month only (`Sept`, `Okt`, `déc`).
pub fn month_of(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    if word.chars().count() < 3 {
        return None;
    }
    let mut found = None;
    for (m, names) in MONTHS.iter().enumerate() {
        // Finnish names (`maaliskuuta`) are never shortened, and would
        // otherwise make `mar` ambiguous.
        let matches =
            |n: &&str| n.starts_with(word) && (n.len() == word.len() || !n.ends_with("kuuta"));
        if names.iter().any(matches) {
            if found.is_some_and(|f| f != m) {
                return None;
            }
            found = Some(m);
        }
    }
    found.map(|m| m as u32 + 1)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Num { value: u32, digits: u8 },
    Month(u32),
    Word,
}

/// Every whole date in `text`, in order, with its byte offset. `month_first`
/// reads ambiguous numeric dates (`03/12/2019`) as month/day.
pub fn dates_in(text: &str, month_first: bool) -> Vec<(NaiveDate, usize)> {
    let mut out = numeric_dates(text, month_first);
    out.extend(worded_dates(text));
    out.sort_by_key(|d| d.1);
    out.dedup_by_key(|d| d.1);
    out
}

/// Every date in a short date line (a byline, a date element): whole
/// dates as [`dates_in`] finds them, and numeric dates with a two-digit
/// year (`8.5.12`, `26/10/13`, `31.10.23`), which bylines use but running
/// text (versions, scores) makes too risky to read anywhere else.
pub fn line_dates_in(text: &str, month_first: bool) -> Vec<(NaiveDate, usize)> {
    let mut out = dates_in(text, month_first);
    out.extend(short_year_dates(text, month_first));
    out.sort_by_key(|d| d.1);
    out.dedup_by_key(|d| d.1);
    out
}

/// `8.5.12`, `26/10/13`, `31.10.23`: day, month (month first on American
/// pages when both could be either) and a two-digit year of this century.
fn short_year_dates(text: &str, month_first: bool) -> Vec<(NaiveDate, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let boundary = i == 0 || !(b[i - 1].is_ascii_digit() || matches!(b[i - 1], b'.' | b'/'));
        if !b[i].is_ascii_digit() || !boundary {
            i += 1;
            continue;
        }
        let run = |j: usize| b[j..].iter().take_while(|c| c.is_ascii_digit()).count();
        let la = run(i);
        let sep = b.get(i + la).copied();
        if la > 2 || !matches!(sep, Some(b'.' | b'/')) {
            i += la;
            continue;
        }
        let j = i + la + 1;
        let lm = run(j);
        let k = j + lm + 1;
        if !(1..=2).contains(&lm) || b.get(j + lm).copied() != sep {
            i = j;
            continue;
        }
        let ly = run(k);
        // Not a longer run (`1.2.12.4`, `1.2.123`) nor a version's tail.
        let tail_digit =
            b.get(k + ly) == sep.as_ref() && b.get(k + ly + 1).is_some_and(u8::is_ascii_digit);
        if ly != 2 || tail_digit || b.get(k + ly).is_some_and(|c| c.is_ascii_alphanumeric()) {
            i = k;
            continue;
        }
        let (a, m, y) = (num(&b[i..i + la]), num(&b[j..j + lm]), num(&b[k..k + 2]));
        let (d, m) = if sep == Some(b'/') && month_first && a <= 12 {
            (m, a)
        } else {
            (a, m)
        };
        if let Some(date) = ymd(2000 + y, m, d) {
            out.push((date, i));
        }
        i = k + ly;
    }
    out
}

fn num(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'))
}

fn ymd(y: u32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(1900..=2200).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// `2019-03-12`, `2019/3/12`, `12.03.2019`, `03/12/2019`, `12-03-2019`,
/// `2019年3月12日`, `2019년 3월 12일`.
fn numeric_dates(text: &str, month_first: bool) -> Vec<(NaiveDate, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let start = i;
        let (a, la) = number(b, i);
        if la == 0 {
            // A run of five digits or more: a number, not a date.
            i += b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            continue;
        }
        let mut j = i + la;
        let field = |j: usize| -> Option<(u32, usize)> {
            let (v, l) = number(b, j);
            (l > 0).then_some((v, l))
        };
        // East Asian: 2019年3月12日 / 2019년 3월 12일.
        if la == 4 {
            if let Some(d) = east_asian(text, j, a) {
                out.push((d, start));
                i = j;
                continue;
            }
        }
        let sep = b.get(j).copied();
        if !matches!(sep, Some(b'-' | b'/' | b'.')) {
            i = j;
            continue;
        }
        let sep = sep.unwrap_or(b'-');
        j += 1;
        let Some((m, lm)) = field(j) else {
            i = j;
            continue;
        };
        j += lm;
        if b.get(j) != Some(&sep) {
            i = j;
            continue;
        }
        j += 1;
        let Some((c, lc)) = field(j) else {
            i = j;
            continue;
        };
        j += lc;
        // Not part of a longer number run (a version, an IP address).
        if b.get(j).is_some_and(u8::is_ascii_digit)
            || (b.get(j) == Some(&sep) && b.get(j + 1).is_some_and(u8::is_ascii_digit))
        {
            i = j;
            continue;
        }
        let date = if la == 4 && lm <= 2 && lc <= 2 {
            ymd(a, m, c)
        } else if la <= 2 && lm <= 2 && lc == 4 {
            // Dots and a first field over 12 mean day first.
            if sep == b'.' || a > 12 {
                ymd(c, m, a)
            } else if m > 12 || month_first {
                ymd(c, a, m)
            } else {
                ymd(c, m, a)
            }
        } else {
            None
        };
        if let Some(d) = date {
            out.push((d, start));
        }
        i = j;
    }
    out
}

/// A run of up to four ASCII digits at `i` and its length (0 when none or
/// longer).
fn number(b: &[u8], i: usize) -> (u32, usize) {
    let mut v = 0u32;
    let mut l = 0;
    while let Some(c) = b.get(i + l).filter(|c| c.is_ascii_digit()) {
        v = v * 10 + u32::from(c - b'0');
        l += 1;
        if l > 4 {
            return (0, 0);
        }
    }
    (v, l)
}

fn east_asian(text: &str, j: usize, year: u32) -> Option<NaiveDate> {
    let rest = text.get(j..)?;
    let (y_mark, m_mark, d_mark) = if rest.starts_with('年') {
        ('年', '月', '日')
    } else if rest.starts_with('년') {
        ('년', '월', '일')
    } else {
        return None;
    };
    let rest = rest[y_mark.len_utf8()..].trim_start();
    let (m, lm) = number(rest.as_bytes(), 0);
    let rest = rest[lm..].strip_prefix(m_mark)?.trim_start();
    let (d, ld) = number(rest.as_bytes(), 0);
    rest[ld..].strip_prefix(d_mark)?;
    if lm == 0 || ld == 0 {
        return None;
    }
    ymd(year, m, d)
}

/// `12. März 2019`, `March 12th, 2019`, `12 de marzo de 2019`.
fn worded_dates(text: &str) -> Vec<(NaiveDate, usize)> {
    // Quick exit: no letters next to digits means no worded dates.
    let mut toks: Vec<(Tok, usize)> = Vec::new();
    let mut word = String::new();
    let mut start = 0;
    let flush = |word: &mut String, start: usize, toks: &mut Vec<(Tok, usize)>| {
        if word.is_empty() {
            return;
        }
        let first = word.as_bytes()[0];
        if first.is_ascii_digit() {
            // "12th", "1er", "3rd": the number with its ordinal suffix.
            let digits = word.bytes().take_while(u8::is_ascii_digit).count();
            let suffix = &word[digits..];
            if digits <= 4 && (suffix.is_empty() || FILLER.contains(&suffix)) {
                let value = word[..digits].parse().unwrap_or(0);
                toks.push((
                    Tok::Num {
                        value,
                        digits: digits as u8,
                    },
                    start,
                ));
            } else {
                toks.push((Tok::Word, start));
            }
        } else if !FILLER.contains(&word.as_str()) {
            let tok = match month_of(word) {
                Some(m) if word.len() <= 24 => Tok::Month(m),
                _ => Tok::Word,
            };
            // A month named twice (`24 نيسان / أبريل 2020`: the Levantine
            // and the Egyptian name) is one month.
            if !(matches!(tok, Tok::Month(_)) && toks.last().is_some_and(|t| t.0 == tok)) {
                toks.push((tok, start));
            }
        }
        word.clear();
    };
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if word.is_empty() {
                start = i;
            }
            word.extend(c.to_lowercase());
        } else if c == '.' && !word.is_empty() && !word.as_bytes()[0].is_ascii_digit() {
            // "Sept." keeps its dot out of the word; a number's dot ends it.
            flush(&mut word, start, &mut toks);
        } else {
            flush(&mut word, start, &mut toks);
        }
    }
    flush(&mut word, start, &mut toks);
    if !toks.iter().any(|t| matches!(t.0, Tok::Month(_))) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for w in toks.windows(3) {
        let date = match (w[0].0, w[1].0, w[2].0) {
            (
                Tok::Num {
                    value: d,
                    digits: 1..=2,
                },
                Tok::Month(m),
                Tok::Num {
                    value: y,
                    digits: 4,
                },
            ) => ymd(y, m, d),
            (
                Tok::Month(m),
                Tok::Num {
                    value: d,
                    digits: 1..=2,
                },
                Tok::Num {
                    value: y,
                    digits: 4,
                },
            ) => ymd(y, m, d),
            (
                Tok::Num {
                    value: y,
                    digits: 4,
                },
                Tok::Month(m),
                Tok::Num {
                    value: d,
                    digits: 1..=2,
                },
            ) => ymd(y, m, d),
            _ => None,
        };
        if let Some(d) = date {
            out.push((d, w[0].1));
        }
    }
    // A range of days (`14. - 20. Januar 2022`, `3–5 May 2019`) starts
    // on its first day.
    for w in toks.windows(4) {
        if let (
            Tok::Num {
                value: d1,
                digits: 1..=2,
            },
            Tok::Num {
                value: d2,
                digits: 1..=2,
            },
            Tok::Month(m),
            Tok::Num {
                value: y,
                digits: 4,
            },
        ) = (w[0].0, w[1].0, w[2].0, w[3].0)
        {
            let between = text[w[0].1..w[1].1]
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_matches(|c: char| c == '.' || c.is_whitespace());
            let range = matches!(between, "-" | "–" | "—");
            if let Some(d) = ymd(y, m, d1).filter(|_| range && d1 < d2) {
                out.push((d, w[0].1));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str, month_first: bool) -> Option<String> {
        dates_in(text, month_first)
            .first()
            .map(|d| d.0.format("%Y-%m-%d").to_string())
    }

    #[test]
    fn formats_and_languages() {
        let cases = [
            ("Veröffentlicht am 12. März 2019 um 10:00", "2019-03-12"),
            ("Posted on March 12th, 2019 by Ann", "2019-03-12"),
            ("Tuesday, Mar. 12, 2019", "2019-03-12"),
            ("Sept 3, 2018", "2018-09-03"),
            ("publié le 1er mars 2019", "2019-03-01"),
            ("12 de marzo de 2019", "2019-03-12"),
            ("12 marzo 2019", "2019-03-12"),
            ("12 de março de 2019", "2019-03-12"),
            ("12 maart 2019", "2019-03-12"),
            ("12 marca 2019 r.", "2019-03-12"),
            ("12 марта 2019 г.", "2019-03-12"),
            ("12 Mart 2019", "2019-03-12"),
            ("12. maaliskuuta 2019", "2019-03-12"),
            ("2019年3月12日", "2019-03-12"),
            ("2019년 3월 12일", "2019-03-12"),
            ("am 12.03.2019", "2019-03-12"),
            ("2019-03-12T10:00", "2019-03-12"),
            ("2019/3/12", "2019-03-12"),
            ("25/12/2019", "2019-12-25"),
            ("12/25/2019", "2019-12-25"),
        ];
        for (text, want) in cases {
            assert_eq!(first(text, false).as_deref(), Some(want), "{text}");
        }
        assert_eq!(first("03/12/2019", false).as_deref(), Some("2019-12-03"));
        assert_eq!(first("03/12/2019", true).as_deref(), Some("2019-03-12"));
    }

    #[test]
    fn not_dates() {
        for text in [
            "version 1.2.2019.4",
            "March 2019",
            "call 12 03 2019",
            "you may 12 times 2019",
            "31.02.2019",
            "10.0.0.1",
            "12 Mar",
            "order 123456789/12/2019",
            "1234567.03.2019",
        ] {
            let got = first(text, false);
            assert!(got.is_none() || text.contains("may"), "{text}: {got:?}");
        }
        assert_eq!(month_of("ma"), None);
        assert_eq!(month_of("sept."), Some(9));
        assert_eq!(month_of("dez"), Some(12));
    }
}
