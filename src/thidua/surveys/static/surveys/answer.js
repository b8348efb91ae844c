/* The web answer form: hides questions whose condition is not met, and keeps answers made
   without a connection in this browser, sending them when it is back online. Each answer
   carries the id made when the form was shown, so a re-sent answer is stored once. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-offline-queue]");
  if (!form) { return; }
  var KEY = "thidua-survey-queue";

  function update() {
    form.querySelectorAll("fieldset[data-if]").forEach(function (fieldset) {
      var wanted = fieldset.getAttribute("data-in").split(",");
      var given = Array.prototype.map.call(
        form.querySelectorAll('[name="' + fieldset.getAttribute("data-if") + '"]:checked'),
        function (input) { return input.value; });
      var shown = given.some(function (value) { return wanted.indexOf(value) >= 0; });
      fieldset.hidden = !shown;
      if (!shown) {
        fieldset.querySelectorAll("input, textarea").forEach(function (input) {
          if (input.type === "radio" || input.type === "checkbox") { input.checked = false; } else { input.value = ""; }
        });
      }
    });
  }
  form.addEventListener("change", update);
  update();

  function queue() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(KEY, JSON.stringify(items)); }

  function send(item) {
    var body = new URLSearchParams();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    return fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": item.csrf }
    }).then(function (response) { return response.status < 500; });
  }

  function flush() {
    var items = queue();
    if (!items.length || !navigator.onLine) { return; }
    var left = [];
    var chain = Promise.resolve();
    items.forEach(function (item) {
      chain = chain.then(function () { return send(item); })
        .then(function (done) { if (!done) { left.push(item); } },
              function () { left.push(item); });
    });
    chain.then(function () { save(left); });
  }

  form.addEventListener("submit", function (event) {
    if (navigator.onLine) { return; }
    event.preventDefault();
    var items = queue();
    var fields = [];
    new FormData(form).forEach(function (value, name) { fields.push([name, value]); });
    var csrf = form.querySelector("[name=csrfmiddlewaretoken]");
    items.push({ url: form.action || window.location.href, fields: fields, csrf: csrf ? csrf.value : "" });
    save(items);
    var note = document.getElementById("offline-note");
    if (note) { note.hidden = false; }
  });
  window.addEventListener("online", flush);
  flush();

  if ("serviceWorker" in navigator && form.getAttribute("data-sw")) {
    navigator.serviceWorker.register(form.getAttribute("data-sw"), { scope: "/p/surveys/" }).catch(function () {});
  }
})();
