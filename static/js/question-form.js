// Progressive enhancement for the question form: the plain <select> and the form work without it.
(function () {
  "use strict";
  var search = document.getElementById("territory-search");
  var select = document.getElementById("id_unit");
  if (search && select) {
    search.hidden = false;
    search.addEventListener("input", function () {
      var term = search.value.trim().toLowerCase();
      var first = null;
      Array.prototype.forEach.call(select.querySelectorAll("option"), function (option) {
        var names = option.getAttribute("data-names") || option.textContent.toLowerCase();
        var match = !term || !option.value || names.indexOf(term) !== -1;
        option.hidden = !match;
        if (match && option.value && !first) { first = option; }
      });
      if (term && first) { select.value = first.value; }
    });
  }
  var text = document.getElementById("id_text");
  var box = document.getElementById("similar-questions");
  var similarUrl = box && box.getAttribute("data-similar-url");
  var timer = null;
  function lookup() {
    if (!select.value || text.value.trim().length < 10) { box.textContent = ""; return; }
    var url = similarUrl + "?unit=" + encodeURIComponent(select.value) + "&text=" + encodeURIComponent(text.value.slice(0, 500));
    fetch(url, {headers: {"X-Requested-With": "fetch"}})
      .then(function (response) { return response.text(); })
      .then(function (html) { box.innerHTML = html; });  // our own server-rendered, escaped fragment
  }
  if (select && text && box && similarUrl && window.fetch) {
    text.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookup, 600); });
    select.addEventListener("change", lookup);
  }
})();
