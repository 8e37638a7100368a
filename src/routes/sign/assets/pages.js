// endorse: a little help for the pages, none of it needed (the pages work without scripts).
// In an iframe on a partner's page, tell the page our height so it can fit the frame to the
// form; a partner's page listens with the snippet in the README.
(() => {
  "use strict";
  if (window.parent === window) return;
  let last = 0;
  const report = () => {
    const height = Math.ceil(document.documentElement.scrollHeight);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ endorse: "height", height }, "*");
    }
  };
  window.addEventListener("load", report);
  window.addEventListener("resize", report);
  if ("ResizeObserver" in window) new ResizeObserver(report).observe(document.body);
})();
