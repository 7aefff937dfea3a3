// The editing UI in a real headless Chromium: the trilingual example site with `cms:`, built
// for Cloudflare Pages under a sub-path and served with its own `_headers`. `/admin/` loads
// under its own Content-Security-Policy (not the site's) without console errors; with Sveltia
// CMS's test backend (files in the browser's private file system) it lists every collection,
// and the member and event it saves, in the shapes the CMS writes, load in clusterpress
// without a warning.
//
// Run by `tests/run`, which builds the binary and sets CLUSTERPRESS_BIN.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { REPO, launch, serveUnderSubPath, watched } from "./support.mjs";

const BIN = process.env.CLUSTERPRESS_BIN;
assert.ok(BIN, "run through tests/run, which sets CLUSTERPRESS_BIN");

let browser, server, base, work, site;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "cp-cms-"));
  site = join(work, "site");
  cpSync(join(REPO, "example-site"), site, { recursive: true });
  rmSync(join(site, "public"), { recursive: true, force: true });
  const config = readFileSync(join(site, "cluster.yaml"), "utf8").replace(/^hosting: github$/m, "hosting: cloudflare");
  assert.match(config, /^hosting: cloudflare$/m);
  writeFileSync(join(site, "cluster.yaml"), config);
  execFileSync(BIN, ["cms", "init", "--backend", "github", "--repo", "dreiland/website", site], { stdio: "pipe" });
  ({ base, server } = await serveUnderSubPath(BIN, site, work, ["--now", "2026-11-27"]));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(work, { recursive: true, force: true });
});

/// A page that records problems. This machine has no Internet: the CMS's icon font
/// (jsDelivr) is answered empty, its update check (unpkg.com) with this version and GitHub's
/// status page with "all is well".
async function open() {
  const watchedPage = await watched(browser);
  await watchedPage.page.route(/^https:\/\/cdn\.jsdelivr\.net\//, (route) =>
    route.fulfill({ status: 200, contentType: "font/woff2", body: "" }),
  );
  await watchedPage.page.route(/^https:\/\/unpkg\.com\/@sveltia\/cms\/package\.json/, (route) =>
    route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ version: "0.221.1" }) }),
  );
  await watchedPage.page.route(/^https:\/\/www\.githubstatus\.com\//, (route) =>
    route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ status: { indicator: "none" } }) }),
  );
  return watchedPage;
}

test("/admin/ loads the CMS under its own policy, without errors", async () => {
  const { page, problems } = await open();
  const response = await page.goto(`${base}admin/`, { waitUntil: "load" });
  const policy = response.headers()["content-security-policy"];
  assert.match(policy, /style-src 'self' 'unsafe-inline'/);
  assert.match(policy, /connect-src 'self' blob: data: https:\/\/api\.github\.com/);
  assert.match(policy, /script-src 'self';/);
  assert.doesNotMatch(policy, /sha256-|unsafe-eval|script-src[^;]*unpkg/, "one policy, the admin's");
  // The sign-in page of the GitHub backend.
  await page.waitForFunction(() => [...document.querySelectorAll("button")].some((b) => /Sign In/i.test(b.textContent)), null, {
    timeout: 30_000,
  });
  const script = await page.evaluate(() => [...document.scripts].map((s) => s.src));
  assert.deepEqual(script, [`${base}admin/sveltia-cms.js`], "the CMS's script is the site's own");
  // The pages keep the site's strict policy.
  const home = await page.request.get(`${base}de/`);
  assert.match(home.headers()["content-security-policy"], /sha256-/);
  assert.deepEqual(problems, []);
});

/// The collection labels of the generated configuration.
function labels(configYml) {
  return [...configYml.matchAll(/^  label: (.+)$/gm)].map((m) => m[1].replace(/^'|'$/g, ""));
}

// What the test backend keeps, in the browser's private file system (same origin as /admin/).
const OPFS = `
  const root = async () => (await navigator.storage.getDirectory()).getDirectoryHandle('sveltia-cms-test', { create: true });
  const writeText = async (path, text) => { let d = await root(); const parts = path.split('/'); const name = parts.pop();
    for (const p of parts) d = await d.getDirectoryHandle(p, { create: true });
    const w = await (await d.getFileHandle(name, { create: true })).createWritable(); await w.write(text); await w.close(); };
  const readAll = async () => { const out = {}; const walk = async (d, pre) => { for await (const [n, h] of d.entries()) {
      if (h.kind === 'directory') await walk(h, pre + n + '/'); else out[pre + n] = await (await h.getFile()).text(); } };
    await walk(await root(), ''); return out; };`;

