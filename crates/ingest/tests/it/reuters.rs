//! The Reuters-21578 reader against the real distribution and against small
//! hand-written SGML.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use newsdesk_ingest::reuters::{parse_sgml, ModApte, ReutersError, ReutersStory};

fn corpus_files() -> Option<Vec<PathBuf>> {
    let dir = newsdesk_testkit::shared("data/reuters-21578")?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sgm"))
        .collect();
    files.sort();
    Some(files)
}

/// All stories of the distribution, checking on the way that no file had problems.
fn all_stories() -> Option<Vec<ReutersStory>> {
    let files = corpus_files()?;
    assert_eq!(files.len(), 22, "the distribution has 22 .sgm files");
    let mut stories = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let batch = parse_sgml(&bytes, &name).unwrap();
        assert!(
            batch.problems.is_empty(),
            "{name}: {:?}",
            &batch.problems[..batch.problems.len().min(5)]
        );
        let expected = if name == "reut2-021.sgm" { 578 } else { 1000 };
        assert_eq!(batch.stories.len(), expected, "{name}");
        stories.extend(batch.stories);
    }
    Some(stories)
}

fn by_id(stories: &[ReutersStory], id: u32) -> &ReutersStory {
    stories
        .iter()
        .find(|s| s.new_id == id)
        .unwrap_or_else(|| panic!("NEWID {id} missing"))
}

#[test]
fn whole_collection_reads_cleanly() {
    let Some(stories) = all_stories() else { return };
    assert_eq!(stories.len(), 21_578);

    let ids: HashSet<u32> = stories.iter().map(|s| s.new_id).collect();
    assert_eq!(ids.len(), 21_578, "NEWIDs repeat");
    assert!((1..=21_578).all(|id| ids.contains(&id)));

    // README section VI.B: TEXT is typed
    // NORM (19,043 with a BODY), BRIEF or UNPROC.
    // NEWID 17192 has `31-MAR-1987 605:12:19.12`: no hour 605, so no date.
    let undated: Vec<u32> = stories
        .iter()
        .filter(|s| s.date.is_none())
        .map(|s| s.new_id)
        .collect();
    assert_eq!(undated, [17_192]);
    let count = |t: Option<&str>| {
        stories
            .iter()
            .filter(|s| s.text_type.as_deref() == t)
            .count()
    };
    assert_eq!(count(None), 19_043);
    assert_eq!(count(Some("BRIEF")), 1_798);
    assert_eq!(count(Some("UNPROC")), 737);
    // Every normal story has a body; the source has 20,841 TITLE elements.
    assert!(stories
        .iter()
        .filter(|s| s.text_type.is_none())
        .all(|s| s.body.is_some()));
    assert_eq!(stories.iter().filter(|s| s.title.is_some()).count(), 20_841);
    // NEWID 12793 is the one UNPROC story whose text is only control codes.
    let unproc_without_text: Vec<u32> = stories
        .iter()
        .filter(|s| s.text_type.as_deref() == Some("UNPROC") && s.body.is_none())
        .map(|s| s.new_id)
        .collect();
    assert_eq!(unproc_without_text, [12_793]);

    // No wire control characters or sign-offs survive.
    for s in &stories {
        let body = s.body.as_deref().unwrap_or("");
        assert!(
            !body
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "NEWID {} has control characters",
            s.new_id
        );
        assert!(
            !body.contains("&lt;") && !body.contains("&#"),
            "NEWID {}",
            s.new_id
        );
        let last = body.lines().last().unwrap_or("").trim();
        assert!(
            !last.eq_ignore_ascii_case("reuter"),
            "NEWID {} keeps its sign-off",
            s.new_id
        );
    }
}

