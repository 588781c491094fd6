// "Share" buttons (templates/_share_link.html): shown only where the browser can share (the Web
// Share API, on most phones), so nothing offers a share that can't happen. A click hands the
// button's address and title to the system's share sheet; a visitor who cancels it has done
// nothing wrong, so that says nothing.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof navigator.share !== "function") {
      return;
    }
    document.querySelectorAll(".share-link[hidden]").forEach(function (box) {
      box.hidden = false;
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".share-link-button") : null;
    if (!button) {
      return;
    }
    var box = button.closest(".share-link");
    navigator
      .share({ title: box.dataset.shareTitle, url: box.dataset.shareUrl })
      .catch(function () {});
  });
})();
