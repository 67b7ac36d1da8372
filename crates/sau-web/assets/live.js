// Live lists: the triage queue and a technician's tickets follow /live (server-
// sent events) and re-read themselves when the server says they changed, without
// reloading the page. A list opts in with an id and data-live="<event name>"; the
// page's status line (data-live-status) announces updates politely.
//
// A list is never replaced while the user is inside one of its forms (choosing a
// technician, say): that would throw their choice away. The update waits until
// focus leaves the form, and the status line says one is waiting.
(function () {
  "use strict";

  if (!window.EventSource || !window.htmx || !document.querySelector("[data-live]")) {
    return;
  }
  var status = document.querySelector("[data-live-status]");
  // Per list: "idle", "loading", "again" (changed while loading) or "waiting"
  // (changed while the user is in one of its forms).
  var lists = {};

  function region(name) {
    return document.querySelector('[data-live="' + name + '"]');
  }

  function announce(key) {
    if (!status) {
      return;
    }
    var text = status.getAttribute(key) || "";
    // Screen readers announce a change of text; clear first so that the same
    // message twice in a row is announced twice.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  function inForm(list) {
    var active = document.activeElement;
    if (active && list.contains(active) && (active.form || active.closest("form"))) {
      return true;
    }
    // Tickets ticked for a bulk action: a refresh would untick them.
    return !!list.querySelector('input[type="checkbox"][form]:checked');
  }

  function refresh(name) {
    var list = region(name);
    if (!list || !list.id) {
      return;
    }
    var state = lists[name] || "idle";
    if (state === "loading" || state === "again") {
      lists[name] = "again";
      return;
    }
    if (inForm(list)) {
      if (state !== "waiting") {
        announce("data-live-waiting");
      }
      lists[name] = "waiting";
      return;
    }
    lists[name] = "loading";
    var selector = "#" + list.id;
    // The page's own address, query string included, so its filters still apply.
    htmx
      .ajax("GET", window.location.pathname + window.location.search, {
        target: selector,
        select: selector,
        swap: "outerHTML",
      })
      .then(
        function () {
          announce("data-live-updated");
        },
        function () {}
      )
      .then(function () {
        var again = lists[name] === "again";
        lists[name] = "idle";
        if (again) {
          refresh(name);
        }
      });
  }

  function refreshAll() {
    document.querySelectorAll("[data-live]").forEach(function (list) {
      refresh(list.getAttribute("data-live"));
    });
  }

  // The list's address answered with another page (the session ended and it
  // sent the user to sign in): show that page rather than swap in nothing.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var xhr = event.detail.xhr;
    if (!target || !target.hasAttribute("data-live") || !xhr || !xhr.responseURL) {
      return;
    }
    if (new URL(xhr.responseURL).pathname !== window.location.pathname) {
      event.detail.shouldSwap = false;
      window.location.reload();
    }
  });

  // Focus has moved: a list that was waiting for the user may update now.
  document.addEventListener("focusout", function () {
    window.setTimeout(function () {
      Object.keys(lists).forEach(function (name) {
        var list = region(name);
        if (lists[name] === "waiting" && list && !inForm(list)) {
          lists[name] = "idle";
          refresh(name);
        }
      });
    }, 0);
  });

  var source = new EventSource("/live");
  var opened = false;
  source.addEventListener("open", function () {
    // After a reconnection (a server restart, a dropped network) changes may
    // have gone by unheard: read every list afresh.
    if (opened) {
      refreshAll();
    }
    opened = true;
  });
  document.querySelectorAll("[data-live]").forEach(function (list) {
    var name = list.getAttribute("data-live");
    source.addEventListener(name, function () {
      refresh(name);
    });
  });
})();
