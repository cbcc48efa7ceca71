// The report form: open the guidance for the category chosen, and show what to do first
// when the concern is urgent. The form works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var category = document.getElementById("id_category");
    var urgent = document.getElementById("urgent-guidance");
    var severityGroup = document.getElementById("div_id_severity");
    // Show what to do first right where "Urgent" is chosen, not at the top of the page.
    if (urgent && severityGroup) {
      severityGroup.after(urgent);
    }
    function showGuidance() {
      document.querySelectorAll("details.guidance").forEach(function (panel) {
        panel.open = category && panel.dataset.category === category.value;
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
