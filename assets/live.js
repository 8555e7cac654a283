// Live group lessons: follow the class without reloading. The server sends {"v": n} on
// every change; when n is news, fetch this page's part again. Without this script (or
// without EventSource) the page reloads itself every few seconds instead.
(function () {
  var box = document.querySelector('[data-live]');
  if (!box || !window.EventSource || !window.fetch) return;
  var last = box.getAttribute('data-v');
  var refresh = function () {
    fetch(box.getAttribute('data-now'), { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) box.innerHTML = html; })
      .catch(function () {});
  };
  var source = new EventSource(box.getAttribute('data-events'));
  source.onmessage = function (e) {
    var v = String(JSON.parse(e.data).v);
    if (v !== last) { last = v; refresh(); }
  };
  // An answer is sent without leaving the page.
  box.addEventListener('click', function (e) {
    var button = e.target.closest && e.target.closest('form[data-answer] button');
    if (!button) return;
    e.preventDefault();
    var form = button.form;
    var data = new URLSearchParams(new FormData(form));
    data.append(button.name, button.value);
    fetch(form.action, { method: 'POST', body: data, credentials: 'same-origin' })
      .then(refresh)
      .catch(function () { form.submit(); });
  });
  // On the projector, arrow keys press "previous" and "next".
  document.addEventListener('keydown', function (e) {
    var key = { ArrowLeft: 'prev', ArrowRight: 'next', PageUp: 'prev', PageDown: 'next' }[e.key];
    var button = key && document.querySelector('button[data-key=' + key + ']:not([disabled])');
    if (button) { e.preventDefault(); button.click(); }
  });
})();
