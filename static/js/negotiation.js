/* Negotiation: keeps the text page and the room's negotiation panel live (both drawn by the server), announces
   each step with the server's sentences on the text page (the room's are announced by live-room.js), runs the
   objection countdown, and sends the forms over the WebSocket when it is live. Its words come from the page
   (data-words). No build step. */
(function () {
  "use strict";

  var INT_FIELDS = ["item_id", "paragraph_id", "version", "amendment_id", "window_id", "objection_id", "vote_id",
                    "group", "option"];
  var TEXT_FIELDS = ["kind", "text", "explanation", "reason", "ruling", "status", "question", "title", "body"];
  var REDRAW = /^(text|amendment|decision|objection|vote|item|meeting)\./;

  var holder = document.querySelector("[data-words]");
  var words = holder ? JSON.parse(holder.dataset.words) : null;

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return values[key] !== undefined ? values[key] : all; });
  }

  function announce(log, text, at) {
    if (!log) { return; }
    var time = at ? new Date(at) : new Date();
    var li = document.createElement("li");
    var stamp = document.createElement("time");
    stamp.setAttribute("datetime", time.toISOString());
    stamp.textContent = time.toLocaleTimeString(words.lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    li.appendChild(stamp);
    li.appendChild(document.createTextNode(" — " + text));
    log.insertBefore(li, log.firstChild);
  }

  /* What the reader is doing in a container (open folds, typed text, focus), kept across a redraw. */
  function keep(container) {
    var open = Array.prototype.map.call(container.querySelectorAll("details[open] > summary"), function (s) { return s.textContent; });
    var typed = {};
    container.querySelectorAll("textarea[id], input[id]:not([type=hidden]), select[id]").forEach(function (field) {
      typed[field.id] = field.type === "radio" || field.type === "checkbox" ? field.checked : field.value;
    });
    var active = document.activeElement && container.contains(document.activeElement) ? document.activeElement : null;
    var focused = active ? active.id : null;
    /* Where the caret (or the selection) was in the field being typed in: a redraw in the middle of typing must not
       send the next keystrokes to the start of the text. */
    var caret = null;
    try {
      if (active && typeof active.selectionStart === "number") {
        caret = [active.selectionStart, active.selectionEnd, active.selectionDirection];
      }
    } catch (e) { caret = null; }
    return function restore() {
      container.querySelectorAll("details > summary").forEach(function (s) {
        if (open.indexOf(s.textContent) >= 0) { s.parentNode.open = true; }
      });
      Object.keys(typed).forEach(function (id) {
        var field = document.getElementById(id);
        if (!field || !container.contains(field)) { return; }
        if (field.type === "radio" || field.type === "checkbox") { field.checked = typed[id]; } else { field.value = typed[id]; }
      });
      var target = focused ? document.getElementById(focused) : null;
      if (target) {
        target.focus();
        if (caret) {
          try { target.setSelectionRange(caret[0], caret[1], caret[2] || "none"); } catch (e) { /* not a text field */ }
        }
      }
    };
  }

  /* Redraw a container from the server's rendering, at most one fetch at a time. */
  function Redrawer(container, url, pick) {
    var busy = false, again = false;
    return function redraw() {
      if (busy) { again = true; return; }
      busy = true;
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html !== null) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            var fresh = pick ? doc.querySelector(pick) : doc.body;
            if (fresh) {
              var restore = keep(container);
              container.replaceChildren.apply(container, Array.prototype.slice.call(fresh.childNodes));
              restore();
            }
            countdown();
          }
        })
        .catch(function () { return null; })
        .then(function () { busy = false; if (again) { again = false; redraw(); } });
    };
  }

  function countdown() {
    var box = document.getElementById("window");
    var clock = document.getElementById("countdown");
    if (!box || !clock || !words) { return; }  // the server draws the countdown only while objections are open
    var left = Math.ceil((new Date(box.dataset.ends) - Date.now()) / 1000);
    clock.textContent = left > 0 ? say(words.countdown, { s: new Intl.NumberFormat(words.lang).format(left) }) : words.countdown_over;
    clock.classList.toggle("countdown-over", left <= 0);
  }

  function formArgs(form) {
    var args = {};
    INT_FIELDS.forEach(function (k) { if (form.elements[k] && form.elements[k].value !== "") { args[k] = Number(form.elements[k].value); } });
    TEXT_FIELDS.forEach(function (k) { if (form.elements[k]) { args[k] = form.elements[k].value; } });
    return args;
  }

  /* Forms go over the WebSocket when it is live; ballots always go through the page (the browser keeps the receipt). */
  function interceptForms(root, send) {
    root.addEventListener("submit", function (event) {
      var form = event.target.closest("form[data-negotiation]");
      var name = form && form.dataset.negotiation;
      if (!form || name.indexOf("vote.cast") === 0 || name.indexOf("vote.change") === 0 || name === "vote.open") { return; }
      if (!send(name, formArgs(form))) { return; }
      event.preventDefault();
    });
  }

  function receiveFrame(frame, redraw) {
    if ((frame.type === "event" && REDRAW.test(frame.name)) || frame.type === "snapshot") { redraw(); }
  }

  /* The server's sentences of the events after the last one announced (the text page's own log). */
  function Sayer(log, url, seq) {
    var said = seq, busy = false, again = false;
    return function fetchSay() {
      if (busy) { again = true; return; }
      busy = true;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          data.say.forEach(function (line) { if (line.seq > said) { announce(log, line.text, line.at); } });
          said = Math.max(said, data.seq);
        })
        .catch(function () { return null; })
        .then(function () { busy = false; if (again) { again = false; fetchSay(); } });
    };
  }

  /* The text page: its own live connection. */
  function textPage(root) {
    var log = document.getElementById("negotiation-log");
    var redraw = Redrawer(document.getElementById("negotiation-body"), window.location.pathname, "#negotiation-body");
    var sayNew = Sayer(log, root.dataset.partsUrl, Number(root.dataset.seq));
    var client = new window.LiveClient({
      url: root.dataset.liveUrl, meeting: Number(root.dataset.meeting), tokenUrl: root.dataset.tokenUrl, lang: words.lang,
      onFrame: function (frame) {
        receiveFrame(frame, redraw);
        if (frame.type === "event" || frame.type === "snapshot") { sayNew(); }
        if (frame.type === "error" && frame.message) { announce(log, say(words.command_refused, { d: frame.message })); }
      },
      onStatus: function (code, detail) {
        document.getElementById("negotiation-status").dataset.state = code;
        document.getElementById("negotiation-status-text").textContent = say(words[code], { d: detail });
      }
    });
    interceptForms(root, function (name, args) {
      if (!client.isLive()) { return false; }
      client.command(name, args);
      return true;
    });
    client.connect();
  }

  /* The room, console and projector: frames come from live-room.js's connection. */
  function panel(box) {
    var redraw = Redrawer(box, box.dataset.url, null);
    document.addEventListener("live:frame", function (event) { receiveFrame(event.detail, redraw); });
    interceptForms(box, function (name, args) {
      var client = window.copLiveClient;
      if (!client || !client.isLive()) { return false; }
      client.command(name, args);
      return true;
    });
  }

  var text = document.getElementById("negotiation");
  if (text && window.LiveClient) { textPage(text); }
  var box = document.getElementById("negotiation-panel");
  if (box) { panel(box); }
  window.setInterval(countdown, 1000);
  countdown();
})();
