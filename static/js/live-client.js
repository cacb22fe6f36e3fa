/* Live connection to a meeting: token, hello, resume from the last seq, back-off, idempotent resend. No build step. */
(function () {
  "use strict";

  var FATAL = { forbidden: true, not_found: true, wrong_meeting: true, bad_request: true };

  function LiveClient(options) {
    this.url = options.url;
    this.meeting = options.meeting;
    this.tokenUrl = options.tokenUrl || null;
    this.lang = options.lang || null;  // the reader's language: the server's refusals come in it
    this.onFrame = options.onFrame;
    this.onStatus = options.onStatus;
    this.seq = null;          // last seq applied; null until the first snapshot
    this.pending = {};        // command id → frame, until acked
    this.counter = 0;
    this.attempt = 0;
    this.restarting = false;
    this.synced = false;
    this.stopped = false;
    this.ws = null;
  }

  LiveClient.prototype.status = function (state, detail) {
    if (this.onStatus) { this.onStatus(state, detail || ""); }
  };

  LiveClient.prototype.fetchToken = function () {
    if (!this.tokenUrl) { return Promise.resolve(null); }
    return fetch(this.tokenUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; });
  };

  LiveClient.prototype.connect = function () {
    var self = this;
    if (self.stopped) { return; }
    self.status("connecting");
    self.fetchToken().then(function (grant) {
      if (self.tokenUrl && !grant) { self.retry(); return; }
      var ws = new WebSocket(grant ? grant.url : self.url);
      self.ws = ws;
      self.synced = false;
      ws.onopen = function () {
        var hello = { type: "hello", meeting: self.meeting, since: self.seq };
        if (self.lang) { hello.lang = self.lang; }
        if (grant) { hello.token = grant.token; }
        ws.send(JSON.stringify(hello));
      };
      ws.onmessage = function (message) {
        // Events committed together come as one message: a JSON array of event frames, in seq order.
        var data = JSON.parse(message.data);
        if (Array.isArray(data)) { data.forEach(function (frame) { self.receive(frame); }); } else { self.receive(data); }
      };
      ws.onclose = function (event) {
        self.synced = false;
        if (self.ws === ws) { self.ws = null; }
        if (self.stopped) { return; }
        self.status("offline", event.code === 1012 ? "restart" : "");
        if (event.code === 1012) { self.restarting = true; }
        self.retry(event.code === 1012);
      };
    });
  };

  LiveClient.prototype.retry = function (soon) {
    var self = this;
    // A process that said it restarts (1012) is back within seconds: try every second for a minute, then back off.
    var base = soon ? 500 : (self.restarting && self.attempt < 60) ? 1000 :
      Math.min(30000, 1000 * Math.pow(2, Math.max(0, self.attempt - (self.restarting ? 59 : 0))));
    self.attempt += 1;
    var delay = Math.round(base * (0.5 + Math.random() / 2));
    self.status("waiting", String(Math.ceil(delay / 1000)));
    window.setTimeout(function () { self.connect(); }, delay);
  };

  LiveClient.prototype.receive = function (frame) {
    if (frame.type === "snapshot" || frame.type === "welcome") {
      if (frame.type === "snapshot") { this.seq = frame.seq; }
      this.synced = true;
      this.attempt = 0;
      this.restarting = false;
      this.status("online");
      this.onFrame(frame);
      this.resend();
      return;
    }
    if (frame.type === "event") {
      if (this.seq !== null && frame.seq <= this.seq) { return; }
      this.seq = frame.seq;
    } else if (frame.type === "error" && frame.code === "unavailable" && this.pending[frame.id]) {
      this.later(frame.id);   // nothing was recorded: the same command goes again once the database is back
    } else if (frame.type === "ack" || (frame.type === "error" && frame.id)) {
      delete this.pending[frame.id];
    } else if (frame.type === "error" && FATAL[frame.code]) {
      this.stopped = true;
      this.status("refused", frame.message);
    }
    this.onFrame(frame);
  };

  LiveClient.prototype.resend = function () {
    var self = this;
    Object.keys(self.pending).forEach(function (id) { self.ws.send(JSON.stringify(self.pending[id])); });
  };

  /* Resend one command after a growing pause (1, 2, 4… up to 16 s); a reconnection resends it anyway. */
  LiveClient.prototype.later = function (id) {
    var self = this, frame = self.pending[id];
    self.tries = self.tries || {};
    var tries = self.tries[id] = (self.tries[id] || 0) + 1;
    window.setTimeout(function () {
      if (self.pending[id] === frame && self.isLive()) { self.ws.send(JSON.stringify(frame)); }
    }, 1000 * Math.pow(2, Math.min(tries - 1, 4)));
  };

  LiveClient.prototype.isLive = function () {
    return Boolean(this.ws && this.synced && this.ws.readyState === WebSocket.OPEN);
  };

  /* Queue a command; it is (re)sent with the same id until acknowledged, so it applies once. */
  LiveClient.prototype.command = function (name, args) {
    this.counter += 1;
    var id = "c" + Date.now().toString(36) + "-" + this.counter + "-" + Math.random().toString(36).slice(2, 8);
    var frame = { type: "command", id: id, name: name, args: args || {} };
    this.pending[id] = frame;
    if (this.isLive()) { this.ws.send(JSON.stringify(frame)); }
    return id;
  };

  window.LiveClient = LiveClient;
})();
