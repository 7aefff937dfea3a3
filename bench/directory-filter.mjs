// Benchmark: the member directory's filter and the site search at scale, in headless
// Chromium, on the site `bench/gen N` writes (default 10,000 members), built with its search
// index and served on 127.0.0.1.
//
//   cargo build --release && node bench/directory-filter.mjs [N]
//
// Needs the npm packages of tests/browser (`cd tests/browser && npm ci --ignore-scripts`).
// Prints, for the directory (`/members/`, whose search and facets read a data file) and for
// the search page (`/search/`):
// - first results: from the start of navigation to `…?q=…` until the results are in the
//   page and a frame has been painted (goal for the directory: 1 s);
// - a keystroke: from the input event until the results are in the page and laid out, once
//   the data is loaded (goals: directory 30 ms median, search 100 ms);
// - the bytes a first query fetches, gzipped as a host would send them (goal for search:
//   300 KB).

import { mkdtempSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(new URL("../tests/browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const N = Number(process.argv[2] || 10000);
const root = new URL("..", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "cp-bench-"));
execFileSync("python3", [join(root, "bench/gen"), String(N), work], { stdio: "ignore" });
const config = join(work, "clusterpress/cluster.yaml");
execFileSync("sed", ["-i", "/^  search: false$/d", config]);
const port = 20000 + Math.floor(Math.random() * 20000);
const bin = join(root, "target/release/clusterpress");
const pub = join(work, "public");
execFileSync(bin, ["build", join(work, "clusterpress"), "--output", pub, "--base-url", `http://127.0.0.1:${port}/`], { stdio: "ignore" });
const server = spawn("python3", [join(root, "tests/browser/serve.py"), pub, String(port)], { stdio: "ignore" });
await new Promise((r) => setTimeout(r, 500));
const site = `http://127.0.0.1:${port}/`;

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(1)} ms, worst ${s[s.length - 1].toFixed(1)} ms (${s.length} runs)`;
};

// Opens `path` in a fresh page and returns the time from navigation start until `ready()`
// is true in the page and a frame has been painted, and the site files fetched meanwhile.
async function first(browser, path, ready) {
  const page = await browser.newPage();
  const fetched = [];
  page.on("response", (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(site + path, { waitUntil: "commit" });
  await page.waitForFunction(ready, null, { polling: "raf", timeout: 30000 });
  const ms = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
  return { page, ms, fetched };
}

// Types each of `queries` into `selector` and times each until `changed()` says the page
// shows its results, then forces layout.
async function keystrokes(page, selector, queries) {
  return page.evaluate(
    async ([selector, queries]) => {
      const input = document.querySelector(selector);
      const times = [];
      for (const q of queries) {
        const t0 = performance.now();
        let done;
        const seen = new Promise((r) => (done = r));
        const watch = new MutationObserver(() => done());
        watch.observe(document.querySelector("main"), { childList: true, subtree: true, characterData: true, attributes: true });
        input.value = q;
        input.dispatchEvent(new Event("input"));
        // A search that changes nothing visible ends at once.
        await Promise.race([seen, new Promise((r) => setTimeout(r, 500))]);
        watch.disconnect();
        document.body.offsetHeight;
        times.push(performance.now() - t0);
      }
      return times;
    },
    [selector, queries],
  );
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
try {
  console.log(`site: bench/gen ${N}, release build, served by tests/browser/serve.py`);
  // The directory.
  {
    const { page, ms } = await first(browser, "members/?q=munich", () => document.querySelectorAll(".results li").length > 0);
    console.log(`directory (/members/, data file ${(readFileSync(join(pub, "members/directory.json")).length / 1024).toFixed(0)} KB, ${(gzipSync(readFileSync(join(pub, "members/directory.json"))).length / 1024).toFixed(0)} KB gzipped)`);
    console.log(`  first results of ?q=munich: ${ms.toFixed(0)} ms after navigation`);
    const typing = await keystrokes(page, "#member-search", ["l", "la", "las", "lase", "laser", "laser c", "laser cu", "laser cut", "b", "be", "ber", "berl", "berli", "berlin", ""]);
    console.log(`  keystroke: ${stats(typing)}`);
    const facets = await page.evaluate(() => {
      const times = [];
      for (const b of Array.from(document.querySelectorAll(".facet-term")).slice(0, 12)) {
        const t0 = performance.now();
        b.click();
        document.body.offsetHeight;
        times.push(performance.now() - t0);
      }
      return times;
    });
    console.log(`  facet click: ${stats(facets)}`);
    await page.close();
  }
  // The site search.
  {
    const { page, ms, fetched } = await first(browser, "search/?q=laser%20cutting", () => document.querySelectorAll(".search-result").length > 0);
    const files = fetched.filter((p) => p.startsWith("/search/") && p.endsWith(".json"));
    const bytes = files.reduce((sum, p) => sum + gzipSync(readFileSync(join(pub, p))).length, 0);
    console.log(`search (/search/, ${files.length} index files fetched for the first query: ${(bytes / 1024).toFixed(0)} KB gzipped)`);
    console.log(`  first results of ?q=laser cutting: ${ms.toFixed(0)} ms after navigation`);
    const typing = await keystrokes(page, "#search-q", ["w", "we", "wel", "weld", "weldi", "weldin", "welding", "welding r", "welding ro", "welding rob", "welding robo", "st", "stu", "stut", "stutt", "stuttgart"]);
    console.log(`  keystroke: ${stats(typing)}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
  rmSync(work, { recursive: true, force: true });
}
