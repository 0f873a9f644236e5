//! Writing articles: an event's facts, a provider's style, and the templates.

use std::fmt::Write as _;

use crate::rng::Rng;
use crate::templates::{synonyms, GENERAL, KINDS, KITS, LOCAL_ANGLES, QUOTES};
use crate::vocab::*;

/// Everything that is true about one event: what every article about it
/// agrees on, whoever writes it.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    pub area: usize,
    pub kind: usize,
    pub co: String,
    pub co2: String,
    pub inv: String,
    pub person: String,
    pub role: &'static str,
    pub analyst: String,
    pub afirm: String,
    pub place: &'static str,
    pub place2: &'static str,
    pub product: String,
    pub univ: String,
    pub reg: &'static str,
    pub series: &'static str,
    /// Money in tenths of a million (425 = 42.5 million).
    pub money: u64,
    pub money2: u64,
    /// Percentages in tenths (325 = 32.5%).
    pub pct: u32,
    pub pct2: u32,
    pub count: u64,
    pub hours: u32,
    pub month: usize,
    pub day: u32,
    pub quarter: usize,
    pub year: i32,
    pub weekday: usize,
    pub age: u32,
    pub years: u32,
    pub subject: &'static str,
    pub finding: &'static str,
    pub tech: &'static str,
}

/// The few companies that dominate an area: distinct events on one beat
/// often involve the same big names, so names alone cannot tell stories apart.
pub(crate) fn majors(seed: u64, area: usize) -> Vec<String> {
    let mut rng = Rng::derive(seed, 0xA4EA, area as u64);
    let a = &AREAS[area];
    (0..5)
        .map(|_| format!("{} {}", rng.word(COMPANY_HEADS), rng.word(a.tail)))
        .collect()
}

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.word(FIRST_NAMES), rng.word(LAST_NAMES))
}

impl Facts {
    /// Draws an event. `day` is the event's calendar date (year, month 1-12,
    /// day, weekday 0 = Monday) so that weekdays and dates in text agree with it.
    pub(crate) fn new(
        rng: &mut Rng,
        area: usize,
        majors: &[String],
        day: (i32, u32, u32, usize),
    ) -> Facts {
        let a = &AREAS[area];
        let kind = rng.below(KINDS);
        let company = |rng: &mut Rng| format!("{} {}", rng.word(COMPANY_HEADS), rng.word(a.tail));
        let co = if rng.chance(0.45) && !majors.is_empty() {
            rng.pick(majors).clone()
        } else {
            company(rng)
        };
        let mut co2 = company(rng);
        if co2 == co {
            co2 = format!("{} {}", rng.word(COMPANY_HEADS), rng.word(INVESTOR_TAILS));
        }
        let inv = format!("{} {}", rng.word(COMPANY_HEADS), rng.word(INVESTOR_TAILS));
        let place = rng.word(PLACES);
        let mut place2 = rng.word(PLACES);
        if place2 == place {
            place2 =
                PLACES[(PLACES.iter().position(|p| *p == place).unwrap_or(0) + 1) % PLACES.len()];
        }
        let univ = match rng.below(3) {
            0 => format!("the University of {place}"),
            1 => format!("the {place} Institute of Technology"),
            _ => format!("{} University", rng.word(LAST_NAMES)),
        };
        // Money spans four orders of magnitude, as real deal sizes do.
        let scale = [10u64, 100, 1000, 10000][rng.below(4)];
        let money = scale + rng.range(0, scale * 9) / 5 * 5;
        let money2 = money * rng.range(3, 12);
        let pct = rng.range(20, 900) as u32;
        let pct2 = rng.range(10, 450) as u32;
        let count = match rng.below(3) {
            0 => rng.range(12, 950),
            1 => rng.range(1_000, 95_000) / 10 * 10,
            _ => rng.range(100_000, 9_000_000) / 1000 * 1000,
        };
        let (year, month, d, weekday) = day;
        // A date in the event's future: deadlines, availability, restoration.
        let ahead = rng.range(1, 120) as u32;
        let mut m = month as usize - 1;
        let mut dd = d + ahead;
        let mut y = year;
        while dd > 28 {
            dd -= 28;
            m += 1;
            if m == 12 {
                m = 0;
                y += 1;
            }
        }
        let quarter = rng.below(4);
        Facts {
            area,
            kind,
            co,
            co2,
            inv,
            person: person(rng),
            role: rng.word(ROLES),
            analyst: person(rng),
            afirm: format!(
                "{} {}",
                rng.word(COMPANY_HEADS),
                rng.word(&["Research", "Insights", "Advisory", "Analytics Group"])
            ),
            place,
            place2,
            product: format!("{} {}", rng.word(COMPANY_HEADS), rng.word(a.product)),
            univ,
            reg: rng.word(REGULATORS),
            series: rng.word(SERIES),
            money,
            money2,
            pct,
            pct2,
            count,
            hours: rng.range(2, 30) as u32,
            month: m,
            day: dd,
            quarter,
            year: y.max(year),
            weekday,
            age: rng.range(2, 15) as u32,
            years: rng.range(2, 9) as u32,
            subject: rng.word(a.subject),
            finding: rng.word(a.finding),
            tech: rng.word(a.tech),
        }
    }