#[test]
fn modapte_split_matches_the_readme() {
    let Some(stories) = all_stories() else { return };
    // README VIII.B: Training Set (9,603 docs), Test Set (3,299 docs),
    // Unused (8,676 docs).
    let train: Vec<&ReutersStory> = stories
        .iter()
        .filter(|s| s.modapte() == Some(ModApte::Train))
        .collect();
    let test: Vec<&ReutersStory> = stories
        .iter()
        .filter(|s| s.modapte() == Some(ModApte::Test))
        .collect();
    assert_eq!(train.len(), 9_603);
    assert_eq!(test.len(), 3_299);
    assert_eq!(stories.len() - train.len() - test.len(), 8_676);
    // The same split straight from the attributes.
    let by_attrs = |split: &str| {
        stories
            .iter()
            .filter(|s| s.lewis_split == split && s.has_topics == Some(true))
            .count()
    };
    assert_eq!(by_attrs("TRAIN"), 9_603);
    assert_eq!(by_attrs("TEST"), 3_299);

    // The "90 categories" are the topics with at least one train and one
    // test story; the usual evaluation uses the stories carrying one of them.
    let mut per_topic: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for s in &train {
        for t in s.topics.iter().collect::<HashSet<_>>() {
            per_topic.entry(t).or_default().0 += 1;
        }
    }
    for s in &test {
        for t in s.topics.iter().collect::<HashSet<_>>() {
            per_topic.entry(t).or_default().1 += 1;
        }
    }
    let ninety: HashSet<&str> = per_topic
        .iter()
        .filter(|(_, &(tr, te))| tr > 0 && te > 0)
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(ninety.len(), 90);
    assert!(ninety.contains("earn") && ninety.contains("acq") && ninety.contains("cocoa"));
    let carrying = |docs: &[&ReutersStory]| {
        docs.iter()
            .filter(|s| s.topics.iter().any(|t| ninety.contains(t.as_str())))
            .count()
    };
    // 7,770 here; some papers say 7,769 after dropping one duplicate.
    assert_eq!(carrying(&train), 7_770);
    assert_eq!(carrying(&test), 3_019);
    // The largest categories as commonly reported for ModApte.
    assert_eq!(per_topic["earn"], (2_877, 1_087));
    assert_eq!(per_topic["acq"], (1_650, 719));
}

