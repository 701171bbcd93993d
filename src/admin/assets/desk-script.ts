/**
 * The desk's one script, served from /admin/assets/desk.js (the desk's CSP allows only this
 * origin's scripts). It only improves pages that already work without it:
 * - a live preview of Markdown fields, rendered by the server as the email renders it and shown
 *   in a sandboxed iframe (no script runs in it);
 * - live progress of a send, polled from /admin/campaigns/:id/progress; the page reloads when
 *   the send ends (without JavaScript a <noscript> refresh does the same, more slowly).
 * - the import page's preview, asked for as the file and the column mapping change.
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


  // The import page: the preview follows the chosen file and the mapping without leaving the
  // page (so the chosen file stays chosen); the server renders the preview as HTML.
  var importForm = document.querySelector("form[data-import]");
  if (importForm) {
    var box = importForm.querySelector("[data-preview-box]");
    var fileInput = importForm.querySelector("input[type=file]");
    var previewButton = importForm.querySelector("[data-preview-button]");
    if (previewButton) previewButton.hidden = true;
    var again = importForm.querySelector("[data-choose-again]");
    var askedPreview = 0;
    var preview = function () {
      if (!fileInput.files || !fileInput.files.length) return;
      var mine = ++askedPreview;
      box.setAttribute("aria-busy", "true");
      fetch("/admin/readers/import/preview", {
        method: "POST",
        credentials: "same-origin",
        headers: { "x-csrf-token": token, "x-desk-fragment": "preview" },
        body: new FormData(importForm)
      }).then(function (r) { return r.text(); }).then(function (html) {
        if (mine !== askedPreview) return;
        box.innerHTML = html;
        box.removeAttribute("aria-busy");
        if (again) again.hidden = true;
      }).catch(function () { box.removeAttribute("aria-busy"); });
    };
    fileInput.addEventListener("change", function () {
      // A new file has other columns: drop the old mapping before asking again.
      box.innerHTML = "";
      preview();
    });
    importForm.addEventListener("change", function (e) {
      if (e.target !== fileInput && e.target.hasAttribute("data-remap")) preview();
    });
    importForm.addEventListener("submit", function () {
      var state = importForm.querySelector("[data-import-state]");
      if (state) state.hidden = false;
      Array.prototype.forEach.call(importForm.querySelectorAll("button"), function (b) { b.disabled = true; });
    });
  }

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
