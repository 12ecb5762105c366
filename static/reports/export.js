// 「全选」 on django-import-export's export page, bound here rather than by the library
// template's inline onchange= (the Content-Security-Policy allows no inline handlers).
// onSelectToggleChange comes from import_export/export_selectable_fields.js (the form's media).
document.querySelectorAll("input.select-toggle").forEach(function (toggle) {
  toggle.addEventListener("change", onSelectToggleChange);
});
