// clusterpress serve: live reload. Added to pages only while previewing, never to a build.
(() => {
  "use strict";
  const here = () => {
    const path = decodeURI(location.pathname);
    return path.endsWith("/index.html") ? path.slice(0, -"index.html".length) : path;
  };
  let overlay = null;

  function showErrors(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "clusterpress-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;" +
        "background:rgba(24,24,27,.96);color:#fafafa;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
      const title = document.createElement("p");
      title.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#fca5a5";
      title.textContent = "clusterpress: the site could not be rebuilt. Fix the problems below; this page updates by itself.";
      const pre = document.createElement("pre");
      pre.style.cssText = "margin:0;white-space:pre-wrap";
      overlay.append(title, pre);
      document.body.append(overlay);
    }
    overlay.querySelector("pre").textContent = text;
  }

  function clearErrors() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  // New copies of the site's stylesheets, each old one removed once its copy has loaded: no
  // flash of unstyled page, scroll position kept.
  function swapStylesheets() {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("clusterpress-live", Date.now().toString());
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", () => link.remove());
      fresh.addEventListener("error", () => link.remove());
      link.after(fresh);
    }
  }

  const source = new EventSource("/__clusterpress/events");
  let opened = false;
  source.addEventListener("open", () => {
    // The server was restarted: what is shown may be out of date.
    if (opened) location.reload();
    opened = true;
    // For tests and the curious: the page listens.
    document.documentElement.dataset.clusterpressLive = "connected";
  });
  source.addEventListener("reload", (e) => {
    const paths = JSON.parse(e.data);
    if (paths.length === 0 || paths.includes(here())) location.reload();
  });
  source.addEventListener("css", swapStylesheets);
  source.addEventListener("errors", (e) => showErrors(JSON.parse(e.data)));
  source.addEventListener("clear", clearErrors);
})();
