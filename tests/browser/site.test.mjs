// The built example site in a real headless Chromium: every page type loads without console
// errors and without WCAG 2.1 A/AA violations (axe-core), the directory search works and
// keeps its state in the URL, and screenshots at phone and desktop widths are saved.
//
// Run by `tests/run`, which builds the site, serves it on 127.0.0.1 and sets SITE_URL,
// PUBLIC_DIR and SHOTS_DIR.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const SITE = process.env.SITE_URL;
const SHOTS = process.env.SHOTS_DIR;
assert.ok(SITE && SHOTS, "run through tests/run, which sets SITE_URL and SHOTS_DIR");
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// One page of every type the theme has.
const PAGES = {
  home: "",
  directory: "members/",
  member: "members/hegau-drehteile/",
  taxonomy: "sectors/",
  term: "sectors/medical-technology/",
  region: "regions/ortenau/",
  country: "countries/ch/",
  page: "pages/membership/",
  events: "events/",
  event: "events/trade-mission-japan-2027/",
  courses: "training/",
  course: "training/lean-shop-floor-team-leaders/",
  catalogues: "catalogues/",
  catalogue: "catalogues/medical-technology-2027/",
  resources: "resources/",
  resource: "resources/industrial-ct-scanner/",
  procurement: "procurement/",
  call: "procurement/electricity-2028-2029/",
  projects: "projects/",
  project: "projects/biocoat-implant/",
  funding: "funding/",
  fundingItem: "funding/interreg-vi-upper-rhine/",
  news: "news/",
  newsItem: "news/position-paper-energy-prices-2026/",
  positions: "positions/",
  partners: "partners/",
  partner: "partners/meccatronica-piemonte/",
  supplyChain: "supply-chain/",
  brochure: "brochure/",
  factsheet: "members/hegau-drehteile/factsheet/",
  catalogueBrochure: "catalogues/medical-technology-2027/brochure/",
  notFound: "no-such-page/",
  search: "search/?q=coatings",
};

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => browser && (await browser.close()));

/// Opens a page, collecting console errors and requests that leave 127.0.0.1.
// The member cards a visitor can see: the browser's own visibility check, which also knows
// about content the page has put to sleep (content-visibility: hidden). `text` is what the
// search looks at: the card, its facet terms (`data-facets`: capabilities, region…) and its
// `data-search` (needs, certifications).
async function shownCards(page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll(".directory .member-card"))
      .filter((card) => card.checkVisibility({ visibilityProperty: true }) && card.getBoundingClientRect().height > 0)
      .map((card) => ({ name: card.querySelector(".card-title").textContent.trim(), text: `${card.textContent} ${card.dataset.facets} ${card.dataset.search ?? ""}` })),
  );
}

async function open(path, width = 1280) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors = [];
  const foreign = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (!["127.0.0.1", "localhost"].includes(u.hostname) && u.protocol !== "data:") foreign.push(r.url());
  });
  const response = await page.goto(SITE + path, { waitUntil: "load" });
  return { page, errors, foreign, response };
}

for (const [kind, path] of Object.entries(PAGES)) {
  test(`${kind} page (/${path}) loads cleanly and passes axe-core WCAG 2.1 AA`, async () => {
    const { page, errors, foreign, response } = await open(path);
    // The search page lists its results once its index has been read.
    if (kind === "search") await page.waitForSelector(".search-result");
    // The test server answers missing pages with 404.html, as static hosts do.
    if (kind !== "notFound") assert.equal(response.status(), 200, `status of /${path}`);
    // Served as Cloudflare Pages would, with the build's `_headers`: a style or script the
    // policy does not allow shows up below as a console error.
    assert.match(response.headers()["content-security-policy"] ?? "", /default-src 'self'/, "the site's CSP is served");
    assert.equal(response.headers()["x-content-type-options"], "nosniff");
    // Through DevTools, which the page's policy does not govern (an inline <script> would be
    // refused).
    await page.evaluate(AXE);
    const result = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
    );
    const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
    await page.screenshot({ path: `${SHOTS}/${kind}-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}/${kind}-390.png`, fullPage: true });
    await page.close();
    // The 404 page is itself answered with status 404, which Chromium logs.
    const real = errors.filter((e) => !(kind === "notFound" && e.includes("status of 404")));
    assert.deepEqual(real, [], "console errors");
    assert.deepEqual(foreign, [], "requests to other hosts");
    assert.deepEqual(violations, [], "axe-core violations");
  });
}

