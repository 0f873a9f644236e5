//! The browser harness on pages of its own, served from loopback: it must
//! see what the newsdesk tests rely on — text, focus after a key, a dialog a
//! script opened, a console error, the dark scheme, a phone's width — or a
//! test that finds "no dialog" would prove nothing.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use newsdesk_testkit::browser;

const CARDS: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<link rel="icon" href="data:,">
<style>
body { background: #ffffff; color: #111111; margin: 0; }
@media (prefers-color-scheme: dark) { body { background: #101418; color: #eeeeee; } }
article:focus { outline: 3px solid orange; }
</style></head>
<body>
<main>
<article tabindex="-1" class="card"><h2>First story</h2></article>
<article tabindex="-1" class="card"><h2>Second story</h2></article>
<article tabindex="-1" class="card"><h2>Third story</h2></article>
<input id="q" name="q" type="search">
<button id="alert" onclick="alert('hello from a script')">alert</button>
<button id="err" onclick="console.error('broken on purpose')">error</button>
</main>
<script>
let at = -1;
document.addEventListener('keydown', e => {
  if (e.target.tagName === 'INPUT') return;
  const cards = document.querySelectorAll('.card');
  if (e.key === 'j') { at = Math.min(at + 1, cards.length - 1); cards[at].focus(); }
  if (e.key === '/') { e.preventDefault(); document.getElementById('q').focus(); }
});
</script>
</body></html>"#;

const WIDE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><link rel="icon" href="data:,"></head>
<body><div style="width: 800px">a line as wide as a desktop</div></body></html>"#;

/// Serves `CARDS` at `/` and `WIDE` at `/wide` on a free loopback port, for
/// as long as the test runs; returns the base URL.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("local address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut first = String::new();
            let mut reader = BufReader::new(s.try_clone().expect("clone the stream"));
            if reader.read_line(&mut first).is_err() {
                continue;
            }
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok() && line.trim() != "" {
                line.clear();
            }
            let path = first.split_whitespace().nth(1).unwrap_or("/");
            let (status, body) = match path {
                "/" => ("200 OK", CARDS),
                "/wide" => ("200 OK", WIDE),
                _ => ("404 Not Found", "not here"),
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}

#[test]
fn reads_text_moves_focus_with_keys_and_types() {
    let Some(b) = browser::browser() else { return };
    let base = serve();
    let page = b.page("harness_keys");
    page.open(&format!("{base}/"));
    assert_eq!(page.count(".card"), 3);
    assert_eq!(page.text(".card h2"), "First story");
    assert_eq!(
        page.texts(".card h2"),
        ["First story", "Second story", "Third story"]
    );
    page.press("j").press("j");
    let f = page.focused();
    assert_eq!(f["text"], "Second story", "focus after j j: {f}");
    page.press("/");
    assert_eq!(page.focused()["id"], "q");
    page.type_into("#q", "heat");
    assert_eq!(page.eval("document.getElementById('q').value"), "heat");
    let shot = page.screenshot("cards");
    let png = std::fs::read(&shot).expect("read the screenshot");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{}", shot.display());
    assert!(page.dialogs().is_empty());
    assert!(page.console_errors().is_empty(), "{:?}", page.console());
}

#[test]
fn sees_a_dialog_and_a_console_error() {
    let Some(b) = browser::browser() else { return };
    let base = serve();
    let page = b.page("harness_dialog");
    page.open(&format!("{base}/"));
    page.click("#alert");
    let dialogs = page.dialogs();
    assert_eq!(dialogs.len(), 1, "{dialogs:?}");
    assert!(dialogs[0].contains("hello from a script"), "{dialogs:?}");
    // The dialog was dismissed: the page goes on answering.
    page.click("#err");
    let errors = page.console_errors();
    assert!(
        errors.iter().any(|m| m.text.contains("broken on purpose")),
        "{:?}",
        page.console()
    );
    page.clear_seen();
    page.eval("setTimeout(() => missing.property, 0)");
    let errors = page.console_errors();
    assert!(
        errors
            .iter()
            .any(|m| m.source == "exception" && m.text.contains("missing")),
        "{:?}",
        page.console()
    );
}

#[test]
fn emulates_the_dark_scheme_and_a_phone() {
    let Some(b) = browser::browser() else { return };
    let base = serve();
    let page = b.page("harness_emulation");
    page.open(&format!("{base}/"));
    assert_eq!(page.background(), [255, 255, 255]);
    page.color_scheme("dark");
    assert_eq!(page.background(), [0x10, 0x14, 0x18]);
    page.screenshot("dark");
    page.color_scheme("light");
    assert_eq!(page.background(), [255, 255, 255]);

    page.phone();
    assert_eq!(page.eval("innerWidth"), 390);
    assert_eq!(page.horizontal_overflow(), 0);
    page.open(&format!("{base}/wide"));
    assert!(page.horizontal_overflow() > 0);
    page.screenshot("wide_on_a_phone");
}
