// What the layout needs of a script (loaded with defer; the pages work without it).
(function () {
  "use strict";

  // The main menu and the filter drawers are <details data-wide-open>: closed on a phone (a
  // "Menu" or "Filters" button), laid out open on a wide screen. site.css shows their content
  // on a wide screen without this script (::details-content); this keeps the element's own open
  // state in step with the width too, for browsers without that selector, and folds them away
  // again when a window is narrowed to phone width.
  var wide = window.matchMedia("(min-width: 761px)");

  function syncDrawers() {
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

  // A table wider than its .table-scroll wrapper scrolls sideways inside it: the wrapper is then
  // a named region that takes the keyboard's focus, so that the arrow keys scroll it.
  function nameOf(wrapper) {
    var table = wrapper.querySelector("table");
    var caption = table && table.querySelector("caption");
    if (caption) return caption.textContent.trim();
    var section = wrapper.closest("section, article, main");
    var heading = section && section.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : document.title;
  }

  function landmarkName(element) {
    if (element.hasAttribute("aria-label")) return element.getAttribute("aria-label").trim();
    var label = document.getElementById(element.getAttribute("aria-labelledby"));
    return label ? label.textContent.trim() : "";
  }

  function syncScrollers() {
    var wrappers = document.querySelectorAll(".table-scroll");
    for (var i = 0; i < wrappers.length; i++) {
      var w = wrappers[i];
      if (w.scrollWidth > w.clientWidth + 1) {
        if (!w.hasAttribute("data-scrolls")) {
          w.setAttribute("data-scrolls", "");
          w.setAttribute("tabindex", "0");
          // A region named after its table, unless a landmark around it has that name already.
          var name = nameOf(w);
          var around = w.parentElement.closest("[aria-label], [aria-labelledby]");
          if (!w.hasAttribute("aria-label") && !(around && landmarkName(around) === name)) {
            w.setAttribute("role", "region");
            w.setAttribute("aria-label", name);
            w.setAttribute("data-scrolls", "named");
          }
        }
      } else if (w.hasAttribute("data-scrolls")) {
        w.removeAttribute("tabindex");
        if (w.getAttribute("data-scrolls") === "named") {
          w.removeAttribute("role");
          w.removeAttribute("aria-label");
        }
        w.removeAttribute("data-scrolls");
      }
    }
  }

  function sync() {
    syncDrawers();
    syncScrollers();
  }

  sync();
  if (wide.addEventListener) wide.addEventListener("change", syncDrawers);
  window.addEventListener("resize", syncScrollers);
  // Content swapped in by htmx may bring its own drawers and tables.
  document.addEventListener("htmx:afterSettle", sync);
})();
