// clusterpress default theme: progressive enhancement only. Without this script every page
// works (facet links lead to the term pages); with it, the member directory filters instantly.

// The menu and the filters are <details>, folded on narrow screens and opened on wide ones.
(function () {
  "use strict";
  if (!window.matchMedia) return;
  [[".site-header .menu", "(min-width: 48rem)"], ["details.filters", "(min-width: 56rem)"]].forEach(function (pair) {
    var wide = window.matchMedia(pair[1]);
    Array.prototype.forEach.call(document.querySelectorAll(pair[0]), function (details) {
      var set = function () { details.open = wide.matches; };
      set();
      wide.addEventListener("change", set);
    });
  });
})();

// The words the script shows, in the page's language: English here, the site's own from the
// page (`data-strings` on <body>, written when they differ from these). `{name}` marks a value.
(function () {
  "use strict";
  var s = {
    members_shown: "{shown} of {n} members",
    first_listed: ", the first {limit} listed",
    show_all: "Show all {shown} matching members",
    on: "({on} on)",
    items_shown: "{shown} of {n} shown",
    your_time: "Your time: {time}",
    search_results: { one: "{n} result", other: "{n} results" },
    search_none: "Nothing found. Try fewer or shorter words.",
    search_short: "Type at least two letters.",
    search_more: "Show more results",
    search_all: "All",
    search_stale: "While you edit (clusterpress serve), the search shows the site as it was when the preview started."
  };
  try {
    var own = JSON.parse(document.body.getAttribute("data-strings") || "{}");
    Object.keys(own).forEach(function (k) { s[k] = own[k]; });
  } catch (e) { /* keep English */ }
  // A text with its {name} places filled; a text with plural forms takes the one CLDR's
  // rules of the page's language choose for `values.n`.
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "en") : null;
  window.clusterpressSay = function (key, values) {
    var text = s[key];
    if (typeof text === "object") text = text[plural ? plural.select(values.n) : "other"] || text.other;
    return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  };
  // Folding for searches: lower case, no accents (ö → o), ß → ss…, words separated by single
  // spaces. The search index folds the same way (`render::search::fold_words`).
  var FOLD = { "ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i" };
  window.clusterpressFold = function (text) {
    return (" " + text.toLowerCase().normalize("NFD"))
      .replace(/\p{M}+/gu, "")
      .replace(/[ßẞæœøłđðþı]/g, function (c) { return FOLD[c]; })
      .replace(/[^\p{L}\p{N}]+/gu, " ");
  };
})();

