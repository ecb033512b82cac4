// Live findings while typing: the same rule engine as the server (POST /api/lint). Purely a convenience:
// the server checks every save; without JavaScript nothing is lost.
(function () {
  "use strict";
  var form = document.querySelector("form.wizard[data-lint-url]");
  if (!form || !window.fetch) return;
  var token = form.querySelector("input[name=csrf_token]").value;
  var timer = null;

  function payload() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.name === "version" || el.type === "file") return;
      if (el.name === "subUsecases") {
        data.subUsecases = data.subUsecases || [];
        if (el.checked) data.subUsecases.push(el.value);
      } else if (el.type === "checkbox") {
        data[el.name] = el.checked;
      } else if (el.value !== "") {
        data[el.name] = el.value;
      }
    });
    if (form.dataset.lintKind === "brand") {
      data.entityType = form.dataset.entityType;
      return {brand: data};
    }
    data.usecase = form.dataset.usecase;
    return {campaign: data, brandId: parseInt(form.dataset.brandId, 10)};
  }

  function show(findings) {
    var byField = {};
    findings.forEach(function (f) { (byField[f.field] = byField[f.field] || []).push(f); });
    Array.prototype.forEach.call(form.querySelectorAll(".field[data-field]"), function (box) {
      var live = box.querySelector(".live-findings");
      var saved = box.querySelector("ul.findings");
      if (saved) saved.hidden = true;
      live.textContent = "";
      (byField[box.dataset.field] || []).forEach(function (f) {
        var p = document.createElement("p");
        p.className = "finding finding-" + f.severity;
        p.textContent = f.severity.toUpperCase() + " " + f.rule + ": " + f.message + (f.hint ? " Fix: " + f.hint : "");
        live.appendChild(p);
      });
    });
  }

  function check() {
    fetch(form.dataset.lintUrl, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token},
      body: JSON.stringify(payload())
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (report) { if (report) show(report.findings); })
      .catch(function () { /* the server check on save is the truth */ });
  }

  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 400); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(check, 100); });
})();
