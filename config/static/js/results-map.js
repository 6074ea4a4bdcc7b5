// Progressive enhancement for search results: the list is the content; with JavaScript and
// Leaflet, a map shows the same results' venues (never a personal assistant's home).
(function () {
  var el = document.querySelector("[data-results-map]");
  if (!el || typeof L === "undefined") return;
  var items = document.querySelectorAll("[data-result-lat]");
  var points = [];
  el.hidden = false;
  var map = L.map(el, { scrollWheelZoom: false });
  L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "&copy; OpenStreetMap contributors",
  }).addTo(map);
  var home = [parseFloat(el.getAttribute("data-lat")), parseFloat(el.getAttribute("data-lng"))];
  L.circleMarker(home, { radius: 8 }).addTo(map).bindTooltip("You (" + el.getAttribute("data-label") + ")");
  points.push(home);
  items.forEach(function (item) {
    var p = [parseFloat(item.getAttribute("data-result-lat")), parseFloat(item.getAttribute("data-result-lng"))];
    if (isNaN(p[0]) || isNaN(p[1])) return;
    var link = document.createElement("a");
    link.href = item.getAttribute("data-result-url");
    link.textContent = item.getAttribute("data-result-title");
    L.marker(p, { title: item.getAttribute("data-result-title") }).addTo(map).bindPopup(link);
    points.push(p);
  });
  map.fitBounds(points, { padding: [24, 24], maxZoom: 14 });
})();
