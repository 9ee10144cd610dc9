// Breaking-news alerts in the browser: nothing is asked of the reader until they press the button.
// Then the browser asks for permission, our service worker subscribes with the publication's VAPID key,
// and the subscription goes to the site, which pushes only breaking-news alerts to it.
(function () {
  "use strict";
  var button = document.querySelector("[data-push-subscribe]");
  if (!button || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  var status = document.querySelector("[data-push-status]");

  function say(text) { if (status) status.textContent = text; }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") throw new Error("Alerts are blocked in this browser's settings.");
      return navigator.serviceWorker.register(button.dataset.worker);
    }).then(function (registration) {
      return registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: keyBytes(button.dataset.key)
      });
    }).then(function (subscription) {
      return fetch(button.dataset.endpoint, {
        method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify(subscription.toJSON()), credentials: "omit"
      });
    }).then(function (response) {
      if (!response.ok) throw new Error("The site could not record this browser.");
      say("Done: this browser will show breaking-news alerts.");
      button.hidden = true;
    }).catch(function (error) {
      say(error.message);
      button.disabled = false;
    });
  });
})();
