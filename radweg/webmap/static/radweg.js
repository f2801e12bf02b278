/* radweg map behaviour: popups and tooltips from pre-escaped HTML, controls for the
   legend, the elevation profiles and the header. Part of radweg (MIT). */
(function () {
  "use strict";
  var radweg = {pois: {}, lines: [], routes: {}, ready: false};

  /* Decode an encoded polyline (5 decimals) into [lat, lon] pairs. */
  radweg.decode = function (str) {
    var i = 0, lat = 0, lon = 0, out = [];
    while (i < str.length) {
      var v = [0, 0];
      for (var k = 0; k < 2; k++) {
        var shift = 0, result = 0, b;
        do {
          b = str.charCodeAt(i++) - 63;
          result |= (b & 0x1f) << shift;
          shift += 5;
        } while (b >= 0x20);
        v[k] = (result & 1) ? ~(result >> 1) : (result >> 1);
      }
      lat += v[0];
      lon += v[1];
      out.push([lat / 1e5, lon / 1e5]);
    }
    return out;
  };

  /* Popups and tooltips: HTML that was escaped in Python; nothing else from the data enters the page. */
  function bind(layer, item, isPoint) {
    if (item.p) { layer.bindPopup(item.p, {maxWidth: 340, autoPanPadding: [20, 60]}); }
    if (item.t) {
      layer.bindTooltip(item.t, isPoint ? {direction: "top", offset: [0, -14]} : {sticky: true});
    }
  }

  function build(map, groups, data) {
    var lines = data.lines.map(radweg.decode);
    data.layers.forEach(function (layer) {
      var group = groups[layer.g];
      if (!group) { return; }
      layer.items.forEach(function (item) {
        var parts = item.l.map(function (p) { return typeof p === "number" ? lines[p] : radweg.decode(p); });
        var style = L.extend({}, layer.style || {}, item.s || {});
        var line = L.polyline(parts.length === 1 ? parts[0] : parts, style);
        bind(line, item, false);
        group.addLayer(line);
        radweg.lines.push(line);
        if (item.id) { radweg.routes[item.id] = {layer: line, group: group}; }
      });
    });
    var byGroup = {};
    var icons = {};
    Object.keys(data.icons).forEach(function (kind) {
      icons[kind] = L.divIcon({html: data.icons[kind], className: "rw-poi rw-poi-" + kind,
                               iconSize: [28, 28], iconAnchor: [14, 14]});
    });
    data.pois.forEach(function (p) {
      var marker = L.marker(p.c, {icon: icons[p.k], title: ""});
      bind(marker, p, true);
      radweg.pois[p.id] = marker;
      (byGroup[p.g] = byGroup[p.g] || []).push(marker);
    });
    /* Fill the sub-groups while the cluster is off the map, so that it clusters all markers once. */
    var cluster = null;
    map.eachLayer(function (layer) {
      if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) { cluster = layer; }
    });
    if (cluster) { map.removeLayer(cluster); }
    Object.keys(byGroup).forEach(function (key) {
      var group = groups[key];
      if (!group) { return; }
      var onMap = map.hasLayer(group);
      if (onMap) { map.removeLayer(group); }
      byGroup[key].forEach(function (mk) { group.addLayer(mk); });
      if (onMap) { map.addLayer(group); }
    });
    if (cluster) { map.addLayer(cluster); }
  }

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

  /* Fit the data into the part of the map that the legend and the profile leave free. */
  function fitAroundPanels(map, target) {
    var bounds = target || L.latLngBounds([]);
    if (!target) {
      radweg.lines.forEach(function (l) { bounds.extend(l.getBounds()); });
      Object.keys(radweg.pois).forEach(function (k) { bounds.extend(radweg.pois[k].getLatLng()); });
    }
    if (!bounds.isValid()) { return; }
    var size = map.getSize();
    var legend = document.getElementById("rw-legend");
    var profile = document.getElementById("rw-profile");
    var right = legend && size.x > 900 ? legend.offsetWidth + 20 : 20;
    var bottom = profile && size.y > 600 ? Math.min(profile.offsetHeight + 10, size.y / 3) : 20;
    map.fitBounds(bounds, {paddingTopLeft: [60, 20], paddingBottomRight: [right, bottom], animate: false});
  }

  /* Show a tour or a stage ("tour=ID", "stage=TOUR--STAGE"): its layer on, zoomed to, popup and profile open. */
  radweg.showRoute = function (ref) {
    var route = radweg.routes[ref];
    if (!route) { return false; }
    if (!radweg.map.hasLayer(route.group)) { radweg.map.addLayer(route.group); }
    fitAroundPanels(radweg.map, route.layer.getBounds());
    route.layer.openPopup(route.layer.getCenter());
    radweg.showProfile("rw-profile-" + ref.replace(/^(tour|stage)=/, ""));
    return true;
  };

  function fromHash() {
    var hash = window.location.hash || "";
    var m = /^#poi=([a-z0-9_-]+)$/.exec(hash);
    if (m) { radweg.showPoi(m[1]); return; }
    m = /^#((?:tour|stage)=[a-z0-9_-]+)$/.exec(hash);
    if (m) { radweg.showRoute(m[1]); }
  }

  radweg.init = function (map, groups, options) {
    radweg.map = map;
    radweg.options = options || {};
    var blob = document.getElementById("rw-data");
    if (blob) { build(map, groups, JSON.parse(blob.textContent)); }
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
    fitAroundPanels(map);
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