    /// A later development of the same story: the same actors (companies,
    /// person, place) in an event of another kind, with new figures.
    pub(crate) fn development(&self, rng: &mut Rng) -> Facts {
        let mut f = self.clone();
        f.kind = (self.kind + 1 + rng.below(KINDS - 1)) % KINDS;
        f.money = self.money * rng.range(2, 5) / 2 + 5;
        f.pct = rng.range(20, 900) as u32;
        f.count = self.count / 2 + rng.range(10, 900);
        f
    }

    fn last(&self) -> &str {
        self.person.rsplit(' ').next().unwrap_or(&self.person)
    }
}

/// How one outlet writes: the habits that make its copy recognisably its own.
#[derive(Debug, Clone)]
pub(crate) struct Style {
    pub title_case: bool,
    pub money: u8,
    pub pct: u8,
    pub commas: bool,
    pub day_first: bool,
    pub quarter_short: bool,
    pub curly: bool,
    /// How many context sentences the outlet adds: its article length.
    pub min_context: u8,
    pub max_context: u8,
    pub context_early: bool,
    pub excerpt: u8,
}

impl Style {
    pub(crate) fn new(rng: &mut Rng, agency: bool) -> Style {
        let min_context = if agency { 6 } else { rng.range(0, 3) as u8 };
        Style {
            title_case: rng.chance(0.45),
            money: rng.below(4) as u8,
            pct: rng.below(3) as u8,
            commas: rng.chance(0.85),
            day_first: rng.chance(0.3),
            quarter_short: rng.chance(0.4),
            curly: rng.chance(0.5),
            min_context,
            max_context: min_context + if agency { 2 } else { rng.range(1, 4) as u8 },
            context_early: rng.chance(0.5),
            excerpt: rng.below(3) as u8,
        }
    }
}

/// An article's words.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    pub title: String,
    pub excerpt: String,
    /// Paragraphs separated by a blank line.
    pub body: String,
}

struct Ctx<'a> {
    f: &'a Facts,
    s: &'a Style,
}

fn tenths(out: &mut String, v: u64) {
    let _ = write!(out, "{}", v / 10);
    if !v.is_multiple_of(10) {
        let _ = write!(out, ".{}", v % 10);
    }
}

pub(crate) fn money(out: &mut String, tenths_of_million: u64, style: u8) {
    let (v, big) = if tenths_of_million >= 10_000 {
        (tenths_of_million / 1000, true)
    } else {
        (tenths_of_million, false)
    };
    out.push_str(if style == 2 { "US$" } else { "$" });
    tenths(out, v);
    out.push_str(match (style, big) {
        (1, false) => "M",
        (1, true) => "B",
        (3, false) => "m",
        (3, true) => "bn",
        (_, false) => " million",
        (_, true) => " billion",
    });
}

fn percent(out: &mut String, v: u32, style: u8) {
    tenths(out, u64::from(v));
    out.push_str(match style {
        0 => "%",
        1 => " per cent",
        _ => " percent",
    });
}

