// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // The phone menu: the Menu button opens and closes it; Escape closes it and puts the
  // focus back on the button. (A few lines instead of Bootstrap's 80 KB bundle, which
  // slow connections would otherwise download for this alone.)
  function setUpMenu() {
    var button = document.querySelector("[data-menu-toggle]");
    var menu = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) {
      return;
    }
    function isOpen() {
      return button.getAttribute("aria-expanded") === "true";
    }
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("show", open);
    }
    button.addEventListener("click", function () {
      setOpen(!isOpen());
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen()) {
        setOpen(false);
        button.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    // Move focus to the first error summary so screen reader and keyboard users hear it.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  });
})();