#[test]
fn specific_stories_read_as_in_the_file() {
    let Some(files) = corpus_files() else { return };
    let first = std::fs::read(&files[0]).unwrap();
    let batch = parse_sgml(&first, "reut2-000.sgm").unwrap();
    let stories = &batch.stories;

    let s = by_id(stories, 1);
    assert_eq!(s.old_id, Some(5544));
    assert_eq!(s.lewis_split, "TRAIN");
    assert_eq!(s.cgi_split, "TRAINING-SET");
    assert_eq!(s.has_topics, Some(true));
    assert_eq!(s.date.unwrap().to_rfc3339(), "1987-02-26T15:01:01+00:00");
    assert_eq!(s.title.as_deref(), Some("BAHIA COCOA REVIEW"));
    assert_eq!(s.dateline.as_deref(), Some("SALVADOR, Feb 26"));
    assert_eq!(s.topics, ["cocoa"]);
    assert_eq!(s.places, ["el-salvador", "usa", "uruguay"]);
    assert!(s.people.is_empty() && s.orgs.is_empty() && s.exchanges.is_empty());
    assert_eq!(s.text_type, None);
    assert_eq!(s.author, None);
    let body = s.body.as_deref().unwrap();
    assert!(body.starts_with(
        "Showers continued throughout the week in the Bahia cocoa zone, alleviating the \
         drought since early January and improving prospects for the coming temporao, \
         although normal humidity levels have not been restored, Comissaria Smith said in \
         its weekly review.\n\nThe dry period means the temporao will be late this year.\n\n\
         Arrivals for the week ended February 22 were 155,221 bags of 60 kilos"
    ));
    assert!(body.ends_with(
        "Final figures for the period to February 28 are expected to be published by the \
         Brazilian Cocoa Trade Commission after carnival which ends midday on February 27."
    ));
    assert_eq!(
        body.matches("\n\n").count(),
        16,
        "17 paragraphs in the source"
    );
    let unknown = s.unknown.as_deref().unwrap();
    assert!(unknown.contains("BC-BAHIA-COCOA-REVIEW"), "{unknown:?}");

    // An entity in the title, and an author.
    let s = by_id(stories, 4);
    assert_eq!(
        s.title.as_deref(),
        Some("TALKING POINT/BANKAMERICA <BAC> EQUITY OFFER")
    );
    assert_eq!(s.author.as_deref(), Some("by Janie Gabbett, Reuters"));
    assert_eq!(s.dateline.as_deref(), Some("LOS ANGELES, Feb 26"));
    assert_eq!(s.places, ["usa", "brazil"]);
    assert!(s.topics.is_empty());
    assert_eq!(s.has_topics, Some(false));

    // A brief: the title is all there is.
    let s = by_id(stories, 30);
    assert_eq!(s.text_type.as_deref(), Some("BRIEF"));
    assert_eq!(
        s.title.as_deref(),
        Some("ASSETS OF MONEY MARKET MUTUAL FUNDS ROSE 720.4 MLN DLRS IN LATEST WEEK")
    );
    assert_eq!(s.body, None);

    // An unprocessed table keeps its layout.
    let s = by_id(stories, 99);
    assert_eq!(s.text_type.as_deref(), Some("UNPROC"));
    assert_eq!(s.title, None);
    let body = s.body.as_deref().unwrap();
    assert!(body.starts_with(
        "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26\n    Two weeks ended Feb 25      daily avgs-mlns\n Net free reserves.............644 vs.....1,337\n"
    ));
    assert!(body.ends_with(" Treasury deposits...........4,208 down......63"));

    // The last story of the collection.
    let last = std::fs::read(&files[21]).unwrap();
    let batch = parse_sgml(&last, "reut2-021.sgm").unwrap();
    let s = batch.stories.last().unwrap();
    assert_eq!(s.new_id, 21_578);
    assert_eq!(s.lewis_split, "TEST");
    assert_eq!(s.exchanges, ["amex"]);
    assert_eq!(s.date.unwrap().to_rfc3339(), "1987-10-19T13:30:41+00:00");
    assert_eq!(
        s.title.as_deref(),
        Some("AMERICAN EXCHANGE INTRODUCES INSTITUTIONAL INDEX")
    );
    assert!(s
        .body
        .as_deref()
        .unwrap()
        .starts_with("The American Stock Exchange said it has introduced options"));

    // The one non-ASCII byte of the collection (0xFC) is read as Windows-1252.
    let f17 = std::fs::read(&files[17]).unwrap();
    let batch = parse_sgml(&f17, "reut2-017.sgm").unwrap();
    let s = by_id(&batch.stories, 17_980);
    assert!(s
        .body
        .as_deref()
        .unwrap()
        .contains("lasting world economic growth.\u{fc}side measures"));
}

