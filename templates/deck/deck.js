// Keyboard navigation: -> Space PageDown next; <- PageUp previous; Home first; End last.
// The slide number lives in the address (#3), so a reload stays on the same slide.
(function () {
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var counter = document.getElementById("counter");
  var at = 0;
  function fit() {
    var scale = Math.min(window.innerWidth / 1280, window.innerHeight / 720);
    slides.forEach(function (s) { s.style.transform = "scale(" + scale + ")"; });
  }
  function show(n) {
    at = Math.max(0, Math.min(slides.length - 1, n));
    slides.forEach(function (s, i) { s.classList.toggle("current", i === at); });
    counter.textContent = (at + 1) + " / " + slides.length;
    if (history.replaceState) { history.replaceState(null, "", "#" + (at + 1)); }
  }
  var moves = { ArrowRight: 1, " ": 1, PageDown: 1, ArrowDown: 1,
                ArrowLeft: -1, PageUp: -1, ArrowUp: -1 };
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (e.key in moves) { show(at + (e.shiftKey && e.key === " " ? -1 : moves[e.key])); }
    else if (e.key === "Home") { show(0); }
    else if (e.key === "End") { show(slides.length - 1); }
    else { return; }
    e.preventDefault();
  });
  document.addEventListener("click", function (e) {
    if (e.target.closest("a")) { return; }
    show(at + (e.clientX < window.innerWidth / 3 ? -1 : 1));
  });
  window.addEventListener("resize", fit);
  fit();
  show((parseInt(location.hash.slice(1), 10) || 1) - 1);
})();
