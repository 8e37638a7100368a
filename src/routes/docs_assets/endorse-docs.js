// Swagger UI for endorse's own /openapi.json, every asset served by endorse itself.
// BaseLayout: no top bar (its URL box and theme toggle are of no use here, and had no labels).
// No deep links: an operation's summary stays one button, with no link nested inside it.
window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: false,
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
    defaultModelsExpandDepth: 0,
    syntaxHighlight: { activated: false },
  });

  // Swagger UI leaves the controls of parameters and request bodies without an accessible
  // name; give each the name of what it edits as the page renders them.
  const name = (control) => {
    const row = control.closest("tr[data-param-name]");
    if (row) return `${row.dataset.paramName} (${row.dataset.paramIn})`;
    if (control.closest(".body-param")) return "Request body";
    if (control.closest(".content-type-wrapper, .response-control-media-type")) return "Media type";
    if (control.closest(".servers")) return "Server";
    return null;
  };
  const label = () => {
    document.querySelectorAll("#swagger-ui select, #swagger-ui input, #swagger-ui textarea").forEach((control) => {
      if (control.hasAttribute("aria-label") || control.labels?.length) return;
      const text = name(control);
      if (text) control.setAttribute("aria-label", text);
    });
  };
  new MutationObserver(label).observe(document.getElementById("swagger-ui"), { childList: true, subtree: true });
});
