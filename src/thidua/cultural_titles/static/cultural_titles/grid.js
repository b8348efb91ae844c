/* The keyboard grid of a residential area's assessment: arrow keys move between cells, Y/X and
   N/K answer a criterion or a result, Enter saves, "All eligible" fills every line (then only
   the exceptions are changed). Without this file the form still works with Tab and Space. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-grid]");
  if (!form) { return; }
  var rows = Array.prototype.slice.call(form.querySelectorAll("[data-grid-row]"));
  var all = form.querySelector("[data-grid-all]");

  function cellsOf(row) { return Array.prototype.slice.call(row.querySelectorAll("[data-grid-cell]")); }

  function position(target) {
    for (var r = 0; r < rows.length; r++) {
      var c = cellsOf(rows[r]).indexOf(target);
      if (c >= 0) { return [r, c]; }
    }
    return null;
  }

  function focusAt(r, c) {
    if (r < 0 || r >= rows.length) { return; }
    var cells = cellsOf(rows[r]);
    var cell = cells[Math.max(0, Math.min(c, cells.length - 1))];
    if (cell) { cell.focus(); if (cell.select && cell.type === "text") { cell.select(); } }
  }

  function answer(target, yes) {
    if (target.type === "checkbox") { target.checked = yes; }
    else if (target.hasAttribute("data-grid-result")) { target.value = yes ? "yes" : "no"; }
    target.dispatchEvent(new Event("change", { bubbles: true }));
  }

  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target.hasAttribute || !target.hasAttribute("data-grid-cell")) { return; }
    var at = position(target);
    if (!at) { return; }
    var typing = target.type === "text";
    var key = event.key;
    if (key === "Enter" && target.tagName !== "BUTTON") {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
      return;
    }
    if (key === "ArrowDown") { event.preventDefault(); focusAt(at[0] + 1, at[1]); return; }
    if (key === "ArrowUp") { event.preventDefault(); focusAt(at[0] - 1, at[1]); return; }
    if (typing) { return; }  // left/right and letters belong to the text being typed
    if (key === "ArrowRight") { event.preventDefault(); focusAt(at[0], at[1] + 1); return; }
    if (key === "ArrowLeft") { event.preventDefault(); focusAt(at[0], at[1] - 1); return; }
    var lower = key.toLowerCase();
    if (lower === "y" || lower === "x" || lower === "c") { event.preventDefault(); answer(target, true); focusAt(at[0], at[1] + 1); }
    else if (lower === "n" || lower === "k") { event.preventDefault(); answer(target, false); focusAt(at[0], at[1] + 1); }
  });

  if (all) {
    all.hidden = false;
    all.addEventListener("click", function () {
      form.querySelectorAll("input[type=checkbox][data-grid-cell]").forEach(function (box) { box.checked = true; });
      form.querySelectorAll("[data-grid-result]").forEach(function (select) { select.value = "yes"; });
      focusAt(0, 0);
    });
  }
})();
