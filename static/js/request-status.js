// What the reader sees while an htmx request is on its way, and when it fails.
//
// Busy: the control touched (the ticked filter, the pressed button, the followed link) gets
// "Updating…" beside it, not only the dimmed results far below it on a phone. Failed (offline, a
// server error, a timeout, the CSRF cookie gone): htmx swaps nothing, so the page would show a
// ticked filter over a list that didn't change and a button that did nothing. Instead the form's
// choices go back to what the shown results were made for, "Couldn't update – try again" appears
// beside the control and is read out, and focus stays where it was. After a 403 the page's CSRF
// tokens are renewed (a fresh copy of the page sets the cookie again), so trying again works.
// Texts come from this script's data attributes (base.html), in the page's language.
(function () {
  "use strict";
  var texts = document.currentScript.dataset;
  // Where the note goes: the smallest part of the page that holds the control and its label.
  var PLACE = "li, .field, .compare-control, .shortlist-control, .note-form, .pagination";
  var requests = new WeakMap(); // xhr → {place, form}

  function controlOf(detail) {
    var event = detail.requestConfig && detail.requestConfig.triggeringEvent;
    if (event && event.submitter) {
      return event.submitter;
    }
    if (event && event.target && event.target !== detail.elt && detail.elt.contains(event.target)) {
      return event.target;
    }
    return detail.elt;
  }

  function note(place, className, text) {
    var element = document.createElement(className === "request-busy-note" ? "span" : "p");
    element.className = className;
    element.textContent = text;
    place.appendChild(element);
    return element;
  }

  // Only this request's busy note: a request that replaced it (a second tick while the first is
  // on its way) keeps its own.
  function notBusy(request) {
    request.busy.remove();
    if (!request.place.querySelector(".request-busy-note")) {
      request.place.classList.remove("request-busy");
      request.place.removeAttribute("aria-busy");
    }
  }

  // A failed filter change: every tick box, option and number back to what the server last sent
  // (the results on screen); typed search words stay, to be sent again.
  function restore(form) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = field.defaultChecked;
      } else if (field.tagName === "SELECT") {
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = option.defaultSelected;
        });
      } else if (field.type === "number") {
        field.value = field.defaultValue;
      }
    });
  }

  // A fresh copy of this page sets the CSRF cookie again; its forms' tokens replace the old ones.
  function renewTokens() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser()
          .parseFromString(html, "text/html")
          .querySelector('input[name="csrfmiddlewaretoken"]');
        if (fresh) {
          document.querySelectorAll('input[name="csrfmiddlewaretoken"]').forEach(function (field) {
            field.value = fresh.value;
          });
        }
      })
      .catch(function () {});
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var control = controlOf(event.detail);
    var place = control.closest(PLACE) || control.parentElement;
    place.querySelectorAll(".request-failed").forEach(function (old) {
      old.remove();
    });
    place.classList.add("request-busy");
    place.setAttribute("aria-busy", "true");
    requests.set(event.detail.xhr, {
      place: place,
      busy: note(place, "request-busy-note", texts.busy),
      form: event.detail.elt.tagName === "FORM" ? event.detail.elt : null,
    });
  });

  // After the failure events for a lost connection, before them for an error status: so this
  // takes away the busy note only.
  document.addEventListener("htmx:afterRequest", function (event) {
    var request = requests.get(event.detail.xhr);
    if (request) {
      notBusy(request);
    }
  });

  function failed(event) {
    var request = requests.get(event.detail.xhr);
    if (!request) {
      return;
    }
    notBusy(request);
    if (request.form && request.form.method.toLowerCase() === "get") {
      restore(request.form);
    }
    note(request.place, "request-failed field-error", texts.failed);
    var status = document.getElementById("action-status");
    if (status) {
      status.textContent = texts.failed;
    }
    if (event.detail.xhr.status === 403) {
      renewTokens();
    }
  }

  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:timeout", failed);
})();
