//! Mangled documents never panic the codec, and whatever it reads it writes
//! stably: write(parse(write(parse(x)))) == write(parse(x)).

use newsdesk_model::Document;

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "\"",
    "'",
    ":",
    ": ",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
    "- ",
    "-",
    "#",
    "\\",
    "\\u00",
    "[",
    "]",
    "{",
    "|",
    ">",
    "---\n",
    "é",
    "’",
    "\r\n",
    "0000-00-00",
    "-1",
    "true",
    "yes",
    "null",
    "~",
    "&a",
    "*a",
];

fn mutate(src: &str, rng: &mut Rng) -> String {
    let mut s = src.to_string();
    for _ in 0..1 + rng.below(3) {
        let mut at = rng.below(s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        match rng.below(3) {
            0 => s.insert_str(at, PIECES[rng.below(PIECES.len())]),
            1 => {
                let mut end = (at + 1 + rng.below(8)).min(s.len());
                while !s.is_char_boundary(end) {
                    end += 1;
                }
                s.replace_range(at..end, "");
            }
            _ => {
                let mut end = (at + 1).min(s.len());
                while !s.is_char_boundary(end) {
                    end += 1;
                }
                s.replace_range(at..end, PIECES[rng.below(PIECES.len())]);
            }
        }
    }
    s
}

fn check_stable(text: &str) {
    if let Ok(doc) = Document::parse(text) {
        let once = doc.to_string_lossless();
        let again = Document::parse(&once).unwrap_or_else(|e| {
            panic!("the writer produced unreadable text ({e}) from:\n{text}\n---- wrote:\n{once}")
        });
        assert_eq!(
            again.to_string_lossless(),
            once,
            "writing is not stable for:\n{text}"
        );
        assert_eq!(
            again.article, doc.article,
            "a re-read changes the article for:\n{text}"
        );
    }
}

const OWN: &str = "---\ncategory: news\ntitle: \"A \\\"quoted\\\" title: with colon\"\nexcerpt: \"It’s fine.\"\npublishedDateTime: 2021-05-04T05:54:00Z\nwebUrl: https://x.test/a?b=1#c\ntype: article\nquality: 76\nheat: -1\npublished: false\n\nprovider:\n  name: X News\n  domain: x.test\n  images:\n    - url: /logo.png\n      width: 50\n      height: 50\n\ntopics:\n  - AI\n  - 'Machine Learning'\n\nimages:\n  - url: \"https://x.test/i.jpg\"\n    width: 700\n    height: 466\n    isCached: true\n\nrelated:\n  - title: \"R\"\n    webUrl: \"https://y.test/r\"\n    provider:\n      name: Y\n      domain: y.test\n    quality: 5\n\nsecured: \"YWJj;ZGVm\"\n---\n\n";

#[test]
fn mangled_documents_never_panic_and_write_stably() {
    let mut sources = vec![OWN.to_string()];
    if let Some(seeds) = newsdesk_testkit::shared("seeds") {
        sources.push(std::fs::read_to_string(seeds.join("000_93f67b1c04ce6a33.txt")).unwrap());
        sources.push(std::fs::read_to_string(seeds.join("001_a481c78f1bcc3ae6.txt")).unwrap());
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for src in &sources {
        check_stable(src);
        for _ in 0..1500 {
            check_stable(&mutate(src, &mut rng));
        }
    }
}
