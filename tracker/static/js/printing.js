/* Bulk printing of signed minutes: "select all on this page" on the register, and the job page
   following its progress. Without script both still work: the "all on this page" box is a real
   form field, and the job page has a refresh link. */
(function () {
  "use strict";
  var all = document.getElementById("select-all-signed");
  if (all) {
    var boxes = Array.prototype.slice.call(
      document.querySelectorAll("#print-form input[type=checkbox][name=meetings]"));
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        all.checked = boxes.every(function (b) { return b.checked; });
      });
    });
  }

  var job = document.getElementById("print-job");
  var url = job && job.dataset.progressUrl;
  if (!url) { return; }
  var bar = document.getElementById("job-progress");
  var done = document.getElementById("job-done");
  var state = document.getElementById("job-state");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (progress) {
        bar.max = progress.total; bar.value = progress.done;
        done.textContent = progress.done; state.textContent = progress.label;
        if (progress.finished || progress.failed) {
          window.location.reload();  // the page then shows the download link or the error
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
