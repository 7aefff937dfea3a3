//! `clusterpress serve`: the real binary on a random port, spoken to over real sockets, with
//! files edited under it as an author would.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{SiteTest, repo};

/// A running `serve`, stopped when dropped.
struct Served {
    child: Child,
    port: u16,
    stderr: Arc<Mutex<String>>,
}

/// One HTTP response.
struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Served {
    /// Starts `serve` and waits until its first build is done.
    fn start(site: &SiteTest) -> Served {
        let served = Served::spawn(site);
        served.said("(Ctrl-C to stop)");
        served
    }

    /// Starts `serve` and returns as soon as it listens, while its first build runs.
    fn spawn(site: &SiteTest) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clusterpress"))
            .args(["serve", "site", "--port", "0", "--now", "2026-11-27"])
            .current_dir(site.dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let pipe = child.stderr.take().expect("stderr");
        let mut served = Served {
            child,
            port: 0,
            stderr: Arc::clone(&stderr),
        };
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                let mut log = stderr.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let listening = "for http://127.0.0.1:";
        let text = served.said(listening);
        let rest = &text[text.find(listening).unwrap() + listening.len()..];
        served.port = rest[..rest.find('/').unwrap()].parse().unwrap();
        served
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until the terminal shows `needle`.
    fn said(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let text = self.stderr();
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "serve never said {needle:?}:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn raw(&self, request: &str) -> Reply {
        let reply = crate::support::http(self.port, request);
        Reply {
            status: reply.status,
            head: reply.head,
            body: String::from_utf8_lossy(&reply.body).into_owned(),
        }
    }

    fn request(&self, method: &str, target: &str) -> Reply {
        self.raw(&format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        ))
    }

    fn get(&self, target: &str) -> Reply {
        self.request("GET", target)
    }

    /// Listens to the live-reload stream, as the page's script does.
    fn events(&self) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .write_all(b"GET /__clusterpress/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let mut events = Events {
            stream,
            buffer: String::new(),
        };
        // The stream is open once its head has come.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !events.buffer.contains("retry:") {
            events.fill();
            assert!(
                Instant::now() < deadline,
                "no event stream: {}",
                events.buffer
            );
        }
        events
    }

    /// Sends Ctrl-C and returns the exit code.
    fn interrupt(mut self) -> (i32, String) {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(100));
                return (status.code().unwrap_or(-1), self.stderr());
            }
            assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Events {
    stream: TcpStream,
    buffer: String,
}

impl Events {
    fn fill(&mut self) {
        let mut chunk = [0u8; 65536];
        if let Ok(n) = self.stream.read(&mut chunk) {
            self.buffer.push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    }

    /// The data of the next event called `name`, skipping others; panics after 20 s.
    fn next(&mut self, name: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let event: String = self.buffer.drain(..end + 2).collect();
                let field = |key: &str| {
                    event
                        .lines()
                        .find_map(|l| l.strip_prefix(key))
                        .map(str::to_string)
                };
                if field("event: ").as_deref() == Some(name) {
                    return field("data: ").unwrap_or_default();
                }
            }
            assert!(
                Instant::now() < deadline,
                "no `{name}` event; got: {}",
                self.buffer
            );
            self.fill();
        }
    }
}

fn example() -> SiteTest {
    let site = SiteTest::from_dir(&repo().join("tests/fixtures/example-en"));
    let _ = std::fs::remove_dir_all(site.public());
    site
}

fn edit(site: &SiteTest, rel: &str, change: impl Fn(String) -> String) {
    let path = site.root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = change(text.clone());
    assert_ne!(text, changed, "the edit of {rel} changes nothing");
    std::fs::write(path, changed).unwrap();
}

/// A file of a site and a change to make to its text.
type Edit<'a> = (&'a str, &'a dyn Fn(String) -> String);

/// Makes each edit in turn, each once the served site has reloaded after the one before.
fn edit_each(site: &SiteTest, events: &mut Events, edits: &[Edit]) {
    for (file, change) in edits {
        edit(site, file, change);
        events.next("reload");
    }
}

const MEMBER: &str = "content/members/baar-formenbau.md";

