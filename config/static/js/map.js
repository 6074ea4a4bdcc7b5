// Progressive enhancement: the page already shows the address and a link to a map.
// With JavaScript and Leaflet loaded, show an interactive map in the placeholder.
(function () {
  var el = document.querySelector("[data-map]");
  if (!el || typeof L === "undefined") return;
  var lat = parseFloat(el.getAttribute("data-lat"));
  var lng = parseFloat(el.getAttribute("data-lng"));
  if (isNaN(lat) || isNaN(lng)) return;
  el.hidden = false;
  var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lng], 14);
  L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "&copy; OpenStreetMap contributors",
  }).addTo(map);
  L.marker([lat, lng], { title: el.getAttribute("data-title") || "" }).addTo(map);
})();
