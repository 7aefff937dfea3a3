// The member directory's script, loaded by its page only, after clusterpress.js (whose
// `clusterpressSay` and `clusterpressFold` it uses).

// The data a long directory searches (members/directory.json, made by `directory_data`),
// which the directory's script below fetches.
(function () {
  "use strict";
  var fold = window.clusterpressFold;

  // Rows of the data file: [name, address under the directory, kind, place, [term
  // numbers], other words]; terms are numbered through all facets in order.
  window.clusterpressDirectoryData = function (json, source) {
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
  };

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
  // them from a data file instead (see `directory_data`), fetched once, which directory.js
  // turns into what the search works on.
  var source = directory && directory.getAttribute("data-source");
  if (source) {
    fetch(source).then(function (r) { return r.json(); }).then(function (json) { start(window.clusterpressDirectoryData(json, source)); });
  } else {
    start(cards.map(function (c) {
      var terms = (c.getAttribute("data-facets") || "").split(" ").filter(Boolean);
      return { el: c, text: fold(c.textContent + " " + terms.map(function (t) { return t.slice(t.indexOf(":") + 1); }).join(" ") + " " + (c.getAttribute("data-search") || "")) + " ", terms: terms };
    }));
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
