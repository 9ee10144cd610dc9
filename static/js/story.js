/* Story page: "Copy link" copies the story's address instead of following it (where the browser allows). */
(function () {
  "use strict";
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
