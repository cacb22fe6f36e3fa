/* Negotiation: keeps the text page and the room's negotiation panel live, announces each step (ARIA live region),
   runs the objection countdown, and sends the forms over the WebSocket when it is live. No build step. */
(function () {
  "use strict";

  var INT_FIELDS = ["item_id", "paragraph_id", "version", "amendment_id", "window_id", "objection_id", "vote_id",
                    "group", "option"];
  var TEXT_FIELDS = ["kind", "text", "explanation", "reason", "ruling", "status", "question", "title", "body"];
  var CHOICES = { yes: "pour", no: "contre", abstain: "abstention" };
  var STATUS = {
    connecting: "Connexion au direct…", online: "En direct", offline: "Connexion perdue",
    waiting: "Connexion perdue : nouvelle tentative dans {d} s", refused: "Accès au direct refusé : {d}"
  };

  function amendment(d, verb) {
    var a = d.amendment || {};
    return "Amendement " + a.number + " (" + a.party + ") au § " + a.paragraph_number + " : " + verb + ".";
  }

  var SAY = {
    "text.created": function (d) { return "Projet de texte déposé : « " + d.draft.title + " »."; },
    "text.changed": function (d) { return "Nouvelle version du texte : " + d.reason + "."; },
    "amendment.tabled": function (d) { return amendment(d, "déposé"); },
    "amendment.cosponsored": function (d) { return amendment(d, "coparrainé"); },
    "amendment.revised": function (d) { return amendment(d, "actualisé"); },
    "amendment.withdrawn": function (d) { return amendment(d, "retiré"); },
    "amendment.taken_up": function (d) { return amendment(d, "mis en discussion"); },
    "amendment.integrated": function (d) { return amendment(d, "intégré au texte"); },
    "amendment.bracketed": function (d) { return amendment(d, "mis entre crochets"); },
    "amendment.set_aside": function (d) { return amendment(d, "écarté"); },
    "decision.proposed": function (d) { return "La présidence propose l’adoption par consensus : délai d’objection de " + d.seconds + " secondes."; },
    "decision.cancelled": function () { return "La présidence retire sa proposition d’adoption."; },
    "decision.blocked": function () { return "Délai écoulé : une objection maintenue bloque l’adoption."; },
    "decision.adopted": function (d) { return "Le marteau tombe : " + d.decision.reference + " adoptée par consensus."; },
    "decision.noted": function (d) { return "La présidence prend acte : " + d.decision.reference + "."; },
    "objection.raised": function (d) { return "Objection de " + d.objection.party + " : « " + d.objection.reason + " »."; },
    "objection.withdrawn": function (d) { return d.objection.party + " retire son objection."; },
    "objection.overruled": function (d) { return "La présidence passe outre à l’objection de " + d.objection.party + "."; },
    "vote.opened": function (d) { return "Vote ouvert : " + d.vote.question + "."; },
    "vote.cast": function (d) { return d.party + " a voté (" + d.participants + ")."; },
    "vote.changed": function (d) { return d.party + " a changé son vote."; },
    "vote.closed": function (d) {
      var c = d.vote.result.counts;
      return "Vote clos : " + Object.keys(CHOICES).map(function (k) { return CHOICES[k] + " " + c[k]; }).join(", ") +
        " — " + (d.vote.outcome === "adopted" ? "adopté" : d.vote.outcome === "void" ? "nul (bulletins perdus)" : "rejeté") + (d.decision ? " (" + d.decision.reference + ")." : ".");
    }
  };
  var REDRAW = /^(text|amendment|decision|objection|vote|item|meeting)\./;

  function announce(log, text, at) {
    if (!log) { return; }
    var time = at ? new Date(at) : new Date();
    var li = document.createElement("li");
    var stamp = document.createElement("time");
    stamp.setAttribute("datetime", time.toISOString());
    stamp.textContent = time.toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    li.appendChild(stamp);
    li.appendChild(document.createTextNode(" — " + text));
    log.insertBefore(li, log.firstChild);
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
            if (fresh) { container.replaceChildren.apply(container, Array.prototype.slice.call(fresh.childNodes)); }
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
    if (!box || !clock || box.dataset.state !== "open") { return; }
    var left = Math.ceil((new Date(box.dataset.ends) - Date.now()) / 1000);
    clock.textContent = left > 0 ? "Objections recevables encore " + left + " s." : "Délai écoulé : le marteau va tomber.";
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

  function receiveFrame(frame, log, redraw, sayErrors) {
    if (frame.type === "event") {
      if (SAY[frame.name]) { announce(log, SAY[frame.name](frame.data || {}), frame.at); }
      if (REDRAW.test(frame.name)) { redraw(); }
    } else if (frame.type === "snapshot") {
      redraw();
    } else if (sayErrors && frame.type === "error" && frame.message) {
      announce(log, "Refusé : " + frame.message);
    }
  }

  /* The text page: its own live connection. */
  function textPage(root) {
    var log = document.getElementById("negotiation-log");
    var redraw = Redrawer(document.getElementById("negotiation-body"), window.location.pathname, "#negotiation-body");
    var client = new window.LiveClient({
      url: root.dataset.liveUrl, meeting: Number(root.dataset.meeting), tokenUrl: root.dataset.tokenUrl,
      onFrame: function (frame) { receiveFrame(frame, log, redraw, true); },
      onStatus: function (code, detail) {
        document.getElementById("negotiation-status").dataset.state = code;
        document.getElementById("negotiation-status-text").textContent = STATUS[code].replace("{d}", detail);
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
    document.addEventListener("live:frame", function (event) {
      receiveFrame(event.detail, document.getElementById("live-log"), redraw, false);
    });
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
