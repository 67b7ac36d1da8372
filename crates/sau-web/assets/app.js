// SAU's own script. Our Content-Security-Policy forbids inline scripts, so any
// behaviour the pages need lives here. Plain JS, no build step; load it with
// <script src="…" defer>.
(function () {
  "use strict";

  // Send the CSRF token with every htmx request. The server renders it into
  // <meta name="csrf-token" content="…"> and checks the X-CSRF-Token header.
  // Only same-origin requests get it, so the token never leaks to another host.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    var token = meta && meta.getAttribute("content");
    if (!token) {
      return;
    }
    var target;
    try {
      target = new URL(event.detail.path, window.location.href);
    } catch (_) {
      return;
    }
    if (target.origin !== window.location.origin) {
      return;
    }
    event.detail.headers["X-CSRF-Token"] = token;
  });
})();
