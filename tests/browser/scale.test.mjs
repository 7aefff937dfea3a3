// A site of 10,000 members (made by bench/gen, with its search index), built for Cloudflare
// Pages under a sub-path (`/cluster/`) and served with the Content-Security-Policy of its own
// `_headers`: the long lists fit a phone's width; the directory, a page per letter, searches
// and filters from its data file; the site search finds members, events and courses.
//
// Run by `tests/run`, which builds the binary and sets CLUSTERPRESS_BIN.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, launch, serveUnderSubPath, watched } from "./support.mjs";

const BIN = process.env.CLUSTERPRESS_BIN;
assert.ok(BIN, "run through tests/run, which sets CLUSTERPRESS_BIN");

let browser, server, base, work;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "cp-scale-"));
  execFileSync("python3", [join(REPO, "bench/gen"), "10000", join(work, "gen")], { stdio: "ignore" });
  const config = join(work, "gen/clusterpress/cluster.yaml");
  const yaml = readFileSync(config, "utf8").replace("  search: false\n", "");
  assert.doesNotMatch(yaml, /search: false/);
  writeFileSync(config, `${yaml}hosting: cloudflare\n`);
  ({ base, server } = await serveUnderSubPath(BIN, join(work, "gen/clusterpress"), work));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(work, { recursive: true, force: true });
});

test("with 10,000 members, the directory, its letter pages and the other long lists have no horizontal scroll at 390 px", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const wide = () =>
    page.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      widest: [...document.querySelectorAll("main *")]
        .filter((e) => e.getBoundingClientRect().right > 391)
        .slice(0, 3)
        .map((e) => `${e.tagName}.${e.className}`),
    }));
  for (const path of ["members/", "members/a-z/a/", "supply-chain/", "events/", "training/", "sectors/"]) {
    await page.goto(base + path, { waitUntil: "load", timeout: 120000 });
    let found = await wide();
    assert.ok(found.width <= 390, `${path}: ${found.width} px wide (${found.widest})`);
    // Further down, where the skipped cards are laid out as they come into view.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
    await page.waitForTimeout(100);
    found = await wide();
    assert.ok(found.width <= 390, `${path}, halfway down: ${found.width} px wide (${found.widest})`);
  }
  await context.close();
});

test("with 10,000 members, the directory's search and facets work from its data file, and its letters by plain links", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  // A query in the address, as a shared link has it: results come from the data file.
  await page.goto(base + "members/?q=munich", { waitUntil: "load", timeout: 120000 });
  assert.equal(await page.locator(".letter-group").count(), 0, "the directory lists no cards itself");
  await page.waitForSelector(".results .member-card", { timeout: 10000 });
  const found = await page.locator(".results .member-card").count();
  assert.ok(found > 0 && found <= 200, `${found} results`);
  const meta = await page.locator(".results .member-card .card-meta").allTextContents();
  assert.ok(meta.every((m) => m.includes("Munich")), meta.slice(0, 3).join(" | "));
  const href = await page.locator(".results .member-card a").first().getAttribute("href");
  assert.match(href, /\/cluster\/members\/member-\d+\/$/);
  assert.equal((await page.request.get(href)).status(), 200);
  // Accents and case aside, a word's start finds it.
  await page.fill("#member-search", "MÜN");
  assert.match(await page.locator(".search-status").textContent(), /^\d[\d,]* of 10000 members/);
  // A facet narrows the results and counts what each of its terms would leave.
  await page.fill("#member-search", "");
  const term = page.locator(".facet-term").first();
  await term.click();
  const count = (await term.locator(".count").textContent()).trim();
  assert.match(await page.locator(".search-status").textContent(), new RegExp(`^${count} of 10000 members`));
  assert.deepEqual(errors, []);
  // Without the script, the letters lead to pages of at most 100 cards.
  const bare = await browser.newContext({ javaScriptEnabled: false });
  const plain = await bare.newPage();
  await plain.goto(base + "members/", { waitUntil: "load" });
  await plain.locator(".az-pages a").first().click();
  await plain.waitForLoadState("load");
  const cards = await plain.locator(".cards .member-card").count();
  assert.ok(cards > 0 && cards <= 100, `${cards} cards on ${plain.url()}`);
  await bare.close();
  await page.close();
});

test("with 10,000 members, the site search finds a member's capability, an event's city and a course's topic, accents or not, under the site's CSP", async () => {
  const { page, problems } = await watched(browser);
  const search = async (q, kind = "") => {
    const response = await page.goto(`${base}search/?q=${encodeURIComponent(q)}${kind && `&kind=${kind}`}`, { waitUntil: "load" });
    assert.doesNotMatch(response.headers()["content-security-policy"] ?? "", /unsafe-eval/);
    await page.waitForFunction(() => document.querySelector(".search-status").textContent !== "", null, { timeout: 10000 });
    return {
      kinds: await page.locator(".search-result .badge").allTextContents(),
      links: await page.locator(".search-result .search-title a").evaluateAll((as) => as.map((a) => a.getAttribute("href"))),
      status: await page.locator(".search-status").textContent(),
    };
  };
  // Courses named after the capability come first; members have it among their capabilities.
  const laser = await search("laser cutting", "members");
  assert.equal(laser.links.length, 20, laser.status);
  assert.deepEqual(new Set(laser.kinds), new Set(["Members"]));
  const member = laser.links.find((l) => l.includes("/members/"));
  const html = await (await page.request.get(new URL(member, base).href)).text();
  assert.match(html, /Laser cutting/);
  // Members there come first; the events held there, among the kinds.
  const wroclaw = await search("Wrocław", "events");
  assert.ok(wroclaw.links.length > 0, wroclaw.status);
  assert.deepEqual(new Set(wroclaw.kinds), new Set(["Events"]));
  assert.deepEqual((await search("wroclaw", "events")).links, wroclaw.links);
  const event = wroclaw.links.find((l) => l.includes("/events/"));
  assert.match(await (await page.request.get(new URL(event, base).href)).text(), /Wroclaw/);
  const textile = await search("textile finishing");
  assert.ok(textile.kinds.includes("Training"), textile.kinds.join(" | "));
  for (const href of [...laser.links, ...wroclaw.links, ...textile.links]) assert.match(href, /^\/cluster\//);
  assert.deepEqual(problems, []);
  await page.close();
});
