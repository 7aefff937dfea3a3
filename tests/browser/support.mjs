// What the browser tests that build their own site share: serving a folder as a static host
// would (tests/browser/serve.py), building a site for a host under a sub-path, starting
// Chromium and watching a page for problems.

import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));

/// A free-looking port for a test's server.
export function port() {
  return 20000 + Math.floor(Math.random() * 20000);
}

/// Serves `dir` on `port` and resolves, with the server's process, once `url` answers.
export async function serve(dir, port, url) {
  const server = spawn("python3", [join(REPO, "tests/browser/serve.py"), dir, String(port)], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  return server;
}

/// Headless Chromium, as the other browser tests start it.
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}

/// Builds `site` with `bin` (and `more` arguments) for a host that serves it at `/cluster/`
/// and reads its `_headers` (the site must say `hosting: cloudflare`), under `work`, and
/// serves it; resolves with the site's address and the server's process.
export async function serveUnderSubPath(bin, site, work, more = []) {
  const at = port();
  const base = `http://127.0.0.1:${at}/cluster/`;
  const root = join(work, "root");
  mkdirSync(root);
  execFileSync(bin, ["build", site, "--output", join(root, "cluster"), "--base-url", base, ...more], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  copyFileSync(join(root, "cluster/_headers"), join(root, "_headers"));
  return { base, server: await serve(root, at, base) };
}

/// A new page of `browser` that records console errors, uncaught exceptions and
/// Content-Security-Policy violations in `problems`.
export async function watched(browser) {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return { page, problems };
}
