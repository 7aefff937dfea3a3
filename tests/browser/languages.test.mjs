// The example site in German, French and English (issue 20) in a real headless Chromium:
// pages of every language load cleanly under the build's Content-Security-Policy and pass
// axe-core (WCAG 2.1 AA, which includes the `lang` rules: the page's language and every
// `lang` attribute valid), the language switcher works without JavaScript, the top address
// leads to the default language, and the directory script speaks the page's language.
//
// Run by `tests/run`, which builds the trilingual example site, serves it on 127.0.0.1 and
// sets LANGUAGES_URL.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const SITE = process.env.LANGUAGES_URL;
assert.ok(SITE, "run through tests/run, which sets LANGUAGES_URL");
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// Pages of each kind whose language matters: records in every language (one written in
// German, one in French), a news item in one language only, and the lists.
const PAGES = [
  "",
  "members/",
  "members/hegau-drehteile/",
  "members/kleber-robotique/",
  "members/achertal-digital/",
  "events/",
  "events/trade-mission-japan-2027/",
  "news/",
  "pages/about/",
  "sectors/medical-technology/",
];

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => browser && (await browser.close()));

async function open(path, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  const response = await page.goto(SITE + path, { waitUntil: "load" });
  return { page, context, errors, response };
}

for (const code of ["de", "fr", "en"]) {
  for (const path of PAGES) {
    test(`/${code}/${path} is in its language, loads cleanly and passes axe-core`, async () => {
      const { page, context, errors, response } = await open(`${code}/${path}`);
      assert.equal(response.status(), 200);
      assert.match(response.headers()["content-security-policy"] ?? "", /default-src 'self'/);
      assert.equal(await page.getAttribute("html", "lang"), code);
      await page.evaluate(AXE);
      const result = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
      );
      const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
      // Every part in another language than the page says so.
      const foreign = await page.$$eval("main [lang]", (els) => els.map((e) => e.getAttribute("lang")));
      for (const lang of foreign) assert.match(lang, /^(de|fr|en)$/);
      await context.close();
      assert.deepEqual(errors, [], "console errors");
      assert.deepEqual(violations, [], "axe-core violations");
    });
  }
}

test("the language switcher leads to the same page in another language, without JavaScript", async () => {
  const { page, context } = await open("de/members/hegau-drehteile/", { javaScriptEnabled: false });
  const switcher = page.getByRole("navigation", { name: "Sprachen" });
  assert.equal(await switcher.getByRole("link", { name: "Deutsch" }).getAttribute("aria-current"), "true");
  await switcher.getByRole("link", { name: "Français" }).click();
  await page.waitForURL(/\/fr\/members\/hegau-drehteile\/$/);
  assert.equal(await page.getAttribute("html", "lang"), "fr");
  const now = page.getByRole("navigation", { name: "Langues" });
  assert.equal(await now.getByRole("link", { name: "Français" }).getAttribute("aria-current"), "true");
  await context.close();
});

test("the top address leads to the default language", async () => {
  const { page, context } = await open("");
  await page.waitForURL(/\/de\/$/);
  assert.equal(await page.getAttribute("html", "lang"), "de");
  await context.close();
});

test("a text not translated is marked with its language and a note in the page's", async () => {
  const { page, context } = await open("fr/members/achertal-digital/");
  const text = page.locator(".in-other-language");
  assert.equal(await text.getAttribute("lang"), "de");
  assert.equal((await text.locator(".language-note").textContent()).trim(), "En allemand");
  await context.close();
});

test("the directory script speaks the page's language", async () => {
  for (const [code, pattern] of [
    ["de", /^\d+ von \d+ Mitgliedern/],
    ["fr", /^\d+ membres sur \d+/],
    ["en", /^\d+ of \d+ members/],
  ]) {
    const { page, context, errors } = await open(`${code}/members/`);
    await page.fill("#member-search", "Basel");
    await page.waitForFunction(() => document.querySelector(".search-status")?.textContent.trim() !== "");
    assert.match((await page.locator(".search-status").textContent()).trim(), pattern, code);
    await context.close();
    assert.deepEqual(errors, [], code);
  }
});

test("each language searches its own index, in its words, with the site's CSP", async () => {
  for (const [code, query, status, other] of [
    ["de", "Beschichtungen", /^\d+ Treffer/, "beschichtung"],
    ["fr", "revêtements", /^\d+ résultats?/, "revetement"],
    ["en", "coatings", /^\d+ results?/, "coating"],
  ]) {
    const found = async (q) => {
      const { page, context, errors, response } = await open(`${code}/search/?q=${encodeURIComponent(q)}`);
      assert.doesNotMatch(response.headers()["content-security-policy"] ?? "", /unsafe-eval/);
      await page.waitForFunction(() => document.querySelector(".search-status")?.textContent.trim() !== "");
      const result = {
        lang: await page.getAttribute("html", "lang"),
        status: (await page.locator(".search-status").textContent()).trim(),
        links: await page.locator(".search-result .search-title a").evaluateAll((as) => as.map((a) => a.getAttribute("href"))),
      };
      await context.close();
      assert.deepEqual(errors, [], `${code}: ${q}`);
      return result;
    };
    const one = await found(query);
    assert.equal(one.lang, code);
    assert.match(one.status, status, `${code}: ${one.status}`);
    assert.ok(one.links.length > 0, `${code}: nothing found for ${query}`);
    // Every result is a page of this language (or a news item written only in another).
    const own = one.links.filter((href) => href.startsWith(`/${code}/`));
    assert.ok(own.length > one.links.length / 2, `${code}: ${one.links.join(" ")}`);
    // The stem meets its other forms, without accents; the shorter word also begins longer
    // ones ("Beschichtungstechnik"), so it finds at least as much.
    const more = (await found(other)).links;
    for (const href of one.links) assert.ok(more.includes(href), `${code}: ${other} misses ${href}`);
  }
});
