/* Embeds in a story: the facade's button loads the provider's player, and only then. Until the press
   the page asks the provider for nothing; without this script the facade's link to the original works. */
(function () {
  "use strict";

  function load(figure) {
    var frame = document.createElement("iframe");
    frame.src = figure.getAttribute("data-embed-player");
    frame.title = figure.getAttribute("data-embed-title") || "Embedded content";
    frame.className = "embed__player";
    frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    var width = parseInt(figure.getAttribute("data-embed-width"), 10);
    var height = parseInt(figure.getAttribute("data-embed-height"), 10);
    if (width > 0 && height > 0) {
      frame.style.aspectRatio = width + " / " + height;
    }
    var facade = figure.querySelector(".embed__facade");
    facade.replaceWith(frame);
    figure.classList.add("embed--loaded");
    frame.focus();
  }

  document.querySelectorAll("figure[data-embed-player]").forEach(function (figure) {
    var button = figure.querySelector(".embed__load");
    if (!button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () { load(figure); });
  });
})();
