//! Publication dates on small hand-written pages, one per rule of
//! `dates.rs`: which source wins, the original over the update, dates shown
//! in several languages, and the fetch time as the upper bound.

use chrono::{DateTime, TimeZone, Utc};
use newsdesk_extract::{extract_page, PageInfo};

const BODY: &str = "<p>The council approved the new budget on Monday evening, after a debate that lasted more than four hours.</p>\
<p>Spending on roads rises by a tenth, while the library keeps its Sunday opening for another year.</p>";

fn page(head: &str, body: &str) -> String {
    format!("<!doctype html><html><head>{head}</head><body>{body}</body></html>")
}

fn fetched() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2021, 6, 1, 12, 0, 0).unwrap()
}

/// The publication day and instant (RFC 3339) of a page.
fn dated(html: &str, url: Option<&str>) -> (Option<String>, Option<String>) {
    let info = PageInfo {
        url,
        charset: None,
        fetched: Some(fetched()),
    };
    let e = extract_page(html.as_bytes(), &info).unwrap();
    (
        e.published_day.map(|d| d.to_string()),
        e.published
            .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
    )
}

fn day(html: &str, url: Option<&str>) -> Option<String> {
    dated(html, url).0
}

#[test]
fn a_full_date_in_the_url_wins_and_takes_a_same_day_time() {
    let meta = r#"<meta property="article:published_time" content="2020-05-01T10:00:00Z">"#;
    let url = Some("https://news.example/2020/05/01/budget");
    assert_eq!(
        dated(&page(meta, BODY), url),
        (
            Some("2020-05-01".into()),
            Some("2020-05-01T10:00:00Z".into())
        )
    );
    // A different day in the page (a later re-publication) loses to the URL.
    let later = r#"<meta property="article:published_time" content="2020-05-04T10:00:00Z">"#;
    assert_eq!(
        dated(&page(later, BODY), url),
        (
            Some("2020-05-01".into()),
            Some("2020-05-01T00:00:00Z".into())
        )
    );
    assert_eq!(
        day(
            &page("", BODY),
            Some("https://news.example/a/20200501_budget.html")
        )
        .as_deref(),
        Some("2020-05-01")
    );
}

#[test]
fn the_day_is_the_one_the_page_states() {
    let meta = r#"<meta property="article:published_time" content="2020-05-01T23:30:00-05:00">"#;
    assert_eq!(
        dated(&page(meta, BODY), None),
        (
            Some("2020-05-01".into()),
            Some("2020-05-02T04:30:00Z".into())
        )
    );
}

#[test]
fn json_ld_in_graphs_nested_objects_and_broken_json() {
    let graph = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
        {"@type":"WebSite","datePublished":"2010-01-01"},
        {"@type":"WebPage","mainEntity":{"@type":"BlogPosting","datePublished":"2020-03-12T08:00:00+01:00","dateModified":"2020-04-01"}}]}</script>"#;
    assert_eq!(day(&page(graph, BODY), None).as_deref(), Some("2020-03-12"));
    let list = r#"<script type="application/ld+json">[{"@type":"Organization","name":"x"},{"@type":["NewsArticle"],"datePublished":"2020-03-13"}]</script>"#;
    assert_eq!(day(&page(list, BODY), None).as_deref(), Some("2020-03-13"));
    // A raw line break inside a string makes the JSON invalid.
    let broken = "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"a\nb\",\"datePublished\":\"2020-03-14\"}</script>";
    assert_eq!(
        day(&page(broken, BODY), None).as_deref(),
        Some("2020-03-14")
    );
}

