// islandroute report: draws the inlined network and plans with Leaflet (no tiles, no network).
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var ALL = "all";
  var GOLDEN_ANGLE = 137.508; // degrees between successive vehicle hues: neighbours differ
  var ROUTE_WEIGHT = 3;
  var WHOLE_ABOVE = 100; // figures this large are shown without decimals
  var AIR_WEIGHT = 2;
  var PART_DASH = { ferry: "8 6", air: "1 6" }; // roads solid, ferries dashed, flights dotted
  var BASE_FERRY_DASH = "2 5";
  var KIND_STYLE = {
    station: { radius: 4, color: "#222", fillColor: "#fff" },
    port: { radius: 3, color: "#1f5fa8", fillColor: "#9cc3ea" },
    depot: { radius: 6, color: "#000", fillColor: "#f2c200" },
    hub: { radius: 7, color: "#000", fillColor: "#e4572e" },
    centre: { radius: 7, color: "#000", fillColor: "#8e44ad" },
    park: { radius: 6, color: "#000", fillColor: "#2e8b57" }
  };
  var KPI_ROWS = [
    ["cost", "cost (yuan)"],
    ["km", "km"],
    ["vehicle_days", "vehicle-days"],
    ["ferry_crossings", "ferry crossings"],
    ["ferry_fares", "boat fares (yuan)"],
    ["co2_kg", "CO2 (kg)"],
    ["parcels", "parcels delivered"],
    ["on_time_share", "collections on time"]
  ];

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function number(value, key) {
    if (value === null || value === undefined) return "–";
    if (key === "on_time_share") return (100 * value).toFixed(1) + " %";
    var digits = Math.abs(value) >= WHOLE_ABOVE ? 0 : 1;
    return Number(value).toLocaleString("en-US", { maximumFractionDigits: digits });
  }

  function vehicleColour(index) {
    return "hsl(" + ((index * GOLDEN_ANGLE) % 360).toFixed(0) + ",75%,40%)";
  }

  function dayKpis(plan, day) {
    var k = { cost: 0, km: 0, vehicle_days: 0, ferry_crossings: 0, ferry_fares: 0, co2_kg: 0, parcels: 0 };
    plan.routes.forEach(function (r) {
      if (day !== ALL && r.day !== day) return;
      k.cost += r.cost; k.km += r.km; k.vehicle_days += 1;
      k.ferry_crossings += r.crossings; k.ferry_fares += r.fares; k.co2_kg += r.co2_kg; k.parcels += r.parcels;
    });
    return k;
  }

  function renderKpis(day) {
    var heads = "<th></th>";
    DATA.plans.forEach(function (p) {
      heads += "<th>" + esc(p.label) + " (week)</th>";
      if (day !== ALL) heads += "<th>" + esc(p.label) + " (" + esc(day) + ")</th>";
    });
    if (DATA.plans.length === 2) heads += "<th>difference (week)</th>";
    var rows = KPI_ROWS.map(function (row) {
      var key = row[0];
      var cells = "<td>" + esc(row[1]) + "</td>";
      DATA.plans.forEach(function (p) {
        cells += "<td>" + number(p.kpis[key], key) + "</td>";
        if (day !== ALL) cells += "<td>" + number(dayKpis(p, day)[key], key) + "</td>";
      });
      if (DATA.plans.length === 2) {
        var a = DATA.plans[0].kpis[key], b = DATA.plans[1].kpis[key];
        cells += "<td>" + (a === null || b === null ? "–" : number(a - b, key)) + "</td>";
      }
      return "<tr>" + cells + "</tr>";
    });
    document.getElementById("kpis").innerHTML =
      "<table><thead><tr>" + heads + "</tr></thead><tbody>" + rows.join("") + "</tbody></table>";
  }

  function calendarTable(plan, place) {
    var week = plan.calendar[place.id] || {};
    var rows = DATA.days.map(function (d) {
      var c = week[d];
      return "<tr><td>" + esc(d) + "</td><td>" + (c ? esc(c.carriers.join(", ")) : "") +
        "</td><td>" + (c ? c.delivered : "") + "</td><td>" + (c ? c.collected : "") + "</td></tr>";
    });
    return "<table><tr><th>day</th><th>carriers</th><th>delivered</th><th>collected</th></tr>" +
      rows.join("") + "</table>";
  }

  function placePopup(plan, place) {
    var demand = Object.keys(place.demand).map(function (c) {
      return esc(c) + " " + place.demand[c];
    }).join(", ");
    var html = "<div class='popup'><b>" + esc(place.name) + "</b> (" + esc(place.kind) +
      ", " + esc(place.island) + ")";
    if (demand) html += "<br>parcels a week: " + demand;
    if (place.kind === "station" || place.kind === "park") html += calendarTable(plan, place);
    return html + "</div>";
  }

  function routePopup(route) {
    var stops = route.stops.map(function (s, i) {
      return "<tr><td>" + i + "</td><td>" + esc(s.name) + "</td><td>" + s.arrive + "</td><td>" +
        s.depart + "</td><td>" + s.deliver + "</td><td>" + s.pickup + "</td><td>" + s.handin +
        "</td></tr>";
    }).join("");
    var ferries = route.ferries.map(function (f) {
      return "<br>ferry " + esc(f.ferry) + ": " + esc(f.from) + " " + f.depart + " → " +
        esc(f.to) + " " + f.arrive;
    }).join("");
    return "<div class='popup'><b>" + esc(route.vehicle) + "</b> " + esc(route.day) + " · " +
      esc(route.carriers.join(", ")) + "<br>" + route.km + " km · cost " + route.cost + " · " +
      route.parcels + " parcels" + ferries +
      "<table><tr><th>#</th><th>place</th><th>arrive</th><th>depart</th><th>hand over</th>" +
      "<th>collect</th><th>hand in</th></tr>" + stops + "</table></div>";
  }

  function shadeRange() {
    var lo = Infinity, hi = -Infinity;
    DATA.shading.values.forEach(function (m) {
      Object.keys(m).forEach(function (k) { lo = Math.min(lo, m[k]); hi = Math.max(hi, m[k]); });
    });
    return [lo, hi];
  }

  function shadeColour(value, range) {
    var t = range[1] > range[0] ? (value - range[0]) / (range[1] - range[0]) : 0;
    return "hsl(" + (50 - 50 * t).toFixed(0) + ",85%," + (85 - 40 * t).toFixed(0) + "%)";
  }

  function islandStyle(island, index) {
    var style = { color: "#8a7f5a", weight: 1, fillColor: "#efe8cf", fillOpacity: 1 };
    var shading = DATA.shading;
    if (!shading) return style;
    var value = shading.values[index][island.id];
    if (value === undefined) return style;
    style.fillColor = shadeColour(value, shadeRange());
    if (shading.threshold !== null && value > shading.threshold) {
      style.color = "#c0392b"; style.weight = 3;
    }
    return style;
  }

  function renderShading() {
    var shading = DATA.shading;
    var box = document.getElementById("shading");
    if (!shading) { box.style.display = "none"; return; }
    var islands = {};
    shading.values.forEach(function (m) { Object.keys(m).forEach(function (k) { islands[k] = 1; }); });
    var names = {};
    DATA.islands.forEach(function (i) { names[i.id] = i.name; });
    var first = shading.values[0];
    var order = Object.keys(islands).sort(function (a, b) { return (first[b] || 0) - (first[a] || 0); });
    var heads = "<th>island</th>" + DATA.plans.map(function (p) { return "<th>" + esc(p.label) + "</th>"; }).join("");
    var rows = order.map(function (k) {
      var over = false;
      var cells = shading.values.map(function (m) {
        var v = m[k];
        if (v !== undefined && shading.threshold !== null && v > shading.threshold) over = true;
        return "<td>" + number(v, "") + "</td>";
      }).join("");
      return "<tr" + (over ? " class='over'" : "") + "><td>" + esc(names[k] || k) + "</td>" + cells + "</tr>";
    });
    var limit = shading.threshold === null ? "" : " (outlined: above " + number(shading.threshold, "") + ")";
    box.innerHTML = "<details><summary>" + esc(shading.title) + limit + "</summary><table><thead><tr>" +
      heads + "</tr></thead><tbody>" + rows.join("") + "</tbody></table></details>";
  }

  function drawBase(map, index) {
    var bounds = L.latLngBounds([]);
    DATA.islands.forEach(function (i) {
      if (i.ring) {
        var poly = L.polygon(i.ring, islandStyle(i, index));
        if (DATA.shading && DATA.shading.values[index][i.id] !== undefined) {
          poly.bindTooltip(esc(i.name) + ": " + esc(DATA.shading.title) + " " +
            number(DATA.shading.values[index][i.id], ""));
        }
        poly.addTo(map);
        bounds.extend(poly.getBounds());
      } else {
        bounds.extend(i.centre);
      }
      L.tooltip({ permanent: true, direction: "center", className: "island-label" })
        .setLatLng(i.centre).setContent(esc(i.name)).addTo(map);
    });
    DATA.roads.forEach(function (r) {
      L.polyline(r.line, { color: r.bridge ? "#777" : "#aaa", weight: r.bridge ? 2 : 1 }).addTo(map);
      bounds.extend(r.line[0]); bounds.extend(r.line[1]);
    });
    DATA.ferries.forEach(function (f) {
      L.polyline(f.line, { color: "#6a9fd4", weight: 1.5, dashArray: BASE_FERRY_DASH })
        .bindTooltip(esc(f.name) + " · " + f.minutes + " min").addTo(map);
    });
    return bounds;
  }

  function drawPlaces(map, plan) {
    var markers = {};
    DATA.places.forEach(function (p) {
      var style = KIND_STYLE[p.kind] || KIND_STYLE.station;
      markers[p.id] = L.circleMarker(p.at, {
        radius: style.radius, color: style.color, fillColor: style.fillColor,
        fillOpacity: 1, weight: 1
      }).bindPopup(placePopup(plan, p), { maxWidth: 420 }).addTo(map);
    });
    return markers;
  }

  function routeLayer(route, colour) {
    var group = L.featureGroup();
    route.parts.forEach(function (part) {
      L.polyline(part.line, {
        color: colour,
        weight: part.mode === "air" ? AIR_WEIGHT : ROUTE_WEIGHT,
        opacity: 0.9,
        dashArray: PART_DASH[part.mode] || null
      }).addTo(group);
    });
    group.bindPopup(routePopup(route), { maxWidth: 560 });
    return group;
  }

  function Pane(plan, index, parent) {
    var pane = document.createElement("div");
    pane.className = "pane";
    pane.innerHTML = "<h2>" + esc(plan.label) + " · " + plan.routes.length + " routes" +
      (plan.unserved ? " · " + plan.unserved + " unserved" : "") + "</h2>" +
      "<div class='pane-body'><div class='map' id='map-" + index + "'></div>" +
      "<div class='vehicles' id='vehicles-" + index + "'></div></div>";
    parent.appendChild(pane);
    var crs = DATA.planar ? L.CRS.Simple : L.CRS.EPSG3857;
    this.map = L.map("map-" + index, { crs: crs, preferCanvas: true, zoomSnap: 0.25 });
    this.plan = plan;
    this.bounds = drawBase(this.map, index);
    this.markers = drawPlaces(this.map, plan);
    var vehicles = [];
    plan.routes.forEach(function (r) { if (vehicles.indexOf(r.vehicle) < 0) vehicles.push(r.vehicle); });
    vehicles.sort();
    this.colours = {};
    this.shown = {};
    var self = this;
    vehicles.forEach(function (v, i) { self.colours[v] = vehicleColour(i); self.shown[v] = true; });
    this.layers = plan.routes.map(function (r) { return routeLayer(r, self.colours[r.vehicle]); });
    this.vehicleList(vehicles, document.getElementById("vehicles-" + index));
    if (this.bounds.isValid()) this.map.fitBounds(this.bounds);
    else this.map.setView([0, 0], 1);
    this.day = ALL;
  }

  Pane.prototype.vehicleList = function (vehicles, box) {
    var self = this;
    box.innerHTML = "<button type='button' data-all='1'>all</button>" +
      "<button type='button' data-all='0'>none</button>";
    vehicles.forEach(function (v) {
      var carriers = {};
      self.plan.routes.forEach(function (r) {
        if (r.vehicle === v) r.carriers.forEach(function (c) { carriers[c] = 1; });
      });
      var label = document.createElement("label");
      label.innerHTML = "<input type='checkbox' checked data-vehicle='" + esc(v) + "'>" +
        "<span class='dot' style='background:" + self.colours[v] + "'></span>" +
        "<a href='#' data-focus='" + esc(v) + "' title='its route on the chosen day'>" + esc(v) +
        "</a> <small>" + esc(Object.keys(carriers).sort().join(",")) + "</small>";
      box.appendChild(label);
    });
    box.addEventListener("change", function (e) {
      var v = e.target.getAttribute("data-vehicle");
      if (v !== null) { self.shown[v] = e.target.checked; self.draw(); }
    });
    box.addEventListener("click", function (e) {
      var focus = e.target.getAttribute("data-focus");
      if (focus !== null) {
        e.preventDefault();
        self.focus(focus, self.day === ALL ? DATA.days[0] : self.day);
        return;
      }
      var all = e.target.getAttribute("data-all");
      if (all === null) return;
      box.querySelectorAll("input[data-vehicle]").forEach(function (input) {
        input.checked = all === "1";
        self.shown[input.getAttribute("data-vehicle")] = all === "1";
      });
      self.draw();
    });
  };

  // One van's day: zoom to its route, open its stops, show it if hidden; null if none.
  Pane.prototype.focus = function (vehicle, day) {
    for (var i = 0; i < this.plan.routes.length; i++) {
      var r = this.plan.routes[i];
      if (r.vehicle !== vehicle || r.day !== day) continue;
      var layer = this.layers[i];
      if (!this.map.hasLayer(layer)) layer.addTo(this.map);
      this.map.fitBounds(layer.getBounds(), { maxZoom: 13 });
      layer.openPopup(layer.getBounds().getCenter());
      return layer.getPopup().getContent();
    }
    return null;
  };

  Pane.prototype.draw = function () {
    var self = this;
    var drawn = 0;
    this.plan.routes.forEach(function (r, i) {
      var wanted = (self.day === ALL || r.day === self.day) && self.shown[r.vehicle];
      var layer = self.layers[i];
      if (wanted && !self.map.hasLayer(layer)) layer.addTo(self.map);
      if (!wanted && self.map.hasLayer(layer)) self.map.removeLayer(layer);
      if (wanted) drawn += 1;
    });
    this.drawn = drawn;
    this.map.getContainer().setAttribute("data-drawn-routes", String(drawn));
  };

  var maps = document.getElementById("maps");
  var panes = DATA.plans.map(function (p, i) { return new Pane(p, i, maps); });
  var select = document.getElementById("day");
  [ALL].concat(DATA.days).forEach(function (d) {
    var o = document.createElement("option");
    o.value = d; o.textContent = d === ALL ? "whole week" : d;
    select.appendChild(o);
  });
  select.value = DATA.days.length ? DATA.days[0] : ALL;
  function show(day) {
    panes.forEach(function (p) { p.day = day; p.draw(); });
    renderKpis(day);
  }
  select.addEventListener("change", function () { show(select.value); });
  show(select.value);
  renderShading();
  // The KPI panel and the side-by-side panes settle the maps' sizes only now.
  panes.forEach(function (p) {
    p.map.invalidateSize();
    if (p.bounds.isValid()) p.map.fitBounds(p.bounds);
  });

  // For tests and scripts: the routes each map draws now.
  window.islandroute = {
    drawnRoutes: function () { return panes.map(function (p) { return p.drawn; }); },
    showDay: function (day) { select.value = day; show(day); },
    focusRoute: function (pane, vehicle, day) { return panes[pane].focus(vehicle, day); },
    openPlace: function (pane, id) {
      var marker = panes[pane].markers[id];
      marker.openPopup();
      return marker.getPopup().getContent();
    }
  };
})();