#[test]
fn an_edited_page_is_rebuilt_alone_and_the_browser_is_told_to_reload_it() {
    let site = example();
    let served = Served::start(&site);
    let page = served.get("/members/baar-formenbau/");
    assert_eq!(page.status, 200);
    assert!(page.head.contains("Content-Type: text/html; charset=utf-8"));
    // One response per connection: browsers never wait on a kept-alive one.
    assert!(page.head.contains("Connection: close"));
    assert!(page.body.contains("Baar Werkzeug- und Formenbau GmbH"));
    assert!(
        page.body
            .contains("<script src=\"/__clusterpress/live.js\"></script></body>")
    );
    assert!(!page.body.contains("A paragraph written while serving"));

    let mut events = served.events();
    edit(&site, MEMBER, |t| {
        t + "\nA paragraph written while serving.\n"
    });
    let data = events.next("reload");
    assert_eq!(data, r#"["/members/baar-formenbau/"]"#);
    let page = served.get("/members/baar-formenbau/");
    assert!(page.body.contains("A paragraph written while serving."));
    served.said("content/members/baar-formenbau.md: 1 page in");
    // The live-reload script is the one the page loads.
    let script = served.get("/__clusterpress/live.js");
    assert_eq!(script.status, 200);
    assert!(script.head.contains("text/javascript"));
    assert!(
        script
            .body
            .contains("new EventSource(\"/__clusterpress/events\")")
    );
}

#[test]
fn a_renamed_member_reaches_the_directory_and_its_term_pages() {
    let site = example();
    let served = Served::start(&site);
    let term = "/sectors/tooling-mould-making/";
    assert!(
        served
            .get(term)
            .body
            .contains("Baar Werkzeug- und Formenbau GmbH")
    );
    let mut events = served.events();
    edit(&site, MEMBER, |t| {
        t.replace(
            "name: Baar Werkzeug- und Formenbau GmbH",
            "name: Baar Formenbau Renamed GmbH",
        )
    });
    let data = events.next("reload");
    for path in ["/members/baar-formenbau/", "/members/", term, "/"] {
        assert!(
            data.contains(&format!("\"{path}\"")),
            "{path} not in {data}"
        );
    }
    for path in ["/members/baar-formenbau/", "/members/", term] {
        let body = served.get(path).body;
        assert!(body.contains("Baar Formenbau Renamed GmbH"), "{path}");
        assert!(
            !body.contains("Baar Werkzeug- und Formenbau GmbH"),
            "{path}"
        );
    }
    // Other members' pages were not rendered again.
    assert!(!data.contains("/members/achertal-digital/"), "{data}");
}

#[test]
fn a_broken_edit_shows_its_error_over_the_page_and_the_server_stays_up() {
    let site = example();
    let served = Served::start(&site);
    let mut events = served.events();
    edit(&site, MEMBER, |t| {
        t.replace("employees: 58", "employees: [58")
    });
    let errors = events.next("errors");
    assert!(
        errors.contains("content/members/baar-formenbau.md:18"),
        "{errors}"
    );
    assert!(errors.contains("employees"), "{errors}");
    // The last good site is still served, and a browser that connects now sees the error.
    let page = served.get("/members/baar-formenbau/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Baar Werkzeug- und Formenbau GmbH"));
    assert!(served.get("/").status == 200);
    let mut late = served.events();
    assert!(late.next("errors").contains("employees"));

    edit(&site, MEMBER, |t| {
        t.replace("employees: [58", "employees: 61")
    });
    events.next("clear");
    events.next("reload");
    late.next("clear");
    let page = served.get("/members/baar-formenbau/");
    assert!(page.body.contains("61"), "the fixed page is served");
    served.said("still serving the last version that built");
}

