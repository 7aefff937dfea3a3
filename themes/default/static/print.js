// clusterpress default theme, print pages (brochures and fact sheets): the "Print" button
// is shown only when this script runs, and opens the browser's print dialogue.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("button[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
