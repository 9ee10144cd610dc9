/* Story page enhancements, all optional: the page works the same without them. */
(function () {
  "use strict";

  /* Count this view for "Most read": one small request, no cookie, nothing about the reader. */
  var story = document.querySelector("[data-read-url]");
  if (story) {
    var url = story.getAttribute("data-read-url");
    if (navigator.sendBeacon) {
      navigator.sendBeacon(url);
    } else if (window.fetch) {
      fetch(url, { method: "POST", keepalive: true, credentials: "omit" });
    }
  }

  /* "Copy link" copies the story's address instead of following it, where the browser allows. */
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("[data-copy-link]").forEach(function (link) {
    var status = link.parentNode.querySelector(".share__status");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      navigator.clipboard.writeText(link.href).then(
        function () { if (status) { status.textContent = "Link copied"; } },
        function () { if (status) { status.textContent = "Copy the address from the address bar"; } }
      );
    });
  });
})();
