//! The harness of the command-line and HTTP tests: the `newsdesk` binary run
//! on a data folder as a user runs it, a long-running command (`serve`,
//! `run`) with its log read line by line, and a plain HTTP/1.1 client for
//! what `serve` answers.
//!
//! The binary's path comes from the test (`env!("CARGO_BIN_EXE_newsdesk")`
//! exists only in the binary crate's own tests), so a test binary holds one
//! [`Cli`] and calls everything through it.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;

/// How long a test waits for a line it expects, or for a process to stop,
/// before it calls the process hung: a guard against a hang, not a limit
/// on how fast anything must be.
const GUARD: Duration = Duration::from_secs(600);

/// The `newsdesk` binary under test.
#[derive(Debug, Clone)]
pub struct Cli {
    bin: PathBuf,
}

impl Cli {
    pub fn new(bin: impl Into<PathBuf>) -> Cli {
        Cli { bin: bin.into() }
    }

    /// `newsdesk [--data-dir DATA]`, ready for its arguments. No `NEWSDESK_*`
    /// variable of the caller's is passed on (keys, a data folder, failpoints
    /// and settings are the test's to set), and audit entries name
    /// `test-editor`.
    pub fn command(&self, data: Option<&Path>) -> Command {
        let mut c = Command::new(&self.bin);
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("NEWSDESK_") {
                c.env_remove(key);
            }
        }
        c.env("NEWSDESK_EDITOR", "test-editor");
        if let Some(data) = data {
            c.arg("--data-dir").arg(data);
        }
        c
    }

    /// `newsdesk --data-dir DATA ARGS...`.
    pub fn run(&self, data: &Path, args: &[&str]) -> Output {
        self.run_env(data, args, &[])
    }

    /// `newsdesk --data-dir DATA ARGS...` with `env` set.
    pub fn run_env(&self, data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = self.command(Some(data));
        c.args(args).envs(env.iter().copied());
        c.output().expect("run newsdesk")
    }

    /// `newsdesk ARGS...` without a data folder (commands that need none).
    pub fn run_bare(&self, args: &[&str]) -> Output {
        self.command(None)
            .args(args)
            .output()
            .expect("run newsdesk")
    }

    /// Runs a command that must succeed; returns its standard output.
    pub fn ok(&self, data: &Path, args: &[&str]) -> String {
        stdout(&self.ok_output(data, args))
    }

    /// Runs a command that must succeed; returns what it printed, standard
    /// output then standard error.
    pub fn ok_all(&self, data: &Path, args: &[&str]) -> String {
        both(&self.ok_output(data, args))
    }

    fn ok_output(&self, data: &Path, args: &[&str]) -> Output {
        let o = self.run(data, args);
        assert!(
            o.status.success(),
            "newsdesk {args:?} failed\n{}",
            describe(&o)
        );
        o
    }

    /// The store's articles as `export --format jsonl` gives them.
    pub fn export_jsonl(&self, data: &Path) -> Vec<Value> {
        json_lines(&self.ok(data, &["export", "--format", "jsonl"]))
    }

    /// Starts `newsdesk --data-dir DATA ARGS...`, its output read on threads
    /// (so it never blocks on a full pipe) and its standard error kept line
    /// by line.
    pub fn spawn(&self, data: &Path, args: &[&str]) -> Running {
        let mut child = self
            .command(Some(data))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start newsdesk");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (tx, lines) = mpsc::channel();
        let stderr_reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut out = child.stdout.take().expect("stdout is piped");
        let stdout_reader = std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = out.read_to_end(&mut text);
            String::from_utf8_lossy(&text).into_owned()
        });
        Running {
            child,
            lines,
            log: Vec::new(),
            readers: Some((stderr_reader, stdout_reader)),
        }
    }

    /// Starts `newsdesk --data-dir DATA serve --addr 127.0.0.1:0 ARGS...` and
    /// waits for the line saying where it listens.
    pub fn serve(&self, data: &Path, args: &[&str]) -> Served {
        let mut all = vec!["serve", "--addr", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let mut process = self.spawn(data, &all);
        let line = process.wait_for(|l| l.contains("\"listening\""));
        Served {
            addr: listening_addr(&line),
            process,
        }
    }
}

/// The address in a server's `"listening"` log line.
pub fn listening_addr(line: &str) -> String {
    let v: Value = serde_json::from_str(line).expect("the listening line is JSON");
    v["addr"]
        .as_str()
        .expect("the listening line names its address")
        .to_string()
}

