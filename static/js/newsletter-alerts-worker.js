// The service worker for breaking-news alerts: shows each pushed alert, and opens its story on a click.
self.addEventListener("push", function (event) {
  var alert = {};
  try { alert = event.data ? event.data.json() : {}; } catch (error) { alert = {body: event.data.text()}; }
  event.waitUntil(self.registration.showNotification(alert.title || "Breaking news", {
    body: alert.body || "", data: {url: alert.url || "/"}, tag: alert.url || "breaking"
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
