// The dashboard's clock check: when this browser's clock and the box's disagree by more than
// a few minutes, show the warning and offer to set the box's clock from this one. Without
// this script the warning shows only when the box's clock is before its build, and the
// time is typed by hand.
(function () {
  var box = document.getElementById('clock');
  if (!box) return;
  var boxMs = Number(box.getAttribute('data-box-ms'));
  var tolerance = Number(box.getAttribute('data-tolerance-ms'));
  var form = box.querySelector('form');
  form.addEventListener('submit', function () {
    form.querySelector('input[name=browser_ms]').value = String(Date.now());
  });
  if (Math.abs(Date.now() - boxMs) > tolerance) {
    box.hidden = false;
    box.open = true;
    box.classList.add('warn');
    var auto = box.querySelector('.clock-auto');
    if (auto) auto.hidden = false;
  }
})();
