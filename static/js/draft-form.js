// The draft form: rows added and removed in place, a searchable partner list, and the draft saved as one types.
// Without this script the same buttons ask the server, and the "Enregistrer" buttons save.
(function () {
  "use strict";
  var form = document.getElementById("draft-form");
  if (!form) { return; }
  var status = document.getElementById("autosave-status");
  var timer = null, dirty = false, inFlight = false, pending = null;

  function addRow(name) {
    var holder = form.querySelector('[data-rows="' + name + '"]');
    var template = document.getElementById(name + "-template");
    var index = parseInt(holder.getAttribute("data-next"), 10);
    holder.setAttribute("data-next", String(index + 1));
    var html = template.innerHTML.split("__i__").join(String(index));
    var box = document.createElement("div");
    box.innerHTML = html;
    var row = box.firstElementChild;
    holder.appendChild(row);
    var first = row.querySelector("input, select, textarea");
    if (first) { first.focus(); }
    changed();
  }

  function removeRow(button) {
    var row = button.closest("fieldset.line");
    var list = row.parentElement.closest("fieldset");
    row.parentElement.removeChild(row);
    var legend = list.querySelector("legend");
    if (legend) { legend.setAttribute("tabindex", "-1"); legend.focus(); }
    changed();
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    if (button.hasAttribute("data-add")) {
      event.preventDefault();
      addRow(button.getAttribute("data-add"));
    } else if (button.hasAttribute("data-remove")) {
      event.preventDefault();
      removeRow(button);
    }
  });

  function setupFilter(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var count = document.getElementById(input.getAttribute("data-filter") + "-count");
    input.closest(".picker-filter").hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      var shown = 0;
      list.querySelectorAll("li").forEach(function (item) {
        var text = item.textContent.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
        var checked = item.querySelector("input:checked");
        var visible = !words || checked || text.indexOf(words) !== -1;
        item.hidden = !visible;
        if (visible) { shown += 1; }
      });
      count.textContent = words ? shown + " / " + list.children.length : "";
    });
  }
  form.querySelectorAll("[data-filter]").forEach(setupFilter);

  function say(text) { if (status) { status.textContent = text; } }

  function save(leaving) {
    if (!dirty || inFlight) { return; }
    dirty = false;
    var data = new FormData(form);
    data.delete("action"); data.delete("add"); data.delete("remove");
    var url = form.getAttribute("data-autosave");
    if (leaving && navigator.sendBeacon) { navigator.sendBeacon(url, data); return; }
    inFlight = true;
    fetch(url, { method: "POST", body: data, credentials: "same-origin", keepalive: true })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (answer.ok && answer.body.version !== undefined) {
          form.querySelector('input[name="version"]').value = answer.body.version;
        }
        say(answer.body.message || "");
      })
      .catch(function () { dirty = true; say(form.getAttribute("data-offline") || ""); })
      .then(function () {
        inFlight = false;
        if (pending) { var submitter = pending; pending = null; form.requestSubmit(submitter); }
      });
  }

  function changed() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(function () { save(false); }, 1500);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    // A save under way changes the draft's version: submit once it has answered, with the new version.
    if (inFlight) { event.preventDefault(); pending = event.submitter || null; return; }
    dirty = false;
    clearTimeout(timer);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(true); }
  });
  window.addEventListener("pagehide", function () { save(true); });
})();
