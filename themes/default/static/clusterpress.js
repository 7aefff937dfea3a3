// clusterpress default theme: progressive enhancement only. Without this script every page
// works; with it, the member directory gets an instant search box.
(function () {
  "use strict";
  var box = document.querySelector(".search");
  var input = document.getElementById("member-search");
  if (!box || !input) return;
  var cards = Array.prototype.slice.call(document.querySelectorAll(".directory .member-card"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".letter-group"));
  var status = box.querySelector(".search-status");
  var texts = cards.map(function (c) { return c.textContent.toLowerCase(); });
  box.hidden = false;
  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card, i) {
      var match = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
      card.hidden = !match;
      if (match) shown++;
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector(".member-card:not([hidden])"); });
    status.textContent = words.length ? shown + " of " + cards.length + " members" : "";
    var url = new URL(window.location.href);
    if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  }
  var initial = new URL(window.location.href).searchParams.get("q");
  if (initial) input.value = initial;
  input.addEventListener("input", apply);
  if (initial) apply();
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