test("the directory search narrows the cards, says how many, and keeps its state in the URL", async () => {
  const { page, errors } = await open("members/");
  const cards = page.locator(".directory .member-card");
  const total = await cards.count();
  assert.ok(total >= 30, `only ${total} cards`);
  await page.fill("#member-search", "Basel");
  const visible = await shownCards(page);
  const shown = visible.length;
  assert.ok(shown > 0 && shown < total, `${shown} of ${total} shown`);
  for (const { text } of visible) assert.match(text.toLowerCase(), /basel/);
  assert.match(await page.locator(".search-status").textContent(), new RegExp(`^${shown} of ${total}`));
  assert.equal(new URL(page.url()).searchParams.get("q"), "Basel");
  // The shared link shows the same view.
  const again = await browser.newPage();
  await again.goto(page.url());
  assert.equal(await again.inputValue("#member-search"), "Basel");
  assert.equal((await shownCards(again)).length, shown);
  await again.close();
  await page.close();
  assert.deepEqual(errors, []);
});

test("facets filter the directory by sector and country, with live counts and shareable URLs", async () => {
  // What the filter should find, from the open data rather than from the page.
  const members = JSON.parse(readFileSync(`${process.env.PUBLIC_DIR}/members.json`, "utf8"));
  const medtech = members.filter((m) => m.sectors.includes("Medical technology"));
  const swissMedtech = medtech.filter((m) => m.country === "CH").map((m) => m.name).sort();
  assert.ok(swissMedtech.length > 0 && swissMedtech.length < medtech.length);

  const { page, errors } = await open("members/");
  const sector = page.locator('.facet-term[data-facet="sectors"][data-term="medical-technology"]');
  const swiss = page.locator('.facet-term[data-facet="countries"][data-term="ch"]');
  await sector.click();
  assert.equal(await sector.getAttribute("aria-pressed"), "true");
  assert.equal((await shownCards(page)).length, medtech.length);
  // The country counts now count medtech members only.
  await page.locator('.facet[data-facet="countries"] summary').click();
  assert.equal(Number(await swiss.locator(".count").textContent()), swissMedtech.length);
  await swiss.click();
  const names = (await shownCards(page)).map((c) => c.name).sort();
  assert.deepEqual(names, swissMedtech);
  assert.match(await page.locator(".search-status").textContent(), new RegExp(`^${swissMedtech.length} of ${members.length} members`));
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("sectors"), "medical-technology");
  assert.equal(url.searchParams.get("countries"), "ch");

  // The shared URL restores the same view.
  const again = await browser.newPage();
  await again.goto(url.href);
  assert.equal((await shownCards(again)).length, swissMedtech.length);
  assert.equal(await again.locator('.facet-term[data-facet="countries"][data-term="ch"]').getAttribute("aria-pressed"), "true");
  await again.close();

  // Clearing brings everyone back.
  await page.locator(".facet-actions .facet-clear").click();
  assert.equal((await shownCards(page)).length, members.length);
  assert.equal(new URL(page.url()).search, "");
  await page.close();
  assert.deepEqual(errors, []);
});

