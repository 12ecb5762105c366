// Live totals on the statistics-table entry page. The server computes the same
// sums on save (reports.services.report_save_values); this only shows them early.
(function () {
  "use strict";
  var form = document.getElementById("tables-form");
  if (!form) return;
  var totals = Array.prototype.slice.call(form.querySelectorAll("input[data-sum]"));

  function read(code) {
    var input = document.getElementById("v-" + code);
    if (!input) return null;
    var text = input.value.replace(/[\s,，]/g, "")
      .replace(/[０-９．－]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); });
    if (text === "" || text === "—" || text === "-") return null;
    var number = Number(text);
    return isNaN(number) ? NaN : number;
  }

  function recompute() {
    // Totals may add up other totals (（七）总计·总计): a few passes settle them.
    for (var pass = 0; pass < 3; pass++) {
      totals.forEach(function (input) {
        var parts = input.dataset.sum.split(" ").map(read);
        var known = parts.filter(function (v) { return v !== null; });
        if (known.some(function (v) { return isNaN(v); })) { input.value = "?"; return; }
        input.value = known.length ? String(Math.round(known.reduce(function (a, b) { return a + b; }, 0) * 1e4) / 1e4) : "";
      });
    }
  }

  form.addEventListener("input", function (event) {
    if (event.target.classList.contains("value")) recompute();
  });
  recompute();
})();
