// The 打印 button of the print view (a script file: the Content-Security-Policy allows no
// inline onclick).
document.getElementById("print-button").addEventListener("click", function () {
  window.print();
});
