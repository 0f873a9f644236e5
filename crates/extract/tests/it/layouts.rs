//! Main text on small hand-written pages, one per layout rule that pages of
//! any site needed (`content.rs`, `dom.rs`).

use newsdesk_extract::extract;

const P1: &str = "<p>The council approved the new budget on Monday evening, after a debate that lasted more than four hours.</p>";
const P2: &str = "<p>Spending on roads rises by a tenth, while the library keeps its Sunday opening for another year.</p>";
const P3: &str = "<p>The mayor said the vote showed that the town could still agree on the things that matter most to it.</p>";

fn text(html: &str) -> String {
    extract(html.as_bytes(), None).unwrap().text
}

#[test]
fn a_wrapper_with_a_boilerplate_word_that_holds_the_headline_is_not_boilerplate() {
    let html = format!(
        r#"<html><body><nav><a href="/">Home</a> <a href="/a">A</a></nav>
        <div class="sidebar_content"><div class="post"><h1>Budget passes</h1>{P1}{P2}</div></div>
        <div class="widget"><p>Other long text about the weather that does not belong to the story, with words.</p>
        <p>More text of the widget, which is about something else entirely, and says so twice.</p></div></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.contains("council approved") && t.contains("Spending on roads"),
        "{t}"
    );
    assert!(!t.contains("weather"), "{t}");
}

#[test]
fn a_layout_box_with_a_boilerplate_word_inside_the_article_body() {
    let html = format!(
        r#"<html><body><div class="post-content"><div class="elementor-widget-container">{P1}{P2}{P3}</div></div>
        <div class="related"><p>A related story, long enough to count as a paragraph of prose, about parking.</p></div></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.contains("council approved") && t.contains("mayor said"),
        "{t}"
    );
    assert!(!t.contains("parking"), "{t}");
}

#[test]
fn sibling_boxes_of_the_article_are_joined() {
    // The lead in one box, the body in the next: both are the story; the
    // link list beside them is not.
    let html = format!(
        r#"<html><body><div class="wrap"><div class="lead">{P1}</div><div class="text">{P2}{P3}</div>
        <div class="more"><a href="/1">First other story title here</a> <a href="/2">Second other story title here</a> <a href="/3">Third one</a></div></div></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.starts_with("The council approved") && t.contains("Spending") && t.contains("mayor said"),
        "{t}"
    );
    assert!(!t.contains("other story"), "{t}");
}

#[test]
fn body_content_before_body_ends_the_head() {
    // A stray `<div>` in the head: everything after it is the body.
    let html = format!(
        r#"<html><head><title>x</title><meta charset="utf-8"><div class="top"></div>
        <div id="article"><h1>Budget passes</h1>{P1}{P2}</div></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.contains("council approved") && t.contains("Spending"),
        "{t}"
    );
}

#[test]
fn a_field_whose_label_is_hidden_still_shows_its_text() {
    // Drupal: `field--label-hidden` hides the field's label, not the field.
    let html = format!(
        r#"<html><body><article><h1>Budget</h1><div class="field field--name-body field--label-hidden field__item">{P1}{P2}{P3}</div></article>
        <div class="hidden"><p>A text that is never shown to readers, though it is long enough to be prose.</p></div></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.contains("council approved") && t.contains("mayor said"),
        "{t}"
    );
    assert!(!t.contains("never shown"), "{t}");
}

#[test]
fn the_story_ends_at_a_more_stories_heading() {
    let html = format!(
        r#"<html><body><article>{P1}{P2}{P3}{P1}<h3>Auch interessant:</h3>
        <p>Deine Jobbörse in der Digital-Welt: wir tun jeden Tag, was wir lieben, und suchen dich dafür.</p></article></body></html>"#
    );
    let t = text(&html);
    assert!(t.contains("mayor said"), "{t}");
    assert!(
        !t.contains("Jobbörse") && !t.contains("Auch interessant"),
        "{t}"
    );
    // A marker that goes on ("... auf example.de") still ends the story.
    let html = html.replace("Auch interessant:", "Mehr zum Thema auf example.de");
    let t = text(&html);
    assert!(t.contains("mayor said") && !t.contains("Jobbörse"), "{t}");
    // Before the story has begun, a marker is only a heading.
    let html = format!("<html><body><article><h3>Comments</h3>{P1}{P2}</article></body></html>");
    assert!(text(&html).contains("Spending on roads"));
}

