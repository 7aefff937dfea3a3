//! The test harness: copy a fixture site into a temporary folder, change files in it, run the
//! real `clusterpress` binary with a cleared environment, and look at what it did.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes the benchmark's generated sites of `members` members into `dir`
/// (`dir/clusterpress`, `dir/hugo`) with `bench/gen`.
pub fn bench_gen(members: usize, dir: &Path) {
    let status = Command::new("python3")
        .arg(repo().join("bench/gen"))
        .args([&members.to_string(), &dir.display().to_string()])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs bench/gen (tests/run installs it)");
    assert!(status.success(), "bench/gen {members} failed");
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// A site in a temporary folder.
pub struct SiteTest {
    pub dir: tempfile::TempDir,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    pub fn success(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success, got {}\nstderr:\n{}",
            self.code, self.stderr
        );
        self
    }

    pub fn failure(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}, got {}\nstderr:\n{}",
            self.code, self.stderr
        );
        self
    }

    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

impl SiteTest {
    /// A copy of `tests/fixtures/base`.
    pub fn base() -> SiteTest {
        SiteTest::from_dir(&fixtures().join("base"))
    }

    /// A copy of any folder.
    pub fn from_dir(src: &Path) -> SiteTest {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_tree(src, &dir.path().join("site"));
        SiteTest { dir }
    }

    /// An empty temporary folder, for `new`.
    pub fn empty() -> SiteTest {
        SiteTest {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        let p = self.root().join(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(p).expect("rm dir");
        } else {
            std::fs::remove_file(p).expect("rm");
        }
        self
    }

    /// Runs `clusterpress ARGS` in the temporary folder, with a cleared environment and a
    /// fixed date.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }

    pub fn build(&self) -> Run {
        self.run(&["build", "site", "--now", "2026-11-27"])
    }

    pub fn check(&self) -> Run {
        self.run(&["check", "site", "--now", "2026-11-27"])
    }

    /// A file of the built site, as text.
    pub fn output(&self, rel: &str) -> String {
        let p = self.public().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }
}

pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_clusterpress"))
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .expect("run clusterpress")
        .into()
}

pub fn copy_tree(src: &Path, dst: &Path) {
    for entry in walkdir(src) {
        let rel = entry.strip_prefix(src).expect("prefix");
        let target = dst.join(rel);
        if entry.is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
            std::fs::copy(&entry, &target).expect("copy");
        }
    }
}

fn walkdir(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![root.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        if out[i].is_dir() {
            let mut children: Vec<PathBuf> = std::fs::read_dir(&out[i])
                .expect("read dir")
                .map(|e| e.expect("entry").path())
                .collect();
            children.sort();
            out.extend(children);
        }
        i += 1;
    }
    out
}

/// Every file under `root` with its bytes, by relative path.
pub fn snapshot_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir(root)
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.strip_prefix(root)
                    .expect("prefix")
                    .to_string_lossy()
                    .replace('\\', "/"),
                std::fs::read(&p).expect("read"),
            )
        })
        .collect()
}

/// Compares `actual` with the file `expected`; with `UPDATE_EXPECT=1` rewrites the file.
pub fn assert_expected(expected: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(expected, actual).expect("update expectation");
        return;
    }
    let want = std::fs::read_to_string(expected).unwrap_or_else(|_| {
        panic!(
            "missing {}; run with UPDATE_EXPECT=1 to create it",
            expected.display()
        )
    });
    assert_eq!(
        want,
        actual,
        "output differs from {} (run with UPDATE_EXPECT=1 to accept)",
        expected.display()
    );
}

/// One HTTP exchange with a server on 127.0.0.1:`port`, on a fresh connection: the reply's
/// status (0 if there was none), head and body. A connection the server cuts short gives what
/// came before.
pub struct HttpReply {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

pub fn http(port: u16, request: &str) -> HttpReply {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n");
    let (head, body) = match split {
        Some(at) => (&bytes[..at], bytes[at + 4..].to_vec()),
        None => (&bytes[..], Vec::new()),
    };
    let head = String::from_utf8_lossy(head).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    HttpReply { status, head, body }
}

/// Each VEVENT of `ics` as its unfolded lines.
pub fn vevents(ics: &str) -> Vec<Vec<String>> {
    let unfolded = ics.replace("\r\n ", "");
    unfolded
        .split("BEGIN:VEVENT")
        .skip(1)
        .map(|b| {
            b.split("END:VEVENT")
                .next()
                .unwrap_or_default()
                .lines()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// The unfolded lines of the VEVENT whose SUMMARY is `title`.
pub fn vevent(ics: &str, title: &str) -> Vec<String> {
    vevents(ics)
        .into_iter()
        .find(|lines| lines.iter().any(|l| l == &format!("SUMMARY:{title}")))
        .unwrap_or_else(|| panic!("no event {title} in\n{ics}"))
}

/// Whether `lines` has `line`.
pub fn has(lines: &[String], line: &str) -> bool {
    lines.iter().any(|l| l == line)
}
