// The filter panel of the programme list. On a narrow screen it starts folded, so the results
// are not pushed far down the page; and when htmx swaps in the refreshed form (with new counts),
// the panel stays as open or as folded as the reader left it.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 47.99em)");
  var wasOpen = null;

  function panel() {
    return document.getElementById("facet-panel");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var details = panel();
    // A field marked invalid must stay in view.
    if (details && narrow.matches && !details.querySelector("[aria-invalid]")) {
      details.open = false;
    }
  });

  document.addEventListener("htmx:beforeRequest", function () {
    var details = panel();
    wasOpen = details ? details.open : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    var details = panel();
    if (details && wasOpen !== null) {
      details.open = wasOpen;
    }
  });

  // Typing in the search box and leaving it is not a filter change: the search runs when the
  // form is submitted. Stopped here, before the form's htmx trigger hears it (the
  // Content-Security-Policy forbids the eval an hx-trigger condition would need).
  document.addEventListener(
    "change",
    function (event) {
      if (event.target && event.target.id === "id_q") {
        event.stopPropagation();
      }
    },
    true
  );
})();
