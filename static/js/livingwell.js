// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Move focus to the first error summary so screen reader and keyboard users hear it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  });
})();
