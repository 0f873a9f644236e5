//! The harness of the browser tests: a headless Chromium driven over the
//! DevTools protocol, so that a test sees what a reader's browser does with
//! a page — the text it shows, where the focus goes on a key, the colours of
//! the dark theme, whether the page is wider than a phone — and everything a
//! script did that a reader would notice: a dialog (`alert`, `confirm`,
//! `prompt`), an error in the console, an uncaught exception.
//!
//! Chromium is not part of this repository. A test asks [`browser`] for one:
//! on a machine without Chromium the test skips with a message, and
//! `NEWSDESK_REQUIRE_BROWSER=1` (set by CI) turns a missing Chromium into a
//! failure. `NEWSDESK_CHROMIUM` names the executable when it is not on the
//! `PATH` as `chromium`.
//!
//! The tests of one binary share one browser while any of them runs (each
//! test opens its own [`Page`], a tab); it starts with a fresh profile in a
//! temporary folder and closes, its process and profile gone, when the last
//! test holding it is done. Screenshots go to
//! `target/browser-artifacts/<test>/<page>.png`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use base64::Engine;
use headless_chrome::browser::tab::dialog::Dialog;
use headless_chrome::browser::tab::EventListener;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Page as Cdp};
use headless_chrome::{LaunchOptions, Tab};
use serde_json::{json, Value};

/// How long a step waits for the browser (a page to load, an element to
/// appear) before the test calls it hung: a guard against a hang, not a
/// limit on how fast a page must be.
const GUARD: Duration = Duration::from_secs(120);

/// The flags every launch gets beside headless_chrome's own (which already
/// turn off background networking, sync and first-run screens): no QUIC and
/// no component updates, so that the browser asks nothing of the network a
/// test did not ask for.
const FLAGS: &[&str] = &[
    "--disable-quic",
    "--disable-component-update",
    "--disable-background-networking",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
];

static SHARED: Mutex<Weak<Browser>> = Mutex::new(Weak::new());

/// A running headless Chromium with its own profile folder.
pub struct Browser {
    // Dropped first: the browser is closed and its process killed before
    // the profile folder goes.
    inner: headless_chrome::Browser,
    _profile: tempfile::TempDir,
}

/// The browser the tests of this binary share, started when no running test
/// holds it; `None` (after printing why) when Chromium is not installed and
/// not required. Panics when `NEWSDESK_REQUIRE_BROWSER=1` and it is missing,
/// or when it is installed but does not start.
pub fn browser() -> Option<Arc<Browser>> {
    let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(b) = shared.upgrade() {
        return Some(b);
    }
    let exe = executable()?;
    let b = Arc::new(Browser::launch(&exe));
    *shared = Arc::downgrade(&b);
    Some(b)
}

/// The Chromium executable: `NEWSDESK_CHROMIUM`, else `chromium` (or
/// another Chrome) on the `PATH`.
fn executable() -> Option<PathBuf> {
    let found = match std::env::var_os("NEWSDESK_CHROMIUM") {
        Some(p) => Some(PathBuf::from(p)).filter(|p| p.is_file()),
        None => ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .find_map(|name| on_path(name)),
    };
    if found.is_some() {
        return found;
    }
    if std::env::var("NEWSDESK_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!(
            "a browser is required (NEWSDESK_REQUIRE_BROWSER=1) but no Chromium was found \
             (install Debian's chromium, or set NEWSDESK_CHROMIUM to its executable)"
        );
    }
    eprintln!(
        "skipped: no Chromium on this machine (install Debian's chromium, or set \
         NEWSDESK_CHROMIUM to its executable, to run the browser tests)"
    );
    None
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

impl Browser {
    fn launch(exe: &Path) -> Browser {
        let profile = tempfile::Builder::new()
            .prefix("newsdesk-chromium-")
            .tempdir()
            .expect("make a profile folder for Chromium");
        let args: Vec<&OsStr> = FLAGS.iter().map(OsStr::new).collect();
        let options = LaunchOptions {
            headless: true,
            sandbox: false,
            enable_gpu: false,
            path: Some(exe.to_path_buf()),
            user_data_dir: Some(profile.path().to_path_buf()),
            window_size: Some((1280, 900)),
            args,
            // The connection is kept while a test fills its desk and the
            // browser says nothing.
            idle_browser_timeout: Duration::from_secs(3600),
            ..LaunchOptions::default()
        };
        let inner = headless_chrome::Browser::new(options)
            .unwrap_or_else(|e| panic!("start Chromium ({}): {e:#}", exe.display()));
        Browser {
            inner,
            _profile: profile,
        }
    }

