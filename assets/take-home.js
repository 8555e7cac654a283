// The self-check inside a downloaded module file ("Mang về nhà"): it opens from the phone's
// Downloads with no network, so everything is here. Each question's right choice is only a
// hash (FNV-1a of "lesson|question|choice", as the box computes it); nothing is recorded.
// A practice scenario's box to type in (`form.sc-typed`, shown only with script): what is typed
// is compared as the box compares it (case aside, spaces folded), then the way on is followed.
(function () {
  "use strict";
  function fnv1a(text) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i) & 0xff;
      hash = Math.imul ? Math.imul(hash, 0x01000193) : (hash * 0x01000193) | 0;
    }
    return ("0000000" + (hash >>> 0).toString(16)).slice(-8);
  }
  var checks = document.querySelectorAll(".self-check");
  for (var c = 0; c < checks.length; c++) {
    (function (section) {
      var lesson = section.getAttribute("data-lesson");
      var button = section.querySelector("button.check");
      var result = section.querySelector(".check-result");
      var note = section.querySelector(".needs-script");
      if (!button) return;
      if (note) note.hidden = true;
      button.hidden = false;
      button.addEventListener("click", function () {
        var questions = section.querySelectorAll("fieldset.question");
        var right = 0;
        for (var q = 0; q < questions.length; q++) {
          var fieldset = questions[q];
          var chosen = fieldset.querySelector("input:checked");
          var ok = !!chosen && fnv1a(lesson + "|" + q + "|" + chosen.value) === fieldset.getAttribute("data-right");
          if (ok) right++;
          fieldset.className = "question " + (chosen ? (ok ? "right" : "wrong") : "missing");
          var mark = fieldset.querySelector(".mark");
          if (!mark) {
            mark = document.createElement("p");
            mark.className = "mark";
            fieldset.insertBefore(mark, fieldset.querySelector(".explain"));
          }
          mark.textContent = chosen ? (ok ? "✓ " + button.getAttribute("data-right") : "✗ " + button.getAttribute("data-wrong")) : "";
          var explain = fieldset.querySelector(".explain");
          if (explain && chosen) explain.hidden = false;
        }
        result.textContent = button.getAttribute("data-score")
          .replace(/0([^0-9]+)0/, right + "$1" + questions.length);
      });
    })(checks[c]);
  }
  function fold(text) {
    return text.split(/\s+/).filter(function (w) { return w !== ""; }).join(" ").toLowerCase();
  }
  var typed = document.querySelectorAll("form.sc-typed");
  for (var t = 0; t < typed.length; t++) {
    (function (form) {
      var input = form.querySelector("input");
      var error = form.querySelector(".field-error");
      var link = form.nextElementSibling;
      form.hidden = false;
      if (link && link.className === "sc-type-link") link.hidden = true;
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (fold(input.value) === fold(form.getAttribute("data-expect"))) {
          error.hidden = true;
          input.removeAttribute("aria-invalid");
          input.value = "";
          location.hash = form.getAttribute("data-next");
        } else {
          error.hidden = false;
          input.setAttribute("aria-invalid", "true");
          input.focus();
        }
      });
    })(typed[t]);
  }
})();