test("events filter by kind and month, courses by level, with the state in the URL", async () => {
  const { page, errors } = await open("events/");
  const cards = page.locator("#event-lists .event-card");
  const total = await cards.count();
  const shows = page.locator('.list-filter button[data-filter="kind:trade-show"]');
  const expected = Number(await shows.locator(".count").textContent());
  assert.ok(expected > 0 && expected < total);
  await shows.click();
  const visible = page.locator("#event-lists .event-card:not([hidden])");
  assert.equal(await visible.count(), expected);
  for (const kind of await visible.evaluateAll((els) => els.map((e) => e.dataset.kind))) assert.equal(kind, "trade-show");
  assert.equal(new URL(page.url()).searchParams.get("kind"), "trade-show");
  assert.ok(await page.locator(".kind-filter").isHidden(), "the no-script kind links give way to the filter");
  // Month counts follow the kind: a month without trade shows counts 0.
  const months = await page.locator('.list-filter button[data-filter^="month:"] .count').allTextContents();
  assert.equal(months.map(Number).reduce((a, b) => a + b, 0), expected);
  await page.close();

  const courses = await open("training/");
  const beginner = courses.page.locator('.list-filter button[data-filter="level:beginner"]');
  await beginner.click();
  const shown = await courses.page.locator(".course-cards .course-card:not([hidden])").count();
  assert.equal(shown, Number(await beginner.locator(".count").textContent()));
  assert.ok(shown > 0);
  const again = await browser.newPage();
  await again.goto(courses.page.url());
  assert.equal(await again.locator(".course-cards .course-card:not([hidden])").count(), shown);
  await again.close();
  await courses.page.close();
  assert.deepEqual([...errors, ...courses.errors], []);
});

test("the member map: a marker leads to its member, a group to its members' names, without any script", async () => {
  const bare = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await bare.newPage();
  const foreign = [];
  page.on("request", (r) => new URL(r.url()).hostname !== "127.0.0.1" && foreign.push(r.url()));
  await page.goto(SITE + "members/");
  // Linked from the top of the directory, drawn below it.
  await page.locator(".map-link a").click();
  const map = page.locator("figure.member-map > svg");
  const box = await map.boundingBox();
  assert.ok(box && box.width > 400 && box.height > 200, `the map is ${JSON.stringify(box)}`);
  // A marker for several members: its list entry, with their names.
  const group = map.locator('a[href^="#map-place-"]').first();
  const anchor = await group.getAttribute("href");
  await group.click();
  assert.equal(new URL(page.url()).hash, anchor);
  const entry = page.locator(anchor);
  assert.ok(await entry.isVisible());
  assert.ok((await entry.locator("a").count()) >= 2, "the group's members are named");
  // A marker for one member: its profile.
  const single = map.locator('a[href*="/members/"]').first();
  const name = (await single.locator("title").textContent()).trim();
  await single.click();
  await page.waitForURL(/\/members\/[^/]+\/$/);
  assert.equal((await page.locator("h1").textContent()).trim(), name);
  assert.deepEqual(foreign, [], "requests to other hosts");
  await bare.close();
});

test("the theme stays within its size budgets", async () => {
  const size = (file) => readFileSync(`${process.env.PUBLIC_DIR}/${file}`).length;
  const theme = new URL("../../themes/default/static/", import.meta.url);
  const source = (file) => readFileSync(new URL(file, theme)).length;
  // The theme's own files, as written (unminified).
  assert.ok(source("clusterpress.css") < 30_000, `CSS source is ${source("clusterpress.css")} bytes`);
  assert.ok(source("clusterpress.js") < 20_000, `JS source is ${source("clusterpress.js")} bytes`);
  // Scripts that only their pages load: the site search's and the member directory's.
  assert.ok(source("search.js") < 15_000, `search.js source is ${source("search.js")} bytes`);
  assert.ok(source("directory.js") < 15_000, `directory.js source is ${source("directory.js")} bytes`);
  // What a visitor downloads.
  const css = size("clusterpress.css");
  const js = size("clusterpress.js");
  // A typical page: HTML + CSS + JS, images aside.
  for (const page of ["members/hegau-drehteile/index.html", "events/trade-mission-japan-2027/index.html", "index.html"]) {
    const total = size(page) + css + js;
    assert.ok(total < 50_000, `${page} weighs ${total} bytes with CSS and JS`);
  }
});

