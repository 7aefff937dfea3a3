// `clusterpress serve` with a real headless Chromium looking at it: a saved edit reloads the
// page that shows it, a broken file puts its error over the page until it is fixed, and a
// stylesheet edit restyles the page without reloading it.
//
// Run by `tests/run`, which builds the binary and sets CLUSTERPRESS_BIN and EXAMPLE_SITE.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const BIN = process.env.CLUSTERPRESS_BIN;
const EXAMPLE = process.env.EXAMPLE_SITE;
assert.ok(BIN && EXAMPLE, "run through tests/run, which sets CLUSTERPRESS_BIN and EXAMPLE_SITE");

let browser, server, base, work, site;
const consoleErrors = [];

before(async () => {
  work = mkdtempSync(join(tmpdir(), "cp-serve-"));
  site = join(work, "site");
  cpSync(EXAMPLE, site, { recursive: true });
  rmSync(join(site, "public"), { recursive: true, force: true });
  // The site's own copy of the stylesheet, so that editing it is an author's edit.
  const css = readFileSync(new URL("../../themes/default/static/clusterpress.css", import.meta.url), "utf8");
  writeFileSync(join(site, "static/clusterpress.css"), css);

  server = spawn(BIN, ["serve", site, "--port", "0", "--now", "2026-11-27"], { stdio: ["ignore", "ignore", "pipe"] });
  base = await new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log}`)), 60000);
    server.stderr.on("data", (chunk) => {
      log += chunk;
      const m = log.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill("SIGINT");
  if (work) rmSync(work, { recursive: true, force: true });
});

async function open(path) {
  const page = await browser.newPage();
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(`${path}: ${m.text()}`));
  page.on("pageerror", (e) => consoleErrors.push(`${path}: ${e.message}`));
  await page.goto(base + path);
  // The live-reload stream is open before anything is edited.
  await page.waitForFunction(() => document.documentElement.dataset.clusterpressLive === "connected");
  return page;
}

const MEMBER = () => join(site, "content/members/baar-formenbau.md");

test("a saved edit reloads the page that shows it", async () => {
  const page = await open("members/baar-formenbau/");
  const other = await open("members/hegau-drehteile/");
  await page.evaluate(() => (window.notReloaded = true));
  await other.evaluate(() => (window.notReloaded = true));
  appendFileSync(MEMBER(), "\nWritten while the browser watched.\n");
  await page.waitForFunction(() => document.body.innerText.includes("Written while the browser watched."), null, { timeout: 15000 });
  assert.equal(await page.evaluate(() => window.notReloaded), undefined, "the page was reloaded");
  // A page that does not show the change is left alone.
  assert.equal(await other.evaluate(() => window.notReloaded), true);
  await page.close();
  await other.close();
});

test("a broken file shows its error over the page until it is fixed", async () => {
  const page = await open("members/baar-formenbau/");
  const text = readFileSync(MEMBER(), "utf8");
  writeFileSync(MEMBER(), text.replace("employees: 58", "employees: [58"));
  const overlay = page.locator("#clusterpress-errors");
  await overlay.waitFor({ state: "visible", timeout: 15000 });
  const message = await overlay.innerText();
  assert.match(message, /content\/members\/baar-formenbau\.md:18/);
  assert.match(message, /employees/);
  // Covering the page: what is under it cannot be clicked by mistake.
  const box = await overlay.boundingBox();
  const viewport = page.viewportSize();
  assert.ok(box.width >= viewport.width - 1 && box.height >= viewport.height - 1);

  writeFileSync(MEMBER(), text.replace("employees: 58", "employees: 61"));
  await overlay.waitFor({ state: "detached", timeout: 15000 });
  await page.waitForFunction(() => document.body.innerText.includes("61"), null, { timeout: 15000 });
  await page.close();
});

test("a stylesheet edit restyles the page without reloading it", async () => {
  const page = await open("events/");
  await page.evaluate(() => (window.notReloaded = true));
  appendFileSync(join(site, "static/clusterpress.css"), "\nbody { outline: 7px solid rgb(1, 2, 3); }\n");
  await page.waitForFunction(() => getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)", null, { timeout: 15000 });
  assert.equal(await page.evaluate(() => window.notReloaded), true, "the page was not reloaded");
  assert.equal(await page.locator('link[rel="stylesheet"]').count(), 1, "the old stylesheet is gone");
  await page.close();
});

test("no console errors while serving", () => {
  assert.deepEqual(consoleErrors, []);
});