#[test]
fn a_titled_h2_is_the_headline_when_the_h1_is_a_logo() {
    let html = format!(
        r#"<html><body><header><h1><a href="/"><img src="logo.png" alt="Daily"></a></h1></header>
        <div class="sidebar_content"><div class="post"><h2 class="entry-title post-title">Budget passes</h2>{P1}{P2}</div></div>
        <div class="widget"><p>Other long text about the weather that does not belong to the story, with words.</p>
        <p>More text of the widget, which is about something else entirely, and says so twice.</p></div></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.contains("council approved") && t.contains("Spending on roads"),
        "{t}"
    );
    assert!(!t.contains("weather"), "{t}");
}

#[test]
fn a_box_with_a_boilerplate_word_that_holds_most_of_an_article_is_its_body() {
    let html = format!(
        r#"<html><body><div class="main"><article class="post"><h1>Budget passes</h1>
        <p class="byline">by A. Writer</p><div class="entry themeform share"><div class="entry-inner">{P1}{P2}{P3}</div></div>
        <div class="sharing"><a href="/s">Share</a></div></article>
        <div class="related"><h3>Das könnte Dich auch interessieren</h3><ul><li><a href="/a">A story about the weather in the hills</a></li></ul></div></div>
        <aside class="sidebar"><p>Other long text about the weather that does not belong to the story, with words.</p>
        <p>More text of the sidebar, which is about something else entirely, and says so twice and more.</p>
        <p>Still more text of the sidebar, which is about something else entirely, and keeps on going.</p>
        <p>And the last paragraph of the sidebar, so that it holds more prose than the story itself does.</p></aside></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.contains("council approved") && t.contains("mayor said"),
        "{t}"
    );
    assert!(!t.contains("weather"), "{t}");
}

#[test]
fn a_share_box_between_the_lead_and_the_body_ends_nothing() {
    let lead = "<p><strong>The council approved the new budget on Monday evening, after a debate that lasted more than four hours and ended late at night, with a narrow majority of the members present in the chamber. The vote was close, and the opposition announced it would take the matter to the regional court before the summer recess begins. Its members had asked for more time to read the papers, which the chair refused. A second reading is planned for the autumn session of the council.</p>";
    let body = format!("{P1}{P2}{P3}").repeat(8);
    let html = format!(
        r#"<html><body><main class="main-content"><article><div class="intro"><h1>Budget passes</h1>{lead}</div>
        <div class="labeled">Artikel teilen</div><div class="text">{body}</div>
        <h2>Mehr zum Thema</h2><ul><li><a href="/a">Another story</a></li></ul></article></main></body></html>"#
    );
    let t = text(&html);
    assert!(t.contains("opposition") && t.contains("mayor said"), "{t}");
    assert!(
        !t.contains("Artikel teilen") && !t.contains("Another story"),
        "{t}"
    );
}

#[test]
fn a_template_script_inside_the_article_body_is_its_text() {
    let html = format!(
        r#"<html><body><div class="post"><h2 class="title">Budget passes</h2>
        <div class="post-body"><div class="post-content" itemprop="articleBody"><script type="text/template">{P1}{P2}{P3}</script></div></div></div>
        <script type="text/template"><p>A widget template that the page renders elsewhere, with words enough to be prose.</p></script>
        </body></html>"#
    );
    let t = text(&html);
    assert!(
        t.contains("council approved") && t.contains("mayor said"),
        "{t}"
    );
    assert!(!t.contains("widget template"), "{t}");
}

#[test]
fn a_figure_around_a_table_is_content() {
    let html = format!(
        r#"<html><body><article><h1>Budget passes</h1>{P1}
        <figure class="table-wrapper"><table><tr><th>Item</th><th>Cost</th></tr><tr><td>Road repairs</td><td>Free deposit, 1 GBP withdrawal</td></tr></table></figure>
        {P2}<figure><img src="a.jpg"><figcaption>The mayor at the vote, photographed by a reader.</figcaption></figure>{P3}</article></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.contains("1 GBP withdrawal") && t.contains("mayor said"),
        "{t}"
    );
    assert!(!t.contains("photographed"), "{t}");
}

