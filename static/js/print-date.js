// The printed-on date of a page (templates/_printed_on.html): today's, as the reader's browser
// knows it, in the page's language. Filled in when the page loads and again as printing starts
// (a page left open overnight prints today's date).
(function () {
  "use strict";

  function fill() {
    var today = new Date();
    // A page made without a date holds a span for it: an empty <time> is invalid HTML.
    document.querySelectorAll("[data-print-date]").forEach(function (holder) {
      var time = holder.tagName === "TIME" ? holder : holder.querySelector("time");
      if (!time) {
        time = holder.appendChild(document.createElement("time"));
      }
      time.dateTime = today.toISOString().slice(0, 10);
      time.textContent = today.toLocaleDateString(document.documentElement.lang, {
        dateStyle: "long",
      });
      holder.closest(".printed-date").hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", fill);
  window.addEventListener("beforeprint", fill);
})();