/// Output of one JSON value per line, parsed.
pub fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("one JSON value per line"))
        .collect()
}

/// A command's standard output.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A command's standard error.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output then standard error.
pub fn both(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

/// The standard output of a command that must have succeeded (the
/// assertion's message shows everything it printed).
pub fn succeeded(o: &Output) -> String {
    assert!(o.status.success(), "newsdesk failed\n{}", describe(o));
    stdout(o)
}

/// Status, standard output and standard error, for an assertion's message.
pub fn describe(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status,
        stdout(o),
        stderr(o)
    )
}

/// A long-running `newsdesk` (`serve`, `run`). Killed when dropped (a
/// failed test leaves no process behind).
pub struct Running {
    pub child: Child,
    lines: mpsc::Receiver<String>,
    log: Vec<String>,
    readers: Option<(JoinHandle<()>, JoinHandle<String>)>,
}

/// How a [`Running`] command ended.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    /// Every line of its standard error.
    pub log: Vec<String>,
}

impl Running {
    /// Reads the log until a line `want` accepts and returns it (the lines
    /// before it are kept in [`Running::log`]). Panics with the log when the
    /// process ends first or says nothing for a long while.
    pub fn wait_for(&mut self, mut want: impl FnMut(&str) -> bool) -> String {
        loop {
            match self.lines.recv_timeout(GUARD) {
                Ok(line) => {
                    self.log.push(line.clone());
                    if want(&line) {
                        return line;
                    }
                }
                Err(e) => {
                    let _ = self.child.kill();
                    panic!(
                        "newsdesk never wrote the line this test waits for ({e}):\n{}",
                        self.log.join("\n")
                    );
                }
            }
        }
    }

    /// The log lines read so far.
    pub fn log(&self) -> &[String] {
        &self.log
    }

    /// Sends SIGINT and waits for the process to end (with the guard against
    /// a hang); returns its status, output and whole log.
    pub fn interrupt(&mut self) -> Finished {
        let sent = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -INT failed");
        let mut waited = Duration::ZERO;
        let step = Duration::from_millis(100);
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for newsdesk") {
                break status;
            }
            if waited > GUARD {
                let _ = self.child.kill();
                panic!(
                    "newsdesk did not stop after SIGINT:\n{}",
                    self.log.join("\n")
                );
            }
            std::thread::sleep(step);
            waited += step;
        };
        let mut stdout = String::new();
        if let Some((err, out)) = self.readers.take() {
            let _ = err.join();
            stdout = out.join().unwrap_or_default();
        }
        self.log.extend(self.lines.try_iter());
        Finished {
            status,
            stdout,
            log: self.log.clone(),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A running `newsdesk serve` and the address it listens on.
pub struct Served {
    pub process: Running,
    pub addr: String,
}

impl Served {
    /// `GET path`: status and body as text.
    pub fn get(&self, path: &str) -> (u16, String) {
        http(&self.addr, "GET", path, &[], "")
    }
}

/// One HTTP/1.1 request to `addr` (`host:port`); the status and the body
/// (a chunked body put together).
pub fn http_bytes(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Vec<u8>) {
    let (head, body) = exchange(addr, method, path, headers, body);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("a status line");
    let body = if head.contains("transfer-encoding: chunked") {
        dechunk(&body)
    } else {
        body
    };
    (status, body)
}

/// The response head (status line and headers, lower-cased) of one
/// `GET path` to `addr`.
pub fn http_head(addr: &str, path: &str, headers: &[(&str, &str)]) -> String {
    let (head, _) = exchange(addr, "GET", path, headers, "");
    head
}

/// [`http_bytes`] with the body as text.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let (status, body) = http_bytes(addr, method, path, headers, body);
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// One HTTP/1.1 request: the response head, lower-cased, and its raw body.
fn exchange(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (String, Vec<u8>) {
    let mut s = std::net::TcpStream::connect(addr).expect("connect to the server");
    s.set_read_timeout(Some(GUARD)).expect("set a read timeout");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.write_all(req.as_bytes()).expect("send the request");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read the response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response");
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    (head, raw[split + 4..].to_vec())
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = b.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&b[..end]).trim(), 16).unwrap_or(0);
        let Some(chunk) = b.get(end + 2..end + 2 + size).filter(|_| size > 0) else {
            break;
        };
        out.extend_from_slice(chunk);
        b = b.get(end + 2 + size + 2..).unwrap_or_default();
    }
    out
}
