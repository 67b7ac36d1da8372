// Forms that carry files (<form data-upload-form> with a <div data-upload>):
// a drop zone, the list of chosen files with a remove button each, an instant
// check against the limits the page states, and a progress bar per file while
// the form is sent with XMLHttpRequest. The server stays the authority; without
// this script the form is a plain multipart submit. Listeners are on the
// document, so forms htmx swaps in work too.
(function () {
  "use strict";

  // ------------------------------------------------------------ helpers

  function humanSize(bytes) {
    var KIB = 1024;
    var MIB = 1024 * 1024;
    if (bytes >= MIB && bytes % MIB === 0) return bytes / MIB + " MiB";
    if (bytes >= MIB) return (bytes / MIB).toFixed(1) + " MiB";
    if (bytes >= KIB) return Math.ceil(bytes / KIB) + " KiB";
    return bytes + " bytes";
  }

  function uploadOf(node) {
    return node && node.closest ? node.closest("[data-upload]") : null;
  }

  function mainInput(box) {
    return box.querySelector('[data-upload-zone] input[type="file"]');
  }

  // The chosen files: kept on the box as well as in the input, because choosing
  // again in the input replaces its files and the list should grow instead.
  function chosenFiles(box) {
    if (box.uploadFiles) return box.uploadFiles.slice();
    var input = mainInput(box);
    return input && input.files ? Array.prototype.slice.call(input.files) : [];
  }

  function setFiles(box, files) {
    box.uploadFiles = files.slice();
    var transfer = new DataTransfer();
    files.forEach(function (file) {
      transfer.items.add(file);
    });
    mainInput(box).files = transfer.files;
    renderList(box);
  }

  function say(box, text) {
    var message = box.querySelector("[data-upload-message]");
    if (message) message.textContent = text || "";
  }

  // Whether `file` is of a kind the form accepts, by its extension or type:
  // the same list as the input's `accept`.
  function accepted(box, file) {
    var list = (box.dataset.accept || "").toLowerCase().split(",");
    var name = file.name.toLowerCase();
    var type = (file.type || "").toLowerCase();
    return list.some(function (entry) {
      entry = entry.trim();
      if (!entry) return false;
      if (entry.charAt(0) === ".") return name.slice(-entry.length) === entry;
      return entry === type;
    });
  }

  // The first reason `files` cannot be sent, in the server's words; or "".
  function refusal(box, files) {
    var data = box.dataset;
    var named = function (text, file) {
      return text.split("%name%").join(file.name);
    };
    if (files.length > Number(data.maxFiles)) return data.msgTooMany;
    var total = 0;
    for (var i = 0; i < files.length; i++) {
      var file = files[i];
      if (!accepted(box, file)) return named(data.msgWrongKind, file);
      if (file.size === 0) return named(data.msgEmpty, file);
      if (file.size > Number(data.maxFileBytes)) return named(data.msgTooLarge, file);
      total += file.size;
    }
    if (total > Number(data.maxRequestBytes)) return data.msgTooMuch;
    return "";
  }

  // Adds `incoming` to the chosen files when all of them fit; otherwise says
  // why and keeps the list as it was.
  function add(box, incoming) {
    var files = chosenFiles(box).concat(incoming);
    var why = refusal(box, files);
    if (why) {
      say(box, why);
      setFiles(box, files.slice(0, files.length - incoming.length));
      return;
    }
    say(box, "");
    setFiles(box, files);
  }

  // ------------------------------------------------------------ the list

  function renderList(box) {
    var list = box.querySelector("[data-upload-list]");
    if (!list) return;
    list.textContent = "";
    chosenFiles(box).forEach(function (file, index) {
      var item = document.createElement("li");
      var name = document.createElement("span");
      name.className = "upload-name";
      name.textContent = file.name;
      var size = document.createElement("span");
      size.className = "small text-body-secondary";
      size.textContent = humanSize(file.size);
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-outline-secondary btn-sm";
      remove.textContent = box.dataset.labelRemove;
      remove.setAttribute("aria-label", box.dataset.labelRemove + " " + file.name);
      remove.dataset.uploadRemove = String(index);
      var progress = document.createElement("progress");
      progress.max = Math.max(file.size, 1);
      progress.value = 0;
      progress.hidden = true;
      progress.setAttribute("aria-label", box.dataset.labelProgress + " " + file.name);
      item.append(name, size, remove, progress);
      list.append(item);
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    var box = uploadOf(input);
    if (!box || input.type !== "file") return;
    var incoming = Array.prototype.slice.call(input.files || []);
    if (input !== mainInput(box)) {
      // The camera: its photo joins the chosen files, so one list is sent.
      input.value = "";
    } else if (!box.uploadFiles) {
      box.uploadFiles = [];
    }
    add(box, incoming);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-upload-remove]");
    var box = uploadOf(button);
    if (!box) return;
    var index = Number(button.dataset.uploadRemove);
    var files = chosenFiles(box).filter(function (_, i) {
      return i !== index;
    });
    say(box, "");
    setFiles(box, files);
    // Keep the keyboard where it was: on the next remove button, or the input.
    var next = box.querySelectorAll("[data-upload-remove]")[Math.min(index, files.length - 1)];
    (next || mainInput(box)).focus();
  });

  // ------------------------------------------------------------ drag and drop

  function zoneOf(event) {
    return event.target.closest && event.target.closest("[data-upload-zone]");
  }

  ["dragenter", "dragover"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var zone = zoneOf(event);
      if (!zone) return;
      event.preventDefault();
      zone.classList.add("upload-over");
    });
  });

  document.addEventListener("dragleave", function (event) {
    var zone = zoneOf(event);
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("upload-over");
  });

  document.addEventListener("drop", function (event) {
    var zone = zoneOf(event);
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("upload-over");
    var dropped = event.dataTransfer ? Array.prototype.slice.call(event.dataTransfer.files) : [];
    if (dropped.length) add(uploadOf(zone), dropped);
  });

  // ------------------------------------------------------------ sending

  // Shows each file's share of the bytes sent. The body is the text fields,
  // then the files in order; the few bytes of multipart framing count as
  // coming before the first file.
  function showProgress(box, files, loaded, total) {
    var bars = box.querySelectorAll("[data-upload-list] progress");
    var size = files.reduce(function (sum, f) {
      return sum + f.size;
    }, 0);
    var offset = Math.max(total - size, 0);
    var start = offset;
    files.forEach(function (file, i) {
      var bar = bars[i];
      if (!bar) return;
      bar.hidden = false;
      bar.value = Math.min(Math.max(loaded - start, 0), file.size);
      start += file.size;
    });
  }

  function finishProgress(box) {
    box.querySelectorAll("[data-upload-list] progress").forEach(function (bar) {
      bar.value = bar.max;
    });
  }

  // Text typed into `form`, by field name, to put back in the page the server
  // answers with when it refuses the form before reading it.
  function typedText(form) {
    var typed = {};
    form.querySelectorAll("input, textarea, select").forEach(function (field) {
      if (!field.name || field.type === "file" || field.type === "hidden") return;
      if (field.type === "radio" || field.type === "checkbox") return;
      typed[field.name] = field.value;
    });
    return typed;
  }

  function restoreText(form, typed) {
    Object.keys(typed).forEach(function (name) {
      form.querySelectorAll("[name]").forEach(function (field) {
        if (field.name === name && !field.value && field.type !== "file" && field.type !== "hidden") {
          field.value = typed[name];
        }
      });
    });
  }

  // A refused form: the answer's page replaces this one's content, keeps the
  // address, and gets its behaviour back (htmx, these listeners).
  function showAnswer(xhr, form) {
    var typed = typedText(form);
    var action = form.getAttribute("action");
    var answer = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var main = answer.querySelector("main");
    var current = document.querySelector("main");
    if (!main || !current) {
      document.open();
      document.write(xhr.responseText);
      document.close();
      return;
    }
    document.title = answer.title;
    current.replaceWith(main);
    var again = main.querySelector('form[action="' + action + '"]');
    if (again) restoreText(again, typed);
    if (window.htmx) window.htmx.process(main);
    var problem = main.querySelector('[aria-invalid="true"], .alert, .invalid-feedback:not(:empty)');
    var heading = main.querySelector("h1");
    var target = problem || heading;
    if (target) {
      if (!target.matches("input, textarea, select, button, a")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-upload-form]")) return;
    if (!window.FormData || !window.XMLHttpRequest || !window.DataTransfer) return;
    var box = form.querySelector("[data-upload]");
    if (!box) return;
    var files = chosenFiles(box);
    var why = refusal(box, files);
    if (why) {
      event.preventDefault();
      say(box, why);
      mainInput(box).focus();
      return;
    }
    // Without files there is no progress to show: the browser sends the form
    // itself, exactly as it would without this script.
    if (!files.length) return;
    event.preventDefault();
    var data = new FormData(form);
    // The files last and in the list's order, so the progress maps onto them;
    // the form token stays the first part, as the server requires.
    data.delete("files");
    files.forEach(function (file) {
      data.append("files", file, file.name);
    });
    var token = form.querySelector('input[name="csrf_token"]');
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    if (token) xhr.setRequestHeader("X-CSRF-Token", token.value);
    var buttons = form.querySelectorAll('button[type="submit"]');
    buttons.forEach(function (b) {
      b.disabled = true;
    });
    form.setAttribute("aria-busy", "true");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) showProgress(box, files, e.loaded, e.total);
    });
    xhr.upload.addEventListener("load", function () {
      finishProgress(box);
    });
    xhr.addEventListener("load", function () {
      if (xhr.status >= 200 && xhr.status < 300) {
        window.location.assign(xhr.responseURL || form.action);
        return;
      }
      showAnswer(xhr, form);
    });
    xhr.addEventListener("error", function () {
      // The connection failed: send the form the plain way instead.
      form.removeAttribute("data-upload-form");
      form.removeAttribute("aria-busy");
      buttons.forEach(function (b) {
        b.disabled = false;
      });
      form.requestSubmit();
    });
    xhr.send(data);
  });
})();
