/* A live blog's "N new updates" notice: asks for entries newer than the newest on the page every little
   while, and puts them in at the top when the reader asks. Without it the page is whole; a reload
   shows the same entries. */
(function () {
  "use strict";

  var script = document.currentScript;
  var blog = document.querySelector(".live[data-running][data-live-url]");
  if (!blog || !window.fetch) {
    return;
  }
  var POLL_SECONDS = Number(script && script.getAttribute("data-poll-seconds")) || 30;
  var url = blog.getAttribute("data-live-url");
  var latest = Number(blog.getAttribute("data-latest")) || 0;
  var list = blog.querySelector(".live__entries");
  var notice = blog.querySelector(".live__notice");
  var waiting = [];  /* entries fetched but not shown yet, newest first */
  var timer = null;

  function entryElement(html) {
    var holder = document.createElement("ol");
    holder.innerHTML = html;  /* markup made by the server from sanitized text */
    return holder.firstElementChild;
  }

  function showNotice() {
    notice.textContent = "";
    if (!waiting.length) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "live__more";
    button.textContent = waiting.length === 1 ? "1 new update" : waiting.length + " new updates";
    button.addEventListener("click", insertWaiting);
    notice.appendChild(button);
  }

  function insertWaiting() {
    var empty = list.querySelector(".live-entry--empty");
    if (empty) {
      empty.remove();
    }
    /* Below the pinned entry, which stays on top; the newest first. */
    var pinned = list.querySelector(".live-entry--pinned");
    var anchor = pinned ? pinned.nextElementSibling : list.firstElementChild;
    waiting.forEach(function (update) {
      var old = document.getElementById("entry-" + update.id);
      if (old) {
        old.remove();
      }
      var element = entryElement(update.html);
      if (element) {
        list.insertBefore(element, anchor);
      }
    });
    waiting = [];
    showNotice();
    var first = list.querySelector(".live-entry:not(.live-entry--pinned)");
    if (first) {
      first.setAttribute("tabindex", "-1");
      first.focus();
    }
  }

  function poll() {
    fetch(url + "?since=" + latest, { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          return;
        }
        var known = {};
        waiting.forEach(function (update) { known[update.id] = true; });
        var fresh = data.entries.filter(function (update) { return !known[update.id]; });
        waiting = fresh.concat(waiting);
        latest = Math.max(latest, data.latest);
        showNotice();
        if (!data.running) {
          window.clearInterval(timer);
        }
      })
      .catch(function () { /* offline for a moment: the next round asks again */ });
  }

  timer = window.setInterval(poll, POLL_SECONDS * 1000);
})();