#[test]
fn truncated_real_file_keeps_complete_stories() {
    let Some(files) = corpus_files() else { return };
    let bytes = std::fs::read(&files[0]).unwrap();
    // Cut inside the body of NEWID 500.
    let start = find(&bytes, b"NEWID=\"500\"").unwrap();
    let cut = start + find(&bytes[start..], b"<BODY>").unwrap() + 40;
    let batch = parse_sgml(&bytes[..cut], "cut.sgm").unwrap();
    assert_eq!(batch.stories.len(), 499);
    assert_eq!(batch.stories.last().unwrap().new_id, 499);
    assert_eq!(batch.problems.len(), 1);
    let p = &batch.problems[0];
    assert_eq!(p.new_id, Some(500));
    assert_eq!(&bytes[p.offset..p.offset + 8], b"<REUTERS");
    let line = bytes[..p.offset].iter().filter(|&&b| b == b'\n').count() + 1;
    assert_eq!(p.line, line);
    assert!(p.reason.contains("cut off"), "{}", p.reason);
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

const STORY_1: &str = r#"<REUTERS TOPICS="YES" LEWISSPLIT="TEST" CGISPLIT="PUBLISHED-TESTSET" OLDID="17" NEWID="7">
<DATE> 3-MAR-1987  09:15:05.40</DATE>
<TOPICS><D>grain</D><D>wheat</D></TOPICS>
<PLACES><D>usa</D></PLACES>
<PEOPLE></PEOPLE>
<ORGS><D>ec</D></ORGS>
<EXCHANGES></EXCHANGES>
<COMPANIES></COMPANIES>
<UNKNOWN> &#5;&#5;&#5;C
&#22;&#22;&#1;f0704&#31;reute</UNKNOWN>
<TEXT>&#2;
<TITLE>SMITH &amp; SONS BUYS &lt;ACME&gt; UNIT</TITLE>
<DATELINE>    CHICAGO, March 3 - </DATELINE><BODY>Smith &amp; Sons said it bought
&lt;Acme Corp&gt;'s grain unit for 1.5 mln dlrs.
    The deal&#31; closes in April,
it said.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
"#;

#[test]
fn entities_and_control_characters() {
    let input = format!("<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n{STORY_1}");
    let batch = parse_sgml(input.as_bytes(), "one.sgm").unwrap();
    assert!(batch.problems.is_empty(), "{:?}", batch.problems);
    let [s] = batch.stories.as_slice() else {
        panic!("{:?}", batch.stories)
    };
    assert_eq!(s.new_id, 7);
    assert_eq!(s.old_id, Some(17));
    assert_eq!(s.modapte(), Some(ModApte::Test));
    assert_eq!(s.date.unwrap().to_rfc3339(), "1987-03-03T09:15:05+00:00");
    assert_eq!(s.title.as_deref(), Some("SMITH & SONS BUYS <ACME> UNIT"));
    assert_eq!(s.dateline.as_deref(), Some("CHICAGO, March 3"));
    assert_eq!(s.topics, ["grain", "wheat"]);
    assert_eq!(s.orgs, ["ec"]);
    assert_eq!(
        s.body.as_deref(),
        Some(
            "Smith & Sons said it bought <Acme Corp>'s grain unit for 1.5 mln dlrs.\n\n\
             The deal closes in April, it said."
        )
    );
    assert_eq!(s.unknown.as_deref(), Some("C\nf0704reute"));
}

#[test]
fn raw_control_bytes_and_stray_bytes() {
    let input = STORY_1
        .replace("&#31;", "\x1f")
        .replace("&#3;", "\x03")
        .replace("&#2;", "\x02")
        .replace("1.5 mln", "1.5\x7f mln");
    let mut bytes = input.into_bytes();
    // A Windows-1252 curly quote and a lone Latin-1 byte inside the body.
    let at = find(&bytes, b"said it").unwrap();
    bytes.splice(at..at, [0x93, b'x', 0x94, b' ', 0xE9, b' ']);
    let batch = parse_sgml(&bytes, "raw.sgm").unwrap();
    let s = &batch.stories[0];
    let body = s.body.as_deref().unwrap();
    assert!(
        body.starts_with("Smith & Sons \u{201c}x\u{201d} \u{e9} said it bought"),
        "{body:?}"
    );
    assert!(body.contains("for 1.5 mln dlrs."));
    assert!(body.ends_with("The deal closes in April, it said."));
}

#[test]
fn truncated_story_between_good_ones() {
    let second = STORY_1.replace("NEWID=\"7\"", "NEWID=\"8\"");
    let third = STORY_1.replace("NEWID=\"7\"", "NEWID=\"9\"");
    let cut = &second[..second.find("closes in").unwrap()];
    let input = format!("{STORY_1}{cut}\n{third}");
    let batch = parse_sgml(input.as_bytes(), "mid.sgm").unwrap();
    let ids: Vec<u32> = batch.stories.iter().map(|s| s.new_id).collect();
    assert_eq!(ids, [7, 9]);
    assert_eq!(batch.problems.len(), 1);
    let p = &batch.problems[0];
    assert_eq!(p.new_id, Some(8));
    assert_eq!(p.offset, STORY_1.len());
    assert_eq!(p.line, STORY_1.lines().count() + 1);
    assert!(p.to_string().contains("NEWID 8"), "{p}");

    // Cut at the end of the input, even inside the opening tag.
    for len in [10, 40, STORY_1.len() - 12, STORY_1.len() - 2] {
        let input = format!("{STORY_1}{}", &second[..len]);
        let batch = parse_sgml(input.as_bytes(), "end.sgm").unwrap();
        assert_eq!(batch.stories.len(), 1, "cut at {len}");
        assert_eq!(batch.problems.len(), 1, "cut at {len}");
        assert_eq!(batch.problems[0].offset, STORY_1.len());
    }
}

#[test]
fn bad_newid_is_a_problem_not_an_error() {
    let input = format!(
        "{}{}",
        STORY_1.replace("NEWID=\"7\"", "NEWID=\"seven\""),
        STORY_1.replace(" NEWID=\"7\"", "")
    );
    let batch = parse_sgml(input.as_bytes(), "ids.sgm").unwrap();
    assert!(batch.stories.is_empty());
    let reasons: Vec<&str> = batch.problems.iter().map(|p| p.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "NEWID=\"seven\" is not a number",
            "the <REUTERS> tag has no NEWID"
        ]
    );
}

