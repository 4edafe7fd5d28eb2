// The main menu and the filter drawers are <details> elements marked data-wide-open: closed on
// a phone (a "Menu" or "Filters" button), laid out open on a wide screen. site.css already shows
// their content on a wide screen without this script (::details-content); this keeps the
// element's own open state in step with the width too, so that browsers without that selector
// show it, and a window narrowed to phone width folds them away again.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 761px)");

  function sync() {
    var drawers = document.querySelectorAll("details[data-wide-open]");
    for (var i = 0; i < drawers.length; i++) {
      if (wide.matches) {
        drawers[i].open = true;
      } else if (drawers[i].hasAttribute("data-was-wide")) {
        drawers[i].open = false;
      }
      drawers[i].toggleAttribute("data-was-wide", wide.matches);
    }
  }

  sync();
  if (wide.addEventListener) {
    wide.addEventListener("change", sync);
  }
  // Content swapped in by htmx may bring its own drawers.
  document.addEventListener("htmx:afterSettle", sync);
})();
