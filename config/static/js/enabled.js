// Marks that JavaScript is on, before GOV.UK Frontend initialises (no inline script: CSP).
document.body.className += " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
