// The report form, with or without signal. What the volunteer types is kept on the phone
// as they type (a dropped connection loses nothing). Send keeps the report on the phone
// first, with its one-time key, then tries to send it: with signal the concern's page
// opens; without, the report waits on the phone and goes when the signal returns.
(function () {
  "use strict";

  var Store = window.LivingWellStore;
  var Page = window.LivingWellPage;
  var holder = document.querySelector("[data-offline-report]");
  var form = holder && holder.querySelector("form");
  if (!Store || !Page || Page.keepsNothing || !form || !("indexedDB" in window)) {
    return;
  }
  // What the server must have: the same messages as the server gives, for when the report
  // cannot be checked by the server until much later.
  var REQUIRED = {
    client: "Choose who the concern is about.",
    category: "Choose what the concern is about.",
    severity: "Choose how serious it is.",
    what_was_seen: "Tell us what you saw or heard.",
    observed_at: "Say when you saw it.",
  };
  var FIELDS = ["client", "category", "severity", "what_was_seen", "observed_at", "action_taken", "client_wishes"];
  var keyInput = form.querySelector("[name=submission_key]");
  var isKeptPage = !holder.dataset.user;
  var volunteer = null;

  function field(name) {
    return form.elements.namedItem(name);
  }

  function valueOf(name) {
    var input = field(name);
    if (input instanceof RadioNodeList) {
      return input.value;
    }
    return input ? input.value : "";
  }

  function setValue(name, value) {
    var input = field(name);
    if (input instanceof RadioNodeList) {
      Array.prototype.forEach.call(input, function (radio) {
        radio.checked = radio.value === value;
        radio.dispatchEvent(new Event("change", { bubbles: true }));
      });
    } else if (input) {
      input.value = value;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function fields() {
    var values = {};
    FIELDS.forEach(function (name) {
      values[name] = valueOf(name);
    });
    return values;
  }

  function localNow() {
    var now = new Date();
    now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
    return now.toISOString().slice(0, 16);
  }

  // The kept page is drawn for nobody: fill in this volunteer's clients from the phone.
  function fillClients() {
    var select = field("client");
    return Store.all("clients").then(function (clients) {
      clients.sort(function (a, b) {
        return a.name.localeCompare(b.name);
      });
      clients.forEach(function (client) {
        select.append(new Option(client.name + ", " + client.street, client.id));
      });
      if (!clients.length) {
        var notice = Page.element("div", { class: "alert alert-warning", role: "alert" }, [
          Page.element("p", {
            class: "mb-0",
            text: "This phone does not hold your clients' names at the moment (they are removed when you sign out). Sign in to Living Well when you have signal, then you can report from here with no signal.",
          }),
        ]);
        form.before(notice);
      }
    });
  }

  function showOnCall() {
    var place = document.querySelector("[data-kept-on-call]");
    if (!place || !volunteer) {
      return;
    }
    place.replaceChildren(document.createTextNode("Need to talk it through? "), Page.callButtons(volunteer));
    place.hidden = false;
  }

  function restoreDraft() {
    if (holder.hasAttribute("data-bound")) {
      return Promise.resolve(); // The server's answer (with its messages) is what to show.
    }
    return Store.get("drafts", volunteer.id).then(function (draft) {
      if (!draft) {
        return;
      }
      FIELDS.forEach(function (name) {
        if (draft.fields[name]) {
          setValue(name, draft.fields[name]);
        }
      });
      keyInput.value = draft.key;
      form.before(
        Page.element("p", { class: "alert alert-info", role: "status", text: "What you were writing has been put back, as you left it." })
      );
    });
  }

  var saving = null;
  function saveDraft() {
    clearTimeout(saving);
    saving = setTimeout(function () {
      Store.put("drafts", { user: volunteer.id, key: keyInput.value, fields: fields(), savedAt: Date.now() });
    }, 300);
  }

  // The volunteer as the phone last heard of them, with the people to phone.
  function withContacts() {
    return Store.volunteer().then(function (who) {
      return who && who.id === volunteer.id ? who : volunteer;
    });
  }

  // Urgent with no signal: say at once that nobody can be alerted, and offer the calls.
  function showUrgentNoSignal() {
    var panel = document.getElementById("urgent-no-signal");
    var onlineGuidance = document.getElementById("urgent-guidance");
    if (!panel) {
      return Promise.resolve();
    }
    var urgent = valueOf("severity") === "urgent";
    var noSignal = urgent && !navigator.onLine;
    if (onlineGuidance) {
      onlineGuidance.hidden = !urgent || noSignal;
    }
    if (!noSignal) {
      panel.hidden = true;
      return Promise.resolve();
    }
    return withContacts().then(function (who) {
      panel.querySelector("[data-call-buttons]").replaceChildren(Page.callButtons(who));
      panel.hidden = false;
    });
  }

  // Invisible characters (zero-width spaces, joiners, soft hyphens) are not an answer: the
  // server strips them too, and would refuse the report long after the volunteer has gone.
  var INVISIBLE = /[\u00AD\u200B-\u200F\u2060-\u2064\uFEFF]/g;

  function missing() {
    var values = fields();
    return Object.keys(REQUIRED).filter(function (name) {
      return !values[name].replace(INVISIBLE, "").trim();
    });
  }

  // Above the form, in place of any problem shown before, and focused: what stops the report.
  function showProblem(heading, children) {
    var old = document.getElementById("offline-errors");
    if (old) {
      old.remove();
    }
    var problem = Page.element(
      "div",
      { id: "offline-errors", class: "alert alert-danger", role: "alert", tabindex: "-1" },
      [Page.element("h2", { class: "h5", text: heading })].concat(children)
    );
    form.before(problem);
    problem.focus();
  }

  function showMissing(names) {
    var list = Page.element("ul", { class: "mb-0" });
    names.forEach(function (name) {
      var input = field(name);
      var target = input instanceof RadioNodeList ? input[0] : input;
      list.append(Page.element("li", {}, [Page.element("a", { href: "#" + target.id, text: REQUIRED[name] })]));
    });
    showProblem("Please check what you entered", [list]);
  }

  function labelOf() {
    var client = field("client");
    var category = field("category");
    var chosen = function (select) {
      return select.selectedIndex > -1 ? select.options[select.selectedIndex].text : "";
    };
    return chosen(category) + ": " + chosen(client).split(",")[0];
  }

  // Saved on the phone: say so, with what waits, in place of the form. Urgent: the calls
  // come first.
  function showSaved(report, outcome, who) {
    var column = holder.parentElement;
    var signedOut = outcome === "sign-in";
    var saved = Page.element("div", { class: "alert alert-success", role: "status" }, [
      Page.element("h2", { class: "h4", text: "Saved on this phone" }),
      Page.element("p", {
        class: "mb-0",
        text: signedOut
          ? "It could not be sent because you are signed out. It stays on this phone and is sent once you sign in again."
          : "It will be sent when you have signal. You do not need to do anything else; you can close this page.",
      }),
    ]);
    var parts = [];
    if (report.fields.severity === "urgent") {
      parts.push(
        Page.element("div", { class: "alert alert-danger", role: "alert" }, [
          Page.element("h2", { class: "h4", text: "Nobody has been told yet" }),
          Page.element("p", { text: "This urgent report could not alert anyone. If it cannot wait, phone now." }),
          Page.callButtons(who),
        ])
      );
    }
    parts.push(saved);
    if (signedOut) {
      parts.push(Page.element("p", {}, [Page.element("a", { class: "btn btn-primary", href: holder.dataset.signInUrl, text: "Sign in" })]));
    }
    parts.push(Page.element("div", { "data-waiting-reports": "" }));
    parts.push(Page.element("p", {}, [Page.element("a", { class: "btn btn-outline-primary", href: holder.dataset.reportFormUrl, text: "Report another concern" })]));
    column.replaceChildren.apply(column, [column.querySelector("h1")].concat(parts));
    parts[0].setAttribute("tabindex", "-1");
    parts[0].focus();
    return Page.showReports();
  }

  function send(event) {
    event.preventDefault();
    var absent = missing();
    if (absent.length) {
      if (navigator.onLine && !isKeptPage) {
        form.submit(); // The server says what is missing, beside each answer.
      } else {
        showMissing(absent);
      }
      return;
    }
    var report = {
      key: keyInput.value,
      user: volunteer.id,
      fields: fields(),
      label: labelOf(),
      writtenAt: new Date().toISOString(),
      refused: null,
    };
    clearTimeout(saving);
    var button = form.querySelector("[type=submit]");
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    Store.put("waiting", report)
      .then(function () {
        return Store.remove("drafts", volunteer.id);
      })
      .then(function () {
        if ("serviceWorker" in navigator && "SyncManager" in window) {
          navigator.serviceWorker.ready.then(function (registration) {
            return registration.sync.register(Store.SYNC_TAG);
          }).catch(function () {});
        }
        return navigator.onLine ? Store.sendWaiting() : "later";
      })
      .then(function (outcome) {
        return Store.get("sent", report.key).then(function (sent) {
          if (sent) {
            window.location.assign(sent.url);
            return;
          }
          return Store.get("waiting", report.key).then(function (still) {
            if (still && still.refused && !isKeptPage && navigator.onLine) {
              // Refused now, with signal: the server's page says why, beside each answer
              // (the same key, so nothing is made twice).
              return Store.remove("waiting", report.key).then(function () {
                form.submit();
              });
            }
            return withContacts().then(function (who) {
              return showSaved(report, outcome, who);
            });
          });
        });
      })
      .catch(function () {
        // The phone could not keep the report (storage full or broken). With signal, the
        // form goes to the server as it would with no JavaScript, with the same key.
        if (navigator.onLine && !isKeptPage) {
          form.submit();
          return;
        }
        button.disabled = false;
        form.removeAttribute("aria-busy");
        cannotKeep();
      });
  }

  function cannotKeep() {
    showProblem("This phone could not keep your report", [
      Page.element("p", { text: "Nothing has been sent. Write down what you saw, and phone your coordinator or the team leader on call." }),
      Page.callButtons(volunteer),
    ]);
  }

  Store.volunteer().then(function (who) {
    volunteer = who;
    var userId = Number(holder.dataset.user) || (who && !who.signedOut ? who.id : null);
    if (!userId) {
      return fillClients().then(function () {
        form.querySelector("[type=submit]").disabled = true;
      });
    }
    if (!volunteer || volunteer.id !== userId) {
      volunteer = { id: userId };
    }
    if (!keyInput.value) {
      keyInput.value = crypto.randomUUID();
    }
    var prepared = isKeptPage ? fillClients() : Promise.resolve();
    return prepared
      .then(function () {
        if (isKeptPage && !valueOf("observed_at")) {
          setValue("observed_at", localNow());
        }
        showOnCall();
        return restoreDraft();
      })
      .then(function () {
        form.addEventListener("input", saveDraft);
        form.addEventListener("change", saveDraft);
        form.addEventListener("change", showUrgentNoSignal);
        window.addEventListener("offline", showUrgentNoSignal);
        window.addEventListener("online", showUrgentNoSignal);
        form.addEventListener("submit", send);
        showUrgentNoSignal();
        holder.dataset.ready = "yes";
      });
  });
})();
