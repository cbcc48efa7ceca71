// Reporting with no signal, on every volunteer page: installs the service worker, keeps
// what the phone needs up to date while there is signal, sends the reports waiting on the
// phone, lists them, and removes everything on sign-out. Pages work without this file;
// with it, a report written with no signal is not lost.
(function () {
  "use strict";

  var script = document.currentScript;
  var Store = window.LivingWellStore;
  if (!Store || !("indexedDB" in window) || !script) {
    return;
  }
  var urls = { data: script.dataset.dataUrl, send: script.dataset.sendUrl };
  var serviceWorkerUrl = script.dataset.serviceWorkerUrl;
  // Set when the volunteer chose "Remove everything from this phone": a cookie, because
  // the browser's own clearing of the site's storage (on that answer) leaves cookies.
  var KEEP_NOTHING = "phone_keeps_nothing=1";
  var keepsNothing = document.cookie.split("; ").indexOf(KEEP_NOTHING) !== -1;

  function timeOf(moment) {
    return new Date(moment).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  }

  function dayAndTimeOf(moment) {
    var when = new Date(moment);
    return when.toLocaleDateString("en-GB", { day: "numeric", month: "long" }) + " at " + timeOf(when);
  }

  function element(tag, attributes, children) {
    var made = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") {
        made.textContent = attributes.text;
      } else {
        made.setAttribute(name, attributes[name]);
      }
    });
    (children || []).forEach(function (child) {
      if (child) {
        made.append(child);
      }
    });
    return made;
  }

  // Who to phone when nobody can be alerted from here: the team leader on call now (the
  // phone keeps the next two days' shifts), otherwise the area's team leaders and
  // coordinators; then 999 and 111.
  function callButtons(who) {
    var now = Date.now();
    var people = ((who && who.onCall) || [])
      .filter(function (shift) {
        return Date.parse(shift.from) <= now && now < Date.parse(shift.until) && shift.phone;
      })
      .map(function (shift) {
        return { name: shift.name, phone: shift.phone, what: "team leader on call for " + shift.area };
      });
    if (!people.length) {
      people = ((who && who.contacts) || []).map(function (contact) {
        return { name: contact.name, phone: contact.phone, what: contact.role.toLowerCase() + " for " + contact.area };
      });
    }
    var list = element("ul", { class: "list-unstyled d-grid gap-2 mb-0" });
    people.forEach(function (person) {
      list.append(
        element("li", {}, [
          element("a", {
            class: "btn btn-primary w-100",
            href: "tel:" + person.phone.replace(/[^0-9+]/g, ""),
            text: "Call " + person.name + ", " + person.what + ": " + person.phone,
          }),
        ])
      );
    });
    list.append(element("li", {}, [element("a", { class: "btn btn-danger w-100", href: "tel:999", text: "Call 999 if anyone is in danger" })]));
    list.append(element("li", {}, [element("a", { class: "btn btn-outline-dark w-100", href: "tel:111", text: "Call 111 for urgent medical help" })]));
    return list;
  }

  // The reports on this phone, for the volunteer signed in, in every [data-waiting-reports].
  function showReports() {
    var places = document.querySelectorAll("[data-waiting-reports]");
    var notices = document.querySelectorAll("[data-waiting-for-sign-in]");
    if (!places.length && !notices.length) {
      return Promise.resolve();
    }
    return Store.volunteer().then(function (who) {
      if (!who) {
        places.forEach(function (place) {
          place.hidden = true;
        });
        return;
      }
      return Store.reportsOf(who.id).then(function (reports) {
        notices.forEach(function (notice) {
          notice.hidden = reports.waiting.length === 0;
          notice.textContent =
            reports.waiting.length === 1
              ? "1 report you wrote with no signal is waiting on this phone. Sign in to send it."
              : reports.waiting.length + " reports you wrote with no signal are waiting on this phone. Sign in to send them.";
        });
        document.querySelectorAll("[data-nothing-waiting]").forEach(function (nothing) {
          nothing.hidden = reports.waiting.length > 0;
        });
        places.forEach(function (place) {
          place.replaceChildren(reportList(reports, who));
          place.hidden = reports.waiting.length + reports.sent.length === 0;
        });
      });
    });
  }

  // What a report is about. Signed out, whoever holds the phone may not be the volunteer:
  // the category only, not the client's name.
  function titleOf(report, who) {
    return who.signedOut ? report.label.split(": ")[0] : report.label;
  }

  function reportList(reports, who) {
    var list = element("ul", { class: "list-unstyled mb-2" });
    reports.waiting.forEach(function (report) {
      var titleId = "report-" + report.key;
      var item = element("li", { class: "card card-body mb-2" }, [
        element("p", { class: "mb-1 fw-bold", id: titleId, text: titleOf(report, who) }),
        element("p", { class: "mb-1", text: "Seen " + dayAndTimeOf(report.fields.observed_at) + ". Written " + dayAndTimeOf(report.writtenAt) + "." }),
      ]);
      if (report.refused) {
        item.append(
          element("p", { class: "mb-2 text-danger-emphasis", text: "Not sent: " + report.refused }),
          element("p", { class: "mb-2", text: "It stays on this phone until you delete it. Please phone your coordinator about it." }),
          callButtons(who)
        );
        var forget = element("button", {
          type: "button",
          class: "btn btn-outline-danger mt-2",
          "aria-describedby": titleId,
          text: "Delete this report from this phone",
        });
        forget.addEventListener("click", function () {
          Store.remove("waiting", report.key)
            .then(showReports)
            .then(function () {
              // The button has gone with the report: keep the place in the page.
              var place = document.querySelector("[data-waiting-reports]:not([hidden]) h2");
              (place || document.getElementById("main")).focus();
            });
        });
        item.append(forget);
      } else {
        item.append(
          element("p", {
            class: "mb-0",
            text: who.signedOut
              ? "Waiting for you to sign in again: it is sent as soon as you do."
              : "Waiting for signal: it will be sent when this phone is back online.",
          })
        );
      }
      list.append(item);
    });
    reports.sent.forEach(function (report) {
      list.append(
        element("li", { class: "card card-body mb-2" }, [
          element("p", { class: "mb-1 fw-bold", text: report.label }),
          element("p", { class: "mb-0" }, [
            document.createTextNode("Sent at " + report.arrivedText + ". "),
            element("a", { href: report.url, text: "See the concern" }),
          ]),
        ])
      );
    });
    // tabindex: focus comes back here when a report is deleted.
    return element("div", {}, [element("h2", { class: "h4", tabindex: "-1", text: "Reports on this phone" }), list]);
  }

  function sendAndShow() {
    return Store.sendWaiting().then(showReports);
  }

  // While there is signal: bring what the phone keeps up to date, then send what waits.
  // Signed out (the sign-in page), there is only something to do if a volunteer's
  // details are still on the phone: their session has ended, so the names go.
  function refreshAndSend() {
    if (!navigator.onLine) {
      return Promise.resolve("no-signal");
    }
    var signedIn = Boolean(serviceWorkerUrl);
    return Store.volunteer()
      .then(function (who) {
        return signedIn || (who && !who.signedOut) ? Store.refresh() : "signed-out";
      })
      .then(function (state) {
        return (state === "signed-in" ? sendAndShow() : showReports()).then(function () {
          return state;
        });
      });
  }

  function offerNewVersion(worker) {
    var status = document.querySelector("[data-new-version-status]");
    if (!status || status.firstChild) {
      return;
    }
    var reload = element("button", { type: "button", class: "btn btn-primary btn-sm", text: "Reload to use it" });
    reload.addEventListener("click", function () {
      navigator.serviceWorker.addEventListener("controllerchange", function () {
        window.location.reload();
      });
      worker.postMessage("skip-waiting");
    });
    status.append(
      element("div", { class: "alert alert-info d-flex flex-wrap align-items-center gap-2", "data-new-version": "" }, [
        element("span", { text: "A new version of Living Well is ready." }),
        reload,
      ])
    );
  }

  function installServiceWorker() {
    if (!("serviceWorker" in navigator) || !serviceWorkerUrl) {
      return Promise.resolve();
    }
    return navigator.serviceWorker.register(serviceWorkerUrl, { scope: "/" }).then(function (registration) {
      if (registration.waiting && navigator.serviceWorker.controller) {
        offerNewVersion(registration.waiting);
      }
      registration.addEventListener("updatefound", function () {
        var worker = registration.installing;
        worker.addEventListener("statechange", function () {
          if (worker.state === "installed" && navigator.serviceWorker.controller) {
            offerNewVersion(worker);
          }
        });
      });
      return navigator.serviceWorker.ready;
    });
  }

  // The database, the kept pages and the service worker (a worker left with no kept pages
  // would answer every page with no signal with the browser's error). The server's
  // Clear-Site-Data answer does the same where the browser honours it.
  function forgetEverything() {
    var unregistered = navigator.serviceWorker
      ? navigator.serviceWorker.getRegistrations().then(function (registrations) {
          return Promise.all(
            registrations.map(function (registration) {
              return registration.unregister();
            })
          );
        })
      : Promise.resolve();
    return Promise.all([Store.wipe(), unregistered]);
  }

  // Sign-out removes everything the phone keeps. Reports not yet sent would go with it, so
  // the volunteer is asked first.
  function guardSignOut() {
    document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.confirmed) {
          return;
        }
        event.preventDefault();
        function signOut() {
          form.dataset.confirmed = "yes";
          form.submit();
        }
        // Every report waiting, whoever wrote it: sign-out deletes them all.
        Store.all("waiting")
          .then(function (waiting) {
            if (waiting.length && !askBeforeSignOut(form, waiting.length)) {
              return;
            }
            return forgetEverything().then(signOut);
          })
          .catch(signOut);
      });
    });
  }

  function askBeforeSignOut(form, count) {
    var warning = document.getElementById("sign-out-warning");
    if (warning) {
      return true; // Asked already, and they pressed Sign out again.
    }
    warning = element("div", { id: "sign-out-warning", class: "alert alert-warning", role: "alert", tabindex: "-1" }, [
      element("h2", { class: "h5", text: "Reports not sent yet" }),
      element("p", {
        text:
          (count === 1 ? "1 report on this phone has" : count + " reports on this phone have") +
          " not been sent yet. If you sign out now, they are deleted from this phone. Wait until you have signal to send them, or press Sign out again to delete them.",
      }),
    ]);
    document.getElementById("main").prepend(warning);
    warning.focus();
    return false;
  }

  // My profile: what this phone keeps, and removing all of it.
  function describePhone() {
    var place = document.querySelector("[data-this-phone]");
    if (!place) {
      return Promise.resolve();
    }
    var forgetForm = document.querySelector("form[data-forget-phone]");
    forgetForm.addEventListener("submit", function (event) {
      if (forgetForm.dataset.confirmed) {
        return;
      }
      event.preventDefault();
      document.cookie = KEEP_NOTHING + "; path=/; max-age=31536000; samesite=lax";
      function submit() {
        forgetForm.dataset.confirmed = "yes";
        forgetForm.submit();
      }
      forgetEverything().then(submit, submit);
    });
    var keepAgain = document.querySelector("[data-keep-again]");
    if (keepsNothing && keepAgain) {
      keepAgain.hidden = false;
      keepAgain.querySelector("button").addEventListener("click", function () {
        document.cookie = KEEP_NOTHING + "; path=/; max-age=0; samesite=lax";
        window.location.reload();
      });
    }
    return Store.volunteer().then(function (who) {
      if (!who) {
        place.textContent = "This phone keeps nothing from Living Well.";
        return;
      }
      return Promise.all([Store.all("clients"), Store.reportsOf(who.id), Store.get("drafts", who.id)]).then(function (found) {
        var kept = [];
        if (found[0].length) {
          kept.push("the names and streets of your " + (found[0].length === 1 ? "client" : found[0].length + " clients"));
        }
        if (found[1].waiting.length) {
          kept.push(found[1].waiting.length + (found[1].waiting.length === 1 ? " report" : " reports") + " waiting to be sent");
        }
        if (found[2]) {
          kept.push("a report you have started writing");
        }
        kept.push("the report form, with the guidance, and the phone numbers of your team leaders and coordinator");
        place.replaceChildren(
          element("p", { class: "mb-1", text: "So that you can report a concern with no signal, this phone keeps:" }),
          element(
            "ul",
            {},
            kept.map(function (what) {
              return element("li", { text: what });
            })
          ),
          element("p", { text: who.refreshedAt ? "Last brought up to date " + dayAndTimeOf(who.refreshedAt) + "." : "" })
        );
      });
    });
  }

  window.LivingWellPage = { keepsNothing: keepsNothing, callButtons: callButtons, showReports: showReports, refreshAndSend: refreshAndSend, element: element };

  document.addEventListener("DOMContentLoaded", function () {
    guardSignOut();
    if (keepsNothing) {
      describePhone();
      document.documentElement.dataset.offline = "off";
      return;
    }
    if (Store.channel) {
      Store.channel.addEventListener("message", showReports);
    }
    window.addEventListener("online", refreshAndSend);
    Store.put("meta", { name: "urls", data: urls.data, send: urls.send })
      .then(function () {
        return Promise.all([installServiceWorker(), refreshAndSend()]);
      })
      .then(describePhone, describePhone)
      .then(showReports)
      .finally(function () {
        // Tests wait for this; nothing else reads it.
        document.documentElement.dataset.offline = "ready";
      });
  });
})();
