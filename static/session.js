// Warns before an idle session ends, so that a long text is not lost, and lets the user
// go on working (one request keeps the session alive). No inline script: the page gives
// the idle time in data-session-idle-seconds on <body>.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-session-idle-seconds") || "0", 10);
  var keepalive = body.getAttribute("data-session-keepalive");
  if (!idle || !keepalive) { return; }
  var warnBefore = Math.min(120, Math.floor(idle / 3));
  var banner = document.getElementById("session-warning");
  var button = document.getElementById("session-continue");
  var timer = null;

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(warn, (idle - warnBefore) * 1000);
  }
  function warn() {
    banner.hidden = false;
    button.focus();
  }
  button.addEventListener("click", function () {
    fetch(keepalive, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      banner.hidden = true;
      if (response.ok) { schedule(); } else { window.location.reload(); }
    });
  });
  schedule();
})();
