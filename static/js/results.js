// Where the reader is taken after htmx updates the programme list's results.
//
// A page link or a removed chip replaced what had focus, which would drop focus to <body>: focus
// goes to the results heading (the result count) instead, scrolled into view. A filter change
// does the same on a narrow screen, where the results lie below the filters (nothing visible
// would happen otherwise) unless the filters are open as a sheet, and on a wide one when the
// heading is out of sight; when the count
// is in view beside the filters, focus stays on the filter in use, so several can be ticked in a
// row, and the status region announces the new count.
(function () {
  "use strict";
  // The same width at which site.css stacks the results below the filters.
  var narrow = window.matchMedia("(max-width: 47.99em)");
  var fromFilterForm = false;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail.elt;
    fromFilterForm = Boolean(source && source.id === "filters");
  });

  function inView(element) {
    var box = element.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "results") {
      return;
    }
    var heading = document.getElementById("results-heading");
    // On a phone the filters are a sheet over the results: the visitor goes on ticking there,
    // and sees the results when they close it (static/js/filter-sheet.js).
    var sheet = document.querySelector("#facet-panel.facet-sheet[open]");
    if (!heading || sheet || (fromFilterForm && !narrow.matches && inView(heading))) {
      return;
    }
    heading.scrollIntoView({ block: "start" });
    heading.focus({ preventScroll: true });
  });
})();
