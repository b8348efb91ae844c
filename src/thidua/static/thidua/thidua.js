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