// The member directory: free-text search plus facets (OR within a facet, AND across facets),
// with live counts and the state in the URL (?q=…&sectors=a,b&countries=de) so a filtered
// view can be shared. Each query word must start a word of the card's text, its facet terms'
// slugs or its `data-search`, case and accents aside. Work per keystroke is linear in the
// number of cards, with each card read and folded once at start.
(function () {
  "use strict";
  var fold = window.clusterpressFold;
  var box = document.querySelector(".search");
  var input = document.getElementById("member-search");
  if (!box || !input) return;
  var cards = Array.prototype.slice.call(document.querySelectorAll(".directory .member-card"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".letter-group"));
  var status = box.querySelector(".search-status");
  var noResults = document.querySelector(".no-results");
  var actions = document.querySelector(".facet-actions");
  var chosen = document.querySelector(".filters-active");
  var directory = document.querySelector(".directory");
  if (directory && cards.length > 300) directory.classList.add("long");
  // A long directory lists its members one letter per page; its search and facets read
  // them from a data file instead (see `directory_data`), fetched once.
  var source = directory && directory.getAttribute("data-source");
  if (source) {
    fetch(source).then(function (r) { return r.json(); }).then(function (json) { start(fromData(json)); });
  } else {
    start(cards.map(function (c) {
      var terms = (c.getAttribute("data-facets") || "").split(" ").filter(Boolean);
      return { el: c, text: fold(c.textContent + " " + terms.map(function (t) { return t.slice(t.indexOf(":") + 1); }).join(" ") + " " + (c.getAttribute("data-search") || "")) + " ", terms: terms };
    }));
  }

  // Rows of the data file: [name, address under the directory, kind, place, [term
  // numbers], other words]; terms are numbered through all facets in order.
  function fromData(json) {
    var terms = [];
    var names = [];
    json.facets.forEach(function (f) {
      f[1].forEach(function (t) { terms.push(f[0] + ":" + t[0]); names.push(t[1]); });
    });
    var base = new URL(source, window.location.href);
    return json.members.map(function (m) {
      var own = m[4].map(function (i) { return terms[i]; });
      var words = m[4].map(function (i) { return names[i] + " " + terms[i].slice(terms[i].indexOf(":") + 1); }).join(" ");
      return {
        el: null,
        make: function () { return card(m, new URL(m[1], base).href, m[4].filter(function (i) { return terms[i].indexOf("sectors:") === 0; }).map(function (i) { return names[i]; })); },
        text: fold(m[0] + " " + m[2] + " " + m[3] + " " + words + " " + m[5]) + " ",
        terms: own
      };
    });
  }

  // A member's card made from its row of the data file: name, kind, place and sectors.
  function card(m, href, sectors) {
    var make = function (tag, className, text) {
      var el = document.createElement(tag);
      el.className = className;
      if (text) el.textContent = text;
      return el;
    };
    var li = make("li", "card member-card");
    var a = make("a", "card-link");
    a.href = href;
    var logo = make("span", "logo logo-placeholder", m[0].charAt(0).toUpperCase());
    logo.setAttribute("aria-hidden", "true");
    a.appendChild(logo);
    a.appendChild(make("span", "card-title", m[0]));
    li.appendChild(a);
    li.appendChild(make("p", "card-meta", m[2] + (m[3] ? " · " + m[3] : "")));
    if (sectors.length) {
      var tags = make("p", "tags");
      sectors.forEach(function (name) { tags.appendChild(make("span", "tag", name)); });
      li.appendChild(tags);
    }
    return li;
  }

  function start(data) {
    var selected = {}; // facet key -> array of term slugs
    var buttons = []; // {facet, term, el, count}

    // Facet links become toggle buttons.
    Array.prototype.forEach.call(document.querySelectorAll(".facets a[data-facet]"), function (a) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "facet-term";
      b.setAttribute("aria-pressed", "false");
      b.setAttribute("data-facet", a.getAttribute("data-facet"));
      b.setAttribute("data-term", a.getAttribute("data-term"));
      while (a.firstChild) b.appendChild(a.firstChild);
      a.parentNode.replaceChild(b, a);
      buttons.push({ facet: b.getAttribute("data-facet"), term: b.getAttribute("data-term"), el: b, count: b.querySelector(".count") });
      b.addEventListener("click", function () {
        var list = selected[this.getAttribute("data-facet")] || (selected[this.getAttribute("data-facet")] = []);
        var t = this.getAttribute("data-term");
        var i = list.indexOf(t);
        if (i === -1) list.push(t); else list.splice(i, 1);
        apply(true);
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll(".facet[hidden]"), function (d) { d.hidden = false; });
    Array.prototype.forEach.call(document.querySelectorAll(".facet-clear"), function (b) {
      b.addEventListener("click", function () { selected = {}; input.value = ""; apply(true); });
    });
    box.hidden = false;

    var facetKeys = [];
    buttons.forEach(function (b) { if (facetKeys.indexOf(b.facet) === -1) facetKeys.push(b.facet); });
    data.forEach(function (d) {
      d.has = {};
      d.terms.forEach(function (t) { d.has[t] = true; });
    });

    // While filtering, the A–Z list stays in the page but is put to sleep (content-visibility:
    // hidden keeps its rendering state, so entering and leaving a filter costs the browser
    // almost nothing), and copies of the matching cards are shown in a results list instead.
    // At most LIMIT are listed, so a keystroke stays instant with thousands of members; "Show
    // all" lifts the limit until the filters change.
    var LIMIT = 200;
    var showAll = false;
    var more = null;
    var main = document.querySelector(".directory-main");
    var results = document.createElement("ul");
    results.className = "cards plain results";
    results.hidden = true;
    if (groups.length) groups[0].parentNode.insertBefore(results, groups[0]);
    else if (main) main.appendChild(results);
    var listed = [];
    if (main && data.length > LIMIT) {
      more = document.createElement("button");
      more.type = "button";
      more.className = "show-all facet-clear";
      more.hidden = true;
      main.appendChild(more);
      more.addEventListener("click", function () { showAll = true; apply(false); });
    }

    function apply(push) {
      if (push) showAll = false;
      var words = fold(input.value).split(" ").filter(Boolean).map(function (w) { return " " + w; });
      var n = data.length;
      // ok[k][i]: card i passes facet k's selection (or k has none); text[i]: the search.
      var text = new Array(n);
      var ok = {};
      var i, k, j;
      for (i = 0; i < n; i++) {
        var t = true;
        for (j = 0; j < words.length && t; j++) t = data[i].text.indexOf(words[j]) !== -1;
        text[i] = t;
      }
      facetKeys.forEach(function (key) {
        var sel = selected[key] || [];
        var col = new Array(n);
        for (var a = 0; a < n; a++) {
          var pass = !sel.length;
          for (var b = 0; b < sel.length && !pass; b++) pass = data[a].has[key + ":" + sel[b]] === true;
          col[a] = pass;
        }
        ok[key] = col;
      });
      var counts = {};
      var shown = 0;
      var active = words.length > 0 || facetKeys.some(function (key) { return (selected[key] || []).length; });
      var limit = showAll ? Infinity : LIMIT;
      var list = [];
      for (i = 0; i < n; i++) {
        var failed = 0;
        var failedKey = null;
        for (k = 0; k < facetKeys.length; k++) {
          if (!ok[facetKeys[k]][i]) {
            failed++;
            failedKey = facetKeys[k];
          }
        }
        var match = text[i] && failed === 0;
        var d = data[i];
        if (match && active && shown < limit) list.push(d.copy || (d.copy = d.el ? d.el.cloneNode(true) : d.make()));
        if (match) shown++;
        if (!text[i] || failed > 1) continue;
        // A term of facet K counts the cards that pass every filter except K's own.
        for (j = 0; j < d.terms.length; j++) {
          var term = d.terms[j];
          var key = term.slice(0, term.indexOf(":"));
          if (failed === 0 || failedKey === key) counts[term] = (counts[term] || 0) + 1;
        }
      }
      if (list.length !== listed.length || list.some(function (c, x) { return c !== listed[x]; })) {
        var fragment = document.createDocumentFragment();
        list.forEach(function (c) { fragment.appendChild(c); });
        results.textContent = "";
        results.appendChild(fragment);
        listed = list;
      }
      results.hidden = !active;
      if (directory) directory.classList.toggle("filtering", active);
      buttons.forEach(function (b) {
        var on = (selected[b.facet] || []).indexOf(b.term) !== -1;
        var pressed = on ? "true" : "false";
        if (b.el.getAttribute("aria-pressed") !== pressed) b.el.setAttribute("aria-pressed", pressed);
        var c = String(counts[b.facet + ":" + b.term] || 0);
        if (b.count.textContent !== c) b.count.textContent = c;
      });
      status.textContent = active ? window.clusterpressSay("members_shown", { shown: shown, n: n }) + (shown > limit ? window.clusterpressSay("first_listed", { limit: limit }) : "") : "";
      if (more) {
        more.hidden = !(active && shown > limit);
        more.textContent = window.clusterpressSay("show_all", { shown: shown });
      }
      if (noResults) noResults.hidden = shown > 0;
      if (actions) actions.hidden = !active;
      if (chosen) {
        var on = facetKeys.reduce(function (sum, key) { return sum + (selected[key] || []).length; }, 0);
        chosen.textContent = on ? window.clusterpressSay("on", { on: on }) : "";
      }
      if (push) {
        var url = new URL(window.location.href);
        if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
        facetKeys.forEach(function (key) {
          var list = selected[key] || [];
          if (list.length) url.searchParams.set(key, list.join(",")); else url.searchParams.delete(key);
        });
        window.history.replaceState(null, "", url);
      }
    }

    var params = new URL(window.location.href).searchParams;
    input.value = params.get("q") || "";
    buttons.forEach(function (b) {
      var wanted = (params.get(b.facet) || "").split(",");
      if (wanted.indexOf(b.term) !== -1) (selected[b.facet] || (selected[b.facet] = [])).push(b.term);
    });
    input.addEventListener("input", function () { apply(true); });
    apply(false);
    buttons.forEach(function (b) {
      var more = b.el.closest(".facet-more");
      if (more && b.el.getAttribute("aria-pressed") === "true") more.open = true;
    });
  }
})();

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

// Ageing: a static site is built once but read for months. Items marked with
// `data-last-date` (YYYY-MM-DD) and the class `upcoming` become `past` once that day is over
// in the visitor's own calendar; on the events page their cards move to the past list.
(function () {
  "use strict";
  var d = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var today = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  var over = Array.prototype.filter.call(document.querySelectorAll(".upcoming[data-last-date]"), function (el) {
    var last = el.getAttribute("data-last-date");
    return last && last < today;
  });
  if (!over.length) return;
  var upcomingList = document.getElementById("upcoming-events");
  var pastList = document.getElementById("past-events");
  // Upcoming is soonest first and past is latest first, so prepending one by one keeps order.
  over.forEach(function (el) {
    el.classList.remove("upcoming");
    el.classList.add("past");
    if (upcomingList && pastList && el.parentNode === upcomingList) pastList.insertBefore(el, pastList.firstChild);
  });
  if (upcomingList && pastList) {
    var section = document.getElementById("past-section");
    if (section && pastList.children.length) section.hidden = false;
    var none = document.getElementById("no-upcoming");
    if (none && !upcomingList.children.length) none.hidden = false;
  }
})();

// Lighter filters for lists (events by kind and month, courses by topic, level and format,
// funding by status): buttons with `data-filter="key:value"` over items with a `data-filters`
// list. OR within a key, AND across keys; live counts; the state in the URL.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".list-filter[data-filter-for]"), function (bar) {
    var root = document.querySelector(bar.getAttribute("data-filter-for"));
    if (!root) return;
    var items = Array.prototype.slice.call(root.querySelectorAll("[data-filters]")).map(function (el) {
      return { el: el, tokens: el.getAttribute("data-filters").split(" ").filter(Boolean) };
    });
    var buttons = Array.prototype.slice.call(bar.querySelectorAll("button[data-filter]"));
    var status = bar.querySelector(".filter-status");
    var selected = {};
    var keys = {};
    buttons.forEach(function (b) { keys[b.getAttribute("data-filter").split(":")[0]] = true; });

    function passes(item, except) {
      for (var key in selected) {
        if (key === except || !selected[key].length) continue;
        var ok = selected[key].some(function (v) { return item.tokens.indexOf(key + ":" + v) !== -1; });
        if (!ok) return false;
      }
      return true;
    }

    function apply(push) {
      var shown = 0;
      items.forEach(function (it) {
        var match = passes(it, null);
        if (it.el.hidden === match) it.el.hidden = !match;
        if (match) shown++;
      });
      buttons.forEach(function (b) {
        var f = b.getAttribute("data-filter");
        var key = f.split(":")[0];
        var n = items.filter(function (it) { return passes(it, key) && it.tokens.indexOf(f) !== -1; }).length;
        var count = b.querySelector(".count");
        if (count) count.textContent = n;
        b.setAttribute("aria-pressed", (selected[key] || []).indexOf(f.slice(key.length + 1)) !== -1 ? "true" : "false");
      });
      var active = Object.keys(selected).some(function (k) { return selected[k].length; });
      if (status) status.textContent = active ? window.clusterpressSay("items_shown", { shown: shown, n: items.length }) : "";
      var chosen = bar.querySelector(".filters-active");
      if (chosen) {
        var on = Object.keys(selected).reduce(function (sum, k) { return sum + selected[k].length; }, 0);
        chosen.textContent = on ? window.clusterpressSay("on", { on: on }) : "";
      }
      // Sections (upcoming, past) whose items are all filtered away are hidden too.
      Array.prototype.forEach.call(root.querySelectorAll("section"), function (s) {
        var list = s.querySelectorAll("[data-filters]");
        if (!list.length) return;
        var any = Array.prototype.some.call(list, function (el) { return !el.hidden; });
        s.classList.toggle("filtered-empty", !any);
      });
      if (push) {
        var url = new URL(window.location.href);
        Object.keys(keys).forEach(function (k) {
          var list = selected[k] || [];
          if (list.length) url.searchParams.set(k, list.join(",")); else url.searchParams.delete(k);
        });
        window.history.replaceState(null, "", url);
      }
    }

    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        var f = b.getAttribute("data-filter");
        var key = f.split(":")[0];
        var value = f.slice(key.length + 1);
        var list = selected[key] || (selected[key] = []);
        var i = list.indexOf(value);
        if (i === -1) list.push(value); else list.splice(i, 1);
        apply(true);
      });
    });
    var params = new URL(window.location.href).searchParams;
    Object.keys(keys).forEach(function (k) {
      var v = params.get(k);
      if (v) selected[k] = v.split(",");
    });
    bar.hidden = false;
    // The script's filters replace the no-script kind links of the events page.
    var fallback = document.querySelector(".kind-filter");
    if (fallback) fallback.hidden = true;
    apply(false);
  });
})();

// Online events: their times also in the visitor's own time zone, when it differs from the
// times shown ("Your time: 17:00–18:30"). The page says the times in the event's zone (and the
// site's) without this script.
(function () {
  "use strict";
  if (typeof Intl === "undefined" || !Intl.DateTimeFormat) return;
  var visitor = Intl.DateTimeFormat().resolvedOptions().timeZone;
  Array.prototype.forEach.call(document.querySelectorAll(".event-time-local[data-start]"), function (el) {
    var start = new Date(el.getAttribute("data-start"));
    var endText = el.getAttribute("data-end");
    var end = endText ? new Date(endText) : null;
    if (isNaN(start.getTime())) return;
    var time = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", timeZone: visitor });
    var label = time.format(start) + (end && !isNaN(end.getTime()) ? "–" + time.format(end) : "");
    var shown = el.parentNode.textContent;
    if (shown.indexOf(label) !== -1) return; // the visitor's zone is one already shown
    el.textContent = window.clusterpressSay("your_time", { time: label });
    el.hidden = false;
  });
})();
