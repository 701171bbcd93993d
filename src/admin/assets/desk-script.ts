/**
 * The desk's one script, served from /admin/assets/desk.js (the desk's CSP allows only this
 * origin's scripts). It only improves pages that already work without it:
 * - a live preview of Markdown fields, rendered by the server as the email renders it and shown
 *   in a sandboxed iframe (no script runs in it);
 * - live progress of a send, polled from /admin/campaigns/:id/progress; the page reloads when
 *   the send ends (without JavaScript a <noscript> refresh does the same, more slowly).
 * Writes carry the session's CSRF token in X-CSRF-Token, read from the page's own forms.
 */
export const deskScript = `"use strict";
(function () {
  var tokenField = document.querySelector('input[name="_csrf"]');
  var token = tokenField ? tokenField.value : "";

  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-live-preview]"), function (area) {
    var box = area.nextElementSibling;
    if (!box || !box.classList.contains("live-preview")) return;
    var frame = box.querySelector("iframe");
    var timer = null;
    var asked = 0;
    box.hidden = false;
    function update() {
      var mine = ++asked;
      fetch(area.getAttribute("data-live-preview"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-csrf-token": token },
        body: "markdown=" + encodeURIComponent(area.value)
      }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
        if (mine === asked) frame.srcdoc = html;
      }).catch(function () {});
    }
    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 250);
    });
    update();
  });

  var panel = document.querySelector("[data-progress]");
  if (panel) {
    var url = panel.getAttribute("data-progress");
    var field = function (name) { return panel.querySelector('[data-field="' + name + '"]'); };
    var bar = panel.querySelector('[role="progressbar"]');
    var fmt = function (n) { return Number(n).toLocaleString("en"); };
    var words = function (s) {
      if (s === null) return "";
      if (s < 60) return "less than a minute left";
      var m = Math.round(s / 60);
      return m < 90 ? "about " + m + " minute" + (m === 1 ? "" : "s") + " left" : "about " + Math.round(m / 60) + " hours left";
    };
    var first = panel.getAttribute("data-status");
    var tick = function () {
      fetch(url, { credentials: "same-origin", headers: { accept: "application/json" } }).then(function (r) { return r.json(); }).then(function (p) {
        ["sent", "failed", "queued", "audience"].forEach(function (k) { var el = field(k); if (el) el.textContent = fmt(p[k]); });
        field("bar").style.width = (p.done * 100).toFixed(1) + "%";
        bar.setAttribute("aria-valuenow", String(Math.round(p.done * 100)));
        var summary = field("summary");
        if (p.status === "sending") summary.textContent = words(p.etaSeconds);
        if (p.status !== first) { location.reload(); return; }
        setTimeout(tick, 2000);
      }).catch(function () { setTimeout(tick, 5000); });
    };
    var noscriptRefresh = document.querySelector("meta[http-equiv=refresh]");
    if (noscriptRefresh) noscriptRefresh.remove();
    setTimeout(tick, 1000);
  }
})();
`;
