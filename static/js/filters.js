// The filter panel of the programme list. The server sends it folded (open only when a field in
// it is invalid); on a wide screen the stylesheet shows its fields all the same, so its state is
// settled before the first paint and nothing moves when this script runs. Here the panel is
// opened on a wide screen, where the stylesheet then stops overriding it, so its heading folds
// and unfolds it as on a phone. When htmx swaps in the refreshed form (with new counts), the panel
// stays as open or as folded as the reader left it.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48em)");
  var wasOpen = null;

  function panel(root) {
    return (root || document).querySelector("#facet-panel");
  }

  // The stylesheet shows a wide screen's panel until it carries this class; open it first, so the
  // hand-over changes nothing on screen.
  function takeOver(details, open) {
    if (details) {
      details.open = open;
      details.classList.add("facet-panel-scripted");
    }
  }

  // Only a wide screen needs the hand-over: on a phone the panel is an ordinary <details> already,
  // and marking it there would make the browser restyle every field in it while the page loads
  // (a long task on a slow phone). A phone turned or a window widened later is taken over then.
  function takeOverWhenWide() {
    var details = panel();
    if (details && wide.matches && !details.classList.contains("facet-panel-scripted")) {
      takeOver(details, true);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var details = panel();
    if (details && details.open) {
      takeOver(details, true);
    }
    takeOverWhenWide();
  });
  wide.addEventListener("change", takeOverWhenWide);

  document.addEventListener("htmx:beforeRequest", function () {
    var details = panel();
    wasOpen = details ? details.open : null;
  });

  // Set on the incoming form before htmx puts it in the page, so it appears in the reader's state.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var details = event.detail.fragment && panel(event.detail.fragment);
    if (details && wasOpen !== null) {
      takeOver(details, wasOpen || details.open);
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