#[test]
fn not_reuters_sgml() {
    for (input, name) in [
        (&b""[..], "empty.sgm"),
        (b"<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n", "doctype.sgm"),
        (
            b"<rss><channel><title>x</title></channel></rss>",
            "feed.xml",
        ),
        (b"<REUTERSX>not a tag</REUTERSX>", "x.sgm"),
    ] {
        let err = parse_sgml(input, name).unwrap_err();
        assert_eq!(
            err,
            ReutersError::NotReuters {
                file: name.to_owned()
            }
        );
        assert_eq!(
            err.to_string(),
            format!("{name}: not a Reuters-21578 SGML file: no <REUTERS> element found")
        );
    }
}

#[test]
fn binary_garbage_never_panics() {
    // A fixed xorshift stream, so a failure is reproducible.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let pieces: [&[u8]; 12] = [
        b"<REUTERS NEWID=\"",
        b"\">",
        b"</REUTERS>",
        b"<BODY>",
        b"</BODY>",
        b"<TEXT TYPE=\"UNPROC\">",
        b"</TEXT>",
        b"<D>",
        b"&#",
        b"<DATE>",
        b"<TOPICS>",
        b"\xff\xfe\xc3",
    ];
    for round in 0..300 {
        let mut bytes = Vec::new();
        for _ in 0..(next() % 200) {
            let r = next();
            if r % 3 == 0 {
                bytes.extend_from_slice(pieces[(r >> 8) as usize % pieces.len()]);
            } else {
                bytes.push((r >> 16) as u8);
            }
        }
        match parse_sgml(&bytes, "noise.bin") {
            Ok(batch) => {
                for p in &batch.problems {
                    assert!(p.offset <= bytes.len(), "round {round}");
                }
            }
            Err(ReutersError::NotReuters { .. }) => {}
            Err(e) => panic!("round {round}: {e}"),
        }
    }
    // Real story text cut at every byte.
    for len in 0..STORY_1.len() {
        let _ = parse_sgml(&STORY_1.as_bytes()[..len], "cut.sgm");
    }
}

#[test]
fn several_unknown_elements_and_a_note() {
    let input = STORY_1.replace(
        "<TEXT>",
        "<UNKNOWN>second</UNKNOWN>\n<MKNOTE>fixed by hand</MKNOTE>\n<TEXT>",
    );
    let batch = parse_sgml(input.as_bytes(), "u.sgm").unwrap();
    assert_eq!(
        batch.stories[0].unknown.as_deref(),
        Some("C\nf0704reute\nsecond")
    );
    assert_eq!(batch.stories[0].topics, ["grain", "wheat"]);
}
