// Progressive enhancement for the sufficiency dashboard: the wards with the fewest services
// within reach (the rows of the table below the map), marked on a map with the number of
// venues written in each marker. The table is the content: without JavaScript or Leaflet the
// map stays hidden.
function drawGapMaps() {
  document.querySelectorAll("[data-gaps-map]").forEach(function (el) {
    var data = document.getElementById(el.getAttribute("data-points"));
    if (!data || typeof L === "undefined") return;
    var points = JSON.parse(data.textContent);
    if (!points.length) return;
    el.hidden = false;
    var map = L.map(el, { scrollWheelZoom: false });
    L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: "&copy; OpenStreetMap contributors",
    }).addTo(map);
    var bounds = [];
    points.forEach(function (point) {
      var level = point.venues === 0 ? "none" : point.venues < 3 ? "few" : "some";
      // Markers only show: wards lie close together, so they are not buttons to aim at (the
      // table below says the same with each ward's name), and their numbers are not read out
      // apart from it.
      var icon = L.divIcon({
        className: "app-gap-marker app-gap-marker--" + level,
        html: '<span aria-hidden="true">' + String(point.venues) + "</span>",
        iconSize: [32, 32],
      });
      L.marker([point.lat, point.lng], { icon: icon, interactive: false, keyboard: false }).addTo(map);
      bounds.push([point.lat, point.lng]);
    });
    map.fitBounds(bounds, { padding: [32, 32], maxZoom: 12 });
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", drawGapMaps);
} else {
  drawGapMaps();
}
