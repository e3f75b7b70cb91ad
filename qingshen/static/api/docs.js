// Starts Swagger UI on the API's schema; a file, not an inline script, as the site's CSP forbids those.
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: node.getAttribute("data-schema-url"),
    domNode: node,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // Over a hundred operations: every tag is listed folded, with a filter box; all expanded at once,
    // Swagger UI 5.35 stops drawing after the first few tags.
    docExpansion: "none",
    filter: true,
  });
})();
