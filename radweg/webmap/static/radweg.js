/* radweg map behaviour: popups and tooltips from pre-escaped HTML, controls for the
   legend, the elevation profiles and the header. Part of radweg (MIT). */
(function () {
  "use strict";
  var radweg = {pois: {}, lines: [], ready: false};

  /* Called by every GeoJSON layer for each feature. The popup and tooltip strings
     were escaped in Python; nothing else from the data is put into the page. */
  radweg.feature = function (feature, layer) {
    var p = feature.properties || {};
    if (p.style && layer.setStyle) { layer.setStyle(p.style); }
    if (p.popup) { layer.bindPopup(p.popup, {maxWidth: 340, autoPanPadding: [20, 60]}); }
    if (p.tooltip) {
      layer.bindTooltip(p.tooltip, layer.getLatLng ? {direction: "top", offset: [0, -14]} : {sticky: true});
    }
    if (feature.geometry && feature.geometry.type === "Point" && p.id) { radweg.pois[p.id] = layer; }
    else { radweg.lines.push(layer); }
  };

  function boxControl(id, position) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    var Box = L.Control.extend({
      onAdd: function () {
        L.DomEvent.disableClickPropagation(node);
        L.DomEvent.disableScrollPropagation(node);
        return node;
      }
    });
    return new Box({position: position});
  }

  radweg.showProfile = function (id) {
    var panel = document.getElementById("rw-profile");
    if (!panel) { return false; }
    var found = false;
    panel.querySelectorAll(".rw-profile-item").forEach(function (el) {
      var on = el.getAttribute("data-profile") === id;
      el.hidden = !on;
      found = found || on;
    });
    var select = document.getElementById("rw-profile-select");
    if (found && select) { select.value = id; }
    var details = panel.querySelector("details");
    if (found && details) { details.open = true; }
    return found;
  };

  /* Show one POI: open its cluster, zoom to it, open its popup. */
  radweg.showPoi = function (id, done) {
    var layer = radweg.pois[id];
    if (!layer) { return false; }
    var open = function () { layer.openPopup(); if (done) { done(); } };
    if (radweg.cluster && radweg.cluster.hasLayer(layer)) { radweg.cluster.zoomToShowLayer(layer, open); }
    else { radweg.map.setView(layer.getLatLng(), 15); open(); }
    return true;
  };

  function fromHash() {
    var m = /^#poi=([a-z0-9_-]+)$/.exec(window.location.hash || "");
    if (m) { radweg.showPoi(m[1]); }
  }

  radweg.init = function (map, options) {
    radweg.map = map;
    radweg.options = options || {};
    map.eachLayer(function (layer) {
      if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) { radweg.cluster = layer; }
    });
    var legend = boxControl("rw-legend", "bottomright");
    if (legend) { legend.addTo(map); }
    var profile = boxControl("rw-profile", "bottomleft");
    if (profile) {
      profile.addTo(map);
      var select = document.getElementById("rw-profile-select");
      if (select) {
        select.addEventListener("change", function () { radweg.showProfile(select.value); });
      }
      if (window.innerWidth < 700) {
        document.querySelectorAll(".rw-box details").forEach(function (d) { d.open = false; });
      }
    }
    document.addEventListener("click", function (ev) {
      var a = ev.target.closest ? ev.target.closest("a.rw-show-profile") : null;
      if (a) {
        ev.preventDefault();
        radweg.showProfile(a.getAttribute("data-profile"));
      }
    });
    map.invalidateSize(false);
    fromHash();
    window.addEventListener("hashchange", fromHash);
    map.whenReady(function () {
      radweg.ready = true;
      radweg.readyAt = (window.performance && performance.now) ? performance.now() : 0;
      document.documentElement.setAttribute("data-rw-ready", "1");
    });
  };

  window.radweg = radweg;
})();
