// The light or dark theme. Loaded in <head> without `defer`, before any style
// sheet, so the page is drawn in its theme from the start. Each device keeps
// its own choice ("auto" follows the system's); the profile page sets it.
(function () {
  "use strict";
  var KEY = "sau-theme";
  var root = document.documentElement;
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function chosen() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "light" || value === "dark" ? value : "auto";
    } catch (_) {
      return "auto";
    }
  }

  function apply() {
    var choice = chosen();
    var theme = choice === "auto" ? (dark && dark.matches ? "dark" : "light") : choice;
    root.setAttribute("data-bs-theme", theme);
  }

  apply();
  if (dark && dark.addEventListener) {
    dark.addEventListener("change", apply);
  }

  // The profile's "Apariencia" choices (`data-appearance`), hidden without a
  // script since nothing could keep them.
  document.addEventListener("DOMContentLoaded", function () {
    var group = document.querySelector("[data-appearance]");
    if (!group) {
      return;
    }
    group.hidden = false;
    var current = group.querySelector('input[value="' + chosen() + '"]');
    if (current) {
      current.checked = true;
    }
    group.addEventListener("change", function (event) {
      var value = event.target.value;
      try {
        if (value === "auto") {
          window.localStorage.removeItem(KEY);
        } else {
          window.localStorage.setItem(KEY, value);
        }
      } catch (_) {
        // Storage refused (private mode): the choice lasts for this page.
      }
      apply();
      if (value !== "auto" && chosen() !== value) {
        root.setAttribute("data-bs-theme", value);
      }
    });
  });
})();
