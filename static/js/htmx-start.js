// Starts htmx a slice at a time. Left to itself, htmx sets up every element it drives (the
// filter form, each card's buttons, the page links) in one go at DOMContentLoaded: one long task
// that keeps a slow phone from answering a tap (Lighthouse's "total blocking time"). Loaded just
// before htmx, this holds back htmx's DOMContentLoaded start; then htmx.process() takes the
// page's parts in short tasks of a few milliseconds each, and htmx's own start runs last (its
// history handling; it finds everything set up already). Any sign of the reader (a touch, a key,
// a focus, a click, a change) finishes the job at once, so htmx has set up an element before the
// event that would use it reaches it. Without JavaScript, or until then, every link and form
// works as a plain one. tests/browser/test_htmx_start.py checks this against the vendored htmx.
(function () {
  "use strict";
  var SLICE = 40; // at most this many elements set up together (a card, the filter form …)
  var BUDGET = 4; // milliseconds of setting up per task
  var INTERACTIONS = [
    "pointerdown", "mousedown", "touchstart", "keydown", "focusin", "click", "input", "change",
    "submit",
  ];
  var addListener = document.addEventListener;
  var held = []; // htmx's DOMContentLoaded listeners, its start last
  var pending = []; // the page's parts not yet set up
  var htmxStart = null;

  // While htmx loads (window.htmx is assigned when it is done), its DOMContentLoaded listeners
  // are kept here instead of being added.
  document.addEventListener = function (type, listener, options) {
    if (type === "DOMContentLoaded" && !window.htmx) {
      held.push(listener);
      return undefined;
    }
    return addListener.call(this, type, listener, options);
  };

  function drivenByHtmx(element) {
    return element.getAttributeNames().some(function (name) {
      return name.indexOf("data-hx-") === 0 || name.indexOf("hx-") === 0;
    });
  }

  // The page in slices: an element htmx drives, a form, or a part small enough, each with all
  // it contains; a larger part (which htmx has nothing to set up on itself) is cut further.
  function collect(parent) {
    for (var child = parent.firstElementChild; child; child = child.nextElementSibling) {
      if (
        child.tagName === "FORM" ||
        drivenByHtmx(child) ||
        child.getElementsByTagName("*").length <= SLICE
      ) {
        pending.push(child);
      } else {
        collect(child);
      }
    }
  }

  function finish(event) {
    while (pending.length) {
      window.htmx.process(pending.shift());
    }
    INTERACTIONS.forEach(function (type) {
      document.removeEventListener(type, finish, true);
    });
    if (htmxStart) {
      var start = htmxStart;
      htmxStart = null;
      start.call(document, event);
    }
  }

  function work() {
    var began = performance.now();
    while (pending.length && performance.now() - began < BUDGET) {
      window.htmx.process(pending.shift());
    }
    if (pending.length) {
      setTimeout(work, 0);
    } else if (htmxStart) {
      setTimeout(finish, 0); // htmx's own start, in a task of its own
    }
  }

  // Added before htmx's (held) listeners, so this runs first.
  addListener.call(document, "DOMContentLoaded", function (event) {
    delete document.addEventListener; // the browser's own again
    if (!window.htmx || !held.length) {
      held.forEach(function (listener) {
        listener.call(document, event);
      });
      return;
    }
    htmxStart = held.pop();
    held.forEach(function (listener) {
      listener.call(document, event);
    });
    // htmx reads its settings (the Content-Security-Policy's) in its start: needed before it
    // sets anything up.
    var settings = document.querySelector('meta[name="htmx-config"]');
    if (settings) {
      Object.assign(window.htmx.config, JSON.parse(settings.content));
    }
    collect(document.body);
    // In the capture phase at the document: before the event reaches the element it is for.
    INTERACTIONS.forEach(function (type) {
      document.addEventListener(type, finish, true);
    });
    setTimeout(work, 0);
  });
})();