#[test]
fn a_template_edit_renders_its_pages_and_a_stylesheet_edit_swaps_styles() {
    let site = example();
    let theme_404 =
        std::fs::read_to_string(repo().join("themes/default/templates/404.html")).unwrap();
    site.write("templates/404.html", &theme_404);
    site.write("static/extra.css", "body { color: black; }\n");
    let served = Served::start(&site);
    let mut events = served.events();

    site.write(
        "templates/404.html",
        &theme_404.replacen(
            "{% block main %}",
            "{% block main %}<p>Lost in the cluster</p>",
            1,
        ),
    );
    let data = events.next("reload");
    assert_eq!(data, r#"["/404.html"]"#);
    let missing = served.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Lost in the cluster"));

    site.write("static/extra.css", "body { color: navy; }\n");
    events.next("css");
    assert!(served.get("/extra.css").body.contains("navy"));
}

#[test]
fn requests_get_only_the_sites_files_with_the_right_status_and_type() {
    let site = example();
    let served = Served::start(&site);
    for target in [
        "/../cluster.yaml",
        "/%2e%2e/cluster.yaml",
        "/%2e%2e%2fcluster.yaml",
        "/members/..%2f..%2fcluster.yaml",
        "/..%5ccluster.yaml",
        "/members\\..\\..\\cluster.yaml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/content/members/baar-formenbau.md",
        "/cluster.yaml",
        "/index.html%00.css",
    ] {
        let reply = served.get(target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(!reply.body.contains("base_url"), "{target}");
    }
    // The site's own 404 page, with its status.
    let missing = served.get("/members/nobody/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<title>"));
    assert!(missing.body.contains("live.js"));
    // A folder without its slash is redirected to it.
    let folder = served.get("/members");
    assert_eq!(folder.status, 301);
    assert!(folder.head.contains("Location: /members/"));
    // HEAD: the headers of GET, no body.
    let head = served.request("HEAD", "/members/");
    assert_eq!(head.status, 200);
    assert!(head.head.contains("Content-Length:"));
    assert!(head.body.is_empty());
    assert_eq!(served.request("POST", "/").status, 405);
    let long = format!("/{}", "a".repeat(10_000));
    assert_eq!(served.get(&long).status, 414);
    let css = served.get("/clusterpress.css");
    assert_eq!(css.status, 200);
    assert!(css.head.contains("Content-Type: text/css; charset=utf-8"));
    let logo = served.get("/logos/baar-formenbau.svg");
    assert_eq!(logo.status, 200);
    assert!(logo.head.contains("image/svg+xml"));

    // Many requests at once are all answered.
    let port = served.port;
    let workers: Vec<_> = (0..16)
        .map(|_| {
            std::thread::spawn(move || {
                (0..10)
                    .map(|_| {
                        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                        s.write_all(
                            b"GET /members/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                        )
                        .unwrap();
                        let mut out = String::new();
                        let _ = s.read_to_string(&mut out);
                        out.starts_with("HTTP/1.1 200")
                    })
                    .filter(|ok| *ok)
                    .count()
            })
        })
        .collect();
    let answered: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert_eq!(answered, 160);
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = example();
    let served = Served::start(&site);
    assert_eq!(served.get("/").status, 200);
    let (code, stderr) = served.interrupt();
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Stopped."), "{stderr}");
    assert!(!site.public().exists(), "serve writes no output folder");
}

#[test]
fn an_event_edit_reaches_its_list_its_feed_and_the_pages_of_its_participants() {
    let site = example();
    let served = Served::start(&site);
    let event = "content/events/trade-mission-japan-2027.md";
    let mut events = served.events();
    edit(&site, event, |t| {
        t + "\nA sentence added to the mission's text.\n"
    });
    assert_eq!(
        events.next("reload"),
        r#"["/events/trade-mission-japan-2027/"]"#
    );
    assert!(
        served
            .get("/events/atom.xml")
            .body
            .contains("A sentence added to the mission")
    );

    edit(&site, event, |t| {
        t.replace(
            "title: \"Trade mission to Japan: Suwa, Nagano and Tokyo\"",
            "title: \"Mission to Nagano\"",
        )
    });
    let data = events.next("reload");
    for path in [
        "/events/trade-mission-japan-2027/",
        "/events/",
        "/members/hegau-drehteile/",
    ] {
        assert!(
            data.contains(&format!("\"{path}\"")),
            "{path} not in {data}"
        );
        assert!(
            served.get(path).body.contains("Mission to Nagano"),
            "{path}"
        );
    }
    // A member that does not take part is left alone.
    assert!(!data.contains("\"/members/baar-formenbau/\""), "{data}");
    assert!(
        served
            .get("/events/atom.xml")
            .body
            .contains("Mission to Nagano")
    );
}

/// Every file of a fresh build, fetched from the server after a series of edits, is the same:
/// the incremental rebuilds missed nothing that depends on what changed.
#[test]
fn after_a_series_of_edits_the_served_site_equals_a_fresh_build() {
    let site = example();
    let served = Served::start(&site);
    let mut events = served.events();
    // Each kind of edit once: a body, a member's name (its lists and term pages), an event's
    // participants (the members' pages), a new first paragraph (the summary on cards), the
    // home page, a sector (counts shown on every page), and a job offer that expires (the
    // list, the feed, the employer's profile and the sitemap).
    let edits: [Edit; 7] = [
        (MEMBER, &|t| t + "\nA body edit.\n"),
        (MEMBER, &|t| {
            t.replace(
                "name: Baar Werkzeug- und Formenbau GmbH",
                "name: Baar Moulds GmbH",
            )
        }),
        ("content/events/trade-mission-japan-2027.md", &|t| {
            t.replace(
                "participants: [schwarzwald-sensorik,",
                "participants: [baar-formenbau, schwarzwald-sensorik,",
            )
        }),
        ("content/members/hegau-drehteile.md", &|t| {
            t.replacen(
                "\n---\n",
                "\n---\nA new first paragraph, so a new summary.\n\n",
                1,
            )
        }),
        ("content/_index.md", &|t| {
            t + "\nMore words on the home page.\n"
        }),
        (MEMBER, &|t| {
            t.replace(
                "sectors: [Tooling & mould making, Plastics & injection moulding]",
                "sectors: [Tooling & mould making, Medical technology]",
            )
        }),
        ("content/jobs/cnc-programmer-birseck.md", &|t| {
            t.replace("valid_through: 2027-01-31", "valid_through: 2026-11-20")
        }),
    ];
    edit_each(&site, &mut events, &edits);
    let built = served_equals_a_fresh_build(&site, &served);
    assert!(built.len() > 200);
    // The search index is served as made when serving started.
    let index = served.get("/search/index.json");
    assert_eq!(index.status, 200);
    assert!(index.body.contains(r#""kinds":[["members","Members",0]"#));
}

/// Builds `site` afresh for the address it is served at, checks that every file of that
/// build is served with the same bytes (but for the live-reload script), and returns it.
fn served_equals_a_fresh_build(
    site: &SiteTest,
    served: &Served,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    let url = format!("http://127.0.0.1:{}/", served.port);
    let out = site.dir.path().join("fresh");
    site.run(&[
        "build",
        "site",
        "--now",
        "2026-11-27",
        "--base-url",
        &url,
        "--output",
        out.to_str().unwrap(),
    ])
    .success();
    let built = crate::support::snapshot_tree(&out);
    let script = "<script src=\"/__clusterpress/live.js\"></script>";
    // (`.clusterpress` marks the folder as made by a build; it is not part of the site. The
    // search index is made when serving starts, not on each save: the search page says so.)
    let stale_index = |f: &str| f.contains("search/") && f.ends_with(".json");
    for (file, bytes) in built
        .iter()
        .filter(|(f, _)| *f != ".clusterpress" && !stale_index(f))
    {
        let reply = served.get(&format!("/{file}"));
        assert_eq!(reply.status, 200, "{file}");
        let served_text = reply.body.replace(script, "");
        assert!(
            served_text == String::from_utf8_lossy(bytes),
            "{file} differs from a fresh build"
        );
    }
    built
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let site = example();
    edit(&site, MEMBER, |t| {
        t.replace("employees: 58", "employees: many")
    });
    let served = Served::start(&site);
    served.said("still serving nothing until they are fixed");
    let home = served.get("/");
    assert_eq!(home.status, 404);
    assert!(home.body.contains("live.js"), "the error can be shown");
    let mut events = served.events();
    assert!(events.next("errors").contains("employees"));
    edit(&site, MEMBER, |t| {
        t.replace("employees: many", "employees: 58")
    });
    events.next("clear");
    events.next("reload");
    assert_eq!(served.get("/").status, 200);
}

#[test]
fn serve_refuses_a_missing_folder_and_a_taken_port() {
    let site = example();
    site.run(&["serve", "no-such-site"])
        .failure(2)
        .stderr_has("there is no folder `no-such-site`");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    site.run(&["serve", "site", "--port", &port])
        .failure(2)
        .stderr_has(&format!("cannot listen on 127.0.0.1:{port}"));
}

/// Sends raw bytes on a new connection and reads whatever comes back within a few seconds.
fn exchange(port: u16, bytes: &[u8]) -> Vec<u8> {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return Vec::new();
    };
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = s.write_all(bytes);
    let _ = s.shutdown(std::net::Shutdown::Write);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    out
}

#[test]
fn serve_under_abuse_stays_up_and_serves_only_the_sites_files() {
    let site = example();
    let served = Served::start(&site);
    let port = served.port;
    let secret = "base_url:"; // a line of cluster.yaml, which is not part of the site
    std::fs::write(site.dir.path().join("secret.txt"), "TOP-SECRET").unwrap();

    // Slow clients: connections that trickle a request byte by byte, and idle ones that
    // never send anything, held open through the whole test.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut slow = Vec::new();
    for i in 0..60 {
        let stop = Arc::clone(&stop);
        slow.push(std::thread::spawn(move || {
            let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
                return;
            };
            let request = b"GET /members/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
            let mut sent = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                if i % 2 == 0 && sent < request.len() {
                    let _ = s.write_all(&request[sent..=sent]);
                    sent += 1;
                } else if i % 2 == 0 {
                    let _ = s.write_all(b"a");
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }));
    }

    // Malformed requests and traversal attempts, mixed into the load below.
    let mut long_header = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ".to_vec();
    long_header.extend(std::iter::repeat_n(b'a', 200_000));
    long_header.extend(b"\r\n\r\n");
    let hostile: Vec<Vec<u8>> = vec![
        b"\x00\x01\x02\xff\xfe garbage\r\n\r\n".to_vec(),
        b"GET\r\n\r\n".to_vec(),
        b"GET /\r\n\r\n".to_vec(),
        b"GET / HTTP/9.9\r\n\r\n".to_vec(),
        b"GET http://evil.example/../../secret.txt HTTP/1.1\r\nHost: evil\r\n\r\n".to_vec(),
        b"GET /../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /..%2f..%2fsecret.txt HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /%2e%2e/%2e%2e/cluster.yaml HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /\xc0\xae\xc0\xae/cluster.yaml HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /members/%00/../../cluster.yaml HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /../../../../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /..\\..\\..\\secret.txt HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n".to_vec(),
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\nabc".to_vec(),
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec(),
        b"CONNECT 127.0.0.1:22 HTTP/1.1\r\n\r\n".to_vec(),
        long_header,
    ];
    let hostile = Arc::new(hostile);

    // 10,000 requests from 50 clients at once.
    let pages = [
        "/",
        "/members/",
        "/members/baar-formenbau/",
        "/events/",
        "/clusterpress.css",
        "/logos/baar-formenbau.svg",
        "/members.json",
        "/sitemap.xml",
        "/nope/",
    ];
    let started = Instant::now();
    let clients: Vec<_> = (0..50)
        .map(|c| {
            let hostile = Arc::clone(&hostile);
            std::thread::spawn(move || {
                let mut ok = 0;
                for n in 0..200 {
                    if (c + n) % 10 == 0 {
                        let reply = exchange(port, &hostile[(c * 7 + n) % hostile.len()]);
                        let text = String::from_utf8_lossy(&reply);
                        // Refused, or answered with a page of the site (`GET /` in HTTP/0.9
                        // style gets the home page): never a file from outside it.
                        assert!(
                            !text.contains(secret)
                                && !text.contains("TOP-SECRET")
                                && !text.contains("root:x:0:0"),
                            "a file outside the site was served: {text}"
                        );
                        continue;
                    }
                    let page = pages[(c + n) % pages.len()];
                    let request = format!(
                        "GET {page} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    );
                    let reply = exchange(port, request.as_bytes());
                    let text = String::from_utf8_lossy(&reply);
                    let want = if page == "/nope/" {
                        "HTTP/1.1 404"
                    } else {
                        "HTTP/1.1 200"
                    };
                    assert!(
                        text.starts_with(want),
                        "{page}: {}",
                        &text[..text.len().min(200)]
                    );
                    ok += 1;
                }
                ok
            })
        })
        .collect();
    let answered: usize = clients.into_iter().map(|c| c.join().unwrap()).sum();
    assert_eq!(answered, 9_000, "every well-formed request is answered");
    let took = started.elapsed();

    // Still up, still serving, with the slow clients still connected.
    assert_eq!(served.get("/members/").status, 200);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for s in slow {
        s.join().unwrap();
    }
    assert_eq!(served.get("/").status, 200);
    eprintln!("10,000 requests from 50 clients in {took:?}");
}

/// What a hostile connection does, in `serve_under_300_hostile_connections_...`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Hostility {
    /// Sends a request head a byte at a time, never ending it.
    SlowHead,
    /// Sends a head declaring a body, then the body a byte at a time.
    SlowBody,
    /// Connects and sends nothing.
    Idle,
    /// Listens to the live-reload event stream.
    Events,
}

/// One hostile connection, opened again whenever the server closes it.
struct Hostile {
    kind: Hostility,
    stream: TcpStream,
    sent: usize,
    received: Vec<u8>,
    /// Times the server closed it.
    closed: usize,
}

impl Hostile {
    fn open(port: u16, kind: Hostility) -> Hostile {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let opening: &[u8] = match kind {
            Hostility::SlowBody => {
                b"GET /members/ HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n"
            }
            Hostility::Events => b"GET /__clusterpress/events HTTP/1.1\r\nHost: x\r\n\r\n",
            Hostility::SlowHead | Hostility::Idle => b"",
        };
        stream.write_all(opening).expect("write");
        stream.set_nonblocking(true).expect("nonblocking");
        Hostile {
            kind,
            stream,
            sent: 0,
            received: Vec::new(),
            closed: 0,
        }
    }

    /// One step: a byte more for the slow ones, whatever came back read; reopened if closed.
    fn step(&mut self, port: u16) {
        let head = b"GET /members/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
        let byte = match self.kind {
            Hostility::SlowHead => Some(*head.get(self.sent).unwrap_or(&b'a')),
            Hostility::SlowBody => Some(b'a'),
            Hostility::Idle | Hostility::Events => None,
        };
        if let Some(byte) = byte
            && self.stream.write_all(&[byte]).is_ok()
        {
            self.sent += 1;
        }
        let mut chunk = [0u8; 4096];
        let open = loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => break false,
                Ok(n) => self.received.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break true,
                Err(_) => break false,
            }
        };
        if !open {
            let (closed, received) = (self.closed + 1, std::mem::take(&mut self.received));
            *self = Hostile::open(port, self.kind);
            self.closed = closed;
            self.received = received;
        }
    }
}

/// Issue 17: one request declaring a huge body aborted the server; sixteen clients holding
/// their sockets stalled everyone; 200 idle sockets delayed the first request by 10 s. Now,
/// with 300 hostile connections open (slow heads, slow bodies, idle sockets and live-reload
/// streams, each opened again as soon as the server closes it), every normal request is
/// answered within 200 ms. Each request is timed from the test, from connecting to the last
/// byte of the answer; the run lasts past the server's 10 s limit for request heads, so the
/// slow and idle connections are cut and come back while it is measured. (A timing in a
/// pass/fail test, which the style notes keep for benchmarks, because the issue makes it the
/// requirement; answers take about a millisecond, so the bound leaves room for a loaded
/// machine.)
#[test]
fn serve_under_300_hostile_connections_answers_each_request_within_200_ms() {
    let site = example();
    let served = Served::start(&site);
    let port = served.port;
    let kinds = [
        (Hostility::SlowHead, 80),
        (Hostility::SlowBody, 80),
        (Hostility::Idle, 80),
        (Hostility::Events, 60),
    ];
    let hostile: Vec<Hostile> = kinds
        .iter()
        .flat_map(|&(kind, n)| (0..n).map(move |_| Hostile::open(port, kind)))
        .collect();
    assert_eq!(hostile.len(), 300);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let pressure = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut hostile = hostile;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                for h in &mut hostile {
                    h.step(port);
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            hostile
        })
    };
    // Let the server take them all in.
    std::thread::sleep(Duration::from_millis(500));

    let declared = "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n";
    let mut took = Vec::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(13) {
        // The request that used to abort the server: refused, unread.
        assert_eq!(served.raw(declared).status, 413);
        let page = "/members/baar-formenbau/";
        let asked = Instant::now();
        let reply = served.get(page);
        let t = asked.elapsed();
        assert_eq!(reply.status, 200, "{page}");
        assert!(reply.body.contains("Baar Werkzeug- und Formenbau GmbH"));
        assert!(
            t < Duration::from_millis(200),
            "{page} took {t:?} with 300 hostile connections open (all so far: {took:?})"
        );
        took.push(t);
        std::thread::sleep(Duration::from_millis(200));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let hostile = pressure.join().unwrap();

    let closed = |kind: Hostility| -> Vec<&Hostile> {
        hostile
            .iter()
            .filter(|h| h.kind == kind && h.closed > 0)
            .collect()
    };
    // Bodies are refused at once, slow and idle heads cut after 10 s, streams kept.
    assert_eq!(closed(Hostility::SlowBody).len(), 80);
    for h in hostile.iter().filter(|h| h.kind == Hostility::SlowBody) {
        assert!(
            String::from_utf8_lossy(&h.received).starts_with("HTTP/1.1 413"),
            "{}",
            String::from_utf8_lossy(&h.received)
        );
    }
    assert_eq!(closed(Hostility::SlowHead).len(), 80);
    assert_eq!(closed(Hostility::Idle).len(), 80);
    assert!(closed(Hostility::Events).is_empty());
    for h in hostile.iter().filter(|h| h.kind == Hostility::Events) {
        assert!(String::from_utf8_lossy(&h.received).contains("retry: 500"));
    }
    took.sort();
    eprintln!(
        "{} requests under 300 hostile connections: fastest {:?}, median {:?}, slowest {:?}",
        took.len(),
        took[0],
        took[took.len() / 2],
        took[took.len() - 1]
    );
}

