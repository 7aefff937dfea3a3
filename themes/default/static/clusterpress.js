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
    your_time: "Your time: {time}"
  };
  try {
    var own = JSON.parse(document.body.getAttribute("data-strings") || "{}");
    Object.keys(own).forEach(function (k) { s[k] = own[k]; });
  } catch (e) { /* keep English */ }
  // A text with its {name} places filled; a text with plural forms takes the one CLDR's
  // rules of the page's language choose for `values.n`.
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "en") : null;
  // Words of the scripts only some pages load (search.js), in English unless the page
  // has them in its language.
  window.clusterpressWords = function (english) {
    Object.keys(english).forEach(function (k) { if (!(k in s)) s[k] = english[k]; });
  };
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
