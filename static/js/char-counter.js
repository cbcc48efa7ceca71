// A live count under every box that has a maximum length ("143 of 2,000 characters").
// Progressive enhancement: without this file the box still stops at its `maxlength`, and
// the server refuses anything longer with a message.
//
// Boxes opt in with `data-counter` (set by livingwell.form_fields.TextField). The visible
// count is not announced as it changes, which would interrupt every keystroke; a separate
// polite live region speaks only near the limit.
(function () {
  "use strict";

  var NEAR_LIMIT = 0.9; // start announcing at 90% of the limit

  function format(number) {
    return number.toLocaleString("en-GB");
  }

  // What the server counts: line breaks are sent as one character each.
  function lengthOf(box) {
    return box.value.replace(/\r\n/g, "\n").length;
  }

  function attach(box, index) {
    var limit = parseInt(box.getAttribute("maxlength") || box.getAttribute("data-counter"), 10);
    if (!limit || limit < 1) {
      return;
    }
    var id = (box.id || "counted-box-" + index) + "-counter";

    var count = document.createElement("p");
    count.id = id;
    count.className = "form-text mb-0 char-counter";

    var announcement = document.createElement("p");
    announcement.className = "visually-hidden";
    announcement.setAttribute("aria-live", "polite");
    announcement.setAttribute("data-counter-announcement", "");

    var described = box.getAttribute("aria-describedby");
    box.setAttribute("aria-describedby", described ? described + " " + id : id);
    box.insertAdjacentElement("afterend", count);
    count.insertAdjacentElement("afterend", announcement);

    var lastSaid = "";
    function update() {
      var used = lengthOf(box);
      count.textContent = format(used) + " of " + format(limit) + " characters";
      var said = "";
      if (used >= limit) {
        said = "You have reached the limit of " + format(limit) + " characters.";
      } else if (used >= limit * NEAR_LIMIT) {
        var left = limit - used;
        said = format(left) + " character" + (left === 1 ? "" : "s") + " left.";
      }
      count.classList.toggle("text-danger", used >= limit);
      if (said !== lastSaid) {
        announcement.textContent = said;
        lastSaid = said;
      }
    }
    box.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("input[data-counter], textarea[data-counter]");
    for (var index = 0; index < boxes.length; index += 1) {
      attach(boxes[index], index);
    }
  });
})();