fn count(out: &mut String, v: u64, commas: bool) {
    let digits = v.to_string();
    if !commas || digits.len() <= 4 {
        out.push_str(&digits);
        return;
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
}

/// Renders `tpl` into `out`, filling placeholders.
fn render(out: &mut String, tpl: &str, cx: &Ctx, rng: &mut Rng) {
    // A byte loop: templates are short, so this beats `str::find` calls.
    let bytes = tpl.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' {
            if let Some(len) = bytes[i + 1..].iter().position(|&b| b == b'}') {
                out.push_str(&tpl[from..i]);
                put(out, &tpl[i + 1..i + 1 + len], cx, rng);
                i += len + 2;
                from = i;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&tpl[from..]);
}

fn put(out: &mut String, name: &str, cx: &Ctx, rng: &mut Rng) {
    let f = cx.f;
    let s = cx.s;
    let area = &AREAS[f.area];
    match name {
        "co" => out.push_str(&f.co),
        "co2" => out.push_str(&f.co2),
        "inv" => out.push_str(&f.inv),
        "person" => out.push_str(&f.person),
        "last" => out.push_str(f.last()),
        "role" => out.push_str(f.role),
        "analyst" => out.push_str(&f.analyst),
        "afirm" => out.push_str(&f.afirm),
        "place" => out.push_str(f.place),
        "place2" => out.push_str(f.place2),
        "product" => out.push_str(&f.product),
        "univ" => out.push_str(&f.univ),
        "reg" => out.push_str(f.reg),
        "series" => out.push_str(f.series),
        "money" => money(out, f.money, s.money),
        "money2" => money(out, f.money2, s.money),
        "pct" => percent(out, f.pct, s.pct),
        "pct2" => percent(out, f.pct2, s.pct),
        "count" => count(out, f.count, s.commas),
        "hours" => {
            let _ = write!(out, "{}", f.hours);
        }
        "date" => {
            if s.day_first {
                let _ = write!(out, "{} {}", f.day, MONTHS[f.month]);
            } else {
                let _ = write!(out, "{} {}", MONTHS[f.month], f.day);
            }
        }
        "quarter" => {
            if s.quarter_short {
                let _ = write!(out, "Q{}", f.quarter + 1);
            } else {
                let _ = write!(out, "the {} quarter", ORDINALS[f.quarter]);
            }
        }
        "year" => {
            let _ = write!(out, "{}", f.year);
        }
        "weekday" => out.push_str(WEEKDAYS[f.weekday]),
        "age" => {
            let _ = write!(out, "{}", f.age);
        }
        "years" => {
            let _ = write!(out, "{}", f.years);
        }
        "subject" => out.push_str(f.subject),
        "finding" => render(out, f.finding, cx, rng),
        "tech" => out.push_str(f.tech),
        "thing" => out.push_str(rng.word(area.thing)),
        "things" => out.push_str(rng.word(area.things)),
        other => match synonyms(other) {
            Some(words) => out.push_str(rng.word(words)),
            None => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        },
    }
}

/// Upper-cases the first character of `s` from byte `from` on.
fn capitalize_at(s: &mut str, from: usize) {
    if let Some(c) = s[from..].chars().next() {
        if c.is_ascii_lowercase() {
            s[from..from + 1].make_ascii_uppercase();
        }
    }
}

fn sentence(out: &mut String, tpl: &str, cx: &Ctx, rng: &mut Rng) {
    let at = out.len();
    render(out, tpl, cx, rng);
    capitalize_at(out, at);
}

const SMALL: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "for", "to", "and", "at", "by", "with", "as", "from",
    "per", "or",
];

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, w) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let at = out.len();
        out.push_str(w);
        if i == 0 || !SMALL.contains(&w) {
            capitalize_at(&mut out, at);
        }
    }
    out
}

/// A headline for the event in the provider's manner.
pub(crate) fn headline(f: &Facts, s: &Style, rng: &mut Rng) -> String {
    let cx = Ctx { f, s };
    let mut t = String::with_capacity(96);
    sentence(&mut t, rng.word(KITS[f.kind].titles), &cx, rng);
    if s.title_case {
        title_case(&t)
    } else {
        t
    }
}

fn quote(out: &mut String, cx: &Ctx, rng: &mut Rng) {
    let (open, close) = if cx.s.curly {
        ('\u{201c}', '\u{201d}')
    } else {
        ('"', '"')
    };
    out.push(open);
    sentence(out, rng.word(QUOTES), cx, rng);
    out.push(',');
    out.push(close);
    match rng.below(3) {
        0 => {
            let _ = write!(out, " said {}, {} of {}.", cx.f.person, cx.f.role, cx.f.co);
        }
        1 => {
            let _ = write!(out, " {} said.", cx.f.last());
        }
        _ => {
            let _ = write!(out, " said {}.", cx.f.person);
        }
    }
}