    /// A new tab for the test `test` (its screenshots go to
    /// `target/browser-artifacts/<test>/`), watching for dialogs and console
    /// errors from the start.
    pub fn page(&self, test: &str) -> Page {
        let tab = self.inner.new_tab().expect("open a tab");
        tab.set_default_timeout(GUARD);
        let seen = Arc::new(Mutex::new(Seen::default()));
        let listener = Watch {
            seen: seen.clone(),
            dialog: Arc::new(tab.get_dialog()),
        };
        tab.add_event_listener(Arc::new(listener))
            .expect("listen to the tab");
        tab.enable_runtime().expect("enable the runtime events");
        tab.enable_log().expect("enable the log events");
        Page {
            tab,
            test: test.to_string(),
            seen,
        }
    }

    /// The browser's process id (to check that it is gone after a test).
    pub fn process_id(&self) -> Option<u32> {
        self.inner.get_process_id()
    }
}

/// What the tab reported: dialogs and console messages.
#[derive(Debug, Default)]
struct Seen {
    dialogs: Vec<String>,
    console: Vec<Message>,
}

/// One message of a page's console.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Where it came from: `console` (a script's `console.*` call),
    /// `exception` (an uncaught error), or the browser's own log sources
    /// (`network`, `security`, `javascript`, `violation`, ...).
    pub source: String,
    /// `error`, `warning`, `info`, ...
    pub level: String,
    pub text: String,
    /// The page or script it is about, when the browser says.
    pub url: String,
}

impl Message {
    pub fn is_error(&self) -> bool {
        self.level == "error"
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "[{} {}] {} ({})",
            self.source, self.level, self.text, self.url
        )
    }
}

/// The tab's event listener: records dialogs (and dismisses them, so that a
/// page a dialog blocks goes on) and console messages.
struct Watch {
    seen: Arc<Mutex<Seen>>,
    dialog: Arc<Dialog>,
}