#[test]
fn sections_whose_headings_hold_a_bare_anchor_are_not_teasers() {
    let section = |n: u32| {
        format!(
            r#"<div class="css-0"><h2><div><a name="toc-{n}"><a class="x" name=""></a>{n}. Skinfold calipers</a></div></h2><div class="content_body">{P1}{P2}</div></div>"#
        )
    };
    let html = format!(
        r#"<html><body><div class="main"><h1>Ten ways</h1><div class="css-0">{P3}</div>{}{}{}{}{}</div></body></html>"#,
        section(1),
        section(2),
        section(3),
        section(4),
        section(5)
    );
    let t = text(&html);
    assert!(t.matches("council approved").count() >= 5, "{t}");
}

#[test]
fn ruby_readings_are_left_out_of_the_sentence() {
    // Furigana: the reading over each kanji is shown above it, not in it.
    let html = format!(
        r#"<html><body><article><h1>法律</h1><p>新<rp>(</rp><rt>あたら</rt><rp>)</rp>しい法律<ruby>ほうりつ<rt>ほうりつ</rt></ruby>では、親<ruby>おや<rt>おや</rt></ruby>の権利をなくすことも話し合うと決めています。この法律は来年から始まります。</p>{P1}</article></body></html>"#
    );
    let t = text(&html);
    assert!(t.contains("新しい法律"), "{t}");
    assert!(!t.contains("あたら") && !t.contains('('), "{t}");
}

#[test]
fn cards_whose_only_links_are_a_picture_and_an_overlay_are_teasers() {
    // Story cards with the picture and an empty overlay as links and the
    // title and teaser as plain text: longer in all than the story itself.
    let card = |n: u32| {
        format!(
            r#"<li><div class="wrapper"><div class="image"><a href="/story-{n}" title="Story {n}"></a><img src="{n}.jpg"></div>
            <div class="text"><div class="topline">Topic number {n}</div><a href="/story-{n}"></a><div class="title">The title of other story {n}</div>
            <p><span class="date">26.01.2022</span>A teaser of the other story, long enough to read as prose, with a comma, and more words after it.</p></div></div></li>"#
        )
    };
    let cards: String = (1..=6).map(card).collect();
    let html = format!(
        r#"<html><body><div><main><article><h1>Budget passes</h1><section class="content">{P1}{P2}</section></article>
        <ul class="timeline">{cards}</ul></main></div></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.contains("council approved") && t.contains("Spending on roads"),
        "{t}"
    );
    assert!(!t.contains("teaser of the other story"), "{t}");
}

#[test]
fn forum_posts_with_an_avatar_link_are_not_teasers() {
    // Each post links its author's picture and name: replies, not teasers.
    let post = |n: u32| {
        format!(
            r#"<article class="message"><div class="user"><a href="/members/{n}"><img src="a{n}.png"></a><a href="/members/{n}">member{n}</a></div>
            <div class="body">Reply number {n}: the cat sleeps in the garden all day, and comes in only at night.</div></article>"#
        )
    };
    let posts: String = (1..=5).map(post).collect();
    let html = format!(
        r#"<html><body><main><h1>Thread</h1><div class="posts">{posts}</div></main></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.contains("Reply number 1:") && t.contains("Reply number 5:"),
        "{t}"
    );
}

#[test]
fn a_post_of_short_lines_around_one_long_paragraph_is_kept_whole() {
    // A photo post: a line of verse, a caption-like line, one long
    // paragraph and a closing line, each its own `<p>`.
    let html = format!(
        r#"<html><body><div class="content"><div id="post-1" class="post"><h1>Silhouette (3)</h1>
        <p>The town stands black and silent…</p><p>It began with a shot by hand:</p><p><img src="1.jpg"></p>
        {P1}<p>Next time, a second trail.</p><div class="sharedaddy"><a href="/s">Share on X</a></div></div></div></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.contains("The town stands black")
            && t.contains("began with a shot")
            && t.contains("council approved"),
        "{t}"
    );
    assert!(!t.contains("Share on"), "{t}");
}

#[test]
fn the_standfirst_paragraph_in_an_article_header_is_kept() {
    // The header of the `<article>` holds the headline, a standfirst
    // paragraph, a label and a dateline; a page header holds navigation.
    let html = format!(
        r#"<html><body><header class="site"><p>Welcome to the Town Gazette, your paper since 1901, every day.</p></header>
        <article><header class="entry__header"><h1>Budget passes</h1>
        <p class="entry__subtitle">After four hours of debate, the council agreed on a budget that spends more on roads, and less on parking.</p>
        <p>Author:</p><h3>Roads win, parking loses, and the library stays open on Sundays.</h3><div class="credit">Photo: Jane Doe/Agency</div></header>
        <div class="entry__body">{P1}{P2}{P3}</div></article></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.starts_with("After four hours of debate") && t.contains("mayor said"),
        "{t}"
    );
    assert!(
        !t.contains("Welcome")
            && !t.contains("Author:")
            && !t.contains("Roads win")
            && !t.contains("Jane Doe"),
        "{t}"
    );
}

