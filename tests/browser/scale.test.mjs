// A site of 5,000 members (made by bench/gen) on a phone: the long lists fit the screen's
// width, whatever the directory's tricks for speed (content-visibility) guess.
//
// Run by `tests/run`, which builds the binary and sets CLUSTERPRESS_BIN.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const BIN = process.env.CLUSTERPRESS_BIN;
assert.ok(BIN, "run through tests/run, which sets CLUSTERPRESS_BIN");
const REPO = fileURLToPath(new URL("../..", import.meta.url));

let browser, server, base, work;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "cp-scale-"));
  execFileSync("python3", [join(REPO, "bench/gen"), "5000", join(work, "gen")], { stdio: "ignore" });
  const port = 20000 + Math.floor(Math.random() * 20000);
  base = `http://127.0.0.1:${port}/`;
  execFileSync(BIN, ["build", join(work, "gen/clusterpress"), "--output", join(work, "public"), "--base-url", base], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  server = spawn("python3", [join(REPO, "tests/browser/serve.py"), join(work, "public"), String(port)], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(work, { recursive: true, force: true });
});

test("with 5,000 members, the directory and the other long lists have no horizontal scroll at 390 px", async () => {
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
  for (const path of ["members/", "supply-chain/", "events/", "training/", "sectors/"]) {
    await page.goto(base + path, { waitUntil: "load", timeout: 120000 });
    let found = await wide();
    assert.ok(found.width <= 390, `${path}: ${found.width} px wide (${found.widest})`);
    // Further down, where the skipped cards are laid out as they come into view.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
    await page.waitForTimeout(100);
    found = await wide();
    assert.ok(found.width <= 390, `${path}, halfway down: ${found.width} px wide (${found.widest})`);
  }
  // The directory is long enough for its tricks to be on.
  await page.goto(base + "members/", { waitUntil: "load", timeout: 120000 });
  assert.ok(await page.locator(".directory.long").count(), "the script marks the directory long");
  await context.close();
});
