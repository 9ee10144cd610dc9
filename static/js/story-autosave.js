// Keeps the writer's unsaved changes on the server: every few seconds while editing and when the
// page is left. Only the story form's own data is sent; nothing is saved as a revision or published.
// When the server cannot keep them (the database is down) or a save is sent, a copy stays in this
// browser; the next time the story is opened it is handed to the server, which offers to restore it.
// A copy whose story has been saved since (its version moved on) was saved: it is dropped.
(function () {
  "use strict";

  function start() {
    var status = document.getElementById("story-autosave");
    if (!status) return;
    var form = status.closest("form");
    var url = status.dataset.url;
    var every = Math.max(5, Number(status.dataset.seconds) || 30) * 1000;
    var submitting = false;
    var localKey = "newsroom-autosave:" + url;
    var versionField = form.querySelector("input[name$='base_version']");

    function keepLocally(data) {
      var fields = [];
      data.forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken") fields.push([name, value]);
      });
      try {
        window.localStorage.setItem(localKey, JSON.stringify({
          saved_at: Date.now(), version: versionField ? versionField.value : "", fields: fields
        }));
      } catch (error) { /* storage full or switched off: the server copy is all there is */ }
    }

    function handBack() {
      var kept;
      try { kept = JSON.parse(window.localStorage.getItem(localKey) || "null"); } catch (error) { kept = null; }
      if (!kept) return;
      // A form shown again with errors (a merge to choose, a field to fix) already holds what was sent.
      if ((versionField && kept.version !== versionField.value) || form.querySelector(".errornote")) {
        window.localStorage.removeItem(localKey);  // saved since, or already in the form
        return;
      }
      var data = new FormData();
      kept.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      if (token) data.append("csrfmiddlewaretoken", token.value);
      var time = new Date(kept.saved_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      fetch(url, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          window.localStorage.removeItem(localKey);
          status.innerHTML = "";
          var link = document.createElement("a");
          link.href = window.location.pathname;
          link.textContent = "Reload to restore them";
          status.append("Your unsaved changes from " + time + " were kept. ", link, ".");
        })
        .catch(function () {
          status.textContent = "Your unsaved changes from " + time + " are kept in this browser until the site can save again.";
          window.setTimeout(handBack, every);
        });
    }

    function collect() {
      var data = new FormData(form);
      var files = [];
      data.forEach(function (value, name) {
        if (typeof value !== "string") files.push(name);
      });
      files.forEach(function (name) { data.delete(name); });
      ["_save", "_continue", "_addanother", "_transition"].forEach(function (name) { data.delete(name); });
      return data;
    }

    function fingerprint(data) {
      var parts = [];
      data.forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken") parts.push([name, value]);
      });
      return JSON.stringify(parts);
    }

    // The first reading is what the page was opened with: there is nothing to keep yet.
    var last = fingerprint(collect());

    function save(leaving) {
      if (submitting) return;
      var data = collect();
      var current = fingerprint(data);
      if (current === last) return;
      last = current;
      if (leaving && navigator.sendBeacon) {
        navigator.sendBeacon(url, data);
        return;
      }
      fetch(url, { method: "POST", body: data, credentials: "same-origin", keepalive: leaving })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (result) {
          var time = new Date(result.saved_at);
          status.textContent = "Unsaved changes kept at " + time.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".";
        })
        .catch(function () {
          last = "";  // differs from every real reading, so the next round tries again
          keepLocally(data);
          status.textContent = "The site cannot save right now; your unsaved changes are kept in this browser.";
        });
    }

    form.addEventListener("submit", function () {
      submitting = true;
      keepLocally(collect());  // dropped next time if the save went through (the version moves on)
    });
    handBack();
    window.setInterval(function () { save(false); }, every);
    window.addEventListener("pagehide", function () { save(true); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save(true);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