/// Issue 17: while the first build ran, the server answered 404 for pages about to exist.
/// Requests made then wait for it and get their page.
#[test]
fn a_request_made_while_the_first_build_runs_gets_its_page_not_a_404() {
    let site = example();
    // Enough members that the first build takes a while.
    for i in 1..=200 {
        site.write(
            &format!("content/members/member-{i:05}.md"),
            &format!(
                "---\nname: Member {i} GmbH\ntype: company\nsectors: [{}]\n---\nMember {i} makes parts.\n",
                // Sectors of the example's vocabulary: others would fail the build.
                ["Precision machining", "Medical technology", "Surface technology"][i % 3]
            ),
        );
    }
    let served = Served::spawn(&site);
    // The requests are made while the build runs, or the test proves nothing.
    assert!(
        !served.stderr().contains("Built "),
        "the first build ended before the test could ask: make the site bigger"
    );
    let pages = ["/", "/members/baar-formenbau/", "/members/member-00200/"];
    let asked: Vec<_> = pages
        .iter()
        .map(|page| {
            let port = served.port;
            let request = format!("GET {page} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            std::thread::spawn(move || crate::support::http(port, &request))
        })
        .collect();
    for (page, reply) in pages.iter().zip(asked) {
        let reply = reply.join().unwrap();
        assert_eq!(reply.status, 200, "{page}: {}", reply.head);
    }
    // The build's line reaches the terminal soon after the pages are answered.
    served.said("Built ");
}

#[test]
fn links_out_of_the_site_are_never_served_issue_17() {
    let site = example();
    let outside = site.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "TOP SECRET").unwrap();
    // A link inside the site is followed.
    std::fs::write(site.root().join("static/notes.txt"), "public notes").unwrap();
    std::os::unix::fs::symlink(
        site.root().join("static/notes.txt"),
        site.root().join("static/readme.txt"),
    )
    .unwrap();
    let served = Served::start(&site);
    let ok = served.get("/readme.txt");
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body, "public notes");
    // The link is turned to a file outside the site while the server runs: the same name,
    // so no rebuild notices; the request must not get the file.
    std::fs::remove_file(site.root().join("static/readme.txt")).unwrap();
    std::os::unix::fs::symlink(
        outside.join("secret.txt"),
        site.root().join("static/readme.txt"),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let leaked = served.get("/readme.txt");
    assert_ne!(leaked.status, 200);
    assert!(!leaked.body.contains("TOP SECRET"));
    // A member file turned into such a link is an error shown over the page, not a page.
    let member = site.root().join("content/members/baar-formenbau.md");
    std::fs::remove_file(&member).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), &member).unwrap();
    served.said("outside the site folder");
    let page = served.get("/members/baar-formenbau/");
    assert!(!page.body.contains("TOP SECRET"));
}

