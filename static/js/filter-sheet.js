// On a phone, the list's filters open in a sheet over the page, which the visitor closes
// themselves. Ticking a filter still refreshes the results behind it (the form's htmx request),
// but the page no longer jumps 2,000 px down to them after every tick: the sheet stays where it
// is, and its close button says how many programmes the filters leave ("Show 3 programmes", sent
// again with the form). Closing it (that button, the "Filters" heading or Escape) shows the
// results, and focus goes back to the "Filters" heading that opened it.
//
// While the sheet is open the rest of the page is inert, so keyboard focus can't reach the
// controls hidden under it. A wide screen keeps its filters beside the results (no sheet), and
// without JavaScript the panel is an ordinary fold of the form, sent with "Apply filters".
(function () {
  "use strict";
  // The same width at which site.css stacks the results below the filters.
  var narrow = window.matchMedia("(max-width: 47.99em)");
  var inerted = [];

  function panel(root) {
    return (root || document).querySelector("#facet-panel");
  }

  function isSheet(details) {
    return Boolean(details && details.classList.contains("facet-sheet"));
  }

  // A sheet on a phone; an ordinary fold elsewhere. Applied to a form htmx is about to swap in as
  // well, so the refreshed sheet appears as a sheet.
  function mark(details) {
    if (!details) {
      return;
    }
    details.classList.toggle("facet-sheet", narrow.matches);
    var foot = details.querySelector(".filter-sheet-foot");
    if (foot) {
      foot.hidden = !narrow.matches;
    }
  }

  // Everything beside the sheet and beside each of its ancestors, except the live regions, which
  // must still announce the new count and any failure.
  function setPageInert(details, inert) {
    inerted.forEach(function (element) {
      element.inert = false;
    });
    inerted = [];
    if (!inert) {
      return;
    }
    for (var node = details; node && node !== document.body; node = node.parentElement) {
      Array.prototype.forEach.call(node.parentElement.children, function (sibling) {
        if (
          sibling !== node &&
          sibling.tagName !== "SCRIPT" &&
          !sibling.matches("[role=status], [aria-live]")
        ) {
          sibling.inert = true;
          inerted.push(sibling);
        }
      });
    }
  }

  function settle() {
    var details = panel();
    mark(details);
    setPageInert(details, isSheet(details) && details.open);
  }

  function close(details) {
    details.open = false;
    setPageInert(details, false);
    var summary = details.querySelector("summary");
    // The results follow the "Filters" heading on a phone: in view together.
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  }

  document.addEventListener("DOMContentLoaded", settle);
  narrow.addEventListener("change", settle);

  // "toggle" doesn't bubble: heard on its way down instead.
  document.addEventListener(
    "toggle",
    function (event) {
      var details = event.target;
      if (details.id !== "facet-panel" || !isSheet(details) || !details.isConnected) {
        return;
      }
      if (details.open) {
        setPageInert(details, true);
      } else if (inerted.length) {
        close(details);
      }
    },
    true
  );

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".filter-sheet-close")) {
      close(panel());
    }
  });

  document.addEventListener("keydown", function (event) {
    var details = panel();
    if (event.key === "Escape" && isSheet(details) && details.open) {
      event.preventDefault();
      close(details);
    }
  });

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    mark(event.detail.fragment && panel(event.detail.fragment));
  });

  // The form was replaced: the new one's neighbours are made inert again.
  document.addEventListener("htmx:afterSettle", settle);
})();
