/* Meeting room, chair console and projector. The server draws every part (agenda, floor, speakers, actions, stage)
   in the reader's language; after each event this script fetches the view's parts and swaps them in, announces the
   server's sentences (ARIA live region), ticks the timer and shows the presence. Its own words come from the page
   (data-words). No rule lives here: it only reveals the reader's own controls from what the live server says of it. */
(function () {
  "use strict";

  var root = document.getElementById("live");
  if (!root || !window.LiveClient) { return; }
  var words = JSON.parse(root.dataset.words);
  var lang = words.lang;
  var you = null, may = null, presence = null, timer = null, timerAt = 0, overtimeAnnounced = false, hadQuorum = null;
  var saidUpTo = Number(root.dataset.seq), drawnSeq = Number(root.dataset.seq);

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return values[key] !== undefined ? values[key] : all; });
  }
  function num(n) { return new Intl.NumberFormat(lang).format(n); }
  function clock(seconds) {
    var s = Math.max(0, Math.round(seconds));
    return say(words.clock, { m: Math.floor(s / 60), s: String(s % 60).padStart(2, "0") });
  }

  var client = new window.LiveClient({
    url: root.dataset.liveUrl, meeting: Number(root.dataset.meeting), tokenUrl: root.dataset.tokenUrl,
    lang: lang, onFrame: receive, onStatus: showStatus
  });
  window.copLiveClient = client;  // negotiation.js sends its commands on this connection

  function showStatus(code, detail) {
    var box = document.getElementById("live-status");
    box.dataset.state = code;
    document.getElementById("live-status-text").textContent = say(words[code], { d: detail });
    if (code === "offline" && detail === "restart") { announce(words.restart); }
  }

  function announce(text, at) {
    var log = document.getElementById("live-log");
    if (!log) { return; }
    var time = at ? new Date(at) : new Date();
    var stamp = document.createElement("time");
    stamp.setAttribute("datetime", time.toISOString());
    stamp.textContent = time.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    var li = document.createElement("li");
    li.append(stamp, " — " + text);
    log.querySelectorAll("li.muted").forEach(function (placeholder) { placeholder.remove(); });
    log.insertBefore(li, log.firstChild);
    while (log.children.length > 60) { log.removeChild(log.lastChild); }
  }

  /* Fetch the view's parts, at most one request at a time; again if an event arrived meanwhile. */
  var busy = false, again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(root.dataset.partsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { draw(data); } })
      .catch(function () { return null; })
      .then(function () {
        busy = false;
        if (again || (client.seq !== null && drawnSeq < client.seq)) { again = false; window.setTimeout(refresh, 150); }
      });
  }

  function draw(data) {
    if (data.seq < drawnSeq) { return; }
    drawnSeq = data.seq;
    Object.keys(data.parts).forEach(function (name) {
      var box = document.getElementById("live-" + name);
      if (box) { box.innerHTML = data.parts[name]; }
    });
    data.say.forEach(function (line) { if (line.seq > saidUpTo) { announce(line.text, line.at); } });
    saidUpTo = Math.max(saidUpTo, data.seq);
    timer = data.timer; timerAt = Date.now(); overtimeAnnounced = false;
    reveal(); renderPresence(); tick();
    document.dispatchEvent(new CustomEvent("live:drawn", { detail: data }));
  }

  /* The reader's own controls: those the live server's `may` allows this connection, and its own party's. */
  function reveal() {
    root.querySelectorAll("[data-may]").forEach(function (node) {
      var answer = may && may[node.dataset.may];
      node.hidden = !(answer && answer.ok);
    });
    root.querySelectorAll("[data-for-party]").forEach(function (node) {
      node.hidden = !(you && you.party_id === Number(node.dataset.forParty));
    });
    root.querySelectorAll("input[name=csrf_token]").forEach(function (input) { input.value = root.dataset.csrf; });
  }

  function receive(frame) {
    document.dispatchEvent(new CustomEvent("live:frame", { detail: frame }));  // for negotiation.js
    if (frame.type === "snapshot" || frame.type === "welcome") {
      you = frame.you; may = frame.may || null; refresh();
    } else if (frame.type === "may") {
      may = frame.may; reveal();
    } else if (frame.type === "event") {
      refresh();
    } else if (frame.type === "presence") {
      presence = frame; renderPresence();
    } else if (frame.type === "error" && frame.message) {
      announce(say(words.command_refused, { d: frame.message }));
    }
  }

  function renderPresence() {
    var line = document.getElementById("live-presence");
    if (!presence || !line) { return; }
    var form = new Intl.PluralRules(lang).select(presence.count) === "one" ? "presence_one" : "presence_other";
    line.textContent = say(words[form], { count: num(presence.count), accredited: num(presence.accredited),
      required: num(presence.required) }) + " — " + (presence.quorum ? words.quorum_yes : words.quorum_no);
    root.querySelectorAll("tr[data-party]").forEach(function (row) {
      var cell = row.querySelector("[data-present]");
      if (cell) { cell.textContent = presence.present.indexOf(Number(row.dataset.party)) >= 0 ? words.present : words.absent; }
    });
    if (hadQuorum !== null && hadQuorum !== presence.quorum) { announce(presence.quorum ? words.quorum_reached : words.quorum_lost); }
    hadQuorum = presence.quorum;
  }

  function tick() {
    var box = document.getElementById("live-timer");
    if (!timer) { box.textContent = ""; box.className = "timer"; } else {
      var used = timer.elapsed + (timer.running ? (Date.now() - timerAt) / 1000 : 0);
      var left = timer.limit - used;
      box.className = "timer" + (left < 0 ? " timer-over" : "") + (timer.running ? "" : " timer-stopped");
      box.textContent = say(left >= 0 ? words.left : words.over, { t: clock(Math.abs(left)) }) + (timer.running ? "" : words.stopped);
      if (left < 0 && timer.running && !overtimeAnnounced) { overtimeAnnounced = true; announce(words.overtime); }
    }
    var stage = document.getElementById("stage-window");
    var countdown = document.getElementById("stage-countdown");
    if (stage && countdown) {
      var rest = Math.ceil((new Date(stage.dataset.ends) - Date.now()) / 1000);
      countdown.textContent = rest > 0 ? say(words.countdown, { s: num(rest) }) : words.countdown_over;
    }
  }

  /* Forms of the page go through the WebSocket when it is live (else they are posted as usual, with a fresh id). */
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-command]");
    if (!form) { return; }
    if (!client.isLive()) {
      if (form.elements.command_id) { form.elements.command_id.value = "w" + Date.now().toString(36) + Math.random().toString(36).slice(2, 10); }
      return;
    }
    event.preventDefault();
    var args = {};
    ["request_id", "item_id", "user_id"].forEach(function (k) { if (form.elements[k]) { args[k] = Number(form.elements[k].value); } });
    if (form.elements.point_of_order) { args.point_of_order = true; }
    client.command(form.dataset.command, args);
  });

  window.setInterval(tick, 1000);
  client.connect();
})();