#[test]
fn a_site_in_several_languages_is_served_in_every_language_and_rebuilt_on_an_edit_issue_20() {
    let site = example();
    edit(&site, "cluster.yaml", |t| {
        t.replace("language: en", "languages: [de, fr, en]")
    });
    let served = Served::start(&site);
    for (target, words) in [
        ("/de/members/baar-formenbau/", "Beschäftigte"),
        ("/fr/members/baar-formenbau/", "Salariés"),
        ("/en/members/baar-formenbau/", "Employees"),
    ] {
        let page = served.get(target);
        assert_eq!(page.status, 200, "{target}");
        assert!(page.body.contains(words), "{target}: {words}");
    }
    assert_eq!(served.get("/clusterpress.css").status, 200);
    assert!(served.get("/").body.contains("url=/de/"));

    let mut events = served.events();
    edit(&site, MEMBER, |t| {
        t + "\nA paragraph written while serving.\n"
    });
    events.next("reload");
    let page = served.get("/fr/members/baar-formenbau/");
    assert!(page.body.contains("A paragraph written while serving."));
}

/// The trilingual example site (German, French, English).
fn example_in_languages() -> SiteTest {
    let site = SiteTest::from_dir(&repo().join("example-site"));
    let _ = std::fs::remove_dir_all(site.public());
    site
}

