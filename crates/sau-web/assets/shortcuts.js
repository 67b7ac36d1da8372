// Keyboard shortcuts for the people who work the desk all day; "?" lists them.
// A shortcut never fires while the person types in a field or holds Ctrl, Alt
// or Meta, and the help dialog can switch the one-key shortcuts off (people
// whose screen reader or voice control uses single keys need that: WCAG 2.1.4).
(function () {
  "use strict";

  var help = document.getElementById("shortcuts-help");
  if (!help || typeof help.showModal !== "function") {
    return;
  }
  var OFF = "sau-shortcuts-off";
  var toggle = document.getElementById("shortcuts-off");
  function off() {
    try {
      return window.localStorage.getItem(OFF) === "1";
    } catch (_) {
      return false;
    }
  }
  if (toggle) {
    toggle.checked = off();
    toggle.addEventListener("change", function () {
      try {
        if (toggle.checked) {
          window.localStorage.setItem(OFF, "1");
        } else {
          window.localStorage.removeItem(OFF);
        }
      } catch (_) {
        // Storage refused (a private window): the choice lasts this page.
      }
    });
  }
  document.querySelectorAll("[data-shortcuts-open]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", openHelp);
  });

  // Where a letter is text: a text field, a list, an editable area. A
  // checkbox, radio or button takes no letters.
  var NOT_TEXT = /^(checkbox|radio|button|submit|reset|file|range|color|image)$/;
  function typing(element) {
    if (!element) {
      return false;
    }
    if (element.tagName === "INPUT") {
      return !NOT_TEXT.test(element.type);
    }
    return element.isContentEditable || /^(TEXTAREA|SELECT)$/.test(element.tagName);
  }

  // Closed, the dialog hands focus back to where it was, not to its checkbox.
  var before = null;
  function openHelp() {
    before = document.activeElement;
    help.showModal();
  }
  help.addEventListener("close", function () {
    if (help.contains(document.activeElement)) {
      if (before && before !== document.body && document.contains(before)) {
        before.focus();
      } else {
        document.activeElement.blur();
      }
    }
  });

  // The rows of the page's ticket lists, each with the link that opens it.
  function rowLinks() {
    return Array.prototype.slice
      .call(document.querySelectorAll("main table tbody tr"))
      .map(function (row) {
        return row.querySelector('a[href^="/tickets/"], a[href^="/requests/"]');
      })
      .filter(Boolean);
  }

  // j / k: the next or previous row; its link takes focus, so Enter opens it.
  function step(by) {
    var links = rowLinks();
    if (!links.length) {
      return false;
    }
    var at = links.indexOf(document.activeElement);
    var next = at < 0 ? (by > 0 ? 0 : links.length - 1) : Math.max(0, Math.min(links.length - 1, at + by));
    document.querySelectorAll("tr.row-current").forEach(function (row) {
      row.classList.remove("row-current");
    });
    var row = links[next].closest("tr");
    if (row) {
      row.classList.add("row-current");
    }
    links[next].focus();
    return true;
  }

  function focusFirst(container) {
    if (!container) {
      return false;
    }
    var field = container.querySelector("textarea, select, input:not([type=hidden]), button");
    if (!field) {
      return false;
    }
    field.focus();
    return true;
  }

  // "g" then a letter: a page of the menu, when the menu offers it.
  var PAGES = { t: "/", n: "/requests/new", q: "/queue", m: "/mine", p: "/profile" };
  var pending = false;
  var pendingTimer = null;

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) {
      return;
    }
    if (help.open || typing(event.target) || off()) {
      return;
    }
    var key = event.key;
    if (pending) {
      pending = false;
      window.clearTimeout(pendingTimer);
      var to = PAGES[key];
      if (to && document.querySelector('#site-menu a[href="' + to + '"]')) {
        event.preventDefault();
        window.location.assign(to);
      }
      return;
    }
    var done = false;
    switch (key) {
      case "?":
        openHelp();
        done = true;
        break;
      case "/":
        var search = document.getElementById("filter-q");
        if (search) {
          search.focus();
          search.select();
          done = true;
        }
        break;
      case "j":
        done = step(1);
        break;
      case "k":
        done = step(-1);
        break;
      case "a":
        done = focusFirst(document.querySelector(".action-area .action-primary"));
        break;
      case "c":
        // The box itself: the canned-response picker sits above it.
        var box = document.querySelector(".comment-box textarea");
        if (box) {
          box.focus();
          done = true;
        }
        break;
      case "g":
        pending = true;
        pendingTimer = window.setTimeout(function () {
          pending = false;
        }, 1500);
        done = true;
        break;
    }
    if (done) {
      event.preventDefault();
    }
  });
})();
