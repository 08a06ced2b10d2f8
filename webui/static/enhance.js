/* Progressive enhancement of the search form: with JavaScript, ticking a facet
   or changing the sort submits at once (without it, the Apply buttons do), and
   keyboard focus comes back to the control that was changed. No framework. */
(function () {
  "use strict";
  var KEY = "observatory-focus";
  var form = document.getElementById("search-form");
  if (!form) {
    return;
  }
  document.documentElement.classList.add("js");

  function remember(id) {
    try { window.sessionStorage.setItem(KEY, id); } catch (e) { /* storage off: no focus return */ }
  }

  form.addEventListener("change", function (event) {
    var control = event.target;
    if (!control.hasAttribute("data-autosubmit")) {
      return;
    }
    if (control.id) {
      remember(control.id);
    }
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });

  try {
    var id = window.sessionStorage.getItem(KEY);
    if (id) {
      window.sessionStorage.removeItem(KEY);
      var target = document.getElementById(id);
      if (target) {
        target.focus();
      }
    }
  } catch (e) { /* storage off */ }
})();