/// The site paths a `reload` event names.
fn reloaded(data: &str) -> Vec<String> {
    serde_json::from_str(data).expect("a list of paths")
}

#[test]
fn a_translation_edit_renders_only_the_pages_of_its_language_issue_20() {
    let site = example_in_languages();
    let served = Served::start(&site);
    let mut events = served.events();
    let (original, english) = (
        "content/members/baar-formenbau.md",
        "content/members/baar-formenbau.en.md",
    );

    // The English translation's body: its English page, alone.
    edit(&site, english, |t| {
        t + "\nAn English paragraph written while serving.\n"
    });
    assert_eq!(events.next("reload"), r#"["/en/members/baar-formenbau/"]"#);
    served.said("content/members/baar-formenbau.en.md: 1 page in");
    let page = served.get("/en/members/baar-formenbau/");
    assert!(
        page.body
            .contains("An English paragraph written while serving.")
    );
    let page = served.get("/de/members/baar-formenbau/");
    assert!(!page.body.contains("An English paragraph"));

    // The original's body: the languages that show it (German, and French, which has no
    // translation of its own), not English, whose translation has its own body.
    edit(&site, original, |t| {
        t + "\nEin Absatz, beim Bearbeiten geschrieben.\n"
    });
    assert_eq!(
        events.next("reload"),
        r#"["/de/members/baar-formenbau/","/fr/members/baar-formenbau/"]"#
    );
    let page = served.get("/fr/members/baar-formenbau/");
    assert!(
        page.body
            .contains("Ein Absatz, beim Bearbeiten geschrieben.")
    );
    // Marked as German on the French page.
    assert!(page.body.contains("class=\"in-other-language\""));
    assert!(
        !served
            .get("/en/members/baar-formenbau/")
            .body
            .contains("Ein Absatz")
    );

    // A translated field shows on lists, cards and term pages: those of its language only.
    edit(&site, english, |t| {
        t.replace("summary: Designs and builds", "summary: Plans and builds")
    });
    let paths = reloaded(&events.next("reload"));
    assert!(paths.contains(&"/en/members/".to_string()), "{paths:?}");
    assert!(paths.iter().all(|p| p.starts_with("/en/")), "{paths:?}");
    assert!(served.get("/en/members/").body.contains("Plans and builds"));
    assert!(!served.get("/de/members/").body.contains("Plans and builds"));
    // The open data has a column of English summaries.
    let csv = served.get("/members.csv");
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains("Plans and builds"), "the open data");
}

