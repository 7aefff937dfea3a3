// Benchmark: how long the member directory takes to filter on a keystroke, in headless
// Chromium, with N generated members (default 5,000). The goal is under 50 ms per keystroke.
//
//   cargo build --release && node bench/directory-filter.mjs [N]
//
// Needs the npm packages of tests/browser (`cd tests/browser && npm ci --ignore-scripts`).
// Prints the median and worst time of typing, facet clicks and clearing.

import { mkdtempSync, cpSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(new URL("../tests/browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const N = Number(process.argv[2] || 5000);
const root = new URL("..", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "cp-bench-"));
const site = join(work, "site");
cpSync(join(root, "example-site"), site, { recursive: true });
rmSync(join(site, "public"), { recursive: true, force: true });

// Deterministic members in the example's vocabulary.
const sectors = ["Precision machining", "Automation & robotics", "Medical technology", "Surface technology", "Sensors & metrology", "Plastics & injection moulding", "Software & digitalisation", "Tooling & mould making"];
const caps = ["5-axis CNC milling", "Swiss-type turning", "Injection moulding", "Anodising", "Laser marking", "Cleanroom assembly", "Coordinate measuring", "PLC programming", "Machine vision", "Wire EDM", "Precision grinding", "PVD coating", "Robot integration", "Contract R&D"];
const regions = [["Südbaden", "DE"], ["Ortenau", "DE"], ["Haut-Rhin", "FR"], ["Bas-Rhin", "FR"], ["Basel-Stadt", "CH"], ["Basel-Landschaft", "CH"]];
let seed = 42;
const rnd = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
for (let i = 0; i < N; i++) {
  const [region, country] = regions[rnd(regions.length)];
  const s = [sectors[rnd(8)], sectors[rnd(8)]].filter((v, j, a) => a.indexOf(v) === j);
  const c = [caps[rnd(14)], caps[rnd(14)], caps[rnd(14)]].filter((v, j, a) => a.indexOf(v) === j);
  writeFileSync(
    join(site, "content/members", `bench-member-${i}.md`),
    `---\nname: Bench Member ${i} GmbH\nsummary: Supplier number ${i} of precision parts in ${region}.\nsectors: [${s.join(", ")}]\ncapabilities: [${c.join(", ")}]\nlocation:\n  city: Town ${i % 97}\n  region: ${region}\n  country: ${country}\nemployees: ${1 + rnd(900)}\n---\nA generated member for the benchmark.\n`,
  );
}
const port = 20000 + rnd(20000);
const bin = join(root, "target/release/clusterpress");
execFileSync(bin, ["build", site, "--output", join(work, "public"), "--base-url", `http://127.0.0.1:${port}/`, "--now", "2026-11-27"], { stdio: "inherit" });
const server = spawn("python3", [join(root, "tests/browser/serve.py"), join(work, "public"), String(port)], { stdio: "ignore" });
await new Promise((r) => setTimeout(r, 500));

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/members/`, { waitUntil: "load" });
  const cards = await page.locator(".directory .member-card").count();
  // Each measurement: from the event to the end of the filter's synchronous work, plus the
  // style and layout the browser needs before it can paint the result.
  const times = await page.evaluate(async () => {
    const input = document.getElementById("member-search");
    const split = [];
    const measure = (act) => {
      const t0 = performance.now();
      act();
      const t1 = performance.now();
      document.body.offsetHeight; // force style and layout now
      const t2 = performance.now();
      split.push([Math.round(t1 - t0), Math.round(t2 - t1)]);
      return t2 - t0;
    };
    const out = { typing: [], facets: [], clear: [], showAll: [] };
    for (const q of ["b", "be", "ben", "benc", "bench", "bench 1", "bench 12", "basel", "ba", "b", ""]) {
      out.typing.push(measure(() => { input.value = q; input.dispatchEvent(new Event("input")); }));
    }
    const buttons = Array.from(document.querySelectorAll(".facet-term")).slice(0, 12);
    for (const b of buttons) out.facets.push(measure(() => b.click()));
    out.clear.push(measure(() => document.querySelector(".facet-clear").click()));
    input.value = "bench";
    input.dispatchEvent(new Event("input"));
    out.showAll = [measure(() => document.querySelector(".show-all").click())];
    out.split = split;
    return out;
  });
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return `median ${s[Math.floor(s.length / 2)].toFixed(1)} ms, worst ${s[s.length - 1].toFixed(1)} ms (${s.length} runs)`;
  };
  console.log(`directory with ${cards} members`);
  console.log(`  keystroke:   ${stats(times.typing)}`);
  console.log(`  facet click: ${stats(times.facets)}`);
  console.log(`  clear all:   ${stats(times.clear)}`);
  console.log(`  show all:    ${stats(times.showAll)} (lists every match at once)`);
  if (process.env.VERBOSE) console.log(JSON.stringify(times));
} finally {
  await browser.close();
  server.kill();
  rmSync(work, { recursive: true, force: true });
}
