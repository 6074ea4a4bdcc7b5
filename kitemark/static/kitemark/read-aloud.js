// "Read this out" on a young auditor's question: the browser's own speech synthesis reads the
// standard's words. The button is added only where the browser can speak; without JavaScript,
// or without speech, the page is exactly the same minus the button. (An external file: the
// Content Security Policy allows no inline script.)
(function () {
  "use strict";
  if (!window.speechSynthesis || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var templates = document.querySelectorAll("template[data-read-aloud-template]");
  Array.prototype.forEach.call(templates, function (template) {
    var button = template.content.firstElementChild.cloneNode(true);
    button.addEventListener("click", function () {
      var words = button.getAttribute("data-read-aloud").split(" ").map(function (id) {
        var element = document.getElementById(id);
        return element ? element.textContent.trim() : "";
      }).filter(Boolean);
      window.speechSynthesis.cancel();
      var utterance = new window.SpeechSynthesisUtterance(words.join(". "));
      utterance.lang = document.documentElement.lang || "en-GB";
      window.speechSynthesis.speak(utterance);
    });
    template.parentNode.insertBefore(button, template);
  });
})();
