// The welcome page's copy button: copies the box's address for the learner to paste into
// the real browser (a phone's sign-in window is a sandbox). Plain HTTP is not a secure
// context, so the Clipboard API may be missing: select the field and use execCommand then.
(function () {
  var button = document.getElementById("copy");
  var field = document.getElementById("address-field");
  var said = document.getElementById("copied");
  if (!button || !field) return;
  button.hidden = false;
  function done() { said.textContent = button.getAttribute("data-done"); }
  button.addEventListener("click", function () {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        if (document.execCommand("copy")) done();
      });
    } else if (document.execCommand("copy")) {
      done();
    }
  });
})();
