// "Copy link" buttons (templates/_copy_link.html): hidden in the page, shown here only where the
// Clipboard API exists, so without JavaScript nothing offers a copy that can't happen. A click
// copies the button's data-copy-url, or the address in the address bar (the list pushes its
// short address there), and says so in the button's live region.
(function () {
  "use strict";

  function showButtons() {
    if (!(navigator.clipboard && navigator.clipboard.writeText)) {
      return;
    }
    document.querySelectorAll("[data-copy-link][hidden]").forEach(function (box) {
      box.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", showButtons);
  // The list's button comes again with every htmx update of the results.
  document.addEventListener("htmx:afterSettle", showButtons);

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".copy-link-button") : null;
    if (!button) {
      return;
    }
    var box = button.closest("[data-copy-link]");
    var status = box.querySelector(".copy-link-status");
    var url = box.getAttribute("data-copy-url") || window.location.href;
    navigator.clipboard.writeText(url).then(
      function () {
        status.textContent = status.dataset.copied;
      },
      function () {
        status.textContent = status.dataset.failed;
      }
    );
  });
})();