test("facets work from the keyboard", async () => {
  const { page } = await open("members/");
  const first = page.locator('.facet-term[data-facet="sectors"]').first();
  await first.focus();
  await page.keyboard.press("Enter");
  assert.equal(await first.getAttribute("aria-pressed"), "true");
  await page.keyboard.press("Space");
  assert.equal(await first.getAttribute("aria-pressed"), "false");
  await page.close();
});

test("without JavaScript the directory lists every member and links facets to term pages", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(SITE + "members/");
  assert.ok(await page.locator("#member-search").isHidden(), "the search box needs the script");
  const cards = await page.locator(".directory .member-card").count();
  assert.ok(cards >= 30);
  const facetLink = page.locator(".facets a").first();
  const href = await facetLink.getAttribute("href");
  assert.match(href, /^\/(sectors|capabilities|regions|countries|types)\/[^/]+\/$/);
  await context.close();
});

test("events that are over move to the past in the visitor's browser", async () => {
  // The site is built for 2026-11-27; make the browser believe it is a year later.
  const context = await browser.newContext();
  await context.addInitScript(() => {
    const fixed = new Date("2027-12-01T12:00:00Z").valueOf();
    const RealDate = Date;
    // eslint-disable-next-line no-global-assign
    Date = class extends RealDate {
      constructor(...a) { super(...(a.length ? a : [fixed])); }
      static now() { return fixed; }
    };
  });
  const page = await context.newPage();
  await page.goto(SITE + "events/");
  const upcoming = await page.locator("#upcoming-events .event-card").count();
  assert.equal(upcoming, 0, "every event of the example is over by December 2027");
  await context.close();
});

test("printed, a page keeps its content and drops the site's navigation", async () => {
  const { page } = await open("events/trade-mission-japan-2027/");
  await page.emulateMedia({ media: "print" });
  const shown = (selector) =>
    page.evaluate((s) => {
      const el = document.querySelector(s);
      return el ? el.checkVisibility() : null;
    }, selector);
  assert.equal(await shown(".site-nav"), false, "the navigation is not printed");
  assert.equal(await shown(".site-footer"), false, "the footer is not printed");
  assert.equal(await shown(".calendar-links"), false, "calendar buttons are not printed");
  assert.equal(await shown("h1"), true);
  const color = await page.evaluate(() => getComputedStyle(document.body).color);
  assert.equal(color, "rgb(0, 0, 0)");
  // A printed event fits on a few pages.
  const pdf = await page.pdf({ format: "A4" });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 1 && pages <= 4, `${pages} pages`);
  await page.close();
});

// As a visitor's search is meant to work: every word of the query starts a word of the
// member's name, summary, city, region, sectors, capabilities, needs or certifications, case
// and accents aside.
const foldWords = (text) => " " + text.toLowerCase().normalize("NFD").replace(/\p{M}+/gu, "").replace(/ß/g, "ss").replace(/[^\p{L}\p{N}]+/gu, " ") + " ";
function membersMatching(members, query) {
  const words = foldWords(query).split(" ").filter(Boolean);
  return members
    .filter((m) => {
      const text = foldWords([m.name, m.summary, m.city, m.region, ...m.sectors, ...m.capabilities, ...m.needs, ...m.certifications].filter(Boolean).join(" "));
      return words.every((w) => text.includes(" " + w));
    })
    .map((m) => m.name)
    .sort();
}