async function saveNew(page, collection, values) {
  await page.goto(`${base}admin/#/collections/${collection}/new?${new URLSearchParams(values)}`);
  const save = page.getByRole("button", { name: /^Save$/ });
  await save.waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1500);
  await save.click();
  await page.waitForFunction(() => !location.hash.endsWith("/new") && !location.hash.includes("/new?"), null, { timeout: 30_000 });
}

test("with the test backend it lists every collection, and what it saves builds without warnings", async () => {
  const public_ = join(work, "root", "cluster");
  const configPath = join(public_, "admin", "config.yml");
  const config = readFileSync(configPath, "utf8");
  const collections = labels(config);
  assert.ok(collections.length >= 13, `collections: ${collections}`);
  // The same configuration with the test backend instead of GitHub.
  writeFileSync(configPath, config.replace(/^backend:\n(  .*\n)+/m, "backend:\n  name: test-repo\n"));

  const { page, problems } = await open();
  await page.goto(`${base}admin/`, { waitUntil: "load" });
  // Two members to relate to, as files the site has.
  const members = ["achertal-digital", "baar-formenbau"];
  const seed = members.map((m) => [`content/members/${m}.md`, readFileSync(join(site, "content/members", `${m}.md`), "utf8")]);
  await page.evaluate(`(async () => { ${OPFS} for (const [p, t] of ${JSON.stringify(seed)}) await writeText(p, t); })()`);
  await page.reload({ waitUntil: "load" });
  await page.getByRole("button", { name: /Test Repository/ }).click();
  await page.waitForFunction(() => location.hash.startsWith("#/collections"), null, { timeout: 30_000 });
  await page.getByText(collections[1], { exact: true }).first().waitFor({ timeout: 30_000 });
  const shown = await page.locator("body").innerText();
  for (const label of collections) {
    assert.ok(shown.includes(label), `the CMS does not list ${label}`);
  }

  await saveNew(page, "members", {
    name: "Müller & Söhne: Präzision",
    type: "research",
    summary: "Yes: a summary with a colon, and 'quotes'.",
    sectors: "Medical technology",
    capabilities: "CNC turning, Anodising",
    employees: "42",
    founded: "1999",
    website: "https://mueller.example",
    body: "Some *Markdown* text.",
  });
  await saveNew(page, "events", {
    title: "Open day: robots",
    kind: "workshop",
    start: "2027-05-12 14:00",
    end: "2027-05-12 17:30",
    organizer: members[0],
    participants: members.join(", "),
    topics: "Robots, Open day",
    body: "Come and see.",
  });
  const files = await page.evaluate(`(async () => { ${OPFS} return readAll(); })()`);
  const saved = Object.keys(files).filter((p) => !seed.some(([s]) => s === p));
  // The original and a translation file per other language.
  assert.equal(saved.length, 6, `saved: ${saved}`);
  const member = saved.find((p) => p.startsWith("content/members/"));
  const event = saved.find((p) => p.startsWith("content/events/"));
  assert.ok(member && event, `saved: ${saved}`);
  assert.match(member, /^content\/members\/[a-z0-9-]+\.md$/, "an ASCII slug as file name");
  assert.match(files[event], /participants:\n\s+- achertal-digital\n\s+- baar-formenbau/);

  // Those files in the site: it checks without a warning.
  for (const p of saved) {
    mkdirSync(dirname(join(site, p)), { recursive: true });
    writeFileSync(join(site, p), files[p]);
  }
  const check = spawnSync(BIN, ["check", site, "--now", "2026-11-27"], { encoding: "utf8" });
  assert.equal(check.status, 0, `${check.stderr}\n${saved.map((p) => files[p]).join("\n")}`);
  assert.doesNotMatch(check.stderr, /warning/, `${check.stderr}\n${saved.map((p) => files[p]).join("\n")}`);
  assert.deepEqual(problems, []);
});
