/* The import page (M8.6): run the job, follow its progress, then show the result.
 * Without this script the form posts the same request and the result page answers. */
(function () {
  "use strict";
  var result = document.getElementById("import-result");
  if (result) {
    result.focus();
    return;
  }
  var panel = document.getElementById("import-run");
  var form = document.getElementById("import-run-form");
  if (!panel || !form || !window.fetch) {
    return;
  }
  var bar = document.getElementById("import-progress");
  var text = document.getElementById("import-status");
  var announce = document.getElementById("import-announce");
  var timer = null;
  var announced = "";

  function show(status) {
    bar.max = Math.max(status.total, 1);
    bar.value = status.done;
    text.textContent = status.message;
    // Screen readers hear each phase and each quarter, not every poll.
    var quarter = status.total ? Math.floor(4 * status.done / status.total) : 0;
    var mark = status.phase + ":" + quarter;
    if (mark !== announced) {
      announced = mark;
      announce.textContent = status.message;
    }
  }

  function finish(status) {
    window.clearInterval(timer);
    if (status.state === "done" || status.state === "failed") {
      window.location.assign(status.result_url);
    }
  }

  function poll() {
    fetch(panel.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) { return; }
        show(status);
        if (status.state === "done" || status.state === "failed") { finish(status); }
      })
      .catch(function () { /* the next poll tries again */ });
  }

  function run() {
    form.hidden = true;
    timer = window.setInterval(poll, 500);
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: {"Accept": "application/json"},
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (status) {
        show(status);
        // Another tab may be running it: keep polling until it ends.
        if (status.state === "done" || status.state === "failed") { finish(status); }
      })
      .catch(function () {
        window.clearInterval(timer);
        announce.setAttribute("role", "alert");
        announce.classList.remove("visually-hidden");
        announce.textContent = panel.dataset.interrupted;
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  run();
})();
