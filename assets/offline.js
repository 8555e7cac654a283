// Keeps a learner's results when the hall's Wi-Fi drops. Browsers give service workers only to
// HTTPS and localhost, and the box is plain HTTP on the LAN, so this is a plain script:
// "Tôi đã học xong" and a quiz's answers are first written to localStorage, then sent as the
// form would be. If the box does not answer, the learner is told plainly that the result is
// kept on the phone, and it goes to POST /api/v1/events as soon as the box answers again
// (on every page of the box, when the phone says it is online, and every 20 seconds).
// Each result carries the id the box put in the form, so the box counts it once however many
// times it arrives. A quiz kept this way shows its score once the box took it (the API answers
// score and total), with a link to its result page (the form's data-result). Without this script (or without storage) the forms work as plain forms.
(function () {
  "use strict";
  var body = document.body;
  var learner = body.getAttribute("data-learner");
  var banner = document.getElementById("queue");
  if (!learner || !banner || !window.fetch || !window.URLSearchParams) return;
  var KEY = "hocso-queue";
  var storage;
  try {
    storage = window.localStorage;
    storage.setItem(KEY + "-test", "1");
    storage.removeItem(KEY + "-test");
  } catch (e) {
    return;
  }
  // The phone's clock may be years off: times are the box's, from when the page was made.
  var boxTime = Number(body.getAttribute("data-box-time"));
  var offset = isFinite(boxTime) && boxTime > 0 ? boxTime - Date.now() : 0;

  function all() {
    try {
      var queue = JSON.parse(storage.getItem(KEY) || "[]");
      return Array.isArray(queue) ? queue : [];
    } catch (e) {
      return [];
    }
  }
  function keep(queue) {
    try {
      storage.setItem(KEY, JSON.stringify(queue));
      return true;
    } catch (e) {
      return false;
    }
  }
  function mine() {
    return all().filter(function (entry) {
      return entry && entry.learner === learner && entry.event && entry.event.id;
    });
  }
  // Every result is queued before it is sent; `told` marks those the learner was told are
  // waiting (their form got no answer). The others are confirmed quietly on the next page.
  function add(event, form) {
    var queue = all().filter(function (entry) {
      return !(entry && entry.event && entry.event.id === event.id);
    });
    var entry = { learner: learner, event: event, told: false };
    if (form.getAttribute("data-result")) {
      entry.result = form.getAttribute("data-result");
      entry.score = form.getAttribute("data-score");
      entry.see = form.getAttribute("data-see");
    }
    queue.push(entry);
    return keep(queue);
  }
  function tell(id) {
    var queue = all();
    queue.forEach(function (entry) {
      if (entry && entry.event && entry.event.id === id) entry.told = true;
    });
    keep(queue);
  }
  function drop(ids) {
    if (!ids.length) return;
    keep(all().filter(function (entry) {
      return !(entry && entry.event && ids.indexOf(entry.event.id) >= 0);
    }));
  }

  function say(text) {
    banner.textContent = text;
    banner.hidden = !text;
  }
  // A quiz sent from the queue: its score, and the way to its result page.
  function sayScore(entry, result) {
    say(entry.score.replace("{s}", String(result.score)).replace("{t}", String(result.total)) + " ");
    var link = document.createElement("a");
    link.href = entry.result;
    link.textContent = entry.see || entry.result;
    banner.appendChild(link);
  }
  function told() {
    return mine().filter(function (entry) { return entry.told; }).length;
  }
  function showWaiting() {
    var n = told();
    if (n) say(banner.getAttribute("data-waiting").replace("{n}", String(n)));
    return n;
  }

  var sending = false;
  function flush() {
    var queue = mine();
    if (!queue.length || sending) return;
    sending = true;
    var events = queue.slice(0, 100).map(function (entry) { return entry.event; });
    fetch("/api/v1/events", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ events: events })
    }).then(function (response) {
      if (!response.ok) throw new Error("status " + response.status);
      return response.json();
    }).then(function (answer) {
      sending = false;
      // Stored now, held before, or refused for good: either way it must not be sent again.
      var done = (answer.results || []).filter(function (result) {
        return result.status === "stored" || result.status === "already_held" ||
          result.status === "refused";
      }).map(function (result) { return result.id; });
      var wasTold = told();
      // A quiz the learner was told is waiting: its score now, with its result page.
      var scored = null;
      (answer.results || []).forEach(function (result) {
        if ((result.status !== "stored" && result.status !== "already_held") ||
          typeof result.score !== "number") return;
        queue.forEach(function (entry) {
          if (entry.event.id === result.id && entry.told && entry.result && entry.score) {
            scored = { entry: entry, result: result };
          }
        });
      });
      drop(done);
      if (!showWaiting()) {
        if (scored) sayScore(scored.entry, scored.result);
        else if (wasTold) say(banner.getAttribute("data-sent"));
      }
      if (done.length && mine().length) flush();
    }, function () {
      sending = false; // still out of reach, or signed out: keep everything
    });
  }

  // The result a form stands for, as the API takes it; null if the form is not complete
  // (the browser or the box then says what is missing).
  function eventOf(form, submitter) {
    var kind = form.getAttribute("data-kind");
    var lesson = form.getAttribute("data-lesson");
    var at = new Date(Date.now() + offset).toISOString();
    if (kind === "lesson_finished") {
      var id = form.elements.id && form.elements.id.value;
      return id ? { id: id, kind: kind, lesson: lesson, at: at, payload: {} } : null;
    }
    if (kind === "practice_step") {
      // A decision in a practice scenario: the button pressed (a choice, or a part of the
      // screen) or the value typed; the box decides what it leads to.
      var stepId = form.elements.id && form.elements.id.value;
      var decision = {
        scenario: form.getAttribute("data-scenario"),
        // The run is in the step's address, where its form posts: /p/{module}/{name}/{run}/{step}.
        run: new URL(form.action, document.baseURI).pathname.split("/")[4],
        step: form.getAttribute("data-step")
      };
      if (submitter && submitter.name === "choice") decision.choice = Number(submitter.value);
      else if (form.elements.typed && form.elements.typed.value) decision.typed = form.elements.typed.value;
      else return null;
      return stepId ? { id: stepId, kind: kind, lesson: lesson, at: at, payload: decision } : null;
    }
    if (kind === "quiz_submitted") {
      // The questions this attempt asks, each fieldset naming its place in the quiz, and the
      // choice picked for each as the lesson numbers it (not where it was shown).
      var attempt = form.elements.attempt && form.elements.attempt.value;
      var questions = [];
      var answers = [];
      var fieldsets = form.querySelectorAll("fieldset[data-q]");
      for (var i = 0; i < fieldsets.length; i++) {
        var q = fieldsets[i].getAttribute("data-q");
        var chosen = form.querySelector("input[name=q" + q + "]:checked");
        if (!chosen) return null;
        questions.push(Number(q));
        answers.push(Number(chosen.value));
      }
      if (!attempt || !questions.length) return null;
      var payload = { questions: questions, answers: answers };
      return { id: attempt, kind: kind, lesson: lesson, at: at, payload: payload };
    }
    return null;
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var event = form.getAttribute && eventOf(form, e.submitter);
    if (!event || !add(event, form)) return; // not ours, or no room: the plain form goes
    e.preventDefault();
    var button = e.submitter || form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    var sent = new URLSearchParams(new FormData(form));
    if (e.submitter && e.submitter.name) sent.append(e.submitter.name, e.submitter.value);
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, 20000);
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      body: sent,
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      // The box answered; whether it kept the result (or sent the phone to sign in first)
      // the next page's flush confirms, and only then is it dropped.
      clearTimeout(timer);
      if (response.redirected) {
        window.location.assign(response.url);
        return;
      }
      return response.text().then(function (html) {
        document.open();
        document.write(html);
        document.close();
      });
    }).catch(function () {
      clearTimeout(timer);
      if (button) button.disabled = false;
      tell(event.id);
      say(banner.getAttribute("data-queued"));
      banner.scrollIntoView && banner.scrollIntoView();
    });
  });

  showWaiting();
  flush();
  window.addEventListener("online", flush);
  setInterval(function () {
    if (mine().length) flush();
  }, 20000);
})();
