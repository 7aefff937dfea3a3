// Site search (/search/): reads the index beside the page (search/index.json, then the part
// of the word list each query word needs and the files of the items it shows), all made from
// the model at build time (`render::search`). A query word finds the words it begins and the
// words whose stem it begins with; every word must be found; title words count more. The
// results can be narrowed to one kind (members, events…); the query and kind are in the URL.
(function () {
  "use strict";
  var page = document.querySelector(".search-page");
  if (!page) return;
  var form = page.querySelector(".search-form");
  var input = page.querySelector("#search-q");
  var status = page.querySelector(".search-status");
  var list = page.querySelector(".search-results");
  var kindsBar = page.querySelector(".search-kinds");
  window.clusterpressWords({
    search_results: { one: "{n} result", other: "{n} results" },
    search_none: "Nothing found. Try fewer or shorter words.",
    search_short: "Type at least two letters.",
    search_more: "Show more results",
    search_all: "All",
    search_stale: "While you edit (clusterpress serve), the search shows the site as it was when the preview started."
  });
  var say = window.clusterpressSay;
  var fold = window.clusterpressFold;
  var base = new URL("index.json", window.location.href);
  var files = {};
  function get(name) {
    if (!files[name]) {
      files[name] = fetch(new URL(name, base)).then(function (r) {
        if (!r.ok) throw new Error(name + ": " + r.status);
        return r.json();
      });
    }
    return files[name];
  }
  if (document.querySelector("script[src$='__clusterpress/live.js']")) {
    var stale = document.createElement("p");
    stale.className = "search-stale muted";
    stale.textContent = say("search_stale", {});
    form.parentNode.insertBefore(stale, form.nextSibling);
  }
  var params = new URL(window.location.href).searchParams;
  input.value = params.get("q") || "";
  var kind = params.get("kind") || "";
  // facet → chosen slugs, as the directory keeps them (?sectors=a,b&countries=de).
  var chosen = {};
  ["sectors", "regions", "countries"].forEach(function (f) {
    var v = params.get(f);
    if (v) chosen[f] = v.split(",");
  });
  var shown = 20;
  var run = 0;

  // The items a folded word finds, as item number → score, or null if the word is too
  // common to narrow anything.
  function find(word, index) {
    var key = word.slice(0, 2);
    var n = 0;
    while (n + 1 < index.parts.length && index.parts[n + 1] <= key) n++;
    return get("w-" + n + ".json").then(function (part) {
      var stems = {};
      var common = false;
      Object.keys(part.w).forEach(function (w) {
        var stem = part.w[w];
        var begins = w.lastIndexOf(word, 0) === 0;
        var inflected = stem.length >= 3 && word.lastIndexOf(stem, 0) === 0 && word.length - stem.length <= 4;
        if (!begins && !inflected) return;
        if (part.s.indexOf(stem) !== -1) common = true;
        stems[stem] = true;
      });
      if (common) return null;
      var scores = {};
      Object.keys(stems).forEach(function (stem) {
        var at = 0;
        (part.p[stem] || []).forEach(function (d) { at += d; scores[at] = Math.max(scores[at] || 0, 1); });
        at = 0;
        (part.t[stem] || []).forEach(function (d) { at += d; scores[at] = 3; });
      });
      return scores;
    });
  }

  function search(push) {
    var mine = ++run;
    var words = fold(input.value).split(" ").filter(function (w) { return w.length >= 2; });
    if (push) {
      var url = new URL(window.location.href);
      if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
      if (kind) url.searchParams.set("kind", kind); else url.searchParams.delete("kind");
      ["sectors", "regions", "countries"].forEach(function (f) {
        if ((chosen[f] || []).length) url.searchParams.set(f, chosen[f].join(",")); else url.searchParams.delete(f);
      });
      window.history.replaceState(null, "", url);
    }
    if (!words.length) {
      list.textContent = "";
      kindsBar.hidden = true;
      status.textContent = input.value.trim() ? say("search_short", {}) : "";
      return;
    }
    get("index.json").then(function (index) {
      return Promise.all(words.map(function (w) { return find(w, index); })).then(function (found) {
        if (mine !== run) return;
        var total = null;
        found.forEach(function (scores) {
          if (!scores) return;
          if (total === null) {
            total = scores;
            return;
          }
          var both = {};
          Object.keys(total).forEach(function (d) { if (d in scores) both[d] = total[d] + scores[d]; });
          total = both;
        });
        var hits = Object.keys(total || {}).map(Number);
        hits.sort(function (a, b) { return total[b] - total[a] || a - b; });
        if (!index.filters.length) return show(index, hits, [], mine);
        return get("filters.json").then(function (lists) { return show(index, hits, sets(lists), mine); });
      });
    }).catch(function (e) {
      status.textContent = String(e);
    });
  }

  // Each filter's items as a set, decoded once.
  var decoded = null;
  function sets(lists) {
    if (!decoded) {
      decoded = lists.map(function (list) {
        var set = {};
        var at = 0;
        list.forEach(function (d) { at += d; set[at] = true; });
        return set;
      });
    }
    return decoded;
  }

  function show(index, found, filterSets, mine) {
    var per = index.per_file;
    // Chosen filters: an item must have one of the chosen terms of each facet. ok[facet] is
    // the set of the found items that pass that facet's choice (all, if none is chosen).
    var ok = {};
    index.facets.forEach(function (facet) {
      var want = [];
      index.filters.forEach(function (f, n) {
        if (f[0] === facet[0] && (chosen[f[0]] || []).indexOf(f[1]) !== -1) want.push(filterSets[n]);
      });
      if (!want.length) return;
      var set = {};
      found.forEach(function (d) { if (want.some(function (w) { return w[d]; })) set[d] = true; });
      ok[facet[0]] = set;
    });
    var passes = function (d, except) {
      for (var f in ok) if (f !== except && !ok[f][d]) return false;
      return true;
    };
    var hits = found.filter(function (d) { return passes(d, null); });
    // The items come kind by kind: an item's kind is the last that starts at or before it.
    var kindOf = function (d) {
      var k = 0;
      while (k + 1 < index.kinds.length && index.kinds[k + 1][2] <= d) k++;
      return k;
    };
    var counts = {};
    hits.forEach(function (d) { var k = kindOf(d); counts[k] = (counts[k] || 0) + 1; });
    var shownKind = index.kinds.map(function (k) { return k[0]; }).indexOf(kind);
    var listed = shownKind === -1 ? hits : hits.filter(function (d) { return kindOf(d) === shownKind; });
    var page = listed.slice(0, shown);
    // Only the files of the items shown are fetched.
    var needed = {};
    page.forEach(function (d) { needed[Math.floor(d / per)] = true; });
    return Promise.all(Object.keys(needed).map(function (n) { return get("i-" + n + ".json").then(function (items) { return [n, items]; }); })).then(function (loaded) {
      if (mine !== run) return;
      var items = {};
      loaded.forEach(function (pair) { items[pair[0]] = pair[1]; });
      var rows = page.map(function (d) { return items[Math.floor(d / per)][d % per]; });
      kindsBar.textContent = "";
      kindsBar.hidden = found.length === 0;
      var button = function (label, value, n) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "filter-term";
        b.setAttribute("aria-pressed", kind === value ? "true" : "false");
        b.textContent = label + " ";
        var count = document.createElement("span");
        count.className = "count";
        count.textContent = String(n);
        b.appendChild(count);
        b.addEventListener("click", function () { kind = value; shown = 20; search(true); });
        kindsBar.appendChild(b);
      };
      button(say("search_all", {}), "", hits.length);
      index.kinds.forEach(function (k, n) { if (counts[n]) button(k[1], k[0], counts[n]); });
      // Each facet's terms among the results (counted as if that facet's own choice were
      // off), the most frequent first, at most ten.
      index.facets.forEach(function (facet) {
        var terms = [];
        index.filters.forEach(function (f, n) {
          if (f[0] !== facet[0]) return;
          var on = (chosen[f[0]] || []).indexOf(f[1]) !== -1;
          var c = found.filter(function (d) { return filterSets[n][d] && passes(d, f[0]); }).length;
          if (c || on) terms.push({ f: f, n: c, on: on });
        });
        if (!terms.length) return;
        terms.sort(function (a, b) { return b.on - a.on || b.n - a.n; });
        var group = document.createElement("fieldset");
        var legend = document.createElement("legend");
        legend.textContent = facet[1];
        group.appendChild(legend);
        terms.slice(0, 10).forEach(function (t) {
          var b = document.createElement("button");
          b.type = "button";
          b.className = "filter-term";
          b.setAttribute("aria-pressed", t.on ? "true" : "false");
          b.textContent = t.f[2] + " ";
          var count = document.createElement("span");
          count.className = "count";
          count.textContent = String(t.n);
          b.appendChild(count);
          b.addEventListener("click", function () {
            var list = chosen[t.f[0]] || (chosen[t.f[0]] = []);
            var i = list.indexOf(t.f[1]);
            if (i === -1) list.push(t.f[1]); else list.splice(i, 1);
            shown = 20;
            search(true);
          });
          group.appendChild(b);
        });
        kindsBar.appendChild(group);
      });
      list.textContent = "";
      rows.forEach(function (r) {
        var li = document.createElement("li");
        li.className = "search-result";
        var a = document.createElement("a");
        a.href = r[0];
        a.textContent = r[1];
        var badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = index.kinds[r[2]][1];
        var heading = document.createElement("p");
        heading.className = "search-title";
        heading.appendChild(a);
        heading.appendChild(document.createTextNode(" "));
        heading.appendChild(badge);
        li.appendChild(heading);
        if (r[3]) {
          var p = document.createElement("p");
          p.className = "search-summary";
          p.textContent = r[3];
          li.appendChild(p);
        }
        list.appendChild(li);
      });
      if (listed.length > shown) {
        var li = document.createElement("li");
        var more = document.createElement("button");
        more.type = "button";
        more.className = "facet-clear search-more";
        more.textContent = say("search_more", {});
        more.addEventListener("click", function () { shown += 20; search(false); });
        li.appendChild(more);
        list.appendChild(li);
      }
      status.textContent = listed.length ? say("search_results", { n: listed.length }) : say("search_none", {});
    });
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); shown = 20; search(true); });
  input.addEventListener("input", function () { shown = 20; search(true); });
  search(false);
})();
