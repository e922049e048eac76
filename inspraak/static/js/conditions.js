/* Display conditions in the browser: show or hide the questions of this page as the tenant answers.
 * Progressive enhancement only. Without this script every question of the page is shown, and the
 * server decides on every request which answers count (inspraak/consultations/conditions.py, which
 * this mirrors: a hidden question has no answer, so hiding cascades).
 * The server renders, on each question block, data-question="<id>" and, when it has a condition,
 * data-condition='{"match": "all"|"any", "rules": [{"question": id, "op": ..., "value": "atom"} | {"fixed": bool}]}'.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-conditions]");
  if (!form) {
    return;
  }
  var blocks = Array.prototype.slice.call(form.querySelectorAll("[data-question]"));
  var status = document.getElementById("conditions-status");

  /* What a question's fields say now, as atoms (strings), like conditions.answer_atoms. */
  function atomsOf(block) {
    var other = "q" + block.getAttribute("data-question") + "_other";
    var found = [];
    Array.prototype.forEach.call(block.querySelectorAll("input, select, textarea"), function (field) {
      if (field.name === other || field.disabled) {
        return;
      }
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) {
          found.push(field.getAttribute("data-atom") || field.value);
        }
      } else if (field.tagName === "SELECT") {
        if (field.value) {  /* a ranking: the option the place was given to */
          found.push(field.name.split("_o")[1]);
        }
      } else if (field.value.trim()) {
        found.push(field.value.trim());
      }
    });
    return found;
  }

  function holds(rule, answers) {
    if (Object.prototype.hasOwnProperty.call(rule, "fixed")) {
      return rule.fixed;
    }
    var atoms = answers[rule.question] || [];
    var wanted = String(rule.value);
    var includes = atoms.indexOf(wanted) !== -1;
    var exactly = atoms.length > 0 && atoms.every(function (atom) { return atom === wanted; });
    switch (rule.op) {
      case "answered": return atoms.length > 0;
      case "unanswered": return atoms.length === 0;
      case "is": return exactly;
      case "is_not": return !exactly;
      case "includes": return includes;
      case "excludes": return !includes;
      default: return true;  /* unknown: show it, the server decides */
    }
  }

  function evaluate(condition, answers) {
    var rules = (condition && condition.rules) || [];
    if (!rules.length) {
      return true;
    }
    var results = rules.map(function (rule) { return holds(rule, answers); });
    return condition.match === "any" ? results.indexOf(true) !== -1 : results.indexOf(false) === -1;
  }

  function update(announce) {
    var answers = {};
    var changed = false;
    blocks.forEach(function (block) {
      var raw = block.getAttribute("data-condition");
      var shown = !raw || evaluate(JSON.parse(raw), answers);
      if (shown) {
        answers[block.getAttribute("data-question")] = atomsOf(block);
      }
      /* Never hide the field the tenant is in (a condition only looks at earlier questions, so
       * this does not happen, but losing focus would be worse than a question too many). */
      if (!shown && block.contains(document.activeElement)) {
        shown = true;
      }
      if (block.hidden === shown) {
        block.hidden = !shown;
        changed = true;
      }
    });
    if (changed && announce && status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = status.getAttribute("data-changed"); }, 100);
    }
  }

  form.addEventListener("change", function () { update(true); });
  form.addEventListener("input", function () { update(true); });
  update(false);
}());
