// Recompute the SHA-256 of the revealed text in the browser and compare it with the published seal.
(function () {
  "use strict";
  var out = document.getElementById("seal-check");
  var text = document.getElementById("sealed-text");
  if (!out || !text) { return; }
  if (!window.crypto || !window.crypto.subtle || !window.TextEncoder) {
    out.textContent = out.dataset.unavailable;
    return;
  }
  window.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text.textContent)).then(function (buffer) {
    var hex = Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    var ok = hex === out.dataset.seal;
    out.textContent = ok ? out.dataset.match : out.dataset.mismatch;
    out.classList.add(ok ? "flash-success" : "flash-error");
  });
})();
