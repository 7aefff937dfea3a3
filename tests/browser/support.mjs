// What the browser tests that build their own site share: serving a folder as a static host
// would (tests/browser/serve.py) and starting Chromium.

import { spawn } from "node:child_process";
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
