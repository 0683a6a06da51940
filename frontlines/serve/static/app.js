// The frontlines map page: events from /api/events on an offline basemap, filtered by
// type, certainty, actor and a time slider; a side panel shows an event's evidence in
// its document. Text from documents is untrusted: it only ever reaches the page through
// textContent / text nodes, never through innerHTML or Leaflet's HTML strings.
(function () {
  "use strict";

  var TYPE_LABELS = {
    battle: "Battles",
    remote_violence: "Explosions/Remote violence",
    violence_against_civilians: "Violence against civilians",
    protest: "Protests",
    riot: "Riots",
    strategic_development: "Strategic developments",
  };
  var CERTAINTIES = ["asserted", "reported", "unconfirmed", "possible", "denied"];
  var DAY_MS = 86400000;
  var LIST_MAX = 300;

  var state = {
    meta: null,
    events: [],
    control: [],
    types: new Set(Object.keys(TYPE_LABELS)),
    certainties: new Set(CERTAINTIES),
    actor: "",
    comments: false,
    showControl: true,
    firstDay: 0,
    day: 0,
    windowDays: 0,
    selected: null,
  };

  // -- small helpers ------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function dayNumber(iso) {
    return Math.floor(Date.parse(iso + "T00:00:00Z") / DAY_MS);
  }

  function isoDay(number) {
    return new Date(number * DAY_MS).toISOString().slice(0, 10);
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  function actorName(ref) {
    return ref ? ref.name || ref.id : "—";
  }

  var PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
    "#a6761d", "#1f78b4", "#b2182b", "#4d4d4d", "#8dd3c7", "#fb9a99"];
  var actorColours = {};

  function colourFor(actorId) {
    if (!(actorId in actorColours)) {
      actorColours[actorId] = PALETTE[Object.keys(actorColours).length % PALETTE.length];
    }
    return actorColours[actorId];
  }

  function quantile(sorted, q) {
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  // A polygon that crosses the antimeridian (Russia, Fiji) would be drawn across the
  // whole map: move its western half by 360 degrees so that its rings stay continuous.
  function unwrap(geometry) {
    if (!geometry || (geometry.type !== "Polygon" && geometry.type !== "MultiPolygon")) return;
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    polygons.forEach(function (rings) {
      rings.forEach(function (ring) {
        var east = ring.some(function (p) { return p[0] > 150; });
        var west = ring.some(function (p) { return p[0] < -150; });
        if (east && west) ring.forEach(function (p) { if (p[0] < 0) p[0] += 360; });
      });
    });
  }

  function dateSpan(ev) {
    if (!ev.date_start) return "undated";
    if (!ev.date_end || ev.date_end === ev.date_start) return ev.date_start;
    return ev.date_start + " – " + ev.date_end + " (" + ev.time_precision + ")";
  }

  // -- data ---------------------------------------------------------------------------

  function loadEvents(offset, acc) {
    var url = "/api/events?located=true&comments=true&limit=1000&offset=" + offset;
    return getJSON(url).then(function (page) {
      acc = acc.concat(page.items);
      if (acc.length < page.total && page.items.length) return loadEvents(acc.length, acc);
      return acc;
    });
  }

  // -- map ----------------------------------------------------------------------------

  var map = L.map("map", { minZoom: 3, maxZoom: 14, worldCopyJump: true }).setView([35, 41], 6);
  map.createPane("basemap");
  map.getPane("basemap").style.zIndex = 250;
  map.createPane("rivers");
  map.getPane("rivers").style.zIndex = 260;
  map.attributionControl.setPrefix("Leaflet");
  var clusters = L.markerClusterGroup({
    maxClusterRadius: 40,
    disableClusteringAtZoom: 11,
    spiderfyOnMaxZoom: true,
  });
  var controlLayer = L.layerGroup();
  clusters.addTo(map);
  controlLayer.addTo(map);
  var legend = L.control({ position: "bottomleft" });
  var legendBox = el("div", "legend");
  legend.onAdd = function () {
    return legendBox;
  };
  legend.addTo(map);

  function addBasemap(meta) {
    if (meta.tile_url) {
      L.tileLayer(meta.tile_url, {
        attribution: escapeText(meta.tile_attribution || ""),
        maxZoom: 18,
      }).addTo(map);
    }
    var files = meta.basemap || {};
    if (files.countries) {
      getJSON(files.countries).then(function (topo) {
        var land = topojson.feature(topo, topo.objects.countries);
        land.features.forEach(function (f) { unwrap(f.geometry); });
        L.geoJSON(land, {
          pane: "basemap",
          interactive: false,
          style: { color: "#8a8a8a", weight: 1, fillColor: "#f2efe6", fillOpacity: 1 },
        }).addTo(map);
      });
      map.attributionControl.addAttribution("Natural Earth (world-atlas)");
    }
    if (files.rivers) {
      getJSON(files.rivers).then(function (topo) {
        if (!topo.objects.rivers) return;
        L.geoJSON(topojson.feature(topo, topo.objects.rivers), {
          pane: "rivers",
          interactive: false,
          style: { color: "#4a90c2", weight: 1.5, opacity: 0.9 },
        }).addTo(map);
      });
    }
  }

  function escapeText(text) {
    var entities = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
    return text.replace(/[&<>"']/g, function (c) { return entities[c]; });
  }

  function markerFor(ev) {
    var classes = "fl-marker fl-type-" + ev.type + " fl-cert-" + ev.certainty;
    if (ev.from_comment) classes += " fl-comment";
    var size = ev.place.geo_precision === 1 ? 14 : ev.place.geo_precision === 2 ? 12 : 10;
    var marker = L.marker([ev.place.lat, ev.place.lon], {
      icon: L.divIcon({ className: classes, iconSize: [size, size], html: "" }),
      keyboard: true,
      title: "",
    });
    var tip = el("div");
    tip.appendChild(el("strong", null, TYPE_LABELS[ev.type] || ev.type));
    tip.appendChild(el("div", null, ev.place.name + " · " + dateSpan(ev)));
    tip.appendChild(el("div", "cert", ev.certainty + (ev.from_comment ? " · reader comment" : "")));
    marker.bindTooltip(tip);
    marker.on("add", function () {
      var node = marker.getElement();
      if (node) {
        node.dataset.id = ev.id;
        node.dataset.type = ev.type;
      }
    });
    marker.on("click", function () {
      openEvent(ev.id);
    });
    return marker;
  }

  // -- filtering and drawing ----------------------------------------------------------

  function visibleEvents() {
    var lastDay = Number(document.getElementById("time-slider").max) + state.firstDay;
    var atEnd = state.day >= lastDay;
    return state.events.filter(function (ev) {
      if (!state.types.has(ev.type) || !state.certainties.has(ev.certainty)) return false;
      if (ev.from_comment && !state.comments) return false;
      if (state.actor) {
        var a1 = ev.actor1 && ev.actor1.id, a2 = ev.actor2 && ev.actor2.id;
        if (a1 !== state.actor && a2 !== state.actor) return false;
      }
      if (!ev.date_start) return atEnd;
      if (ev._start > state.day) return false;
      return !(state.windowDays && ev._end < state.day - state.windowDays);
    });
  }

  function render() {
    var shown = visibleEvents();
    clusters.clearLayers();
    clusters.addLayers(shown.map(markerFor));
    document.getElementById("time-label").textContent = isoDay(state.day);
    document.getElementById("event-count").textContent =
      shown.length + " of " + state.events.length + " events";
    renderList(shown);
    renderControl();
  }

  function renderList(shown) {
    var list = document.getElementById("event-list");
    list.replaceChildren();
    var ordered = shown.slice().sort(function (a, b) {
      return (b.date_start || "").localeCompare(a.date_start || "");
    });
    ordered.slice(0, LIST_MAX).forEach(function (ev) {
      var item = el("li", "event-item");
      item.tabIndex = 0;
      item.dataset.id = ev.id;
      item.dataset.type = ev.type;
      item.dataset.date = ev.date_start || "";
      var swatch = el("span", "swatch fl-type-" + ev.type);
      item.appendChild(swatch);
      item.appendChild(el("span", null, (ev.date_start || "undated") + " · "));
      item.appendChild(el("strong", null, ev.place.name));
      item.appendChild(el("span", null, " · " + (TYPE_LABELS[ev.type] || ev.type)));
      item.appendChild(el("span", "cert", " · " + ev.certainty));
      item.appendChild(el("span", null, " · " + (ev.source || "")));
      item.addEventListener("click", function () { openEvent(ev.id); });
      item.addEventListener("keydown", function (e) {
        if (e.key === "Enter") openEvent(ev.id);
      });
      list.appendChild(item);
    });
    if (ordered.length > LIST_MAX) {
      list.appendChild(el("li", "hint", (ordered.length - LIST_MAX) + " more on the map"));
    }
  }

  function holderOn(spells, day) {
    var iso = isoDay(day);
    for (var i = 0; i < spells.length; i++) {
      var s = spells[i];
      if (s.since && s.since <= iso && (!s.until || iso < s.until)) return s;
    }
    return null;
  }

  function renderControl() {
    controlLayer.clearLayers();
    legendBox.replaceChildren();
    if (!state.showControl) return;
    var byPlace = {};
    state.control.forEach(function (s) {
      if (s.place.lat === undefined || s.place.lat === null) return;
      (byPlace[s.place.id] = byPlace[s.place.id] || []).push(s);
    });
    var holders = {};
    Object.keys(byPlace).forEach(function (placeId) {
      var spell = holderOn(byPlace[placeId], state.day);
      if (!spell) return;
      var colour = colourFor(spell.actor.id);
      holders[spell.actor.id] = { name: actorName(spell.actor), colour: colour };
      var icon = L.divIcon({ className: "fl-control", iconSize: [11, 11], html: "" });
      var marker = L.marker([spell.place.lat, spell.place.lon], { icon: icon, zIndexOffset: -500 });
      marker.on("add", function () {
        var node = marker.getElement();
        if (node) {
          node.style.background = colour;
          node.dataset.place = placeId;
          node.dataset.actor = spell.actor.id;
        }
      });
      var tip = el("div");
      tip.appendChild(el("strong", null, spell.place.name));
      tip.appendChild(el("div", null, "held by " + actorName(spell.actor) +
        " since " + spell.since + (spell.until ? " until " + spell.until : "")));
      tip.appendChild(el("div", "hint", spell.evidence.length + " event(s) say so"));
      marker.bindTooltip(tip);
      controlLayer.addLayer(marker);
    });
    var ids = Object.keys(holders);
    if (!ids.length) return;
    legendBox.appendChild(el("strong", null, "Control on " + isoDay(state.day)));
    ids.forEach(function (id) {
      var row = el("div");
      var sw = el("span", "swatch fl-control");
      sw.style.background = holders[id].colour;
      row.appendChild(sw);
      row.appendChild(document.createTextNode(" " + holders[id].name));
      legendBox.appendChild(row);
    });
  }

  // -- the side panel -----------------------------------------------------------------

  function openEvent(id) {
    state.selected = id;
    return getJSON("/api/events/" + encodeURIComponent(id)).then(showDetails);
  }

  function field(dl, name, value) {
    dl.appendChild(el("dt", null, name));
    dl.appendChild(el("dd", null, value === null || value === undefined ? "—" : value));
  }

  function showDetails(ev) {
    var box = document.getElementById("details");
    box.replaceChildren();
    box.hidden = false;
    box.dataset.id = ev.id;
    var title = (TYPE_LABELS[ev.type] || ev.type) + ": " + ev.sub_type.replace(/_/g, " ");
    box.appendChild(el("h2", null, title));
    var dl = el("dl", "fields");
    field(dl, "when", dateSpan(ev));
    field(dl, "where", ev.place ? ev.place.name + " (precision " + ev.place.geo_precision + ")" : null);
    field(dl, "actor 1", actorName(ev.actor1));
    field(dl, "actor 2", actorName(ev.actor2));
    field(dl, "fatalities", ev.fatalities);
    field(dl, "certainty", ev.certainty);
    field(dl, "attributed to", ev.attributed_to);
    field(dl, "source", (ev.source || "?") + (ev.published ? ", " + ev.published : ""));
    field(dl, "title", ev.title);
    if (ev.from_comment) field(dl, "found in", "a reader comment, not the article");
    box.appendChild(dl);
    if (ev.document && ev.document.url) {
      var link = el("a", null, ev.document.url);
      link.href = /^https?:\/\//.test(ev.document.url) ? ev.document.url : "#";
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      box.appendChild(link);
    }

    box.appendChild(el("h3", null, "Evidence in its document"));
    var text = el("div", "doc-text");
    text.id = "doc-text";
    if (ev.document) {
      // Offsets count code points (Python's str); JavaScript strings count UTF-16 units.
      var chars = Array.from(ev.document.text);
      var start = ev.evidence.start, end = ev.evidence.end;
      // Spans may carry the whitespace that follows a sentence: keep it out of the mark.
      while (start < end && /\s/.test(chars[start])) start++;
      while (end > start && /\s/.test(chars[end - 1])) end--;
      text.appendChild(document.createTextNode(chars.slice(0, start).join("")));
      var mark = el("mark", null, chars.slice(start, end).join(""));
      mark.id = "evidence";
      text.appendChild(mark);
      text.appendChild(document.createTextNode(chars.slice(end).join("")));
    } else {
      var lone = el("mark", null, ev.evidence.text);
      lone.id = "evidence";
      text.appendChild(lone);
    }
    box.appendChild(text);

    var cluster = ev.cluster;
    var others = cluster ? cluster.members.filter(function (m) { return m.id !== ev.id; }) : [];
    box.appendChild(el("h3", null, cluster
      ? "Other sources in its cluster (" + cluster.corroboration + " independent)"
      : "Other sources"));
    if (!others.length) box.appendChild(el("p", "hint", "No other source reports it."));
    var list = el("ul", "related");
    list.id = "cluster-members";
    others.forEach(function (m) { list.appendChild(relatedItem(m, null)); });
    box.appendChild(list);

    box.appendChild(el("h3", null, "Contradictions"));
    if (!ev.contradictions.length) box.appendChild(el("p", "hint", "None found."));
    var contra = el("ul", "related");
    contra.id = "contradictions";
    ev.contradictions.forEach(function (c) {
      if (c.other) contra.appendChild(relatedItem(c.other, c.reason));
    });
    box.appendChild(contra);

    var mark2 = document.getElementById("evidence");
    if (mark2) {
      text.scrollTop = Math.max(0, mark2.offsetTop - text.offsetTop - 60);
    }
    document.getElementById("panel").scrollTop = 0;
  }

  function relatedItem(m, reason) {
    var item = el("li", reason ? "contradiction" : null);
    if (reason) item.appendChild(el("div", null, reason));
    var open = el("button", "linkish", (m.source || "?") + (m.published ? ", " + m.published : ""));
    open.type = "button";
    open.addEventListener("click", function () { openEvent(m.id); });
    item.appendChild(open);
    item.appendChild(el("span", "cert", " · " + m.certainty +
      (m.attributed_to ? " (" + m.attributed_to + ")" : "") +
      (m.fatalities !== null && m.fatalities !== undefined ? " · " + m.fatalities + " killed" : "")));
    item.appendChild(el("div", "quote", "“" + m.evidence + "”"));
    return item;
  }

  // -- controls -----------------------------------------------------------------------

  function checkbox(container, id, label, checked, onChange) {
    var wrap = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.id = id;
    box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); render(); });
    wrap.appendChild(box);
    wrap.appendChild(document.createTextNode(" " + label));
    container.appendChild(wrap);
  }

  function buildControls(meta) {
    var types = document.getElementById("filter-types");
    meta.types.forEach(function (t) {
      checkbox(types, "filter-type-" + t.type, (TYPE_LABELS[t.type] || t.type) + " (" + t.count + ")",
        true, function (on) { if (on) state.types.add(t.type); else state.types.delete(t.type); });
      var sw = el("span", "swatch fl-type-" + t.type);
      types.lastChild.insertBefore(sw, types.lastChild.firstChild.nextSibling);
    });
    var certs = document.getElementById("filter-certainties");
    CERTAINTIES.forEach(function (c) {
      checkbox(certs, "filter-certainty-" + c, c, true, function (on) {
        if (on) state.certainties.add(c); else state.certainties.delete(c);
      });
    });
    var actor = document.getElementById("filter-actor");
    meta.actors.forEach(function (a) {
      var option = el("option", null, a.name + " (" + a.count + ")");
      option.value = a.id;
      actor.appendChild(option);
    });
    actor.addEventListener("change", function () { state.actor = actor.value; render(); });
    var comments = document.getElementById("filter-comments");
    comments.addEventListener("change", function () { state.comments = comments.checked; render(); });
    var control = document.getElementById("filter-control");
    control.addEventListener("change", function () { state.showControl = control.checked; render(); });

    var slider = document.getElementById("time-slider");
    var first = meta.date_min ? dayNumber(meta.date_min) : dayNumber("2014-01-01");
    var last = meta.date_max ? dayNumber(meta.date_max) : first;
    state.firstDay = first;
    slider.min = "0";
    slider.max = String(last - first);
    slider.value = slider.max;
    state.day = last;
    slider.addEventListener("input", function () {
      state.day = first + Number(slider.value);
      render();
    });
    var windowSelect = document.getElementById("time-window");
    windowSelect.addEventListener("change", function () {
      state.windowDays = Number(windowSelect.value);
      render();
    });
  }

  // Fit the map to where most reports are (the middle 90% of article events), so
  // that one far-off mention does not zoom the theatre out of sight.
  function fitToEvents() {
    var located = state.events.filter(function (e) { return !e.from_comment; });
    if (!located.length) return;
    var lats = located.map(function (e) { return e.place.lat; }).sort(function (a, b) { return a - b; });
    var lons = located.map(function (e) { return e.place.lon; }).sort(function (a, b) { return a - b; });
    var bounds = L.latLngBounds(
      [quantile(lats, 0.05), quantile(lons, 0.05)],
      [quantile(lats, 0.95), quantile(lons, 0.95)]
    );
    map.fitBounds(bounds.pad(0.15), { maxZoom: 9 });
  }

  Promise.all([getJSON("/api/meta"), loadEvents(0, []), getJSON("/api/control")])
    .then(function (results) {
      var meta = results[0];
      state.meta = meta;
      state.events = results[1].map(function (ev) {
        if (ev.date_start) {
          ev._start = dayNumber(ev.date_start);
          ev._end = dayNumber(ev.date_end || ev.date_start);
        }
        return ev;
      });
      state.control = results[2].items;
      addBasemap(meta);
      buildControls(meta);
      fitToEvents();
      render();
      document.body.dataset.ready = "true";
    })
    .catch(function (err) {
      var box = document.getElementById("details");
      box.hidden = false;
      box.replaceChildren(el("p", "error", "Could not load the data: " + err.message));
      document.body.dataset.ready = "error";
    });

  // For tests and for the browser console.
  window.frontlines = {
    map: map,
    state: state,
    openEvent: openEvent,
    visible: function () {
      return visibleEvents().map(function (ev) {
        return { id: ev.id, type: ev.type, date_start: ev.date_start, certainty: ev.certainty };
      });
    },
  };
})();