test("the directory search finds capabilities, certifications, regions and names typed without accents", async () => {
  const members = JSON.parse(readFileSync(`${process.env.PUBLIC_DIR}/members.json`, "utf8"));
  const { page, errors } = await open("members/");
  const musts = {
    cnc: members.filter((m) => m.capabilities.some((c) => /\bCNC\b/.test(c))),
    "ISO 13485": members.filter((m) => m.certifications.includes("ISO 13485")),
    revetements: members.filter((m) => m.name.includes("Revêtements")),
    prazision: members.filter((m) => m.name.includes("Präzision")),
    Lorrach: members.filter((m) => m.city === "Lörrach"),
  };
  for (const [query, must] of Object.entries(musts)) {
    assert.ok(must.length > 0, `the example site has members for "${query}"`);
    await page.fill("#member-search", query);
    const shown = (await shownCards(page)).map((c) => c.name).sort();
    for (const m of must) assert.ok(shown.includes(m.name), `"${query}" finds ${m.name} (found: ${shown.join(", ")})`);
    assert.deepEqual(shown, membersMatching(members, query), `what "${query}" finds`);
  }
  // Word starts, not any part of a word: "rach" is in Lörrach but starts no word there.
  await page.fill("#member-search", "LÖRR");
  assert.deepEqual((await shownCards(page)).map((c) => c.name).sort(), membersMatching(members, "Lorrach"));
  await page.close();
  assert.deepEqual(errors, []);
});

test("on a phone (390×844) the search box, the first member and the first event are on the first screen, menu and filters behind buttons", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const top = (selector) => page.locator(selector).first().evaluate((el) => el.getBoundingClientRect().top);
  await page.goto(SITE + "members/");
  // The header's parts side by side, none over another: brand, menu button, site search.
  const box = (selector) => page.locator(selector).first().evaluate((el) => el.getBoundingClientRect().toJSON());
  const [brand, menu, search] = [await box(".brand"), await box(".menu-button"), await box(".site-search")];
  assert.ok(brand.right <= menu.left, `the brand (right ${brand.right}) runs into the menu button (left ${menu.left})`);
  assert.ok(search.top >= Math.max(brand.bottom, menu.bottom) - 1, "the site search is below the brand and the menu");
  assert.ok(search.right <= 390 && brand.left >= 0, "the header fits the screen");
  assert.ok((await top("#member-search")) < 844, `the search box starts at ${await top("#member-search")} px`);
  assert.ok((await top(".directory .member-card")) < 844, `the first card starts at ${await top(".directory .member-card")} px`);
  // The menu folds behind its button, which opens it.
  const firstLink = page.locator(".site-nav a").first();
  assert.ok(await firstLink.isHidden(), "the menu is folded");
  await page.locator(".menu-button").click();
  assert.ok(await firstLink.isVisible(), "the menu button opens the menu");
  await page.locator(".menu-button").click();
  // So do the facets, behind "Filter".
  const sector = page.locator('.facet[data-facet="sectors"] .facet-term').first();
  assert.ok(await sector.isHidden(), "the facets are folded");
  await page.locator(".filters-button").click();
  assert.ok(await sector.isVisible(), "the filter button shows the facets");
  await sector.click();
  assert.match(await page.locator(".filters-button").textContent(), /1 on/);
  await page.goto(SITE + "events/");
  assert.ok((await top("#event-lists .event-card")) < 844, `the first event starts at ${await top("#event-lists .event-card")} px`);
  assert.ok(await page.locator('.list-filter button[data-filter^="kind:"]').first().isHidden(), "the event filters are folded");
  await page.locator(".list-filter .filters-button").click();
  assert.ok(await page.locator('.list-filter button[data-filter^="kind:"]').first().isVisible());
  // Without the script the buttons work the same (they are <details>).
  const bare = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const plain = await bare.newPage();
  await plain.goto(SITE + "members/");
  assert.ok(await plain.locator(".site-nav a").first().isHidden());
  await plain.locator(".menu-button").click();
  assert.ok(await plain.locator(".site-nav a").first().isVisible());
  // Open, the menu lies over the page below the header; its button folds it again.
  await plain.locator(".menu-button").click();
  assert.ok(await plain.locator(".site-nav a").first().isHidden());
  assert.ok((await plain.locator(".directory .member-card").first().evaluate((el) => el.getBoundingClientRect().top)) < 844);
  await plain.locator(".filters-button").click();
  assert.ok(await plain.locator(".facets a").first().isVisible());
  await bare.close();
  await context.close();
});

