// What a volunteer's phone keeps for reporting with no signal, and sending it when the
// signal returns. Used by the pages and by the service worker (which has no page), so it
// touches no page: it keeps, reads, sends, and says "changed" on a BroadcastChannel.
//
// Kept in IndexedDB (database "livingwell"):
//   meta     "volunteer": who is signed in on this phone, when the phone last heard from
//            the server, the CSRF token to send with, the team leaders on call and the
//            people to phone; "urls": where to fetch and send (the service worker reads it)
//   clients  the volunteer's current clients: id, name and street, nothing else
//   drafts   the report being written, one per volunteer, saved as they type
//   waiting  reports sent from a phone with no signal, each with its one-time key
//   sent     reports that have since arrived, kept for a day to say "Sent at 14:02"
(function (scope) {
  "use strict";

  var DATABASE = "livingwell";
  var STORES = ["meta", "clients", "drafts", "waiting", "sent"];
  var KEYS = { meta: "name", clients: "id", drafts: "user", waiting: "key", sent: "key" };
  var SENT_KEPT_MS = 24 * 60 * 60 * 1000;
  // A send that hears nothing back for this long is tried again later, with the same key.
  var SEND_TIMEOUT_MS = 20000;
  var UNREADABLE = "This report could not be sent as it is. Phone your coordinator and tell them what you saw.";
  var channel = "BroadcastChannel" in scope ? new BroadcastChannel("livingwell") : null;

  function promised(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        reject(request.error);
      };
    });
  }

  function open() {
    var request = scope.indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = function () {
      STORES.forEach(function (name) {
        request.result.createObjectStore(name, { keyPath: KEYS[name] });
      });
    };
    return promised(request);
  }

  // Runs `work(stores)` in one transaction and resolves when it has been written.
  function inTransaction(names, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(names, mode);
        var stores = {};
        names.forEach(function (name) {
          stores[name] = transaction.objectStore(name);
        });
        var result = work(stores);
        transaction.oncomplete = function () {
          db.close();
          resolve(result && "result" in result ? result.result : result);
        };
        transaction.onerror = transaction.onabort = function () {
          db.close();
          reject(transaction.error);
        };
      });
    });
  }

  function get(store, key) {
    return inTransaction([store], "readonly", function (stores) {
      return stores[store].get(key);
    });
  }

  function all(store) {
    return inTransaction([store], "readonly", function (stores) {
      return stores[store].getAll();
    });
  }

  function put(store, value) {
    return inTransaction([store], "readwrite", function (stores) {
      stores[store].put(value);
    }).then(changed);
  }

  function remove(store, key) {
    return inTransaction([store], "readwrite", function (stores) {
      stores[store].delete(key);
    }).then(changed);
  }

  function changed() {
    if (channel) {
      channel.postMessage("changed");
    }
  }

  function volunteer() {
    return get("meta", "volunteer");
  }

  // The volunteer's own waiting reports and recently sent ones (another volunteer who
  // signed in on the same phone never sees them).
  function reportsOf(userId) {
    return Promise.all([all("waiting"), all("sent")]).then(function (found) {
      var mine = function (report) {
        return report.user === userId;
      };
      var recently = Date.now() - SENT_KEPT_MS;
      return {
        waiting: found[0].filter(mine),
        sent: found[1].filter(mine).filter(function (report) {
          return report.sentAt > recently;
        }),
      };
    });
  }

  // Asks the server what this phone should keep. "signed-in": kept, and anything a
  // previous volunteer left is gone; "signed-out": the session has ended, so the clients'
  // names go (their reports stay, to be sent once they sign in again); "no-signal".
  function refresh() {
    return get("meta", "urls").then(function (urls) {
      if (!urls) {
        return "no-signal";
      }
      return fetch(urls.data, { credentials: "same-origin", redirect: "manual", cache: "no-store" })
        .then(function (response) {
          if (response.ok) {
            return response.json().then(keep);
          }
          if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
            return forgetClients().then(function () {
              return "signed-out";
            });
          }
          return "no-signal";
        })
        .catch(function () {
          return "no-signal";
        });
    });
  }

  function keep(data) {
    var recently = Date.now() - SENT_KEPT_MS;
    return inTransaction(["meta", "clients", "drafts", "sent"], "readwrite", function (stores) {
      stores.clients.clear();
      stores.sent.getAll().onsuccess = function (event) {
        event.target.result.forEach(function (report) {
          if (report.sentAt <= recently) {
            stores.sent.delete(report.key);
          }
        });
      };
      data.clients.forEach(function (client) {
        stores.clients.put({ id: client.id, name: client.name, street: client.street });
      });
      stores.meta.get("volunteer").onsuccess = function (event) {
        var before = event.target.result;
        if (before && before.id !== data.user.id) {
          stores.drafts.delete(before.id);
        }
      };
      stores.meta.put({
        name: "volunteer",
        id: data.user.id,
        userName: data.user.name,
        csrfToken: data.csrf_token,
        onCall: data.on_call,
        contacts: data.contacts,
        refreshedAt: Date.now(),
      });
    }).then(function () {
      changed();
      return "signed-in";
    });
  }

  // The session has ended: whoever holds the phone now may not be the volunteer. The
  // clients' names go, and the list of reports sent (names, and links to the concerns).
  function forgetClients() {
    return inTransaction(["meta", "clients", "sent"], "readwrite", function (stores) {
      stores.clients.clear();
      stores.sent.clear();
      stores.meta.get("volunteer").onsuccess = function (event) {
        var before = event.target.result;
        if (before) {
          // Who they were stays, so that their reports wait for them; nothing to send with.
          stores.meta.put({ name: "volunteer", id: before.id, userName: before.userName, signedOut: true });
        }
      };
    }).then(changed);
  }

  // Everything Living Well keeps on this phone: the database and the kept pages.
  function wipe() {
    var cachesGone = scope.caches
      ? scope.caches.keys().then(function (names) {
          return Promise.all(
            names
              .filter(function (name) {
                return name.indexOf("livingwell-") === 0;
              })
              .map(function (name) {
                return scope.caches.delete(name);
              })
          );
        })
      : Promise.resolve();
    return Promise.all([cachesGone, promised(scope.indexedDB.deleteDatabase(DATABASE))]).then(changed);
  }

  function formData(report) {
    var body = new FormData();
    Object.keys(report.fields).forEach(function (name) {
      body.append(name, report.fields[name]);
    });
    body.append("submission_key", report.key);
    body.append("written_at", report.writtenAt);
    // On a shared phone, the server refuses to take one volunteer's report as another's.
    body.append("written_by", report.user);
    return body;
  }

  function timeoutSignal(milliseconds) {
    if (AbortSignal.timeout) {
      return AbortSignal.timeout(milliseconds);
    }
    var controller = new AbortController(); // Safari before 16
    setTimeout(function () {
      controller.abort();
    }, milliseconds);
    return controller.signal;
  }

  // One report: "sent", "refused" (kept, with the server's reason), "sign-in", "forbidden"
  // or "later" (no signal, a timeout, the server busy: the same key goes again later, and
  // the server answers a key it has seen with the concern it already made).
  function sendOne(report, urls, token) {
    return fetch(urls.send, {
      method: "POST",
      body: formData(report),
      headers: { "X-CSRFToken": token, Accept: "application/json" },
      credentials: "same-origin",
      redirect: "manual",
      signal: timeoutSignal(SEND_TIMEOUT_MS),
    })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 409) {
          return "sign-in";
        }
        if (response.status === 403) {
          return "forbidden";
        }
        if (response.status === 200 || response.status === 201) {
          return response.json().then(function (concern) {
            return inTransaction(["waiting", "sent"], "readwrite", function (stores) {
              stores.waiting.delete(report.key);
              stores.sent.put({
                key: report.key,
                user: report.user,
                label: report.label,
                url: concern.url,
                arrivedText: concern.arrived_at_text,
                sentAt: Date.now(),
              });
            }).then(function () {
              changed();
              return "sent";
            });
          });
        }
        if (response.status === 400 || response.status === 413) {
          // 413 comes from a proxy in front of the server, as a page of its own, not JSON.
          return response
            .json()
            .catch(function () {
              return {};
            })
            .then(function (answer) {
              report.refused = answer.message || UNREADABLE;
              return put("waiting", report).then(function () {
                return "refused";
              });
            });
        }
        return "later";
      })
      .catch(function () {
        return "later";
      });
  }

  // Sends every waiting report of the volunteer signed in, one at a time. One tab (or the
  // service worker) sends at once; another that asks meanwhile finds the reports gone.
  function sendWaiting() {
    function run() {
      return Promise.all([volunteer(), get("meta", "urls")]).then(function (found) {
        var who = found[0];
        var urls = found[1];
        if (!who || !urls || !who.csrfToken) {
          return "sign-in";
        }
        return reportsOf(who.id).then(function (reports) {
          var queue = reports.waiting.filter(function (report) {
            return !report.refused;
          });
          var retried = false;
          function next(token) {
            var report = queue.shift();
            if (!report) {
              return "done";
            }
            return sendOne(report, urls, token).then(function (outcome) {
              if (outcome === "sent" || outcome === "refused") {
                return next(token);
              }
              if (outcome === "forbidden" && !retried) {
                // The CSRF token changes when the volunteer signs in again: fetch the new
                // one and try once more.
                retried = true;
                queue.unshift(report);
                return refresh().then(function (state) {
                  if (state !== "signed-in") {
                    return "sign-in";
                  }
                  return volunteer().then(function (fresh) {
                    // Someone else has signed in on this phone: these reports wait for
                    // the volunteer who wrote them.
                    return fresh && fresh.id === who.id ? next(fresh.csrfToken) : "sign-in";
                  });
                });
              }
              return outcome === "forbidden" ? "sign-in" : outcome;
            });
          }
          return next(who.csrfToken);
        });
      });
    }
    var locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request("livingwell-send", run) : run();
  }

  scope.LivingWellStore = {
    SYNC_TAG: "send-waiting-reports",
    get: get,
    all: all,
    put: put,
    remove: remove,
    volunteer: volunteer,
    reportsOf: reportsOf,
    refresh: refresh,
    wipe: wipe,
    sendWaiting: sendWaiting,
    channel: channel,
  };
})(self);
