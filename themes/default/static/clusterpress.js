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
