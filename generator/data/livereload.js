/* Live reload for `python -m generator serve`.
 *
 * Served by the development server at /__zwgk__/livereload.js and added to HTML
 * responses on the way out; it is never written into output/. The page loaded
 * at build epoch `data-epoch`; when the server announces another epoch (a
 * rebuild finished, successfully or not), the page reloads and shows the new
 * output, or the error overlay the server injected.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var epoch = script ? script.getAttribute("data-epoch") : null;

  function overlay() {
    return document.getElementById("zwgk-overlay");
  }

  function hideOverlay() {
    var box = overlay();
    if (box) {
      box.hidden = true;
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("[data-zwgk-close]")) {
      hideOverlay();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      hideOverlay();
    }
  });

  function changed(current) {
    if (epoch === null) {
      epoch = current;
      return false;
    }
    return current !== epoch;
  }

  function reload() {
    window.location.reload();
  }

  if (window.EventSource) {
    var source = new EventSource("/__zwgk__/events");
    source.addEventListener("epoch", function (event) {
      if (changed(event.data)) {
        source.close();
        reload();
      }
    });
    window.addEventListener("pagehide", function () {
      source.close();
    });
    return;
  }

  // No EventSource: long-poll the status instead.
  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", "/__zwgk__/status?timeout=25&wait=" + encodeURIComponent(epoch || ""));
    request.onload = function () {
      var current = null;
      try {
        current = JSON.parse(request.responseText).epoch;
      } catch (error) {
        current = null;
      }
      if (current !== null && changed(current)) {
        reload();
      } else {
        poll();
      }
    };
    request.onerror = function () {
      window.setTimeout(poll, 1000);
    };
    request.send();
  }
  poll();
})();