/// How an article opens and whose copy it is.
pub(crate) enum Voice<'a> {
    /// An outlet's own report.
    Own,
    /// A news agency's report, opening with its dateline.
    Agency(&'a str),
    /// A rolling page under a generic title.
    Live(&'a str),
}

/// Writes one article about `f` in style `s`.
pub(crate) fn compose(f: &Facts, s: &Style, rng: &mut Rng, voice: Voice) -> Text {
    let cx = Ctx { f, s };
    let kit = &KITS[f.kind];
    let area = &AREAS[f.area];
    // All sentences go into one buffer; spans mark them. Far fewer
    // allocations than a String per sentence.
    let mut buf = String::with_capacity(1600);
    let span = |buf: &mut String, from: usize| (from, buf.len());
    let at = buf.len();
    if let Voice::Agency(agency) = voice {
        let _ = write!(buf, "{} ({agency}) \u{2014} ", f.place.to_ascii_uppercase());
    }
    sentence(&mut buf, rng.word(kit.leads), &cx, rng);
    let lead = span(&mut buf, at);

    let mut order = [0usize, 1, 2, 3, 4, 5, 6, 7];
    let order = &mut order[..kit.facts.len().min(8)];
    rng.shuffle(order);
    let keep = if matches!(voice, Voice::Agency(_)) {
        order.len()
    } else {
        2 + rng.below(order.len() - 1)
    };
    let mut facts = [(0usize, 0usize); 8];
    let n_facts = keep.min(order.len());
    for (k, &i) in order[..n_facts].iter().enumerate() {
        let at = buf.len();
        sentence(&mut buf, rng.word(kit.facts[i]), &cx, rng);
        facts[k] = span(&mut buf, at);
    }
    let n_context = rng.range(u64::from(s.min_context), u64::from(s.max_context)) as usize;
    let mut context = [(0usize, 0usize); 8];
    let mut n_ctx = 0;
    let mut used: [&str; 8] = [""; 8];
    // A few extra draws make up for repeats, which are skipped.
    for _ in 0..n_context.min(8) * 2 {
        if n_ctx == n_context.min(8) {
            break;
        }
        // Area sentences dominate; a general one now and then.
        let tpl = if rng.chance(0.8) {
            rng.word(area.background)
        } else {
            rng.word(GENERAL)
        };
        if used[..n_ctx].contains(&tpl) {
            continue;
        }
        used[n_ctx] = tpl;
        let at = buf.len();
        sentence(&mut buf, tpl, &cx, rng);
        context[n_ctx] = span(&mut buf, at);
        n_ctx += 1;
    }
    let mut q = None;
    if rng.chance(0.75) {
        let at = buf.len();
        quote(&mut buf, &cx, rng);
        q = Some(span(&mut buf, at));
    }
    let mut closer = None;
    if rng.chance(0.7) {
        let at = buf.len();
        sentence(&mut buf, rng.word(kit.closers), &cx, rng);
        closer = Some(span(&mut buf, at));
    }
    let split = n_facts.min(if s.context_early { 1 } else { 2 });
    let mut sentences: Vec<(usize, usize)> = Vec::with_capacity(24);
    sentences.push(lead);
    sentences.extend_from_slice(&facts[..split]);
    if s.context_early {
        sentences.extend_from_slice(&context[..n_ctx]);
    }
    sentences.extend(q);
    sentences.extend_from_slice(&facts[split..n_facts]);
    if !s.context_early {
        sentences.extend_from_slice(&context[..n_ctx]);
    }
    sentences.extend(closer);

    let title = match voice {
        Voice::Live(t) => t.to_string(),
        _ => headline(f, s, rng),
    };
    let mut body = String::with_capacity(buf.len() + 2 * sentences.len() + 80);
    if let Voice::Live(_) = voice {
        body.push_str("Here is what we know so far.\n\n");
    }
    // Paragraphs of one to three sentences; the lead stands alone.
    let mut i = 0;
    while i < sentences.len() {
        let take = if i == 0 { 1 } else { 1 + rng.below(3) };
        if i > 0 {
            body.push_str("\n\n");
        }
        for (k, &(a, b)) in sentences[i..(i + take).min(sentences.len())]
            .iter()
            .enumerate()
        {
            if k > 0 {
                body.push(' ');
            }
            body.push_str(&buf[a..b]);
        }
        i += take;
    }
    if let Voice::Live(_) = voice {
        body.push_str("\n\nThis page will be updated as more details emerge.");
    }
    let excerpt = excerpt(f, s, rng, &body);
    Text {
        title,
        excerpt,
        body,
    }
}

fn excerpt(f: &Facts, s: &Style, rng: &mut Rng, body: &str) -> String {
    let first = body
        .split("\n\n")
        .find(|p| !p.starts_with("Here is what"))
        .unwrap_or(body);
    match s.excerpt {
        0 => first.to_string(),
        1 => {
            if first.len() <= 180 {
                return first.to_string();
            }
            let cut = first[..180].rfind(' ').unwrap_or(180);
            format!("{}...", &first[..cut])
        }
        _ => {
            let plain = Style {
                title_case: false,
                ..s.clone()
            };
            let mut dek = headline(f, &plain, rng);
            dek.push('.');
            dek
        }
    }
}

/// A republished agency story: new headline, a sentence dropped or a local
/// angle added, sometimes without the dateline — the small edits real wire
/// pickups make.
pub(crate) fn wire_edit(base: &Text, f: &Facts, s: &Style, rng: &mut Rng) -> Text {
    let title = if rng.chance(0.7) {
        headline(f, s, rng)
    } else {
        base.title.clone()
    };
    let mut paras: Vec<String> = base.body.split("\n\n").map(str::to_string).collect();
    if rng.chance(0.3) {
        if let Some(dash) = paras[0].find(" \u{2014} ") {
            paras[0] = paras[0][dash + " \u{2014} ".len()..].to_string();
        }
    }
    if rng.chance(0.5) && paras.len() > 3 {
        // Drop the last sentence of a middle paragraph (never the lead).
        let p = 1 + rng.below(paras.len() - 2);
        match paras[p].rfind(". ") {
            Some(cut) => paras[p].truncate(cut + 1),
            None => {
                paras.remove(p);
            }
        }
    } else {
        let cx = Ctx { f, s };
        let mut t = String::new();
        sentence(&mut t, rng.word(LOCAL_ANGLES), &cx, rng);
        paras.push(t);
    }
    let body = paras.join("\n\n");
    let excerpt = excerpt(f, s, rng, &body);
    Text {
        title,
        excerpt,
        body,
    }
}

/// The same story again, days later: unchanged words, sometimes a note
/// (not on an already edited wire copy, which must stay close to the agency
/// text it duplicates).
pub(crate) fn repost_edit(base: &Text, rng: &mut Rng, first: &str, note: bool) -> Text {
    let mut t = base.clone();
    if rng.chance(0.4) && note {
        let _ = write!(t.body, "\n\nThis story was first published on {first}.");
    }
    t
}

/// A corrected version: a figure fixed, and a note saying so.
pub(crate) fn correction_edit(base: &Text, f: &Facts, s: &Style) -> Text {
    let mut wrong = String::new();
    money(&mut wrong, f.money, s.money);
    let mut t = base.clone();
    if t.body.contains(&wrong) {
        let mut right = String::new();
        money(&mut right, f.money + f.money / 10 + 5, s.money);
        t.body = t.body.replace(&wrong, &right);
        t.title = t.title.replace(&wrong, &right);
        t.excerpt = t.excerpt.replace(&wrong, &right);
        t.body.push_str(
            "\n\nCorrection: An earlier version of this article gave an incorrect amount.",
        );
    } else {
        let _ = write!(
            t.body,
            "\n\nCorrection: An earlier version of this article misstated the title of {}.",
            f.person
        );
    }
    t
}

/// A headline cut short, as feeds and aggregators show them: its first
/// half (three words at least), without a dangling small word or a
/// trailing mark.
pub(crate) fn shorten(title: &str) -> String {
    let words: Vec<&str> = title.split(' ').collect();
    let mut keep = words.len().div_ceil(2).max(3).min(words.len());
    while keep > 3 && SMALL.contains(&words[keep - 1].to_ascii_lowercase().as_str()) {
        keep -= 1;
    }
    words[..keep]
        .join(" ")
        .trim_end_matches([',', ':', ';', '-'])
        .to_string()
}

/// The URL slug of a title: lower-case words joined by hyphens.
pub(crate) fn slug(title: &str) -> String {
    let mut out = String::with_capacity(64);
    let mut words = 0;
    let mut in_word = false;
    for b in title.bytes() {
        if b.is_ascii_alphanumeric() {
            if !in_word {
                if words == 9 {
                    break;
                }
                if words > 0 {
                    out.push('-');
                }
                words += 1;
                in_word = true;
            }
            out.push(b.to_ascii_lowercase() as char);
        } else {
            in_word = false;
        }
    }
    if out.is_empty() {
        out.push_str("story");
    }
    out
}