#[test]
fn after_a_series_of_edits_in_several_languages_the_served_site_equals_a_fresh_build_issue_20() {
    let site = example_in_languages();
    let served = Served::start(&site);
    let mut events = served.events();
    // A body and a field of a translation and of its original, a field every language
    // shows (a figure), a title in a map of languages, a news item in one language, a
    // capability (the supply chain, matches), and a new translation (a whole reload).
    let edits: [Edit; 7] = [
        ("content/members/baar-formenbau.en.md", &|t| {
            t + "\nAn English body edit.\n"
        }),
        ("content/members/baar-formenbau.md", &|t| {
            t.replace(
                "summary: Konstruiert und baut",
                "summary: Entwirft und baut",
            )
        }),
        ("content/members/baar-formenbau.md", &|t| {
            t.replace("employees: 58", "employees: 61")
        }),
        ("content/events/general-assembly-2027.md", &|t| {
            t.replace(
                "fr: Assemblée générale et soirée d'été 2027",
                "fr: Assemblée générale 2027",
            )
        }),
        ("content/news/market-report-autumn-2026.md", &|t| {
            t + "\nUn paragraphe de plus.\n"
        }),
        ("content/members/birseck-praezision.md", &|t| {
            t.replace("Swiss-type turning,", "Swiss-type turning, Wire EDM,")
        }),
        // Last, so that no later edit of the default language makes the open data again.
        ("content/members/baar-formenbau.en.md", &|t| {
            t.replace("summary: Designs and builds", "summary: Plans and builds")
        }),
    ];
    // The new translation first: a whole reload would hide what the other edits did.
    std::fs::write(
        site.root().join("content/members/baar-formenbau.fr.md"),
        "---\nsummary: Conçoit et construit des moules d'injection.\n---\n\nUn texte en français.\n",
    )
    .unwrap();
    events.next("reload");
    served.said("baar-formenbau.fr.md: the whole site");
    edit_each(&site, &mut events, &edits);
    // Each edit was applied in place.
    assert_eq!(served.stderr().matches("the whole site").count(), 1);
    let built = served_equals_a_fresh_build(&site, &served);
    assert!(built.len() > 600);
    let fresh = String::from_utf8_lossy(&built["fr/members/baar-formenbau/index.html"]);
    assert!(fresh.contains("Un texte en français."));
}

