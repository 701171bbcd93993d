/**
 * The desk's one script, served from /admin/assets/desk.js (the desk's CSP allows only this
 * origin's scripts). It only improves pages that already work without it:
 * - a live preview of Markdown fields, rendered by the server as the email renders it and shown
 *   in a sandboxed iframe (no script runs in it);
 * - live progress of a send, polled from /admin/campaigns/:id/progress; the page reloads when
 *   the send ends (without JavaScript a <noscript> refresh does the same, more slowly).
 * - the import page's preview, asked for as the file and the column mapping change, and the
 *   import itself sent in pieces with a progress bar (see importInPieces);
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
    importForm.addEventListener("submit", function (e) {
      var ready = box.querySelector("[data-preview-ready][data-run]");
      if (ready && fileInput.files && fileInput.files.length && window.TextDecoder) {
        e.preventDefault();
        importInPieces(importForm, fileInput.files[0], ready);
        return;
      }
      var state = importForm.querySelector("[data-import-state]");
      if (state) state.hidden = false;
      Array.prototype.forEach.call(importForm.querySelectorAll("button"), function (b) { b.disabled = true; });
    });
  }

  // The import in pieces (src/admin/readers/import-piece-routes.tsx): the file is read as text
  // in the encoding the preview found, cut at record ends (a line break inside a quoted value
  // is not one) into pieces of about data-piece-chars characters, each sent with the header row,
  // the run and its line offset, in order; the page adds up their counts and shows the summary.
  function recordEnd(text, start, target, delim) {
    // The index after the first record end at least "target" characters after "start".
    var state = 0; // 0 a field's start, 1 unquoted, 2 quoted, 3 a quote inside a quoted value
    var opened = 0;
    for (var i = start, n = text.length; i < n; i++) {
      var ch = text.charCodeAt(i);
      if (state === 2) {
        if (ch === 34) state = 3;
        // A quote never closed: the server refuses the record past 64 K characters; cut anyway.
        else if (ch === 10 && i - opened > 65536 && i + 1 - start >= target) return i + 1;
        continue;
      }
      if (ch === 34 && (state === 0 || state === 3)) { if (state === 0) opened = i; state = 2; continue; }
      if (ch === delim) { state = 0; continue; }
      if (ch === 10 || ch === 13) {
        var after = ch === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
        if (after - start >= target) return after;
        i = after - 1;
        state = 0;
        continue;
      }
      state = 1;
    }
    return text.length;
  }
  function fieldsOf(text, start, end, delim) {
    // The values of one record, unquoted.
    var out = [];
    var value = "";
    var state = 0;
    for (var i = start; i < end; i++) {
      var ch = text.charCodeAt(i);
      if (state === 2) {
        if (ch === 34) state = 3;
        else value += text[i];
        continue;
      }
      if (ch === 34 && state === 0) { state = 2; continue; }
      if (ch === 34 && state === 3) { value += '"'; state = 2; continue; }
      if (ch === delim) { out.push(value); value = ""; state = 0; continue; }
      if (ch === 10 || ch === 13) break;
      value += text[i];
      state = 1;
    }
    out.push(value);
    return out;
  }
  // Never finer than the server's mailbox key (src/subscribers/mailbox.ts): two addresses of one
  // mailbox always have the same loose key; the server decides on the rows this finds.
  function looseKey(v) {
    v = v.trim().normalize("NFC").toLowerCase();
    var at = v.lastIndexOf("@");
    if (at < 0) return v;
    var local = v.slice(0, at);
    var domain = v.slice(at + 1);
    var plus = local.indexOf("+");
    if (plus > 0) local = local.slice(0, plus);
    if (domain === "googlemail.com") domain = "gmail.com";
    return local.replace(/\./g, "") + "@" + domain;
  }
  function linesIn(text, from, to) {
    var n = 0;
    for (var i = from; i < to; i++) {
      var ch = text.charCodeAt(i);
      if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) n++;
    }
    return n;
  }
  function importInPieces(form, file, ready) {
    var fmt = function (n) { return Number(n).toLocaleString("en"); };
    var panel = form.querySelector("template[data-import-progress]").content.firstElementChild.cloneNode(true);
    var bar = panel.querySelector("[data-bar]");
    var meter = panel.querySelector('[role="progressbar"]');
    var ticks = panel.querySelector("[data-ticks]");
    var fields = new FormData(form);
    form.hidden = true;
    form.parentNode.insertBefore(panel, form.nextSibling);
    var leaving = function (ev) { ev.preventDefault(); ev.returnValue = ""; };
    window.addEventListener("beforeunload", leaving);
    var total = { format: "plain", rows: 0, added: 0, updated: 0, unchanged: 0, suppressed: 0, skipped: 0, duplicates: 0, refusedCount: 0, confirmationsQueued: 0, refused: [] };
    var fail = function (text) {
      window.removeEventListener("beforeunload", leaving);
      panel.querySelector("h2").textContent = "The import stopped";
      var p = document.createElement("p");
      p.className = "flash bad";
      p.setAttribute("role", "alert");
      p.textContent = text;
      panel.appendChild(p);
      var again = document.createElement("a");
      again.className = "button secondary";
      again.href = "/admin/readers/import";
      again.textContent = "Import a file";
      panel.appendChild(again);
    };
    var send = function (url, body, attempt) {
      var again = function () { return new Promise(function (ok) { setTimeout(ok, 1000 * attempt); }).then(function () { return send(url, body, attempt + 1); }); };
      // A server error or a lost connection: the piece is sent again (a repeat writes nothing twice).
      return fetch(url, { method: "POST", credentials: "same-origin", headers: { "x-csrf-token": token }, body: body }).then(function (r) {
        return r.status >= 500 && attempt < 3 ? again() : r;
      }, function (err) {
        if (attempt >= 3) throw err;
        return again();
      });
    };
    var problem = function (r) {
      return r.json().then(function (j) { return j.error || j.message || ""; }, function () { return ""; }).then(function (m) {
        if (m) return m;
        if (r.status === 403) return "The page had expired or did not come from the desk. Reload the page and try again.";
        if (r.status === 413) return "A piece of the file was too large.";
        return "The server answered " + r.status + ".";
      });
    };
    file.arrayBuffer().then(function (bytes) {
      var text = new TextDecoder(ready.getAttribute("data-encoding") || "utf-8").decode(bytes);
      var delim = (ready.getAttribute("data-delimiter") || ",").charCodeAt(0);
      var size = Number(form.getAttribute("data-piece-chars")) || 1000000;
      var headerEnd = recordEnd(text, 0, 1, delim);
      var header = text.slice(0, headerEnd);
      if (headerEnd === text.length || !/[\\r\\n]$/.test(header)) header += "\\r\\n";
      var headerLines = linesIn(text, 0, headerEnd);
      var column = fieldsOf(text, 0, headerEnd, delim).map(function (h) { return h.trim(); }).indexOf(String(fields.get("map.email") || ""));
      // Where each loose key occurred in earlier pieces: [start, end] of its records.
      var before = new Map();
      var start = headerEnd;
      var linesBefore = headerLines;
      var step = function () {
        var end = recordEnd(text, start, size, delim);
        var earlier = [];
        var mine = [];
        if (column >= 0) {
          var taken = new Set();
          for (var at = start; at < end; ) {
            var stop = recordEnd(text, at, 1, delim);
            var key = looseKey(fieldsOf(text, at, stop, delim)[column] || "");
            mine.push([key, at, stop]);
            (before.get(key) || []).forEach(function (r) {
              if (!taken.has(r[0])) { taken.add(r[0]); earlier.push(r); }
            });
            at = stop;
          }
        }
        var body = new FormData();
        fields.forEach(function (v, k) { if (k !== "file") body.append(k, v); });
        body.set("run", ready.getAttribute("data-run"));
        body.set("lineOffset", String(linesBefore - headerLines));
        if (earlier.length) {
          earlier.sort(function (a, b) { return a[0] - b[0]; });
          body.set("earlier", header + earlier.map(function (r) { var t = text.slice(r[0], r[1]); return /[\\r\\n]$/.test(t) ? t : t + "\\r\\n"; }).join(""));
        }
        body.set("file", new Blob([header + text.slice(start, end)], { type: "text/csv" }), file.name);
        var firstLine = linesBefore + 1;
        return send("/admin/readers/import/piece", body, 1).then(function (r) {
          if (!r.ok) return problem(r).then(function (m) { throw new Error("The import stopped at line " + fmt(firstLine) + ": " + m); });
          return r.json();
        }).then(function (p) {
          if (start === headerEnd) total.format = p.format;
          ["rows", "added", "updated", "unchanged", "suppressed", "skipped", "duplicates", "refusedCount", "confirmationsQueued"].forEach(function (k) { total[k] += p[k]; });
          total.refused = total.refused.concat(p.refused).slice(0, 5000);
          mine.forEach(function (m) { var list = before.get(m[0]); if (list) list.push([m[1], m[2]]); else before.set(m[0], [[m[1], m[2]]]); });
          linesBefore += linesIn(text, start, end);
          start = end;
          var pct = text.length > headerEnd ? Math.floor(((start - headerEnd) / (text.length - headerEnd)) * 100) : 100;
          bar.style.width = pct + "%";
          meter.setAttribute("aria-valuenow", String(pct));
          ticks.textContent = pct + "% \\u00b7 " + fmt(total.rows) + " rows read, " + fmt(total.added + total.updated) + " added or updated";
          if (start < text.length) return step();
        });
      };
      return step();
    }).then(function () {
      var body = new URLSearchParams();
      body.set("summary", JSON.stringify(total));
      return send("/admin/readers/import/summary", body, 1).then(function (r) {
        if (!r.ok) return problem(r).then(function (m) { throw new Error(m); });
        return r.text();
      });
    }).then(function (html) {
      window.removeEventListener("beforeunload", leaving);
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var summary = holder.firstElementChild;
      panel.replaceWith(summary);
      form.remove();
      var heading = summary.querySelector("h2");
      if (heading) heading.focus();
    }).catch(function (err) {
      fail((err && err.message) || "The import stopped. The rows before it are imported; importing the same file again is safe.");
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
