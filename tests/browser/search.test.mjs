// The site search in a real headless Chromium: the English example built under a sub-path
// (`/cluster/`) for Cloudflare Pages and served with the Content-Security-Policy of its own
// `_headers`; searches from the header box find members by capability, events by city,
// courses by topic and news by a headline word, accents or not.
//
// Run by `tests/run`, which builds the binary and sets CLUSTERPRESS_BIN and EXAMPLE_SITE.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, serveUnderSubPath, watched } from "./support.mjs";

const BIN = process.env.CLUSTERPRESS_BIN;
const EXAMPLE = process.env.EXAMPLE_SITE;
assert.ok(BIN && EXAMPLE, "run through tests/run, which sets CLUSTERPRESS_BIN and EXAMPLE_SITE");

let browser, server, base, work;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "cp-search-"));
  const site = join(work, "site");
  cpSync(EXAMPLE, site, { recursive: true });
  rmSync(join(site, "public"), { recursive: true, force: true });
  const config = readFileSync(join(site, "cluster.yaml"), "utf8").replace(/^hosting: github$/m, "hosting: cloudflare");
  assert.match(config, /^hosting: cloudflare$/m);
  writeFileSync(join(site, "cluster.yaml"), config);
  ({ base, server } = await serveUnderSubPath(BIN, site, work, ["--now", "2026-11-27"]));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(work, { recursive: true, force: true });
});

/// A page that records console errors and CSP violations.
const open = () => watched(browser);

/// Searches for `q` on the search page and returns the status and results' titles, kinds, links.
async function search(page, q) {
  await page.goto(`${base}search/?q=${encodeURIComponent(q)}`, { waitUntil: "load" });
  await page.waitForFunction(() => document.querySelector(".search-status").textContent !== "");
  return {
    status: await page.locator(".search-status").textContent(),
    titles: await page.locator(".search-result .search-title a").allTextContents(),
    kinds: await page.locator(".search-result .badge").allTextContents(),
    links: await page.locator(".search-result .search-title a").evaluateAll((as) => as.map((a) => a.getAttribute("href"))),
  };
}

test("the header's search box leads to results, under the sub-path and the site's CSP", async () => {
  const { page, problems } = await open();
  const response = await page.goto(`${base}events/`, { waitUntil: "load" });
  assert.match(response.headers()["content-security-policy"], /connect-src 'self'/);
  assert.doesNotMatch(response.headers()["content-security-policy"], /unsafe-eval/);
  await page.fill("#site-search", "Lörrach");
  await page.press("#site-search", "Enter");
  await page.waitForURL(/\/cluster\/search\/\?q=L%C3%B6rrach/);
  await page.waitForSelector(".search-result");
  const links = await page.locator(".search-result .search-title a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.ok(links.length > 0);
  for (const href of links) {
    assert.match(href, /^\/cluster\//);
    assert.equal((await page.request.get(new URL(href, base).href)).status(), 200, href);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test("searches find a member's capability, an event's city, a course's topic and a news headline word, with or without accents", async () => {
  const { page, problems } = await open();
  const grinding = await search(page, "precision grinding");
  assert.ok(grinding.titles.includes("Ergolz Werkzeugbau AG"), grinding.titles.join(" | "));
  // Stemmed: "grinds" finds "grinding".
  assert.deepEqual((await search(page, "precision grinds")).titles, grinding.titles);
  const brno = await search(page, "Brno");
  assert.ok(brno.kinds.includes("Events"), brno.kinds.join(" | "));
  const lean = await search(page, "lean shop floor");
  assert.equal(lean.titles[0].startsWith("Lean"), true, lean.titles.join(" | "));
  assert.equal(lean.kinds[0], "Training");
  const climate = await search(page, "business climate");
  assert.ok(climate.titles.some((t) => t.startsWith("Business climate survey")), climate.titles.join(" | "));
  // Accents and case aside.
  const withAccent = await search(page, "Lörrach");
  const without = await search(page, "lorrach");
  assert.ok(withAccent.titles.length > 2);
  assert.deepEqual(without.titles, withAccent.titles);
  // Prefixes while typing ("lorr" also finds Lorraine).
  assert.deepEqual((await search(page, "lorrac")).titles, withAccent.titles);
  assert.ok((await search(page, "lorr")).titles.some((t) => t.startsWith("Grand Est")));
  const none = await search(page, "xylophone");
  assert.equal(none.titles.length, 0);
  assert.match(none.status, /Nothing found/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("results narrow to one kind and to a country, and the choice is in the address", async () => {
  const { page, problems } = await open();
  const all = await search(page, "coatings");
  assert.ok(new Set(all.kinds).size > 2, all.kinds.join(" | "));
  await page.locator(".search-kinds > button", { hasText: "Members" }).click();
  await page.waitForURL(/kind=members/);
  const members = await page.locator(".search-result .badge").allTextContents();
  assert.ok(members.length > 0 && members.every((k) => k === "Members"), members.join(" | "));
  await page.locator(".search-kinds fieldset button", { hasText: "Switzerland" }).click();
  await page.waitForURL(/countries=ch/);
  const swiss = await page.locator(".search-result .search-title a").allTextContents();
  assert.ok(swiss.length > 0 && swiss.length < members.length, swiss.join(" | "));
  assert.ok(swiss.includes("Ergolz Werkzeugbau AG"));
  // The address brings the same view back.
  await page.reload({ waitUntil: "load" });
  await page.waitForSelector(".search-result");
  assert.deepEqual(await page.locator(".search-result .search-title a").allTextContents(), swiss);
  assert.deepEqual(problems, []);
  await page.close();
});
