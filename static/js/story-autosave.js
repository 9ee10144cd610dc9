// Keeps the writer's unsaved changes on the server: every few seconds while editing and when the
// page is left. Only the story form's own data is sent; nothing is saved as a revision or published.
(function () {
  "use strict";

  function start() {
    var status = document.getElementById("story-autosave");
    if (!status) return;
    var form = status.closest("form");
    var url = status.dataset.url;
    var every = Math.max(5, Number(status.dataset.seconds) || 30) * 1000;
    var submitting = false;

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
          status.textContent = "Could not keep your unsaved changes; save the story to be safe.";
        });
    }

    form.addEventListener("submit", function () { submitting = true; });
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
