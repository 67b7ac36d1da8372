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

  // Copy buttons (`data-copy`): shown only where a script can run them. The
  // clipboard API needs a secure origin; on plain http inside a LAN the older
  // selection-and-copy way still works.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = document.execCommand("copy");
    document.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      copyText(button.getAttribute("data-copy")).then(function () {
        button.textContent = button.getAttribute("data-copied") || label;
        setTimeout(function () {
          button.textContent = label;
        }, 2000);
      });
    });
  });

  // Print buttons (`data-print`), on the monthly report; without a script the
  // browser's own print command does the same.
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });

  // The menu folds behind a button on a phone. The button is in the page but
  // hidden, so without a script the menu simply stays open.
  var header = document.querySelector("header.navbar");
  var toggle = header && header.querySelector("button.menu-toggle");
  if (toggle) {
    header.classList.add("menu-folds");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("menu-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Canned responses (`data-canned`): a button drops its text in at the
  // textarea's cursor, on a line of its own, and the person goes on typing
  // after it. Hidden without a script, which the buttons would need.
  document.querySelectorAll("[data-canned]").forEach(function (picker) {
    picker.hidden = false;
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-canned-insert]");
    var area = button && document.getElementById(button.getAttribute("data-canned-insert"));
    if (!area) {
      return;
    }
    var text = button.getAttribute("data-canned-body") || "";
    var start = area.selectionStart, end = area.selectionEnd;
    // A textarea never clicked into reports its cursor at 0: add at the end.
    if (typeof start !== "number" || (start === 0 && end === 0)) {
      start = end = area.value.length;
    }
    var before = area.value.slice(0, start);
    var after = area.value.slice(end);
    var lead = before && !/\n$/.test(before) ? "\n" : "";
    var tail = after && !/^\n/.test(after) ? "\n" : "";
    area.value = before + lead + text + tail + after;
    var caret = (before + lead + text).length;
    area.focus();
    area.setSelectionRange(caret, caret);
    area.dispatchEvent(new Event("input", { bubbles: true }));
    var picker = button.closest("details");
    if (picker) {
      picker.open = false;
    }
  });

  // Picking a colour on the settings page means the installation's own: the
  // "SAU's own colour" box is unticked with it.
  var brandColour = document.getElementById("brand-brand_colour");
  var ownColour = document.getElementById("brand-default_colour");
  if (brandColour && ownColour) {
    brandColour.addEventListener("input", function () {
      ownColour.checked = false;
    });
  }

  // Filters that apply as soon as one is chosen (`data-apply-on-change`): a
  // choice or a date re-reads the list in place, focus goes back to the same
  // filter in the new list, and the address follows. Words typed in the search
  // box still wait for Enter; without a script the button does it all.
  document.addEventListener("change", function (event) {
    var field = event.target;
    var form = field && field.form;
    var region = form && form.getAttribute("data-apply-on-change");
    if (!region || !window.htmx || !field.matches("select, input[type=date]")) {
      return;
    }
    var query = new URLSearchParams(new FormData(form)).toString();
    var url = form.getAttribute("action") + (query ? "?" + query : "");
    var id = field.id;
    htmx.ajax("GET", url, { target: region, select: region, swap: "outerHTML" }).then(function () {
      window.history.pushState({}, "", url);
      var again = id && document.getElementById(id);
      if (again) {
        again.focus();
      }
    });
  });
})();
