// MathJax 3 configuration for pymdownx.arithmatex (generic mode). The MathJax
// file itself is served from this site (assets/mathjax/), never from a CDN.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
  },
  svg: { fontCache: "global" },
};

// The site does not use Material's instant navigation, so every page load runs
// MathJax's own start-up typesetting: nothing else to do here.
