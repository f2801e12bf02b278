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

  /* Escaped HTML text back to text, without putting it into the page (DOMParser runs nothing, loads nothing). */
  function textOf(html) {
    return new DOMParser().parseFromString(html, "text/html").documentElement.textContent;
  }

  /* Popups and tooltips: HTML that was escaped in Python; nothing else from the data enters the page. */
  function bind(layer, item, isPoint) {
    /* Popups keep clear of the controls on the left (zoom, full screen …) and fit a phone's width. */
    if (item.p) {
      layer.bindPopup(item.p, {maxWidth: Math.min(340, window.innerWidth - 110), autoPanPaddingTopLeft: [64, 70],
                               autoPanPaddingBottomRight: [16, 16]});
    }
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
        /* Lines are not in the Tab order: their facts are on the tour pages, POIs are reached by their markers. */
        line.on("add", function () {
          var el = line.getElement();
          if (el) { el.setAttribute("tabindex", "-1"); el.setAttribute("focusable", "false"); }
        });
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
      if (p.n) {
        marker.on("add", function () {
          var el = marker.getElement();
          if (el) { el.setAttribute("aria-label", textOf(p.n)); }
        });
      }
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

  /* Names for Leaflet's own controls in the page's language (they come with English titles). */
  function labelControls(strings) {
    var set = function (sel, text) {
      document.querySelectorAll(sel).forEach(function (el) {
        el.setAttribute("title", text);
        el.setAttribute("aria-label", text);
      });
    };
    if (!strings) { return; }
    set(".leaflet-control-zoom-in", strings.zoom_in);
    set(".leaflet-control-zoom-out", strings.zoom_out);
    set(".leaflet-control-layers-toggle", strings.layers);
    document.querySelectorAll(".leaflet-control-attribution a").forEach(function (a) {
      if (/leafletjs/.test(a.getAttribute("href") || "")) {
        a.querySelectorAll("svg").forEach(function (svg) { svg.setAttribute("aria-hidden", "true"); });
      }
    });
  }

  /* Popups: the close button gets a name in the page's language. */
  function labelPopups(map, strings) {
    map.on("popupopen", function (ev) {
      var btn = ev.popup.getElement() && ev.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (btn && strings) { btn.setAttribute("aria-label", strings.close); btn.setAttribute("title", strings.close); }
    });
  }

  /* Cluster markers are named by how many places they hold ("5 Orte – aufklappen"). */
  function labelClusters(map, strings) {
    map.on("layeradd", function (ev) {
      if (!L.MarkerCluster || !(ev.layer instanceof L.MarkerCluster) || !strings) { return; }
      var el = ev.layer.getElement && ev.layer.getElement();
      if (el) { el.setAttribute("aria-label", strings.cluster.replace("{n}", ev.layer.getChildCount())); }
    });
  }

  radweg.init = function (map, groups, options) {
    radweg.map = map;
    radweg.options = options || {};
    labelClusters(map, radweg.options.strings);
    labelControls(radweg.options.strings);
    labelPopups(map, radweg.options.strings);
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

  /* ---------------------------------------------------------------- site pages
     A tour or POI page carries <script type="application/json" id="rw-page-data">: the line as
     [lat, lon, km] per vertex (parts split at gaps), markers, and the id of the profile to keep in step. */

  function nearestIndex(arr, value) {
    var lo = 0, hi = arr.length - 1;
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (arr[mid] < value) { lo = mid; } else { hi = mid; }
    }
    return (value - arr[lo] <= arr[hi] - value) ? lo : hi;
  }

  function pageMap(data) {
    var el = document.getElementById("rw-page-map");
    if (!el || !window.L) { return; }
    var map = L.map(el, {zoomSnap: 0.25, scrollWheelZoom: false});
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {maxZoom: 18, attribution: data.attribution})
      .addTo(map);
    radweg.map = map;
    var bounds = L.latLngBounds([]);
    var pts = [];
    (data.parts || []).forEach(function (part) {
      var latlngs = part.map(function (p) { pts.push(p); return [p[0], p[1]]; });
      var line = L.polyline(latlngs, {color: data.color || "#2166ac", weight: 5, opacity: 0.9,
                                      className: "rw-page-line"}).addTo(map);
      bounds.extend(line.getBounds());
      line.on("mousemove", function (ev) { radweg.sync.fromMap(ev.latlng); });
      line.on("mouseout", function () { radweg.sync.hide(); });
    });
    (data.markers || []).forEach(function (m) {
      var icon = L.divIcon({html: m.icon, className: "rw-poi", iconSize: [24, 24], iconAnchor: [12, 12]});
      var mk = L.marker([m.c[0], m.c[1]], {icon: icon, title: "", keyboard: !!m.href});
      mk.on("add", function () {
        var node = mk.getElement();
        if (node) {
          node.setAttribute("aria-label", m.n);
          if (!m.href) { node.setAttribute("aria-hidden", "true"); }
        }
      });
      mk.bindTooltip(document.createTextNode(m.n), {direction: "top", offset: [0, -12]});
      if (m.href) { mk.on("click keypress", function () { window.location.href = m.href; }); }
      mk.addTo(map);
      bounds.extend(mk.getLatLng());
    });
    if (bounds.isValid()) {
      if (data.zoom) { map.setView(data.center || bounds.getCenter(), data.zoom); }
      else { map.fitBounds(bounds, {padding: [16, 16]}); }
    } else { map.setView([51.5, 11.4], 10); }
    labelControls(data.strings);
    /* Print: open the stage profiles and fit the line into the printed map's size. */
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details.rw-stage-profile").forEach(function (d) { d.open = true; });
      map.invalidateSize(false);
      if (bounds.isValid() && !data.zoom) { map.fitBounds(bounds, {padding: [16, 16], animate: false}); }
    });
    var dot = L.circleMarker([0, 0], {radius: 7, color: "#fff", weight: 2, fillColor: "#d73027", fillOpacity: 1,
                                      interactive: false, className: "rw-sync-dot"});
    var svg = data.profile ? document.getElementById(data.profile) : null;
    var kms = pts.map(function (p) { return p[2]; });
    var cursor = svg ? svg.querySelector(".rw-profile-cursor") : null;
    function showAtKm(km) {
      if (!pts.length) { return; }
      var i = nearestIndex(kms, km);
      dot.setLatLng([pts[i][0], pts[i][1]]);
      if (!map.hasLayer(dot)) { dot.addTo(map); }
      if (svg && cursor) {
        var x0 = +svg.getAttribute("data-x0"), pw = +svg.getAttribute("data-pw");
        var top = +svg.getAttribute("data-top"), ph = +svg.getAttribute("data-ph");
        var e0 = +svg.getAttribute("data-e0"), e1 = +svg.getAttribute("data-e1");
        var len = +svg.getAttribute("data-len") / 1000;
        var x = x0 + pw * Math.min(km, len) / (len || 1);
        var ele = pts[i][3];
        cursor.querySelector("line").setAttribute("x1", x);
        cursor.querySelector("line").setAttribute("x2", x);
        var c = cursor.querySelector("circle");
        c.setAttribute("cx", x);
        c.setAttribute("cy", ele === null ? top + ph : top + ph * (1 - (ele - e0) / ((e1 - e0) || 1)));
        cursor.setAttribute("visibility", "visible");
      }
      radweg.sync.km = pts[i][2];
      var out = document.getElementById("rw-sync-readout");
      if (out) { out.textContent = data.readout.replace("{km}", fmt(pts[i][2], 1)).replace("{ele}", ele === null ? "–" : fmt(ele, 0)); }
    }
    function fmt(v, d) {
      return v.toLocaleString(data.locale, {minimumFractionDigits: d, maximumFractionDigits: d});
    }
    radweg.sync = {
      km: null,
      showAtKm: showAtKm,
      fromMap: function (latlng) {
        var best = -1, bestD = Infinity;
        var p0 = map.latLngToLayerPoint(latlng);
        for (var i = 0; i < pts.length; i++) {
          var d = p0.distanceTo(map.latLngToLayerPoint([pts[i][0], pts[i][1]]));
          if (d < bestD) { bestD = d; best = i; }
        }
        if (best >= 0) { showAtKm(pts[best][2]); }
      },
      hide: function () {
        if (map.hasLayer(dot)) { map.removeLayer(dot); }
        if (cursor) { cursor.setAttribute("visibility", "hidden"); }
      }
    };
    if (svg) {
      var fromEvent = function (ev) {
        var box = svg.getBoundingClientRect();
        var vb = svg.viewBox.baseVal;
        var scale = Math.min(box.width / vb.width, box.height / vb.height);
        var offX = (box.width - vb.width * scale) / 2;
        var x = (ev.clientX - box.left - offX) / scale;
        var x0 = +svg.getAttribute("data-x0"), pw = +svg.getAttribute("data-pw");
        var len = +svg.getAttribute("data-len") / 1000;
        showAtKm(Math.max(0, Math.min(1, (x - x0) / pw)) * len);
      };
      svg.addEventListener("mousemove", fromEvent);
      svg.addEventListener("touchmove", function (ev) {
        if (ev.touches && ev.touches[0]) { fromEvent(ev.touches[0]); }
      }, {passive: true});
      svg.addEventListener("mouseleave", radweg.sync.hide);
    }
    radweg.ready = true;
    document.documentElement.setAttribute("data-rw-ready", "1");
  }

  /* The POI overview: filter by type and by text; the count is announced. */
  function poiFilter() {
    var form = document.getElementById("rw-filter");
    if (!form) { return; }
    form.hidden = false;
    var input = form.querySelector("input[type=search]");
    var boxes = form.querySelectorAll("input[type=checkbox]");
    var count = document.getElementById("rw-filter-count");
    function apply() {
      var q = (input.value || "").toLowerCase().trim();
      var on = {};
      boxes.forEach(function (b) { on[b.value] = b.checked; });
      var shown = 0;
      document.querySelectorAll(".rw-card[data-type]").forEach(function (card) {
        var ok = on[card.getAttribute("data-type")] !== false &&
          (!q || (card.getAttribute("data-search") || "").indexOf(q) >= 0);
        card.hidden = !ok;
        if (ok) { shown++; }
      });
      document.querySelectorAll(".rw-type-section").forEach(function (sec) {
        sec.hidden = !sec.querySelector(".rw-card:not([hidden])");
      });
      if (count) { count.textContent = String(shown); }
    }
    input.addEventListener("input", apply);
    boxes.forEach(function (b) { b.addEventListener("change", apply); });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); apply(); });
    apply();
  }

  function pageInit() {
    var blob = document.getElementById("rw-page-data");
    if (blob) { pageMap(JSON.parse(blob.textContent)); }
    poiFilter();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", pageInit); }
  else { pageInit(); }

  window.radweg = radweg;
})();