#[test]
fn a_template_edit_renders_its_pages_in_every_language_each_in_its_words_issue_20() {
    let site = example_in_languages();
    let theme_404 =
        std::fs::read_to_string(repo().join("themes/default/templates/404.html")).unwrap();
    site.write("templates/404.html", &theme_404);
    let served = Served::start(&site);
    let mut events = served.events();
    site.write(
        "templates/404.html",
        &theme_404.replacen(
            "{% block main %}",
            "{% block main %}<p class=\"lost\">{{ site.language }} {{ url(path='/members/') }}</p>",
            1,
        ),
    );
    assert_eq!(
        reloaded(&events.next("reload")),
        ["/404.html", "/fr/404.html", "/en/404.html"]
    );
    // Each language's page in its own language, with its own links (the theme's functions
    // are switched per language); hosts show the default language's at the top.
    for (target, lang) in [
        ("/fr/404.html", "fr"),
        ("/en/404.html", "en"),
        ("/404.html", "de"),
    ] {
        let page = served.get(target);
        let mark = format!("<p class=\"lost\">{lang} /{lang}/members/</p>");
        assert!(page.body.contains(&mark), "{target}: {mark}");
    }
    assert_eq!(served.get("/no/such/page/").status, 404);
}

#[test]
fn a_resized_image_is_made_on_its_first_request_issue_23() {
    let site = example();
    std::fs::copy(
        crate::support::fixtures().join("images/transparent.png"),
        site.root().join("static/logos/pixel.png"),
    )
    .unwrap();
    site.write(
        "content/members/pixel-works.md",
        "---\nname: Pixel Works\ntype: company\nlogo: logos/pixel.png\n---\nText.\n",
    );
    let served = Served::start(&site);
    let page = served.get("/members/pixel-works/").body;
    let tag = page
        .split("<img")
        .skip(1)
        .map(|t| &t[..t.find('>').unwrap()])
        .find(|t| t.contains("Pixel Works"))
        .expect("the logo");
    let src = tag
        .split("src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(src.starts_with("/resized/pixel."), "{tag}");
    let reply = crate::support::http(
        served.port,
        &format!("GET {src} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(reply.status, 200, "{}", reply.head);
    assert!(reply.head.contains("image/png"), "{}", reply.head);
    let made = image::load_from_memory(&reply.body).unwrap();
    assert!(
        tag.contains(&format!("width=\"{}\"", made.width())),
        "{tag}"
    );
    assert!(
        tag.contains(&format!("height=\"{}\"", made.height())),
        "{tag}"
    );
}
