// The report form: show the guidance for the category chosen right under the choice, and
// what to do first when the concern is urgent. The form works without this file (the
// guidance is then listed beside the form, or after it on a phone).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var category = document.getElementById("id_category");
    var categoryGroup = document.getElementById("div_id_category");
    var urgent = document.getElementById("urgent-guidance");
    var severityGroup = document.getElementById("div_id_severity");
    // Show what to do first right where "Urgent" is chosen, not at the top of the page.
    if (urgent && severityGroup) {
      severityGroup.after(urgent);
    }
    // Each panel's place in the guidance list, to put it back when another is chosen.
    var panels = Array.prototype.slice.call(document.querySelectorAll("details.guidance"));
    var homes = panels.map(function (panel) {
      var mark = document.createComment("");
      panel.before(mark);
      return mark;
    });
    function showGuidance() {
      panels.forEach(function (panel, index) {
        var chosen = Boolean(category && category.value && panel.dataset.category === category.value);
        if (chosen && categoryGroup) {
          categoryGroup.after(panel);
        } else if (panel.previousSibling !== homes[index]) {
          homes[index].after(panel);
        }
        panel.open = chosen;
      });
    }
    function showUrgent() {
      var chosen = document.querySelector("input[name=severity]:checked");
      if (urgent) {
        urgent.hidden = !(chosen && chosen.value === "urgent");
      }
    }
    if (category) {
      category.addEventListener("change", showGuidance);
      showGuidance();
    }
    document.querySelectorAll("input[name=severity]").forEach(function (input) {
      input.addEventListener("change", showUrgent);
    });
    showUrgent();
  });
})();