#[test]
fn the_standfirst_in_the_headline_header_above_the_body_leads_the_text() {
    // The story's header sits apart from its body, a few boxes away.
    let html = format!(
        r#"<html><body><header class="site"><a href="/">Gazette</a></header><div class="page">
        <div class="crumbs"><a href="/news">News</a></div>
        <header id="content-header" class="container"><h1>Budget passes</h1>
        <p class="lead">After four hours of debate, the council agreed on a budget that spends more on roads.</p></header>
        <div class="toolbar"><a href="/s">Share</a></div>
        <section class="container"><div class="col"><article class="rich-text">{P1}{P2}{P3}</article></div></section></div></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.starts_with("After four hours of debate") && t.contains("mayor said"),
        "{t}"
    );
    assert!(
        !t.contains("Budget passes") && !t.contains("Gazette"),
        "{t}"
    );
}

#[test]
fn sections_of_one_kind_split_by_teaser_lists_are_one_story() {
    // Each section of the story is its own `div.content-wrapper`, the
    // text deep inside next to a share button; a list of tips sits
    // between them.
    let section = |p: &str| {
        format!(
            r#"<div class="content-wrapper"><div class="row"><div class="col text-wrap"><div class="text">{p}</div></div><div class="share"><a href="/s">Share</a></div></div></div>"#
        )
    };
    let tips: String = (1..=30)
        .map(|n| format!(r#"<li><a href="/tip-{n}"><h3>Tip number {n} for a ride</h3></a><p>A ride along the lake, past the castle and the old mill, with a stop for coffee.</p></li>"#))
        .collect();
    let html = format!(
        r#"<html><body><div class="inner-wrap"><nav><a href="/">Home</a></nav>{}<div class="list-wrapper"><ul>{tips}</ul></div>{}{}
        <footer><p>Imprint and terms of use of this website, which are long enough to be a paragraph.</p></footer></div></body></html>"#,
        section(&format!("{P1}{P2}")),
        section(P3),
        section("<p>Riding along the river is allowed at walking pace, and the views of the old town are worth the stop.</p>")
    );
    let t = text(&html);
    assert!(
        t.contains("council approved")
            && t.contains("mayor said")
            && t.contains("Riding along the river"),
        "{t}"
    );
    assert!(
        !t.contains("Tip number") && !t.contains("old mill") && !t.contains("Imprint"),
        "{t}"
    );
}

#[test]
fn a_paragraph_above_the_body_that_is_the_pages_description_leads_the_text() {
    let lead =
        "Four hours of debate, and a budget that spends more on roads and keeps the library open.";
    let links: String = (1..=40)
        .map(|n| {
            format!(r#"<p><a href="/story-{n}">Another story of the town, number {n}</a></p>"#)
        })
        .collect();
    let html = format!(
        r#"<html><head><meta name="description" content="{lead}"></head><body>
        <div class="hero"><div class="hero-text"><h1>Budget passes</h1><p>{lead}</p><p><a href="/a">Jane Doe</a></p></div></div>
        <div class="sidebar"><p>Our newsletter comes out every Friday, with the week's stories and a puzzle.</p></div>
        <div class="links">{links}</div>
        <div class="page"><div class="crumbs"><a href="/">Home</a></div><div class="main"><div class="col">{P1}{P2}{P3}</div><div class="share"><a href="/s">Share</a></div></div></div></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.starts_with("Four hours of debate") && t.contains("mayor said"),
        "{t}"
    );
    assert!(!t.contains("newsletter"), "{t}");
}

#[test]
fn teaser_items_are_boilerplate_but_a_teaser_text_lead_is_not() {
    let html = format!(
        r#"<html><body><article><h1>Budget passes</h1><div class="teaser-text"><p>Four hours of debate, and a budget that spends more on roads.</p></div>{P1}{P2}{P3}
        <div class="boxhead">More on this</div><div class="teaser"><p>Themes: the bridge over the river, closed since spring, and what the town does next.</p></div>
        <div class="teaser"><p>Themes: the new school term and the bus timetable that comes with it, again.</p></div></article></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.contains("Four hours of debate") && t.contains("mayor said"),
        "{t}"
    );
    assert!(!t.contains("Themes:"), "{t}");
}

#[test]
fn related_reading_headings_in_spanish_portuguese_and_german_end_the_story() {
    for heading in [
        "También te puede interesar",
        "Veja também:",
        "Zum Weiterlesen:",
    ] {
        let html = format!(
            r#"<html><body><article><h1>Budget passes</h1>{P1}{P2}{P3}<p>The new budget takes effect in January, once the county has checked its sums and signed it off.</p><h3>{heading}</h3>
            <p>Another story entirely, about the harbour and its new ferry, long enough to be prose here.</p></article></body></html>"#
        );
        let t = text(&html);
        assert!(t.contains("mayor said"), "{t}");
        assert!(
            !t.contains(heading) && !t.contains("harbour"),
            "{heading}: {t}"
        );
    }
}

#[test]
fn page_tool_labels_and_a_contents_heading_are_not_text() {
    let html = format!(
        r#"<html><body><article><h1>Budget passes</h1><h2>Inhaltsverzeichnis</h2>{P1}{P2}{P3}<p>Seite teilen</p><p>Keine Kommentare</p></article></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.contains("council approved") && t.contains("mayor said"),
        "{t}"
    );
    assert!(
        !t.contains("Inhaltsverzeichnis")
            && !t.contains("Seite teilen")
            && !t.contains("Keine Kommentare"),
        "{t}"
    );
}

#[test]
fn picture_and_source_credit_lines_are_not_text() {
    let html = format!(
        r#"<html><body><article><h1>Budget passes</h1>{P1}<p>Titelbild: Jane Doe/Agency/picture-alliance</p>{P2}{P3}<p>Quelle: Landesregierung</p></article></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.contains("council approved") && t.contains("mayor said"),
        "{t}"
    );
    assert!(
        !t.contains("Jane Doe") && !t.contains("Landesregierung"),
        "{t}"
    );
}

#[test]
fn lines_that_only_date_the_story_in_any_language_are_not_text() {
    let html = format!(
        r#"<html><body><article><h1>Budget passes</h1><p>23.10.2018</p><p>7. oktober 2020</p><p>16. März 2021</p>{P1}{P2}{P3}<p>2021-04-20</p></article></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.starts_with("The council approved") && t.ends_with("matter most to it."),
        "{t}"
    );
}

#[test]
fn short_labels_left_at_the_end_are_dropped_but_a_lead_in_stays() {
    let html = format!(
        r#"<html><body><article><h1>Budget passes</h1>{P1}{P2}{P3}<h4>Schlagworte</h4><h4>Similar Articles</h4></article></body></html>"#
    );
    let t = text(&html);
    assert!(t.ends_with("matter most to it."), "{t}");
    let html = format!(
        r#"<html><body><article><h1>Budget passes</h1>{P1}{P2}{P3}<p>See more photos:</p></article></body></html>"#
    );
    let t = text(&html);
    assert!(t.ends_with("See more photos:"), "{t}");
}

#[test]
fn a_short_kicker_before_the_first_paragraph_is_dropped() {
    let html = format!(
        r#"<html><body><article><p class="kicker">Politik</p><h1>Budget passes</h1><p>11 minut czytania</p>{P1}{P2}{P3}</article></body></html>"#
    );
    let t = text(&html);
    assert!(t.starts_with("The council approved"), "{t}");
    // A first line that closes like a sentence stays.
    let html = format!(
        r#"<html><body><article><p>Short, but said.</p>{P1}{P2}{P3}</article></body></html>"#
    );
    assert!(text(&html).starts_with("Short, but said."));
}

#[test]
fn a_bar_of_items_between_pipes_is_not_text_but_a_contact_line_is() {
    let html = format!(
        r#"<html><body><article><p>Schweiz | Praxis | Video</p><h1>Budget passes</h1>{P1}{P2}<p>More info: www.example.org | +49 40 890 85-433</p>{P3}<p>Impressum | Datenschutz | Kontakt</p></article></body></html>"#
    );
    let t = text(&html);
    assert!(
        t.contains("council approved") && t.contains("mayor said"),
        "{t}"
    );
    assert!(t.contains("More info: www.example.org | +49"), "{t}");
    assert!(!t.contains("Praxis") && !t.contains("Datenschutz"), "{t}");
}