impl EventListener<Event> for Watch {
    fn on_event(&self, event: &Event) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        match event {
            Event::PageJavascriptDialogOpening(e) => {
                let p = serde_json::to_value(&e.params).unwrap_or_default();
                seen.dialogs.push(format!(
                    "{} {:?} on {}",
                    p["type"].as_str().unwrap_or("dialog"),
                    p["message"].as_str().unwrap_or_default(),
                    p["url"].as_str().unwrap_or_default()
                ));
                // Answered from another thread: this one delivers the reply.
                let d = self.dialog.clone();
                std::thread::spawn(move || {
                    let _ = d.dismiss();
                });
            }
            Event::RuntimeConsoleAPICalled(e) => {
                let p = serde_json::to_value(&e.params).unwrap_or_default();
                let text = p["args"]
                    .as_array()
                    .map(|args| {
                        args.iter()
                            .map(|a| match &a["value"] {
                                Value::String(s) => s.clone(),
                                Value::Null => a["description"].as_str().unwrap_or("").to_string(),
                                v => v.to_string(),
                            })
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .unwrap_or_default();
                let level = match p["type"].as_str().unwrap_or("log") {
                    "error" | "assert" => "error",
                    "warning" => "warning",
                    other => other,
                };
                let url = p["stackTrace"]["callFrames"][0]["url"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                seen.console.push(Message {
                    source: "console".into(),
                    level: level.into(),
                    text,
                    url,
                });
            }
            Event::RuntimeExceptionThrown(e) => {
                let p = serde_json::to_value(&e.params).unwrap_or_default();
                let d = &p["exceptionDetails"];
                let text = d["exception"]["description"]
                    .as_str()
                    .or(d["text"].as_str())
                    .unwrap_or_default()
                    .to_string();
                seen.console.push(Message {
                    source: "exception".into(),
                    level: "error".into(),
                    text,
                    url: d["url"].as_str().unwrap_or_default().to_string(),
                });
            }
            Event::LogEntryAdded(e) => {
                let p = serde_json::to_value(&e.params.entry).unwrap_or_default();
                seen.console.push(Message {
                    source: p["source"].as_str().unwrap_or("other").into(),
                    level: p["level"].as_str().unwrap_or("info").into(),
                    text: p["text"].as_str().unwrap_or_default().into(),
                    url: p["url"].as_str().unwrap_or_default().into(),
                });
            }
            _ => {}
        }
    }
}

/// One tab of the shared browser, closed when dropped.
pub struct Page {
    tab: Arc<Tab>,
    test: String,
    seen: Arc<Mutex<Seen>>,
}

impl Page {
    /// Loads `url` and waits until it has loaded.
    pub fn open(&self, url: &str) -> &Self {
        self.tab
            .navigate_to(url)
            .and_then(|t| t.wait_until_navigated())
            .unwrap_or_else(|e| panic!("open {url}: {e:#}"));
        self
    }

    /// Waits for the navigation a click or key started to finish.
    pub fn wait_loaded(&self) -> &Self {
        self.tab
            .wait_until_navigated()
            .unwrap_or_else(|e| panic!("wait for the page to load: {e:#}"));
        self
    }

    /// The address the tab shows now.
    pub fn url(&self) -> String {
        self.eval("location.href")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The value of a JavaScript expression (in the page), as JSON.
    pub fn eval(&self, expression: &str) -> Value {
        let wrapped = format!("JSON.stringify(({expression}) ?? null)");
        let o = self
            .tab
            .evaluate(&wrapped, false)
            .unwrap_or_else(|e| panic!("evaluate {expression}: {e:#}"));
        match o.value {
            Some(Value::String(s)) => serde_json::from_str(&s).unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }

    /// How many elements match the CSS selector.
    pub fn count(&self, css: &str) -> usize {
        let n = self.eval(&format!(
            "document.querySelectorAll({}).length",
            js_string(css)
        ));
        n.as_u64().unwrap_or(0) as usize
    }

    /// Whether an element matches the CSS selector.
    pub fn exists(&self, css: &str) -> bool {
        self.count(css) > 0
    }

    /// The text a reader sees in the first element the selector matches
    /// (its `innerText`, trimmed). Panics, with the page's address, when
    /// nothing matches.
    pub fn text(&self, css: &str) -> String {
        self.try_text(css)
            .unwrap_or_else(|| panic!("no element matches {css:?} on {}", self.url()))
    }

    /// [`Page::text`], or `None` when nothing matches.
    pub fn try_text(&self, css: &str) -> Option<String> {
        let v = self.eval(&format!(
            "document.querySelector({})?.innerText?.trim()",
            js_string(css)
        ));
        v.as_str().map(str::to_string)
    }

    /// The text of every element the selector matches.
    pub fn texts(&self, css: &str) -> Vec<String> {
        let v = self.eval(&format!(
            "[...document.querySelectorAll({})].map(e => e.innerText.trim())",
            js_string(css)
        ));
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|s| s.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// An attribute of the first element the selector matches.
    pub fn attr(&self, css: &str, name: &str) -> Option<String> {
        let v = self.eval(&format!(
            "document.querySelector({})?.getAttribute({})",
            js_string(css),
            js_string(name)
        ));
        v.as_str().map(str::to_string)
    }

    /// Clicks the first element the selector matches, as a mouse does (it
    /// is scrolled into view first).
    pub fn click(&self, css: &str) -> &Self {
        self.tab
            .wait_for_element(css)
            .and_then(|e| e.click().map(|_| ()))
            .unwrap_or_else(|e| panic!("click {css:?} on {}: {e:#}", self.url()));
        self
    }

    /// Focuses the first element the selector matches and types `text`
    /// into it, key by key.
    pub fn type_into(&self, css: &str, text: &str) -> &Self {
        self.tab
            .wait_for_element(css)
            .and_then(|e| e.focus().map(|_| ()))
            .unwrap_or_else(|e| panic!("focus {css:?} on {}: {e:#}", self.url()));
        self.tab
            .type_str(text)
            .unwrap_or_else(|e| panic!("type {text:?}: {e:#}"));
        self
    }

    /// Presses one key on the element that has the focus (`"j"`, `"/"`,
    /// `"?"`, `"Enter"`, `"Escape"`, `"Tab"`, ...).
    pub fn press(&self, key: &str) -> &Self {
        self.tab
            .press_key(key)
            .unwrap_or_else(|e| panic!("press {key:?}: {e:#}"));
        self
    }

    /// The element that has the focus, described as `tag#id.class` with its
    /// text (for an assertion's message and for checks on where it is).
    pub fn focused(&self) -> Value {
        self.eval(
            "(() => { const e = document.activeElement; if (!e || e === document.body) return null; \
             return { tag: e.tagName.toLowerCase(), id: e.id, class: e.className, \
             name: e.getAttribute('name'), type: e.getAttribute('type'), \
             text: (e.innerText || e.value || '').trim().slice(0, 200) }; })()",
        )
    }

    /// Makes the page see `prefers-color-scheme: dark` (or `light`).
    pub fn color_scheme(&self, scheme: &str) -> &Self {
        let m: Emulation::SetEmulatedMedia = serde_json::from_value(json!({
            "features": [{ "name": "prefers-color-scheme", "value": scheme }]
        }))
        .expect("a media emulation");
        self.tab
            .call_method(m)
            .unwrap_or_else(|e| panic!("emulate prefers-color-scheme: {scheme}: {e:#}"));
        self
    }

    /// Sets the viewport, as a phone (`mobile`) or a desktop window.
    pub fn viewport(&self, width: u32, height: u32, mobile: bool) -> &Self {
        let m: Emulation::SetDeviceMetricsOverride = serde_json::from_value(json!({
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile
        }))
        .expect("a device metrics override");
        self.tab
            .call_method(m)
            .unwrap_or_else(|e| panic!("set the viewport to {width}x{height}: {e:#}"));
        self
    }

    /// A phone's viewport: 390 × 844 CSS pixels.
    pub fn phone(&self) -> &Self {
        self.viewport(390, 844, true)
    }

    /// The page's background colour as the browser computed it (of the
    /// body, or of the root when the body's is transparent), as `[r, g, b]`.
    pub fn background(&self) -> [u8; 3] {
        let v = self.eval(
            "(() => { const t = c => c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent'; \
             const b = getComputedStyle(document.body).backgroundColor; \
             return t(b) ? b : getComputedStyle(document.documentElement).backgroundColor; })()",
        );
        let s = v.as_str().unwrap_or_default();
        let n: Vec<u8> = s
            .trim_start_matches("rgba(")
            .trim_start_matches("rgb(")
            .trim_end_matches(')')
            .split(',')
            .filter_map(|p| p.trim().parse::<f64>().ok())
            .map(|f| f.round().clamp(0.0, 255.0) as u8)
            .collect();
        [
            n.first().copied().unwrap_or(255),
            n.get(1).copied().unwrap_or(255),
            n.get(2).copied().unwrap_or(255),
        ]
    }

    /// How much wider the document is than the viewport, in CSS pixels
    /// (0 when nothing scrolls sideways).
    pub fn horizontal_overflow(&self) -> i64 {
        let v = self
            .eval("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        v.as_i64().unwrap_or(0)
    }

    /// A full-page screenshot at `target/browser-artifacts/<test>/<name>.png`
    /// (the path is printed and returned).
    pub fn screenshot(&self, name: &str) -> PathBuf {
        let size = self.eval(
            "[Math.max(document.documentElement.scrollWidth, innerWidth), \
              Math.max(document.documentElement.scrollHeight, innerHeight)]",
        );
        let width = size[0].as_f64().unwrap_or(1280.0);
        let height = size[1].as_f64().unwrap_or(900.0);
        let shot: Cdp::CaptureScreenshot = serde_json::from_value(json!({
            "format": "png",
            "captureBeyondViewport": true,
            "clip": { "x": 0, "y": 0, "width": width, "height": height, "scale": 1 }
        }))
        .expect("a screenshot request");
        let data = self
            .tab
            .call_method(shot)
            .unwrap_or_else(|e| panic!("take a screenshot of {}: {e:#}", self.url()))
            .data;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data)
            .expect("the screenshot is base64");
        let dir = artifacts_dir().join(sanitize(&self.test));
        std::fs::create_dir_all(&dir).expect("make the artifacts folder");
        let path = dir.join(format!("{}.png", sanitize(name)));
        std::fs::write(&path, png).expect("write the screenshot");
        println!("screenshot: {}", path.display());
        path
    }

    /// The dialogs (`alert`, `confirm`, `prompt`, `beforeunload`) the page
    /// opened so far, each as "type "message" on URL".
    pub fn dialogs(&self) -> Vec<String> {
        self.settle();
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .dialogs
            .clone()
    }

    /// Every console message so far (scripts' `console.*` calls, uncaught
    /// exceptions, and the browser's own log: failed loads, blocked content).
    pub fn console(&self) -> Vec<Message> {
        self.settle();
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .console
            .clone()
    }

    /// The dialogs and the console messages so far, in one round trip (see
    /// [`Page::dialogs`] and [`Page::console`]).
    pub fn seen(&self) -> (Vec<String>, Vec<Message>) {
        self.settle();
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        (seen.dialogs.clone(), seen.console.clone())
    }

    /// The console messages of level `error`.
    pub fn console_errors(&self) -> Vec<Message> {
        self.console()
            .into_iter()
            .filter(Message::is_error)
            .collect()
    }

    /// Forgets the dialogs and console messages seen so far.
    pub fn clear_seen(&self) {
        self.settle();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.dialogs.clear();
        seen.console.clear();
    }

    /// Lets the events the browser already sent arrive: a round trip
    /// through the page after every task queued before it.
    fn settle(&self) {
        let _ = self
            .tab
            .evaluate("new Promise(r => setTimeout(r, 0))", true);
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        let _ = self.tab.close(false);
    }
}

/// Where screenshots go: `target/browser-artifacts` (of `CARGO_TARGET_DIR`
/// when set).
pub fn artifacts_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace_root().join("target"));
    target.join("browser-artifacts")
}

/// A file-name-safe version of a test or page name.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A Rust string as a JavaScript string literal.
pub fn js_string(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}
