// Thidua's only script besides htmx: ask before destructive actions (buttons with data-confirm).
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
// Submit a <select data-autosubmit> as soon as it changes (the button stays for no-JS use).
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});
// Navigation menus (<details class="menu-group">): one open at a time; a click elsewhere or Escape
// closes them. Without this script each menu still opens and closes on its own.
document.addEventListener("toggle", function (event) {
  var opened = event.target;
  if (!opened.matches || !opened.matches("details.menu-group") || !opened.open) return;
  document.querySelectorAll("details.menu-group[open]").forEach(function (other) {
    if (other !== opened) other.open = false;
  });
}, true);
document.addEventListener("click", function (event) {
  document.querySelectorAll("details.menu-group[open]").forEach(function (menu) {
    if (!menu.contains(event.target)) menu.open = false;
  });
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.menu-group[open]").forEach(function (menu) {
    menu.open = false;
    menu.querySelector("summary").focus();
  });
});
