//! Publishing: the example site under a sub-path behind a real nginx, crawled for broken links;
//! the deploy recipes validated and their build commands run; the files each host reads; the
//! host limits.

use std::collections::{BTreeSet, VecDeque};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{HttpReply, SiteTest, copy_tree, http, repo, run_in};

/// The sub-path the example site is published under, as a GitHub Pages project site is.
const SUB: &str = "/dreiland-cluster/";

/// A free port on the loopback interface.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A reply read back as text, with its headers.
trait Readable {
    fn text(&self) -> String;
    fn header(&self, name: &str) -> Option<String>;
}

impl Readable for HttpReply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

fn get(port: u16, target: &str) -> HttpReply {
    http(
        port,
        &format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
    )
}

/// Debian's nginx serving `site` (a built site) under `sub` on a loopback port, with the
/// site's 404 page for missing paths, as static hosts do.
struct Nginx {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Nginx {
    fn serve(site: &Path, sub: &str, port: u16) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let conf = dir.path().join("nginx.conf");
        std::fs::write(
            &conf,
            format!(
                "worker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{ worker_connections 64; }}\nhttp {{\n  include /etc/nginx/mime.types;\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  server {{\n    listen 127.0.0.1:{port};\n    location {sub} {{\n      alias {site}/;\n      error_page 404 {sub}404.html;\n    }}\n  }}\n}}\n",
                d = dir.path().display(),
                site = site.display(),
            ),
        )
        .unwrap();
        let child = Command::new(nginx())
            .args(["-e", &dir.path().join("error.log").to_string_lossy()])
            .args(["-c", &conf.to_string_lossy(), "-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("nginx runs (tests/run installs Debian's nginx)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "nginx did not start: {}",
                std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Nginx { child, _dir: dir }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nginx() -> String {
    ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .unwrap_or("nginx")
        .to_string()
}

/// Every address a page refers to: links, images, scripts, styles, feeds, the canonical and
/// OpenGraph addresses.
fn references(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let mut out = Vec::new();
    let any = scraper::Selector::parse("[href], [src], [srcset], meta[content]").unwrap();
    for el in doc.select(&any) {
        let v = el.value();
        out.extend(v.attr("href").map(str::to_string));
        out.extend(v.attr("src").map(str::to_string));
        if let Some(set) = v.attr("srcset") {
            out.extend(
                set.split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .map(str::to_string),
            );
        }
        if v.name() == "meta" {
            let content = v.attr("content").unwrap_or("");
            if content.starts_with("http://127.0.0.1") {
                out.push(content.to_string());
            }
            // A refresh (a redirect page) leads on too.
            if let Some((_, to)) = content.split_once("url=") {
                out.push(to.to_string());
            }
        }
    }
    out
}

/// The `url(...)` references of a stylesheet.
fn css_references(css: &str) -> Vec<String> {
    css.split("url(")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|u| u.trim_matches(['"', '\'', ' ']).to_string())
        .filter(|u| !u.starts_with("data:"))
        .collect()
}

/// The `id`s of a page, which `#fragment` links lead to.
fn ids(html: &str) -> BTreeSet<String> {
    let doc = scraper::Html::parse_document(html);
    let any = scraper::Selector::parse("[id]").unwrap();
    doc.select(&any)
        .filter_map(|el| el.value().attr("id").map(str::to_string))
        .collect()
}

/// Crawls the site from `start`, following every same-origin reference; returns the broken
/// ones as `(reference, on page, status)` — a `#fragment` that names no element of its page
/// counts too, with status 0 — the addresses fetched and how many fragment links were
/// checked.
fn crawl(port: u16, start: &[&str]) -> (Vec<(String, String, u16)>, BTreeSet<String>, usize) {
    let origin = url::Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> = start
        .iter()
        .map(|s| (s.to_string(), "(start)".to_string()))
        .collect();
    let mut broken = Vec::new();
    // Fragments linked to, as (page, fragment, linked from), and each page's ids.
    let mut fragments: Vec<(String, String, String)> = Vec::new();
    let mut page_ids: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    while let Some((path, from)) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        assert!(seen.len() < 5_000, "the crawl does not end");
        let reply = get(port, &path);
        if reply.status != 200 {
            broken.push((path.clone(), from, reply.status));
            continue;
        }
        let base = origin.join(&path).unwrap();
        let kind = reply.header("Content-Type").unwrap_or_default();
        let found = if kind.starts_with("text/html") {
            let html = reply.text();
            page_ids.insert(path.clone(), ids(&html));
            references(&html)
        } else if kind.starts_with("text/css") {
            css_references(&reply.text())
        } else {
            continue;
        };
        for r in found {
            let Ok(u) = base.join(&r) else {
                broken.push((r, path.clone(), 0));
                continue;
            };
            if u.origin() != origin.origin() {
                continue;
            }
            let mut target = u.path().to_string();
            if let Some(fragment) = u.fragment().filter(|f| !f.is_empty()) {
                let fragment = percent_encoding::percent_decode_str(fragment)
                    .decode_utf8_lossy()
                    .into_owned();
                fragments.push((target.clone(), fragment, path.clone()));
            }
            if let Some(q) = u.query() {
                target = format!("{target}?{q}");
            }
            if !seen.contains(&target) {
                queue.push_back((target, path.clone()));
            }
        }
    }
    let anchors = fragments.len();
    for (page, fragment, from) in fragments {
        if page_ids
            .get(&page)
            .is_some_and(|ids| !ids.contains(&fragment))
        {
            broken.push((format!("{page}#{fragment}"), from, 0));
        }
    }
    (broken, seen, anchors)
}

#[test]
fn the_example_site_under_a_sub_path_behind_nginx_has_no_broken_link() {
    let t = SiteTest::from_dir(&repo().join("tests/fixtures/example-en"));
    let _ = std::fs::remove_dir_all(t.root().join("public"));
    let www = t.dir.path().join("www");
    // nginx's workers run as `nobody` when started by root: they must be able to read it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(t.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let port = free_port();
    let base_url = format!("http://127.0.0.1:{port}{SUB}");
    t.run(&[
        "build",
        "site",
        "--output",
        "www",
        "--base-url",
        &base_url,
        "--now",
        "2026-11-27",
    ])
    .success();
    // `hosting: github` in the example site.
    assert!(www.join(".nojekyll").is_file());
    assert!(
        !www.join("CNAME").exists(),
        "a build for a local address names no custom domain"
    );

    let _server = Nginx::serve(&www, SUB, port);
    let home = get(port, SUB);
    assert_eq!(home.status, 200);
    assert!(home.text().contains("Dreiland Precision Cluster"));

    // From the home page (and an old address that redirects, which no page links to).
    let redirect = format!("{SUB}mitglieder/");
    let (broken, fetched, anchors) = crawl(port, &[SUB, &redirect]);
    assert!(
        broken.is_empty(),
        "{} broken references (of {}), e.g.: {:#?}",
        broken.len(),
        fetched.len(),
        &broken[..broken.len().min(20)]
    );
    assert!(
        fetched.len() > 300,
        "only {} addresses were reached",
        fetched.len()
    );
    assert!(
        anchors > 300,
        "only {anchors} links to a #fragment were checked"
    );
    // Every page of the sitemap is reached by following links from the home page.
    let sitemap = get(port, &format!("{SUB}sitemap.xml")).text();
    let locs: Vec<String> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .map(|u| {
            u.strip_prefix(&format!("http://127.0.0.1:{port}"))
                .unwrap_or_else(|| panic!("sitemap address {u} is not the site's"))
                .to_string()
        })
        .collect();
    assert!(locs.len() > 150, "{} sitemap addresses", locs.len());
    let unreached: Vec<&String> = locs.iter().filter(|l| !fetched.contains(*l)).collect();
    assert!(
        unreached.is_empty(),
        "not linked from the site: {unreached:?}"
    );

    // The old address sends the browser to the new page.
    let moved = get(port, &redirect).text();
    assert!(
        moved.contains(&format!("content=\"0; url={SUB}members/\"")),
        "{moved}"
    );

    // A missing page, however deep, gets the site's 404 page with status 404, and the links
    // and styles on it work from there.
    for missing in ["no-such-page/", "members/no-such-member/deeper/", "x.html"] {
        let path = format!("{SUB}{missing}");
        let reply = get(port, &path);
        assert_eq!(reply.status, 404, "{path}");
        let html = reply.text();
        assert!(html.contains("Page not found"), "{path}: {html}");
        let base = url::Url::parse(&format!("http://127.0.0.1:{port}{path}")).unwrap();
        for r in references(&html) {
            let u = base.join(&r).unwrap();
            if u.origin() != base.origin() || u.path() == base.path() {
                continue;
            }
            let status = get(port, u.path()).status;
            assert_eq!(status, 200, "`{r}` on the 404 page at {path}");
        }
    }
}

/// The `clusterpress build ...` line of a recipe, as the host's shell would run it.
fn build_line(recipe: &str) -> String {
    let at = recipe
        .find("clusterpress build")
        .expect("the recipe builds the site");
    let line = recipe[at..].lines().next().unwrap();
    // netlify.toml's command is a TOML string with escaped quotes.
    match line.contains("\\\"") {
        true => line.strip_suffix('"').unwrap_or(line).replace("\\\"", "\""),
        false => line.to_string(),
    }
}

#[test]
fn deploy_recipes_are_valid_and_their_build_commands_publish_under_the_host_address() {
    let t = SiteTest::empty();
    let repo_dir = t.dir.path().join("cluster-site");
    std::fs::create_dir_all(repo_dir.join(".git")).unwrap();
    // The site in a sub-folder of the repository, whose name needs quoting.
    copy_tree(
        &crate::support::fixtures().join("base"),
        &repo_dir.join("cluster web"),
    );
    let version = env!("CARGO_PKG_VERSION");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_clusterpress"))
        .parent()
        .unwrap()
        .to_path_buf();

    // Each host: its recipe file, what its environment says at build time, and the address
    // the site must then be made for.
    type Env = &'static [(&'static str, &'static str)];
    let hosts: [(&str, &str, Env, &str); 5] = [
        (
            "github",
            ".github/workflows/pages.yml",
            &[],
            "https://acme-org.github.io/cluster-site",
        ),
        (
            "gitlab",
            ".gitlab-ci.yml",
            &[("CI_PAGES_URL", "https://acme.gitlab.io/cluster-site")],
            "https://acme.gitlab.io/cluster-site",
        ),
        (
            "netlify",
            "netlify.toml",
            &[("URL", "https://cluster-site.netlify.app")],
            "https://cluster-site.netlify.app",
        ),
        (
            "cloudflare",
            ".github/workflows/cloudflare-pages.yml",
            &[("SITE_URL", "https://cluster-site.pages.dev/")],
            "https://cluster-site.pages.dev",
        ),
        (
            "codeberg",
            ".woodpecker/pages.yml",
            &[("CI_REPO_OWNER", "acme"), ("CI_REPO_NAME", "cluster-site")],
            "https://acme.codeberg.page/cluster-site",
        ),
    ];
    for (host, file, env, address) in hosts {
        let run = run_in(&repo_dir, &["deploy", "init", host, "cluster web"]);
        run.success().stderr_has("Wrote ");
        let path = repo_dir.join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{host}: no {}: {e}", path.display()));
        assert!(
            text.contains(&format!("cargo install clusterpress --version {version}"))
                || text.contains(&format!("CLUSTERPRESS_VERSION: \"{version}\"")),
            "{host}: installs no pinned clusterpress:\n{text}"
        );
        let config = std::fs::read_to_string(repo_dir.join("cluster web/cluster.yaml")).unwrap();
        assert!(
            config.contains(&format!("\nhosting: {host}")),
            "{host}: {config}"
        );

        // The documented steps, read as YAML (or TOML) the way the host reads them.
        match host {
            "github" | "cloudflare" => {
                let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
                let steps: Vec<String> = yaml["jobs"]
                    .as_mapping()
                    .unwrap()
                    .values()
                    .flat_map(|job| job["steps"].as_sequence().unwrap().clone())
                    .map(|s| {
                        s["uses"]
                            .as_str()
                            .or(s["run"].as_str())
                            .unwrap_or("")
                            .to_string()
                    })
                    .collect();
                let want: &[&str] = if host == "github" {
                    &[
                        "actions/checkout@",
                        "actions/configure-pages@",
                        "cargo install clusterpress",
                        "clusterpress build 'cluster web' --output public",
                        "actions/upload-pages-artifact@",
                        "actions/deploy-pages@",
                    ]
                } else {
                    &[
                        "actions/checkout@",
                        "cargo install clusterpress",
                        "clusterpress build 'cluster web' --output public",
                        "cloudflare/wrangler-action@",
                    ]
                };
                let mut at = 0;
                for w in want {
                    let found = steps[at..].iter().position(|s| s.contains(w));
                    assert!(
                        found.is_some(),
                        "{host}: no step `{w}` in order: {steps:#?}"
                    );
                    at += found.unwrap() + 1;
                }
                assert_eq!(
                    yaml["on"]["push"]["branches"][0].as_str(),
                    Some("main"),
                    "{host}"
                );
            }
            "gitlab" => {
                let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
                let script: Vec<&str> = yaml["pages"]["script"]
                    .as_sequence()
                    .unwrap()
                    .iter()
                    .filter_map(|s| s.as_str())
                    .collect();
                assert!(
                    script
                        .iter()
                        .any(|s| s.contains("cargo install clusterpress"))
                );
                assert!(
                    script
                        .iter()
                        .any(|s| s.contains("clusterpress build 'cluster web'"))
                );
                assert_eq!(
                    yaml["pages"]["artifacts"]["paths"][0].as_str(),
                    Some("public")
                );
            }
            "codeberg" => {
                let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
                let steps = yaml["steps"].as_sequence().unwrap();
                assert_eq!(steps.len(), 2);
                let commands = |i: usize| format!("{:?}", steps[i]["commands"]);
                assert!(commands(0).contains("clusterpress build 'cluster web' --output public"));
                assert!(commands(1).contains("pages"), "pushes to the pages branch");
            }
            _ => {}
        }

        // The build command, run as the host's shell would, publishes under its address.
        let mut line = build_line(&text);
        line = line.replace("${{ steps.pages.outputs.base_url }}", address);
        line = line.replace("$${", "${");
        let _ = std::fs::remove_dir_all(repo_dir.join("public"));
        let mut cmd = Command::new("bash");
        cmd.arg("-c")
            .arg(format!("set -eu; {line}"))
            .current_dir(&repo_dir)
            .env_clear()
            .env(
                "PATH",
                format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap()),
            )
            .env("SOURCE_DATE_EPOCH", "1795000000");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{host}: `{line}` failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let home = std::fs::read_to_string(repo_dir.join("public/index.html")).unwrap();
        assert!(
            home.contains(&format!("{address}/")),
            "{host}: the site is not made for {address}"
        );
    }

    // Real validators: the hosts' published JSON schemas (check-jsonschema ships them) and
    // Python's TOML reader.
    for (schema, file) in [
        ("vendor.github-workflows", ".github/workflows/pages.yml"),
        (
            "vendor.github-workflows",
            ".github/workflows/cloudflare-pages.yml",
        ),
        ("vendor.gitlab-ci", ".gitlab-ci.yml"),
        ("vendor.woodpecker-ci", ".woodpecker/pages.yml"),
    ] {
        let out = Command::new("python3")
            .args(["-m", "check_jsonschema", "--builtin-schema", schema, file])
            .current_dir(&repo_dir)
            .output()
            .expect("check-jsonschema runs (tests/run installs it with pip)");
        assert!(
            out.status.success(),
            "{file} breaks {schema}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let toml = Command::new("python3")
        .args([
            "-c",
            "import sys, tomllib; c = tomllib.load(open(sys.argv[1], 'rb')); assert c['build']['publish'] == 'public', c; assert 'clusterpress build' in c['build']['command'], c; assert 'DEPLOY_PRIME_URL' in c['context']['deploy-preview']['command'], c",
            "netlify.toml",
        ])
        .current_dir(&repo_dir)
        .output()
        .unwrap();
    assert!(
        toml.status.success(),
        "netlify.toml: {}",
        String::from_utf8_lossy(&toml.stderr)
    );

    // A second init leaves a changed recipe alone unless told.
    std::fs::write(repo_dir.join("netlify.toml"), "# mine\n").unwrap();
    run_in(&repo_dir, &["deploy", "init", "netlify", "cluster web"])
        .failure(2)
        .stderr_has("--force");
    assert_eq!(
        std::fs::read_to_string(repo_dir.join("netlify.toml")).unwrap(),
        "# mine\n"
    );
    run_in(
        &repo_dir,
        &["deploy", "init", "netlify", "cluster web", "--force"],
    )
    .success();
    run_in(&repo_dir, &["deploy", "init", "heroku", "cluster web"])
        .failure(2)
        .stderr_has("unknown host `heroku`");
}

#[test]
fn new_sites_carry_the_recipes_that_do_not_clash() {
    let t = SiteTest::empty();
    run_in(t.dir.path(), &["new", "portal"]).success();
    let site = t.dir.path().join("portal");
    for file in [
        ".github/workflows/pages.yml",
        ".gitlab-ci.yml",
        "netlify.toml",
        ".woodpecker/pages.yml",
        ".gitignore",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    // A second GitHub workflow would publish twice: Cloudflare's comes with `deploy init`.
    assert!(!site.join(".github/workflows/cloudflare-pages.yml").exists());
    let pages = std::fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    assert!(
        pages.contains("clusterpress build --output public"),
        "{pages}"
    );
    // `deploy init` for a recipe that is there already only sets `hosting:`.
    run_in(&site, &["deploy", "init", "github"])
        .success()
        .stderr_has("is there already");
    let config = std::fs::read_to_string(site.join("cluster.yaml")).unwrap();
    assert!(config.contains("\nhosting: github\n"), "{config}");
    assert!(!config.contains("# hosting: github"));
    run_in(&site, &["build", "--now", "2026-11-27"]).success();
    assert!(site.join("public/.nojekyll").is_file());
    assert!(
        site.join("public/CNAME").is_file(),
        "my-cluster.example is a custom domain"
    );
}

/// The base fixture with `extra` appended to its cluster.yaml.
fn base_with(extra: &str) -> SiteTest {
    let t = SiteTest::base();
    let config = std::fs::read_to_string(t.root().join("cluster.yaml")).unwrap();
    t.write("cluster.yaml", &format!("{config}{extra}"));
    t
}

const REDIRECTS: &str = "redirects:\n  - from: /mitglieder/\n    to: /members/\n  - from: /old/about.html\n    to: /pages/about/\n";

#[test]
fn each_host_gets_the_files_it_reads() {
    // GitHub Pages on a custom domain: no Jekyll, the domain in CNAME, redirects as pages.
    let t = base_with(&format!("hosting: github\n{REDIRECTS}"));
    t.build().success();
    assert!(t.public().join(".nojekyll").is_file());
    assert_eq!(t.output("CNAME"), "test-cluster.example\n");
    let moved = t.output("mitglieder/index.html");
    assert!(moved.contains("content=\"0; url=/members/\""), "{moved}");
    assert!(moved.contains("rel=\"canonical\" href=\"https://test-cluster.example/members/\""));
    assert!(t.output("old/about.html").contains("url=/pages/about/"));
    assert!(!t.public().join("_headers").exists());
    assert!(!t.public().join("_redirects").exists());

    // On github.io itself, under the repository's path: no CNAME.
    t.run(&[
        "build",
        "site",
        "--base-url",
        "https://acme.github.io/cluster/",
        "--now",
        "2026-11-27",
    ])
    .success();
    assert!(!t.public().join("CNAME").exists());
    assert!(
        t.output("mitglieder/index.html")
            .contains("url=/cluster/members/")
    );

    // Netlify: security headers and the redirects file, no redirect pages.
    let t = base_with(&format!("hosting: netlify\n{REDIRECTS}"));
    t.build().success();
    let headers = t.output("_headers");
    assert!(
        headers.starts_with("# ") && headers.contains("\n/*\n"),
        "{headers}"
    );
    for h in [
        "  Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self' 'sha256-",
        "  X-Content-Type-Options: nosniff\n",
        "  Referrer-Policy: strict-origin-when-cross-origin\n",
    ] {
        assert!(headers.contains(h), "{h} missing:\n{headers}");
    }
    assert!(!headers.contains("unsafe-inline"), "{headers}");
    let redirects = t.output("_redirects");
    assert!(
        redirects.contains("\n/mitglieder/ /members/ 301\n"),
        "{redirects}"
    );
    assert!(redirects.contains("\n/old/about.html /pages/about/ 301\n"));
    assert!(!t.public().join("mitglieder").exists());
    assert!(!t.public().join(".nojekyll").exists());

    // GitLab Pages under the project's path: rules carry the path; no headers file.
    let t = base_with(&format!("hosting: gitlab\n{REDIRECTS}"));
    t.run(&[
        "build",
        "site",
        "--base-url",
        "https://acme.gitlab.io/cluster",
        "--now",
        "2026-11-27",
    ])
    .success();
    assert!(
        t.output("_redirects")
            .contains("\n/cluster/mitglieder/ /cluster/members/ 301\n")
    );
    assert!(!t.public().join("_headers").exists());

    // Codeberg Pages reads the custom domain from `.domains`.
    let t = base_with("hosting: codeberg\n");
    t.build().success();
    assert_eq!(t.output(".domains"), "test-cluster.example\n");

    // A file of the site's own in static/ wins over the generated one, with a warning when
    // it says something else (issue 17); none when it says the same.
    let t = base_with("hosting: github\n");
    t.write("static/CNAME", "www.test-cluster.example\n");
    t.build()
        .success()
        .stderr_has("warning: `static/CNAME` is published instead of the `CNAME` that the build writes for the host")
        .stderr_has("(it says: `test-cluster.example`)");
    assert_eq!(t.output("CNAME"), "www.test-cluster.example\n");
    t.write("static/CNAME", "test-cluster.example");
    let run = t.build();
    assert!(!run.success().stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn mistakes_in_hosting_and_redirects_are_reported_where_they_are() {
    let t = base_with("hosting: githb\n");
    t.check()
        .failure(1)
        .stderr_has("unknown host `githb`")
        .stderr_has("cluster.yaml:19")
        .stderr_has("did you mean `github`?");

    let t = base_with(
        "redirects:\n  - from: old\n    to: /members/\n  - from: /alt/\n    to: javascript:alert(1)\n",
    );
    t.check()
        .failure(1)
        .stderr_has("`old` is not a path of the site")
        .stderr_has("redirects[0].from")
        .stderr_has("redirects[1].to");

    let t = base_with(
        "redirects:\n  - from: /members/\n    to: /pages/about/\n  - from: /alt/\n    to: /pages/nope/\n",
    );
    let run = t.build();
    run.failure(1)
        .stderr_has(
            "`/members/` is a page or file of the site; a redirect from there would hide it",
        )
        .stderr_has("redirects[0].from")
        .stderr_has("redirect to `/pages/nope/` leads to no page or file of the site")
        .stderr_has("redirects[1].to");
    assert!(!t.public().exists());
    // The same where the host answers redirects itself (`_redirects`): the page would win.
    let t = base_with("hosting: netlify\nredirects:\n  - from: /pages/about/\n    to: /members/\n");
    t.build()
        .failure(1)
        .stderr_has("`/pages/about/` is a page or file of the site");
}

#[test]
fn links_written_by_hand_work_under_a_sub_path_or_are_flagged() {
    let sub = ["--base-url", "https://acme.github.io/cluster/"];
    // Markdown links from the site root are rewritten with the base path.
    let t = SiteTest::base();
    let mut args = vec!["build", "site", "--now", "2026-11-27"];
    args.extend(sub);
    t.run(&args).success();
    let home = t.output("index.html");
    assert!(home.contains("href=\"/cluster/members/\""), "{home}");
    assert!(!home.contains("href=\"/members/\""));

    // Raw HTML (allowed by the owner) is not rewritten: a root link there fails the build,
    // with the file and line…
    let t = base_with("build:\n  allow_html: true\n");
    t.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nSee <a href=\"/members/acme-robotics/\">Acme</a>.\n",
    );
    let run = t.run(&args);
    run.failure(1)
        .stderr_has("link to `/members/acme-robotics/` skips the base path `/cluster/`")
        .stderr_has("content/pages/about.md:4");
    // …or only warns, when the site says so.
    let t = base_with("build:\n  allow_html: true\n  broken_links: warning\n");
    t.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nSee <a href=\"/members/acme-robotics/\">Acme</a>.\n",
    );
    let run = t.run(&args);
    run.success()
        .stderr_has("warning: link to `/members/acme-robotics/` skips the base path")
        .stderr_has("with 1 warning");
    assert!(t.public().join("pages/about/index.html").is_file());

    // A stylesheet of the site's own: `url(/…)` breaks under the sub-path, a relative
    // address works, a missing file is found too.
    let t = SiteTest::base();
    t.write("static/fonts/brand.woff2", "font");
    t.write(
        "static/css/brand.css",
        "@font-face{font-family:Brand;src:url(../fonts/brand.woff2)}\nh1{background:url(\"/fonts/brand.woff2\")}\nh2{background:url(missing.png)}\n",
    );
    let run = t.run(&args);
    run.failure(1)
        .stderr_has("`url(/fonts/brand.woff2)` skips the base path `/cluster/`")
        .stderr_has("static/css/brand.css:2:")
        .stderr_has("`url(missing.png)` leads to no page or file of the site")
        .stderr_has("static/css/brand.css:3:")
        .stderr_has("relative to the stylesheet");
    assert!(!run.stderr.contains("brand.css:1:"), "{}", run.stderr);
}

/// Adds `n` small files to the site's static/ folder.
fn add_static_files(t: &SiteTest, n: usize) {
    let dir = t.root().join("static/archive");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..n {
        std::fs::write(dir.join(format!("{i}.txt")), "x").unwrap();
    }
}

#[test]
fn host_limits_are_checked_before_the_site_is_replaced() {
    let t = base_with("hosting: cloudflare\n");
    let run = t.build();
    run.success().stderr_has("; largest ");
    let before = crate::support::snapshot_tree(&t.public());

    // Over 20,000 files: Cloudflare Pages would refuse the upload.
    add_static_files(&t, 20_000);
    let run = t.build();
    run.failure(1)
        .stderr_has("Cloudflare Pages publishes at most 20,000")
        .stderr_has("cluster.yaml:19")
        .stderr_has("the most files are 20,0")
        .stderr_has("other files (mostly from `static/`")
        .stderr_has("or publish on GitLab Pages")
        .stderr_has("nothing was written");
    assert!(
        crate::support::snapshot_tree(&t.public()) == before,
        "the previous site was changed"
    );
    // `check` counts what the build would write, and says the same.
    t.check()
        .failure(1)
        .stderr_has("the site has 20,0")
        .stderr_has("Cloudflare Pages publishes at most 20,000");
    // The same site is fine for GitHub Pages, which counts bytes, not files.
    let config = std::fs::read_to_string(t.root().join("cluster.yaml")).unwrap();
    t.write(
        "cluster.yaml",
        &config.replace("hosting: cloudflare", "hosting: github"),
    );
    t.build().success().stderr_has("20,0");

    // Close to the limit: a warning, and the site is published.
    let t = base_with("hosting: cloudflare\n");
    add_static_files(&t, 18_500);
    t.build()
        .success()
        .stderr_has("warning: the site has 18,5")
        .stderr_has("(it is close)");

    // More redirects than GitLab Pages follows.
    let many: String = (0..1_001)
        .map(|i| format!("  - from: /old/{i}/\n    to: /members/\n"))
        .collect();
    let t = base_with(&format!("hosting: gitlab\nredirects:\n{many}"));
    t.build()
        .failure(1)
        .stderr_has("`redirects:` has 1,001 entries; GitLab Pages follows at most 1,000");

    // One file over 25 MiB (a sparse file: no disk is spent).
    let t = base_with("hosting: cloudflare\n");
    std::fs::create_dir_all(t.root().join("static/downloads")).unwrap();
    let big = std::fs::File::create(t.root().join("static/downloads/fair-video.mp4")).unwrap();
    big.set_len(26 * 1024 * 1024 + 1).unwrap();
    t.build()
        .failure(1)
        .stderr_has("`downloads/fair-video.mp4` is 27.3 MB")
        .stderr_has("Cloudflare Pages publishes no file larger than 25 MiB");
}
