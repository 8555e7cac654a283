// "Nghe đọc bài": reads the lesson aloud with the phone's own voice (Web Speech API) in the
// text's language. The button stays hidden unless the phone has such a voice (many cheap
// phones have none for Vietnamese); a lesson's recorded reading, if any, is a plain <audio>.
// The text goes in short pieces: some Android voices stop after about 15 seconds of one.
(function () {
  "use strict";
  var button = document.getElementById("read-aloud");
  var synth = window.speechSynthesis;
  if (!button || !synth || !window.SpeechSynthesisUtterance) return;
  var lang = button.getAttribute("data-lang") || "vi";
  var tag = lang === "vi" ? "vi-VN" : lang;
  var label = button.textContent;
  var reading = false;

  function voice() {
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      var code = (voices[i].lang || "").toLowerCase().replace("_", "-");
      if (code === lang || code.indexOf(lang + "-") === 0) return voices[i];
    }
    return null;
  }
  function offer() {
    if (voice()) button.hidden = false;
  }
  offer();
  if (synth.addEventListener) synth.addEventListener("voiceschanged", offer);
  else synth.onvoiceschanged = offer;

  // The lesson's words in reading order: title, objective, then each slide's blocks; on a
  // practice step, the screen's text, the question and the choices (marked data-read).
  function pieces() {
    var out = [];
    var blocks = document.querySelectorAll(
      "article h1, article .objective p, article .lesson-text h2, article .lesson-text h3, " +
        "article .lesson-text p, article .lesson-text li, article .lesson-text td, " +
        "article [data-read]"
    );
    for (var i = 0; i < blocks.length; i++) {
      var text = (blocks[i].textContent || "").replace(/\s+/g, " ").trim();
      if (!text) continue;
      // Long blocks split after a sentence, so no piece runs long.
      var sentences = text.match(/[^.!?;:]+[.!?;:]*/g) || [text];
      var piece = "";
      for (var j = 0; j < sentences.length; j++) {
        if (piece && (piece + sentences[j]).length > 180) {
          out.push(piece.trim());
          piece = "";
        }
        piece += sentences[j];
      }
      if (piece.trim()) out.push(piece.trim());
    }
    return out;
  }

  function stop() {
    reading = false;
    synth.cancel();
    button.textContent = label;
  }

  button.addEventListener("click", function () {
    if (reading) {
      stop();
      return;
    }
    var chosen = voice();
    if (!chosen) return;
    synth.cancel();
    reading = true;
    button.textContent = button.getAttribute("data-stop");
    var all = pieces();
    all.forEach(function (text, i) {
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = tag;
      utterance.voice = chosen;
      utterance.rate = 0.9;
      if (i === all.length - 1) {
        utterance.onend = function () {
          if (reading) stop();
        };
      }
      synth.speak(utterance);
    });
  });
  window.addEventListener("pagehide", stop);
})();
