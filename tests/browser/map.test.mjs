// The interactive member map (`map.tiles`, issue 23): with tiles configured, the directory
// asks nothing of the tile server until the visitor clicks the button under the map; then the
// tiles load under the site's own Content-Security-Policy, with the markers on them.
//
// Run by `tests/run`, which builds the binary and sets CLUSTERPRESS_BIN and EXAMPLE_SITE.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, port, serveUnderSubPath, watched } from "./support.mjs";

const BIN = process.env.CLUSTERPRESS_BIN;
const EXAMPLE = process.env.EXAMPLE_SITE;
assert.ok(BIN && EXAMPLE, "run through tests/run, which sets CLUSTERPRESS_BIN and EXAMPLE_SITE");

// A 1 × 1 grey PNG: every tile the test server sends.
const TILE = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGM4AQAAygDJmcpdfgAAAABJRU5ErkJggg==",
  "base64",
);

let work, browser, site, tiles, tileServer;
const asked = [];

before(async () => {
  work = mkdtempSync(join(tmpdir(), "cp-map-"));
  // Another origin than the site's (127.0.0.1): a third party, as a real tile server is.
  const tilePort = port();
  tileServer = createServer((req, res) => {
    asked.push(req.url);
    res.writeHead(200, { "content-type": "image/png", "access-control-allow-origin": "*" });
    res.end(TILE);
  });
  await new Promise((resolve) => tileServer.listen(tilePort, resolve));
  tiles = `http://localhost:${tilePort}`;
  const dir = join(work, "site");
  cpSync(EXAMPLE, dir, { recursive: true });
  rmSync(join(dir, "public"), { recursive: true, force: true });
  const config = join(dir, "cluster.yaml");
  writeFileSync(config, readFileSync(config, "utf8").replace(/^hosting: github$/m, "hosting: cloudflare"));
  appendFileSync(config, `\nmap:\n  tiles: "${tiles}/{z}/{x}/{y}.png"\n  attribution: "© Test Tiles"\n`);
  site = await serveUnderSubPath(BIN, dir, work, ["--now", "2026-11-27"]);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.server.kill();
  tileServer?.close();
  rmSync(work, { recursive: true, force: true });
});

test("tiles load only after the visitor asks for them, under the site's own policy, with the markers on them", async () => {
  const { page, problems } = await watched(browser);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(site.base + "members/");
  const button = page.locator("button.map-interactive");
  await button.scrollIntoViewIfNeeded();
  assert.ok(await button.isVisible(), "the button is shown");
  assert.match(await button.textContent(), new RegExp(`localhost:${new URL(tiles).port}`), "it names the tile server");
  await page.waitForTimeout(300);
  assert.deepEqual(asked, [], "nothing is asked of the tile server before the click");

  const spots = JSON.parse(await page.locator("figure.member-map").getAttribute("data-spots"));
  await button.click();
  await page.waitForFunction(() => Array.from(document.querySelectorAll(".tile-layer img")).some((i) => i.complete && i.naturalWidth > 0));
  assert.ok(asked.length > 0 && asked.every((u) => /^\/\d+\/\d+\/\d+\.png$/.test(u)), `tiles asked for: ${asked.slice(0, 3)}`);
  assert.equal(await page.locator("figure.member-map > svg").count(), 0, "the drawn map gives way to the tile map");
  assert.equal(await page.locator(".tile-pin").count(), spots.length, "a marker for each of the drawn map's");
  assert.match(await page.locator(".tile-credit").textContent(), /© Test Tiles/);
  // Every marker is inside the map's box.
  const outside = await page.evaluate(() => {
    const box = document.querySelector(".tile-map").getBoundingClientRect();
    return Array.from(document.querySelectorAll(".tile-pin")).filter((p) => {
      const r = p.getBoundingClientRect();
      return r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom;
    }).length;
  });
  assert.equal(outside, 0, "markers outside the map at first");

  // Zooming asks for the tiles of the next level.
  const before = asked.length;
  const zoomOf = (u) => Number(u.split("/")[1]);
  const first = zoomOf(asked[0]);
  await page.locator(".tile-controls button").first().click();
  await page.waitForFunction((n) => document.querySelectorAll(".tile-layer img").length > 0 && performance.getEntriesByType("resource").length > n, before);
  await page.waitForTimeout(200);
  assert.ok(asked.slice(before).some((u) => zoomOf(u) === first + 1), `zoomed tiles: ${asked.slice(before, before + 3)}`);

  // A single member's marker leads to its page.
  const single = page.locator(".tile-pin:not(.tile-group)").first();
  const name = await single.getAttribute("title");
  await page.locator(".tile-controls button").nth(1).click();
  await single.click();
  await page.waitForURL(/\/members\/[^/]+\/$/);
  assert.equal((await page.locator("h1").textContent()).trim(), name);
  assert.deepEqual(problems, [], "console errors and policy violations");
});
