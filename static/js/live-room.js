/* Meeting room, chair console and projector: draws the live state and announces changes (ARIA live region). */
(function () {
  "use strict";

  var root = document.getElementById("live");
  if (!root || !window.LiveClient) { return; }
  var mode = root.dataset.mode;
  var state = null, you = null, presence = null, timerAt = 0, overtimeAnnounced = false, hadQuorum = null;
  var STATE_LABELS = { scheduled: "Programmée", open: "Ouverte", suspended: "Suspendue", closed: "Close" };
  var ITEM_LABELS = { pending: "À venir", open: "En discussion", done: "Traité" };
  var STATUS = {
    connecting: "Connexion au direct…", online: "En direct", offline: "Connexion perdue",
    waiting: "Connexion perdue : nouvelle tentative dans {d} s", refused: "Accès au direct refusé : {d}"
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); } });
    return node;
  }
  function clock(seconds) {
    var s = Math.max(0, Math.round(seconds));
    return Math.floor(s / 60) + " min " + String(s % 60).padStart(2, "0") + " s";
  }
  function who(r) { return r.party ? r.party + " (" + r.user + ")" : r.user; }

  var client = new window.LiveClient({
    url: root.dataset.liveUrl, meeting: Number(root.dataset.meeting), tokenUrl: root.dataset.tokenUrl,
    onFrame: receive, onStatus: showStatus
  });
  window.copLiveClient = client;  // negotiation.js sends its commands on this connection

  function showStatus(code, detail) {
    var box = document.getElementById("live-status");
    box.dataset.state = code;
    document.getElementById("live-status-text").textContent = STATUS[code].replace("{d}", detail);
    if (code === "offline" && detail === "restart") { announce("Le serveur du direct redémarre : reconnexion…"); }
  }

  function announce(text, at) {
    var log = document.getElementById("live-log");
    var time = at ? new Date(at) : new Date();
    var stamp = time.toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    log.insertBefore(el("li", {}, [el("time", { datetime: time.toISOString(), text: stamp }), " — " + text]), log.firstChild);
    while (log.children.length > 60) { log.removeChild(log.lastChild); }
  }

  function findRequest(id) { return state.speakers.filter(function (r) { return r.id === id; })[0]; }
  function drop(id) { state.speakers = state.speakers.filter(function (r) { return r.id !== id; }); }
  function addTime(totals) { Object.keys(totals || {}).forEach(function (k) { state.speaking_time[k] = totals[k]; }); }
  function setTimer(timer) { state.timer = timer; timerAt = Date.now(); overtimeAnnounced = false; }

  var APPLY = {
    "meeting.opened": function () { return "La séance est ouverte."; },
    "meeting.suspended": function (d) { setTimer(d.timer); return "La séance est suspendue."; },
    "meeting.resumed": function () { return "La séance reprend."; },
    "meeting.closed": function (d) {
      state.speakers = []; setTimer(null);
      state.items.forEach(function (i) { if (i.id === d.item_id) { i.state = "done"; } });
      state.current_item_id = null;
      return "La séance est levée.";
    },
    "item.opened": function (d) {
      state.items.forEach(function (i) {
        if (i.id === d.previous_item_id) { i.state = "done"; }
        if (i.id === d.item_id) { i.state = "open"; }
      });
      state.current_item_id = d.item_id;
      return "Point " + d.position + " ouvert : " + d.title + ".";
    },
    "floor.requested": function (d) {
      state.speakers.push(d.request);
      return (d.request.kind === "point_of_order" ? "Motion d’ordre : " : "Demande de parole : ") + who(d.request) + ".";
    },
    "floor.invited": function (d) { state.speakers.push(d.request); return "Observateur invité à parler : " + d.request.user + "."; },
    "floor.withdrawn": function (d) { drop(d.request_id); return "Une demande de parole est retirée."; },
    "floor.removed": function (d) { drop(d.request_id); return "La présidence retire une demande de parole."; },
    "floor.given": function (d) {
      if (d.ended) { drop(d.ended.request_id); }
      drop(d.request.id); state.speakers.unshift(d.request);
      setTimer(d.timer); addTime(d.speaking_time);
      return "La parole est à " + who(d.request) + ".";
    },
    "floor.ended": function (d) {
      drop(d.ended.request_id); setTimer(null); addTime(d.speaking_time);
      return "Fin de l’intervention (" + clock(d.ended.spoken_seconds) + ").";
    },
    "timer.started": function (d) { setTimer(d.timer); return "Le chronomètre est relancé."; },
    "timer.stopped": function (d) { setTimer(d.timer); return "Le chronomètre est arrêté."; }
  };

  function receive(frame) {
    document.dispatchEvent(new CustomEvent("live:frame", { detail: frame }));  // for negotiation.js
    if (frame.type === "snapshot") {
      state = frame.state; you = frame.you; setTimer(state.timer);
      if (state.meeting) { render(); }
    } else if (frame.type === "welcome") {
      you = frame.you;
    } else if (frame.type === "event" && state) {
      var apply = APPLY[frame.name];
      if (frame.name.indexOf("meeting.") === 0) { state.meeting.state = frame.data.state; }
      if (apply) { announce(apply(frame.data), frame.at); }
      render();
    } else if (frame.type === "presence") {
      presence = frame; renderPresence();
    } else if (frame.type === "error" && frame.message) {
      announce("Refusé : " + frame.message);
    }
  }

  function commandForm(name, label, args, cls) {
    var button = el("button", { type: "button", "class": "button " + (cls || "button-secondary"), text: label });
    button.addEventListener("click", function () { client.command(name, args); });
    return button;
  }

  function render() {
    var mstate = state.meeting.state;
    document.querySelectorAll("[data-live=meeting-state]").forEach(function (b) {
      b.textContent = STATE_LABELS[mstate]; b.className = "badge badge-" + mstate;
    });
    var actions = document.getElementById("live-chair-actions");
    if (actions) {
      actions.querySelectorAll("[data-when]").forEach(function (s) { s.hidden = s.dataset.when.split(" ").indexOf(mstate) < 0; });
    }
    renderAgenda(mstate); renderSpeakers(mstate); renderTime(); renderPresence(); tick();
  }

  function renderAgenda(mstate) {
    var list = document.getElementById("live-agenda");
    list.replaceChildren.apply(list, state.items.map(function (i) {
      var li = el("li", { "class": "agenda-" + i.state, "data-item": i.id }, [
        el("span", { "class": "agenda-title", text: i.title }), " ",
        el("span", { "class": "badge badge-" + i.state, text: ITEM_LABELS[i.state] })]);
      if (i.state === "open") { li.setAttribute("aria-current", "true"); }
      if (mode === "chair" && mstate === "open" && i.state !== "open") {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(commandForm("item.open", "Ouvrir ce point", { item_id: i.id }));
      }
      return li;
    }));
  }

  function renderSpeakers(mstate) {
    var speaking = state.speakers.filter(function (r) { return r.state === "speaking"; })[0];
    var floor = document.getElementById("live-floor");
    floor.replaceChildren(speaking
      ? el("p", { "class": "floor-now" }, ["À la parole : ", el("strong", { text: speaking.party || speaking.user }),
          speaking.party ? " (" + speaking.user + ")" : ""])
      : el("p", { "class": "floor-now", text: "Personne n’a la parole." }));
    var waiting = state.speakers.filter(function (r) { return r.state === "waiting"; });
    var list = document.getElementById("live-speakers");
    list.replaceChildren.apply(list, waiting.length ? waiting.map(function (r) {
      var label = r.kind === "point_of_order" ? "Motion d’ordre — " : r.kind === "observer_invited" ? "Observateur invité — " : "";
      var li = el("li", { "data-request": r.id }, [label ? el("strong", { text: label }) : null, who(r), " "]);
      if (mode === "chair") {
        li.appendChild(commandForm("floor.give", "Donner la parole", { request_id: r.id }));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(commandForm("floor.remove", "Retirer", { request_id: r.id }, "button-danger"));
      } else if (mode === "room" && you && you.party_id && r.party_id === you.party_id) {
        li.appendChild(commandForm("floor.withdraw", "Retirer ma demande", { request_id: r.id }));
      }
      return li;
    }) : [el("li", { "class": "muted", text: "Aucune demande de parole en attente." })]);
    var delegate = document.getElementById("live-delegate-actions");
    if (delegate) { delegate.hidden = mstate !== "open"; }
  }

  function renderTime() {
    var body = document.querySelector("#live-time tbody");
    var rows = state.parties.map(function (p) { return { key: String(p.id), name: p.name }; });
    if (state.speaking_time.observer) { rows.push({ key: "observer", name: "Observateurs invités" }); }
    body.replaceChildren.apply(body, rows.map(function (p) {
      return el("tr", { "data-party": p.key }, [el("th", { scope: "row", text: p.name }),
        el("td", { "class": "num", text: clock(state.speaking_time[p.key] || 0) }), el("td", { "data-present": "" })]);
    }));
  }

  function renderPresence() {
    if (!presence) { return; }
    var text = presence.count + " délégation" + (presence.count > 1 ? "s" : "") + " présente" + (presence.count > 1 ? "s" : "") +
      " sur " + presence.accredited + " accréditées ; quorum : " + presence.required + " — " +
      (presence.quorum ? "quorum atteint." : "quorum non atteint.");
    document.getElementById("live-presence").textContent = text;
    document.querySelectorAll("#live-time tr[data-party]").forEach(function (row) {
      var cell = row.querySelector("[data-present]");
      if (cell) { cell.textContent = presence.present.indexOf(Number(row.dataset.party)) >= 0 ? "Présente" : "Absente"; }
    });
    if (hadQuorum !== null && hadQuorum !== presence.quorum) { announce(presence.quorum ? "Le quorum est atteint." : "Le quorum n’est plus atteint."); }
    hadQuorum = presence.quorum;
  }

  function tick() {
    var box = document.getElementById("live-timer");
    var t = state && state.timer;
    if (!t) { box.textContent = ""; box.className = "timer"; return; }
    var used = t.elapsed + (t.running ? (Date.now() - timerAt) / 1000 : 0);
    var left = t.limit - used;
    box.className = "timer" + (left < 0 ? " timer-over" : "") + (t.running ? "" : " timer-stopped");
    box.textContent = (left >= 0 ? "Temps restant : " + clock(left) : "Dépassement : " + clock(-left)) +
      (t.running ? "" : " (chronomètre arrêté)");
    if (left < 0 && t.running && !overtimeAnnounced) { overtimeAnnounced = true; announce("Temps de parole écoulé."); }
  }

  /* Forms of the static page go through the WebSocket when it is live (else they are posted as usual). */
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-command]");
    if (!form || !client.isLive()) { return; }
    event.preventDefault();
    var args = {};
    ["request_id", "item_id", "user_id"].forEach(function (k) { if (form.elements[k]) { args[k] = Number(form.elements[k].value); } });
    if (form.elements.point_of_order) { args.point_of_order = true; }
    client.command(form.dataset.command, args);
  });

  window.setInterval(function () { if (state) { tick(); } }, 1000);
  client.connect();
})();