#[test]
fn meta_conventions() {
    for (key, attr) in [
        ("citation_publication_date", "name"),
        ("sailthru.date", "name"),
        ("parsely-pub-date", "name"),
        ("dc.date.issued", "name"),
        ("datePublished", "itemprop"),
    ] {
        let head = format!(r#"<meta {attr}="{key}" content="2019/03/12">"#);
        assert_eq!(
            day(&page(&head, BODY), None).as_deref(),
            Some("2019-03-12"),
            "{key}"
        );
    }
}

#[test]
fn markup_itemprop_and_time_pubdate() {
    let span = format!(
        r#"<article><span itemprop="datePublished" content="2019-03-12">12 Mar</span>{BODY}</article>"#
    );
    assert_eq!(day(&page("", &span), None).as_deref(), Some("2019-03-12"));
    let time =
        format!(r#"<article><time pubdate datetime="2019-03-13">13 Mar</time>{BODY}</article>"#);
    assert_eq!(day(&page("", &time), None).as_deref(), Some("2019-03-13"));
}

#[test]
fn dates_shown_in_bylines_in_several_languages() {
    let cases = [
        (
            r#"<div class="post-meta">Veröffentlicht am 12. März 2019 von Anna</div>"#,
            "2019-03-12",
        ),
        (
            r#"<p class="byline">Publicado el 12 de marzo de 2019</p>"#,
            "2019-03-12",
        ),
        (
            r#"<span class="entry-date">Posted on March 12th, 2019</span>"#,
            "2019-03-12",
        ),
        (r#"<div class="date">2019年3月12日</div>"#, "2019-03-12"),
        (
            r#"<div class="info">12.03.2019 | 10:15</div>"#,
            "2019-03-12",
        ),
    ];
    for (byline, want) in cases {
        let body = format!("<article><h1>Budget</h1>{byline}{BODY}</article>");
        assert_eq!(
            day(&page("", &body), None).as_deref(),
            Some(want),
            "{byline}"
        );
    }
    // No class at all: the line under the headline.
    let body = format!("<article><h1>Budget</h1><p>Le 12 mars 2019, par Anne</p>{BODY}</article>");
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2019-03-12"));
}

#[test]
fn the_original_date_over_the_update() {
    let body = format!(
        r#"<article><h1>Budget</h1><div class="dateline">Updated March 14, 2019 · Published March 12, 2019</div>{BODY}</article>"#
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2019-03-12"));
    let head = r#"<meta property="article:modified_time" content="2019-03-14"><meta property="article:published_time" content="2019-03-12">"#;
    assert_eq!(day(&page(head, BODY), None).as_deref(), Some("2019-03-12"));
    // The update only when nothing tells the first publication.
    let head = r#"<meta property="article:modified_time" content="2019-03-14">"#;
    assert_eq!(day(&page(head, BODY), None).as_deref(), Some("2019-03-14"));
}

#[test]
fn never_after_the_fetch_time() {
    let head = r#"<meta property="article:published_time" content="2030-01-01">"#;
    let body =
        format!(r#"<article><h1>Budget</h1><div class="date">12 May 2021</div>{BODY}</article>"#);
    assert_eq!(day(&page(head, &body), None).as_deref(), Some("2021-05-12"));
    assert_eq!(
        day(&page("", BODY), Some("https://news.example/2031/01/01/x")),
        None
    );
}

#[test]
fn comment_dates_are_not_the_story_date() {
    let body = format!(
        r#"<article><h1>Budget</h1>{BODY}</article><div id="comments"><p>Ann, 3 June 2020: I disagree.</p></div>"#
    );
    assert_eq!(day(&page("", &body), None), None);
}

#[test]
fn last_resorts_month_in_the_url_then_copyright() {
    let body = format!("<article>{BODY}</article><footer>© 2008–2019 Town Times</footer>");
    assert_eq!(
        day(
            &page("", &body),
            Some("https://news.example/2019/03/budget")
        )
        .as_deref(),
        Some("2019-03-01")
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2019-01-01"));
}

#[test]
fn dates_in_page_scripts_outside_json_ld() {
    let head = r#"<script>window.dataLayer = [{'pageType': 'article', 'publishdate': '2019-10-19', 'author': 'x'}];</script>"#;
    let body =
        format!("<article><h1>Budget</h1>{BODY}</article><footer>© 2021 Town Times</footer>");
    assert_eq!(day(&page(head, &body), None).as_deref(), Some("2019-10-19"));
}

#[test]
fn dates_after_the_main_text_when_none_come_before() {
    let body = format!(
        r#"<article><h1>Budget</h1>{BODY}</article><div class="article-footer"><span class="date">Published 12.03.2019</span></div>"#
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2019-03-12"));
}

#[test]
fn dates_between_the_headline_and_the_end_of_the_story_come_first() {
    // A teaser list above the headline dates other stories.
    let body = format!(
        r#"<ul class="latest"><li><a href="/a">Other story</a> <time datetime="2019-08-05">5 Aug</time></li></ul>
        <article><h1>Budget</h1><p class="publication">Le <time datetime="2019-06-28T13:49:45Z">28 juin 2019</time></p>{BODY}</article>
        <div class="more"><time pubdate datetime="2019-09-22">22 Sep</time></div>"#
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2019-06-28"));
}

#[test]
fn site_specific_meta_keys_that_name_a_date() {
    let head = r#"<meta property="five_hundred_pixels:uploaded" content="2013-02-16T04:36:36-05:00"><meta name="x:updated" content="2014-01-01">"#;
    assert_eq!(day(&page(head, BODY), None).as_deref(), Some("2013-02-16"));
}

#[test]
fn a_time_element_shows_the_page_day_of_a_utc_timestamp() {
    let body = format!(
        r#"<article><h1>Budget</h1><p class="publication"><time datetime="2019-06-28T01:30:00Z">27 juin 2019</time></p>{BODY}</article>"#
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2019-06-27"));
}

#[test]
fn a_utc_timestamp_takes_the_local_day_the_page_also_writes() {
    // The same instant in local time, with its offset or as a wall clock.
    let meta = r#"<meta property="article:published_time" content="2020-12-05T23:15:00Z">"#;
    let with_offset =
        r#"<script>var page = {"publicationDate":"2020-12-06T00:15:00+01:00"};</script>"#;
    let wall_clock = r#"<script>var pub = '2020-12-06 00:15';</script>"#;
    for script in [with_offset, wall_clock] {
        let html = page(&format!("{meta}{script}"), BODY);
        assert_eq!(day(&html, None).as_deref(), Some("2020-12-06"), "{script}");
    }
    // Another instant (an update an hour and a minute later) says nothing.
    let later = r#"<script>var mod = '2020-12-06 00:16';</script>"#;
    let html = page(&format!("{meta}{later}"), BODY);
    assert_eq!(day(&html, None).as_deref(), Some("2020-12-05"));
    // Nor does a timestamp stated in UTC alone.
    assert_eq!(day(&page(meta, BODY), None).as_deref(), Some("2020-12-05"));
}

#[test]
fn a_full_date_in_the_path_of_the_page_image() {
    let og =
        r#"<meta property="og:image" content="https://example.org/files/2016/05/04/report.png">"#;
    assert_eq!(day(&page(og, BODY), None).as_deref(), Some("2016-05-04"));
    let body = format!(
        r#"<article><h1>Budget</h1><img src="/media/2019/03/12/council.jpg">{BODY}</article>"#
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2019-03-12"));
    // A year and month alone say nothing.
    let og =
        r#"<meta property="og:image" content="https://example.org/uploads/2016/05/report.png">"#;
    assert_eq!(day(&page(og, BODY), None), None);
}

#[test]
fn a_worded_meta_date_keeps_the_day_of_its_own_offset() {
    // Four minutes past midnight in Vienna is still the day before in UTC.
    let head = r#"<meta name="date" content="Sat, 19 Oct 2019 00:04:00 +0200">"#;
    assert_eq!(
        dated(&page(head, BODY), None),
        (
            Some("2019-10-19".into()),
            Some("2019-10-18T22:04:00Z".into())
        )
    );
}

#[test]
fn the_header_of_an_opinion_piece_is_no_comment_section() {
    // An embedded post quoted in the story carries its own, older date; the
    // piece's header names it a commentary.
    let body = format!(
        r#"<article><div class="ArticleHeaderComment_subject"><h1>Budget</h1></div>
        <div class="PublishDate ArticleHeaderComment_publishDate"><span>Dienstag,</span> <span>29. Januar 2019</span></div>
        {BODY}<blockquote class="social-embed"><p>A post shared <time datetime="2018-03-12T19:30:12+00:00">Mar 12, 2018</time></p></blockquote></article>"#
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2019-01-29"));
    // A comment list is still left out.
    let body = format!(
        r#"<article><h1>Budget</h1>{BODY}</article><div class="comment-list"><span class="date">3 June 2020</span></div>"#
    );
    assert_eq!(day(&page("", &body), None), None);
}

#[test]
fn bylines_with_a_two_digit_year() {
    let cases = [
        // Under the headline, no class.
        r#"<h1>Budget</h1><div class="meta-wrapper">Von: Anna Berg <span>|</span> <span>31.10.20</span></div>"#,
        // In the author line of a forum post.
        r#"<h1>Budget</h1><p class="author">von <strong>anna</strong> am 31/10/20, 03:48 pm</p>"#,
    ];
    for byline in cases {
        let body = format!("<article>{byline}{BODY}</article>");
        assert_eq!(
            day(&page("", &body), None).as_deref(),
            Some("2020-10-31"),
            "{byline}"
        );
    }
    // In running text a two-digit year is no date (a version, a score).
    let body = format!("<article><h1>Budget</h1>{BODY}<p>The council app reached version 3.10.20 this week, a long-awaited update that fixes the payment page.</p></article>");
    assert_eq!(day(&page("", &body), None), None);
}

#[test]
fn arabic_month_names_and_a_month_named_twice() {
    let body = format!(
        r#"<article><h1>Budget</h1><p class="date">تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً</p>{BODY}</article>"#
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2020-04-24"));
}

#[test]
fn a_range_of_days_starts_on_its_first_day() {
    let body = format!(
        r#"<article><header><h4>Weekly report 14. - 20. Januar 2021</h4></header>{BODY}</article>"#
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2021-01-14"));
}

#[test]
fn a_labelled_date_stamp_over_dates_in_the_prose() {
    // A wiki page: the next meeting in the first paragraph, the page's own
    // stamp in the footer.
    let body = r#"<h1>Regulars' table</h1><p>The next meeting takes place on Wed. 5 February 2021 from 7 pm at the usual pub by the river, everyone is welcome.</p>
        <ul id="footer-info"><li>This page was last edited on 29 January 2021, at 13:22.</li></ul>"#;
    assert_eq!(day(&page("", body), None).as_deref(), Some("2021-01-29"));
    // A label in one element and its date in the next.
    let body = format!(
        r#"<article><h1>Budget</h1>{BODY}<p>Photo: the bridge on 31.05.2020.</p></article>
        <div><label>Letzte Änderung:</label><div>14.01.2021 um 09:25</div></div>"#
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2021-01-14"));
    // A publication label wins over an update label.
    let body = format!(
        r#"<article><h1>Budget</h1>{BODY}</article><p>Updated: 20.01.2021</p><p>[Stand: 09.01.2021, 01:40 Uhr]</p>"#
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2021-01-09"));
}

#[test]
fn the_title_or_description_when_the_page_shows_no_date() {
    let head =
        r#"<meta name="description" content="Bears: a record year (News of 14 Gennaio 2020)">"#;
    let body = format!("<article><h1>Bears</h1><em>(Pescasseroli, 14 Gennaio 20)</em>{BODY}</article><footer>© 2020 Park</footer>");
    assert_eq!(day(&page(head, &body), None).as_deref(), Some("2020-01-14"));
}

#[test]
fn a_timestamp_in_the_page_source_before_the_copyright_year() {
    let body = format!(
        r#"<table><tr><td><script>showDate("2020/04/17 01:43:09")</script></td></tr></table>{BODY}<footer>© 2021 City</footer>"#
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2020-04-17"));
    // A date without a time of day is no timestamp.
    let body =
        format!(r#"<script>var v = "2020/04/17";</script>{BODY}<footer>© 2021 City</footer>"#);
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2021-01-01"));
}

#[test]
fn a_date_line_right_above_the_headline_over_teaser_dates() {
    let body = format!(
        r#"<div class="article"><p class="upper subline">21. Jan 2021 // Dominik Berg</p><h1>Budget</h1>{BODY}
        <div class="teasers"><div class="infos"><p>06. Aug 2020 // Tips</p></div><div class="infos"><p>17. Okt 2020 // Tips</p></div></div></div>"#
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2021-01-21"));
}

#[test]
fn a_publication_mark_in_a_teaser_card_dates_another_page() {
    let url = Some("https://news.example/magazine/budget-approved");
    let body = format!(
        r#"<article><h1>Budget approved</h1><p class="publication">Le <time datetime="2019-06-28T13:49:45Z">28 juin 2019</time></p>{BODY}
        <div class="more"><a href="magazine/bridge-closed"><p class="publication">Le <time datetime="2019-09-22T07:30:29Z" pubdate>22 septembre</time></p></a></div></article>"#
    );
    assert_eq!(day(&page("", &body), url).as_deref(), Some("2019-06-28"));
    // A permalink around the page's own date is no teaser.
    let body = format!(
        r#"<article><h1>Budget approved</h1><a href="/magazine/budget-approved/"><time class="entry-date published" datetime="2019-06-27">27 June</time></a>{BODY}</article>"#
    );
    assert_eq!(day(&page("", &body), url).as_deref(), Some("2019-06-27"));
}

#[test]
fn in_a_date_line_the_labelled_publication_over_the_earliest() {
    let body = format!(
        r#"<article><h1>Italy: travel advice</h1><span class="heading__meta">Stand - 12.11.2020<br>(Unverändert gültig seit: 05.11.2020)</span>{BODY}</article>"#
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2020-11-12"));
    // Without a label the earliest stays: the original over the update.
    let body = format!(
        r#"<article><h1>Budget</h1><span class="meta">12.11.2020 (05.11.2020)</span>{BODY}</article>"#
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2020-11-05"));
    // `date:` inside `Last update:` is no publication label.
    let body = format!(
        r#"<article><h1>Budget</h1><span class="meta">Last update: 12.11.2020 (first 05.11.2020)</span>{BODY}</article>"#
    );
    assert_eq!(day(&page("", &body), None).as_deref(), Some("2020-11-05"));
}

#[test]
fn without_a_url_the_canonical_link_dates_the_page() {
    let head = r#"<link rel="canonical" href="https://news.example/home/2017/7/12/montauk"><meta itemprop="datePublished" content="2019-06-17T18:28:00+0200">"#;
    assert_eq!(day(&page(head, BODY), None).as_deref(), Some("2017-07-12"));
    let head = r#"<meta property="og:url" content="https://news.example/2017/07/12/montauk">"#;
    assert_eq!(day(&page(head, BODY), None).as_deref(), Some("2017-07-12"));
}

#[test]
fn a_slug_starting_with_a_number_is_no_day() {
    let head = r#"<meta property="article:published_time" content="2020-10-31T08:00:00+01:00">"#;
    let url = Some("https://blog.example/2020/10/3-questions-for-ann/");
    assert_eq!(day(&page(head, BODY), url).as_deref(), Some("2020-10-31"));
}
