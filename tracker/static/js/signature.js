/* Drawing a signature on a canvas with a finger, pen or mouse (Pointer Events), sent as a PNG
   data URL in the form's hidden "drawing" field. No library: a few lines do. */
(function () {
  "use strict";
  var canvas = document.getElementById("signature-pad");
  if (!canvas) { return; }
  var form = canvas.closest("form");
  var target = form.querySelector("input[name='" + canvas.dataset.target + "']");
  var ctx = canvas.getContext("2d");
  var drawing = false, drawn = false, last = null;
  ctx.lineWidth = 3; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#111";

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return { x: (event.clientX - box.left) * canvas.width / box.width,
             y: (event.clientY - box.top) * canvas.height / box.height };
  }
  canvas.addEventListener("pointerdown", function (event) {
    drawing = true; last = point(event); canvas.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) { return; }
    var p = point(event);
    ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke();
    last = p; drawn = true; event.preventDefault();
  });
  ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
    canvas.addEventListener(name, function () { drawing = false; });
  });
  document.getElementById("signature-clear").addEventListener("click", function () {
    ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false; target.value = "";
  });
  form.addEventListener("submit", function () {
    target.value = drawn ? canvas.toDataURL("image/png") : "";
  });
}());
