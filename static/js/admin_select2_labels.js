/* Accessible names on the programme change form (programs/staff/row_labels.py says why).

select2, which the admin's autocomplete fields use, hides the real <select> and shows a box of
its own named by the box's current text: empty, so no name, when nothing is chosen. Each box
takes the name of the select it stands for (its <label>, or the aria-label a part table's row
field has). The part tables' first header cell is empty; it gets the page's word for "Row".
select2 redraws its boxes when a choice changes and the admin adds rows, so this runs again
after every change to the form. */
(function () {
  "use strict";

  function selectName(select) {
    var own = select.getAttribute("aria-label");
    if (own) {
      return own;
    }
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function nameBoxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) {
        return;
      }
      var name = selectName(select);
      container.querySelectorAll(".select2-selection").forEach(function (box) {
        if (box.getAttribute("aria-label") !== name) {
          box.setAttribute("aria-label", name);
        }
        box.removeAttribute("aria-labelledby");
      });
      // The text shown inside the box is its value, not a field of its own.
      container.querySelectorAll(".select2-selection__rendered[role]").forEach(function (shown) {
        shown.removeAttribute("role");
        shown.removeAttribute("aria-readonly");
      });
      // A multiple choice's box to type in, to add one more.
      container.querySelectorAll(".select2-search__field").forEach(function (field) {
        if (field.getAttribute("aria-label") !== name) {
          field.setAttribute("aria-label", name);
        }
      });
      // The "clear" cross select2 puts among a multiple choice's list items.
      container.querySelectorAll("ul.select2-selection__rendered > span").forEach(function (cross) {
        cross.setAttribute("role", "listitem");
      });
    });
    var heading = document.getElementById("admin-row-heading");
    if (heading) {
      document.querySelectorAll(".tabular thead th.original").forEach(function (cell) {
        if (!cell.textContent.trim()) {
          var words = document.createElement("span");
          words.className = "visually-hidden";
          words.textContent = heading.textContent;
          cell.appendChild(words);
        }
      });
    }
  }

  var scheduled = false;
  function soon() {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(function () {
        scheduled = false;
        nameBoxes();
      });
    }
  }

  window.addEventListener("load", function () {
    nameBoxes();
    var form = document.getElementById("content-main") || document.body;
    new MutationObserver(soon).observe(form, { childList: true, subtree: true });
  });
})();