test("on a wide screen the menu and the facets are shown without a button, with or without the script", async () => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(SITE + "members/");
    assert.ok(await page.locator(".site-nav a").last().isVisible(), `menu shown (script: ${javaScriptEnabled})`);
    assert.ok(await page.locator(".menu-button").isHidden());
    assert.ok(await page.locator(".facets summary").first().isVisible(), `facets shown (script: ${javaScriptEnabled})`);
    assert.ok(await page.locator(".filters-button").isHidden());
    // Beside the cards, as before: the facets to the left of the first card.
    const facets = await page.locator(".facets").boundingBox();
    const card = await page.locator(".directory .member-card").first().boundingBox();
    assert.ok(facets.x + facets.width <= card.x, "facets are a column left of the cards");
    await context.close();
  }
});

test("every sector shows in the open Sectors facet, none scrolled out of sight", async () => {
  const members = JSON.parse(readFileSync(`${process.env.PUBLIC_DIR}/members.json`, "utf8"));
  const sectors = [...new Set(members.flatMap((m) => m.sectors))].sort();
  for (const width of [1280, 390]) {
    const { page } = await open("members/", width);
    if (width < 900) await page.locator(".filters-button").click();
    const facet = page.locator('.facet[data-facet="sectors"]');
    assert.equal(await facet.getAttribute("open"), "");
    const seen = await facet.evaluate((panel) =>
      Array.from(panel.querySelectorAll(".facet-term, a[data-term]")).map((term) => {
        // Not clipped: no box between the term and the panel cuts it off.
        const box = term.getBoundingClientRect();
        let clipped = false;
        for (let el = term.parentElement; el && el !== panel.parentElement; el = el.parentElement) {
          const r = el.getBoundingClientRect();
          const style = getComputedStyle(el);
          if (style.overflowY !== "visible" && (box.top < r.top - 1 || box.bottom > r.bottom + 1)) clipped = true;
        }
        return { name: term.querySelector(".term-name").textContent, shown: term.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true }) && box.height > 0 && !clipped };
      }),
    );
    assert.deepEqual(seen.map((s) => s.name).sort(), sectors, `every sector is listed at ${width} px`);
    assert.deepEqual(seen.filter((s) => !s.shown).map((s) => s.name), [], `sectors cut off at ${width} px`);
    await page.close();
  }
  // A long facet lists ten terms and "Show N more", without the script too.
  const bare = await browser.newContext({ javaScriptEnabled: false });
  const plain = await bare.newPage();
  await plain.goto(SITE + "members/");
  const capabilities = plain.locator('.facet[data-facet="capabilities"]');
  await capabilities.locator("summary").first().click();
  const total = Number(await capabilities.locator("summary .count").first().textContent());
  assert.ok(total > 15);
  assert.equal(await capabilities.locator("a[data-term]:visible").count(), 10);
  await capabilities.locator(".facet-more summary").click();
  assert.equal(await capabilities.locator("a[data-term]:visible").count(), total);
  await bare.close();
});

test("long words are hyphenated in the page's language, broken only as a last resort", async () => {
  const { page } = await open("members/", 390);
  const style = await page.evaluate(() => {
    const s = (selector) => {
      const c = getComputedStyle(document.querySelector(selector));
      return { hyphens: c.hyphens, wrap: c.overflowWrap, wordBreak: c.wordBreak };
    };
    return { lang: document.documentElement.lang, title: s(".card-title"), summary: s(".card-summary"), h1: s("h1") };
  });
  assert.match(style.lang, /^[a-z]{2}/, "the page says its language, which hyphenation follows");
  for (const what of ["title", "summary", "h1"]) assert.deepEqual(style[what], { hyphens: "auto", wrap: "break-word", wordBreak: "normal" }, what);
  // No card is wider than the phone's screen.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390));
  await page.close();
  const event = await open("events/", 390);
  assert.equal(await event.page.locator(".event-card .card-heading").first().evaluate((el) => getComputedStyle(el).hyphens), "auto");
  await event.page.close();
});
