// The shortlist's notes. Saving one note swaps only that note's form (htmx), so what is typed in
// the others stays in their boxes; but moving an entry, removing one or following a link loads a
// new page, which would drop that text without a word. So while a box holds text that differs
// from its saved note (the textarea's default value, which the server sends), leaving the page
// asks first, with the browser's own "Leave site? Changes may not be saved".
(function () {
  "use strict";

  function unsaved() {
    return Array.prototype.some.call(
      document.querySelectorAll(".note-form textarea"),
      function (box) {
        return box.value !== box.defaultValue;
      }
    );
  }

  // "Saved." beside a note stops being true once its text is changed again.
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest(".note-form");
    var saved = form && form.querySelector(".note-saved");
    if (saved) {
      saved.remove();
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (unsaved()) {
      event.preventDefault();
      event.returnValue = ""; // older browsers ask only when this is set
    }
  });
})();
