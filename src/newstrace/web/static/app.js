/* newstrace web UI: the few behaviours the server-rendered pages need.
 * Written for newstrace (Apache-2.0); no dependencies, loaded from this origin only (the
 * Content-Security-Policy forbids inline and third-party scripts). Never writes HTML from
 * data: every value goes in through textContent. */
(function () {
  "use strict";

  /* Story page: show the aligned sentence pairs of the edge clicked in the graph or table. */
  function openPanel(id, scroll) {
    var panel = document.getElementById(id);
    if (!panel || !panel.classList.contains("pairs")) { return; }
    document.querySelectorAll(".pairs.open").forEach(function (p) { p.classList.remove("open"); });
    document.querySelectorAll(".edge.selected, .edge-tag.selected").forEach(function (e) { e.classList.remove("selected"); });
    panel.classList.add("open");
    ["link-", "label-"].forEach(function (prefix) {
      var link = document.getElementById(prefix + id);
      if (link) { link.classList.add("selected"); }
    });
    var hint = document.getElementById("pairs-hint");
    if (hint) { hint.hidden = true; }
    if (scroll) { panel.scrollIntoView({ block: "nearest" }); }
  }

  document.addEventListener("click", function (ev) {
    var el = ev.target instanceof Element ? ev.target.closest("[data-panel]") : null;
    if (!el) { return; }
    ev.preventDefault();
    var id = el.getAttribute("data-panel");
    openPanel(id, true);
    if (window.history && history.replaceState) { history.replaceState(null, "", "#" + id); }
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.key !== " ") { return; }
    var el = document.activeElement;
    if (el && el.closest && el.closest(".edge[data-panel]")) {
      ev.preventDefault();
      openPanel(el.closest(".edge").getAttribute("data-panel"), true);
    }
  });

  function fromHash() {
    var m = /^#(edge-\d+)$/.exec(window.location.hash);
    if (m) { openPanel(m[1], false); }
  }

  /* Job page: poll the status endpoint until the job is done or failed. */
  function pollJob() {
    var box = document.getElementById("job");
    if (!box) { return; }
    var id = box.getAttribute("data-job");
    var status = box.getAttribute("data-status");
    if (status === "done" || status === "failed") { return; }
    fetch("/api/jobs/" + encodeURIComponent(id), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        box.setAttribute("data-status", job.status);
        document.getElementById("job-status").textContent = job.status;
        document.getElementById("job-phase").textContent = job.phase;
        var list = document.getElementById("job-progress");
        while (list.firstChild) { list.removeChild(list.firstChild); }
        Object.keys(job.progress).sort().forEach(function (name) {
          var p = job.progress[name];
          var li = document.createElement("li");
          li.textContent = name + ": " + p.done + (p.total === null ? "" : " / " + p.total);
          list.appendChild(li);
        });
        if (job.error) {
          var err = document.getElementById("job-error");
          err.textContent = job.error;
          err.hidden = false;
        }
        document.getElementById("job-done").hidden = job.status !== "done";
        if (job.status !== "done" && job.status !== "failed") { setTimeout(pollJob, 1000); }
      })
      .catch(function () { setTimeout(pollJob, 3000); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    fromHash();
    pollJob();
  });
  window.addEventListener("hashchange", fromHash);
}());
