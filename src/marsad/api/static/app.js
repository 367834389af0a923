// Marsad workspace dashboard. Every string that comes from an article or the API is put in the
// page as a DOM text node (textContent) or an attribute value, never parsed as HTML.
"use strict";

(function () {
  const TYPE_COLOURS = {
    "Battles": "#d63638",
    "Explosions/Remote violence": "#dd8232",
    "Violence against civilians": "#8c5fc7",
    "Strategic developments": "#2271b1",
    "Protests": "#00a32a",
    "Riots": "#996800",
  };
  const OTHER_COLOUR = "#50575e";
  const PAGE = 500;
  const CORRECTABLE = [
    ["event_type", "Type"], ["sub_event_type", "Sub-type"], ["actor1", "Actor 1"], ["actor2", "Actor 2"],
    ["location", "Location"], ["admin1", "Admin1"], ["latitude", "Latitude"], ["longitude", "Longitude"],
    ["fatalities", "Fatalities"],
  ];
  const NUMERIC = new Set(["latitude", "longitude", "fatalities"]);

  const state = { offset: 0, total: 0, items: [], selected: null, markers: new Map(), facets: null, fitted: false };
  let map = null;
  let markerLayer = null;

  // ---- DOM helpers: text only ------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = String(value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function show(value) { return value === null || value === undefined || value === "" ? "—" : String(value); }
  function $(id) { return document.getElementById(id); }
  function colour(type) { return TYPE_COLOURS[type] || OTHER_COLOUR; }
  function radius(fatalities) { return Math.min(22, 4 + 2 * Math.sqrt(Math.max(0, fatalities || 0))); }
  function safeUrl(value) {
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  // ---- API -------------------------------------------------------------------------------------
  function token() { return sessionStorage.getItem("marsad-token") || ""; }
  async function api(path, options) {
    const response = await fetch(path, options);
    const type = response.headers.get("content-type") || "";
    const body = type.includes("json") ? await response.json() : await response.text();
    if (!response.ok) {
      const message = body && body.error ? body.error.message : "request failed";
      throw new Error(response.status + ": " + message);
    }
    return body;
  }
  function setError(message) { $("error").textContent = message || ""; }
  // The offline map files: parsed as JSON whatever content type the server gives ".geojson".
  async function mapFile(path) {
    const response = await fetch(path);
    if (!response.ok) throw new Error(response.status + ": " + path);
    return response.json();
  }

  function filterParams() {
    const form = $("filters");
    const params = new URLSearchParams();
    for (const name of ["date_from", "date_to", "country", "admin1", "event_type", "actor", "outlet",
                        "claim_status", "review_status", "q"]) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    if (form.elements.in_view.checked && map) {
      const b = map.getBounds();
      const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
      params.set("bbox", [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
                          clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].map((v) => v.toFixed(4)).join(","));
    }
    return params;
  }

  // ---- filters ---------------------------------------------------------------------------------
  function fillSelect(select, values) {
    for (const value of values) select.append(el("option", { value: value, text: value }));
  }
  async function loadFacets() {
    const facets = await api("/api/facets");
    state.facets = facets;
    const form = $("filters");
    fillSelect(form.elements.country, facets.countries);
    fillSelect(form.elements.admin1, facets.admin1);
    fillSelect(form.elements.event_type, facets.event_types);
    fillSelect(form.elements.outlet, facets.outlets);
    fillSelect(form.elements.claim_status, facets.claim_statuses);
    const legend = $("legend");
    clear(legend);
    for (const [type, hex] of Object.entries(TYPE_COLOURS)) {
      const swatch = el("span", { class: "swatch" });
      swatch.style.background = hex;
      legend.append(el("span", {}, swatch, type));
    }
    legend.append(el("span", { class: "muted", text: "size: fatalities" }));
  }

  // ---- map -------------------------------------------------------------------------------------
  async function initMap() {
    map = L.map("map", { attributionControl: false, worldCopyJump: true, minZoom: 2 }).setView([25, 40], 4);
    L.control.attribution({ prefix: false }).addTo(map);
    map.attributionControl.addAttribution("Boundaries: Natural Earth");
    // drawn bottom to top: country fill, admin-1 lines, then the events (Leaflet's overlay pane, 400)
    map.createPane("countries").style.zIndex = "300";
    map.createPane("admin1").style.zIndex = "350";
    markerLayer = L.featureGroup().addTo(map);
    loadAdmin1(); // not awaited: the events need not wait for the boundaries
    try {
      const countries = await mapFile("/static/vendor/countries.geojson");
      L.geoJSON(countries, {
        pane: "countries",
        style: { color: "#8c8f94", weight: 0.8, fillColor: "#f0f0e8", fillOpacity: 1 },
        interactive: false,
      }).addTo(map);
    } catch (e) {
      setError("basemap: " + e.message);
    }
    map.on("moveend", () => { if ($("filters").elements.in_view.checked) reload(); });
  }

  // Natural Earth states and provinces as thin lines, each unit named on hover. Optional: if the
  // file does not load the map shows the countries only (and says so on the console).
  async function loadAdmin1() {
    const box = $("map");
    try {
      const units = await mapFile("/static/vendor/admin1.geojson");
      const layer = L.geoJSON(units, {
        pane: "admin1",
        className: "admin1-boundary",
        style: { color: "#a7aaad", weight: 0.6, dashArray: "3 2", fill: true, fillOpacity: 0 },
        onEachFeature: (feature, unit) => {
          const name = String((feature.properties && feature.properties.name) || "");
          unit.bindTooltip(() => el("span", { class: "marsad-tip", text: name }), { sticky: true });
        },
      }).addTo(map);
      layer.eachLayer((unit) => {
        const path = unit.getElement && unit.getElement();
        const props = unit.feature.properties || {};
        if (!path) return;
        path.setAttribute("data-admin1", String(props.name || ""));
        path.setAttribute("data-iso", String(props.iso || ""));
      });
      box.setAttribute("data-admin1", String(layer.getLayers().length));
    } catch (e) {
      box.setAttribute("data-admin1", "unavailable");
      console.warn("admin-1 boundaries not loaded (" + e.message + "); showing countries only");
    }
  }

  function drawMarkers() {
    markerLayer.clearLayers();
    state.markers.clear();
    // biggest first, so that a small event is never hidden under a big one
    const drawn = state.items.slice().sort((a, b) => (b.fatalities || 0) - (a.fatalities || 0));
    for (const ev of drawn) {
      if (ev.latitude === null || ev.longitude === null) continue;
      const marker = L.circleMarker([ev.latitude, ev.longitude], {
        radius: radius(ev.fatalities), color: "#1d2327", weight: 1, fillColor: colour(ev.event_type),
        fillOpacity: ev.review_status === "rejected" ? 0.2 : 0.8, className: "event-marker",
      });
      const tip = el("div", { class: "marsad-tip" },
        el("strong", { text: ev.event_type }), el("br"), show(ev.event_date) + " · " + show(ev.location),
        el("br"), "killed: " + show(ev.fatalities));
      marker.bindTooltip(tip);
      marker.on("click", () => selectEvent(ev.id));
      marker.addTo(markerLayer);
      state.markers.set(ev.id, marker);
      const path = marker.getElement && marker.getElement();
      if (path) path.setAttribute("data-event-id", ev.id);
    }
    if (!state.fitted && markerLayer.getLayers().length) {
      map.fitBounds(markerLayer.getBounds().pad(0.3), { maxZoom: 8 });
      state.fitted = true;
    }
    $("map").setAttribute("data-markers", String(markerLayer.getLayers().length));
  }

  // ---- timeline --------------------------------------------------------------------------------
  function drawTimeline(perDay) {
    const box = $("timeline");
    clear(box);
    const days = perDay.filter((d) => d.date);
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 1000 90");
    svg.setAttribute("preserveAspectRatio", "none");
    box.append(svg);
    if (!days.length) return;
    const first = new Date(days[0].date + "T00:00:00Z").getTime();
    const last = new Date(days[days.length - 1].date + "T00:00:00Z").getTime();
    const span = Math.max(1, Math.round((last - first) / 86400000) + 1);
    const width = 1000 / span;
    const most = Math.max(...days.map((d) => d.events));
    for (const d of days) {
      const i = Math.round((new Date(d.date + "T00:00:00Z").getTime() - first) / 86400000);
      const h = Math.max(2, (d.events / most) * 70);
      const rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", String(i * width));
      rect.setAttribute("y", String(75 - h));
      rect.setAttribute("width", String(Math.max(1, width - 1)));
      rect.setAttribute("height", String(h));
      const title = document.createElementNS(ns, "title");
      title.textContent = d.date + ": " + d.events + " events, " + d.fatalities + " killed";
      rect.append(title);
      rect.addEventListener("click", () => {
        const form = $("filters");
        form.elements.date_from.value = d.date;
        form.elements.date_to.value = d.date;
        reload();
      });
      svg.append(rect);
    }
    for (const [x, label, anchor] of [[0, days[0].date, "start"], [1000, days[days.length - 1].date, "end"]]) {
      const text = document.createElementNS(ns, "text");
      text.setAttribute("x", String(x));
      text.setAttribute("y", "88");
      text.setAttribute("text-anchor", anchor);
      text.textContent = label;
      svg.append(text);
    }
  }

  // ---- table -----------------------------------------------------------------------------------
  function drawTable() {
    const body = $("events").tBodies[0];
    clear(body);
    for (const ev of state.items) {
      const row = el("tr", { "data-event-id": ev.id, class: ev.id === state.selected ? "selected" : null },
        el("td", { text: show(ev.event_date) }),
        el("td", { text: ev.event_type }),
        el("td", { dir: "auto", text: [ev.location, ev.admin1, ev.iso].filter(Boolean).join(", ") || "—" }),
        el("td", { dir: "auto", text: [ev.actor1, ev.actor2].filter(Boolean).join(" vs ") || "—" }),
        el("td", { text: show(ev.fatalities) }),
        el("td", { dir: "auto", text: show(ev.outlet) }),
        el("td", { text: ev.review_status || "" }));
      row.addEventListener("click", () => selectEvent(ev.id));
      body.append(row);
    }
    const end = state.offset + state.items.length;
    $("page").textContent = state.total ? (state.offset + 1) + "–" + end + " of " + state.total : "no events";
    $("prev").disabled = state.offset === 0;
    $("next").disabled = end >= state.total;
  }

  async function reload() {
    setError("");
    const params = filterParams();
    for (const [id, format] of [["export-csv", "acled-csv"], ["export-geojson", "geojson"], ["export-jsonl", "jsonl"]]) {
      const p = new URLSearchParams(params);
      p.set("format", format);
      $(id).setAttribute("href", "/api/export?" + p.toString());
    }
    try {
      const list = new URLSearchParams(params);
      list.set("limit", String(PAGE));
      list.set("offset", String(state.offset));
      const [page, stats] = await Promise.all([api("/api/events?" + list), api("/api/stats?" + params)]);
      state.items = page.items;
      state.total = page.total;
      $("summary").textContent = stats.events + " events, " + stats.fatalities + " killed";
      drawMarkers();
      drawTable();
      drawTimeline(stats.per_day);
      document.body.setAttribute("data-loaded", String(Date.now()));
    } catch (e) {
      setError(e.message);
    }
  }

  // ---- event panel -----------------------------------------------------------------------------
  // The document's text with the evidence spans wrapped in <mark>, built from text nodes.
  function highlighted(text, evidence, field) {
    const spans = evidence
      .filter((e) => (e.field || "text") === field && e.start >= 0 && e.end <= text.length && e.start < e.end)
      .sort((a, b) => a.start - b.start || b.end - a.end);
    const fragment = document.createDocumentFragment();
    let at = 0;
    for (const span of spans) {
      if (span.start < at) continue; // overlapping evidence: the first span wins
      if (span.start > at) fragment.append(document.createTextNode(text.slice(at, span.start)));
      fragment.append(el("mark", { class: "ev ev-" + String(span.role).replace(/[^a-z0-9_-]/gi, ""),
                                   title: span.role, "data-role": span.role, text: text.slice(span.start, span.end) }));
      at = span.end;
    }
    if (at < text.length) fragment.append(document.createTextNode(text.slice(at)));
    return fragment;
  }

  function fieldList(pairs) {
    const dl = el("dl");
    for (const [label, value] of pairs) dl.append(el("dt", { text: label }), el("dd", { dir: "auto", text: show(value) }));
    return dl;
  }

  function claimItem(claim) {
    return el("li", { dir: "auto" },
      el("span", { class: "badge", text: claim.stance }), " ",
      el("strong", { text: claim.holder }), claim.cue ? " (" + claim.cue + ")" : "", ": ",
      el("span", { class: "quote", lang: "ar", dir: "rtl", text: claim.sentence }));
  }

  function contradictionItem(c) {
    return el("li", {},
      el("strong", { text: c.aspect }), ": ",
      el("span", { class: "quote", dir: "auto", text: c.a_value + " (" + c.a_holder + (c.a_source ? ", " + c.a_source : "") + ")" }),
      " vs ",
      el("span", { class: "quote", dir: "auto", text: c.b_value + " (" + c.b_holder + (c.b_source ? ", " + c.b_source : "") + ")" }),
      el("div", { class: "muted", text: c.explanation }));
  }

  function documentBlock(doc, evidence) {
    const url = doc.url ? safeUrl(doc.url) : null;
    const source = el("div", { class: "muted" }, show(doc.outlet) + " · " + show(doc.published) + " · ");
    if (url) source.append(el("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank", text: doc.url }));
    else if (doc.url) source.append(el("span", { class: "quote", text: doc.url }));
    return el("div", { class: "document", "data-document-id": doc.document_id },
      source,
      el("p", { class: "doc-title", lang: "ar", dir: "rtl" }, highlighted(doc.title || "", evidence, "title")),
      el("div", { class: "doc-text", lang: "ar", dir: "rtl" }, highlighted(doc.text || "", evidence, "text")));
  }

  function reviewBlock(ev) {
    const box = el("div", { class: "review" });
    if (!token()) {
      box.append(el("p", { class: "muted", text: "Paste a reviewer token above to confirm, reject or correct this event." }));
      return box;
    }
    const message = el("span", { class: "review-message", role: "status" });
    const send = async (action, changes) => {
      try {
        const reviewer = $("reviewer").value.trim() || "reviewer";
        await api("/api/events/" + encodeURIComponent(ev.id), {
          method: "PATCH",
          headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token() },
          body: JSON.stringify({ action: action, changes: changes || {}, reviewer: reviewer }),
        });
        await reload();
        await selectEvent(ev.id);
        const now = document.querySelector("#panel .review-message");
        if (now) now.textContent = "Saved (" + action + ").";
      } catch (e) {
        message.textContent = e.message;
      }
    };
    box.append(el("div", { class: "review-actions" },
      el("button", { type: "button", id: "review-confirm", onclick: () => send("confirm") , text: "Confirm" }),
      el("button", { type: "button", id: "review-reject", onclick: () => send("reject"), text: "Reject" }),
      message));
    const form = el("form", { class: "review-form", id: "review-form" });
    for (const [name, label] of CORRECTABLE) {
      let input;
      if (name === "event_type") {
        input = el("select", { name: name });
        for (const type of Object.keys(TYPE_COLOURS)) input.append(el("option", { value: type, text: type }));
      } else {
        input = el("input", { name: name, type: NUMERIC.has(name) ? "number" : "text", dir: "auto",
                              step: name === "fatalities" ? "1" : "any" });
      }
      input.value = ev[name] === null || ev[name] === undefined ? "" : String(ev[name]);
      form.append(el("label", { for: "fix-" + name, text: label }), input);
      input.id = "fix-" + name;
    }
    form.append(el("span"), el("button", { type: "submit", id: "review-correct", text: "Save correction" }));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const changes = {};
      for (const [name] of CORRECTABLE) {
        const raw = form.elements[name].value.trim();
        const before = ev[name] === null || ev[name] === undefined ? "" : String(ev[name]);
        if (raw === before) continue;
        changes[name] = raw === "" ? null : NUMERIC.has(name) ? Number(raw) : raw;
      }
      if (!Object.keys(changes).length) { message.textContent = "Nothing changed."; return; }
      send("correct", changes);
    });
    box.append(form);
    return box;
  }

  async function selectEvent(id) {
    state.selected = id;
    for (const row of $("events").tBodies[0].rows) row.classList.toggle("selected", row.getAttribute("data-event-id") === id);
    const panel = $("panel");
    let ev;
    try {
      ev = await api("/api/events/" + encodeURIComponent(id));
    } catch (e) {
      setError(e.message);
      return;
    }
    clear(panel);
    panel.setAttribute("data-event-id", ev.id);
    const badge = ev.review_status ? el("span", { class: "badge badge-" + ev.review_status, id: "review-status", text: ev.review_status }) : null;
    panel.append(el("h2", {}, el("span", { text: ev.event_type + " — " + ev.sub_event_type + " " }), badge));
    panel.append(fieldList([
      ["Date", ev.event_date], ["Place", [ev.location, ev.admin1, ev.country].filter(Boolean).join(", ")],
      ["Coordinates", ev.latitude === null ? null : ev.latitude + ", " + ev.longitude],
      ["Actor 1", ev.actor1], ["Actor 2", ev.actor2], ["Fatalities", ev.fatalities + " (" + ev.fatalities_low + "–" + ev.fatalities_high + ")"],
      ["Injured", ev.injured], ["According to", ev.source_attribution], ["Stance", ev.stance],
      ["Claim status", ev.claim_status], ["Confidence", ev.confidence], ["Event id", ev.id],
    ]));
    const machine = ev.machine_values || {};
    if (Object.keys(machine).length) {
      panel.append(el("h3", { text: "Machine values (before review)" }),
        fieldList(Object.entries(machine)));
    }
    panel.append(el("h3", { text: "Review" }), reviewBlock(ev));
    panel.append(el("h3", { text: "Evidence" }));
    const list = el("ul", { class: "evidence-list" });
    for (const e of ev.evidence) {
      list.append(el("li", {}, el("span", { class: "badge", text: e.role }), " ",
        el("span", { class: "quote", lang: "ar", dir: "rtl", text: e.text })));
    }
    panel.append(list);
    const claims = ev.claims || [];
    panel.append(el("h3", { text: "Claims (" + claims.length + ")" }));
    const claimList = el("ul", { class: "claims" });
    for (const c of claims) claimList.append(claimItem(c));
    if (!claims.length) claimList.append(el("li", { class: "muted", text: "No claims recorded for this event." }));
    panel.append(claimList);
    const contradictions = ev.contradictions || [];
    panel.append(el("h3", { text: "Contradictions (" + contradictions.length + ")" }));
    const cList = el("ul", { class: "contradictions" });
    for (const c of contradictions) cList.append(contradictionItem(c));
    if (!contradictions.length) cList.append(el("li", { class: "muted", text: "No contradicting accounts recorded." }));
    panel.append(cList);
    if (ev.incident) {
      panel.append(el("h3", { text: "Incident" }),
        fieldList([["Incident", ev.incident.id], ["Grade", ev.incident.grade], ["Reports", ev.incident.n_reports],
                   ["Outlets", (ev.incident.outlets || []).join("; ")]]));
    }
    panel.append(el("h3", { text: "Source text" }));
    ev.documents.forEach((doc, i) => panel.append(documentBlock(doc, i === 0 || doc.document_id === ev.document_id ? ev.evidence : [])));
    panel.setAttribute("data-loaded", String(Date.now()));
  }

  // ---- start -----------------------------------------------------------------------------------
  function initToken() {
    const stateLabel = $("token-state");
    const refresh = () => { stateLabel.textContent = token() ? "review enabled" : ""; };
    $("reviewer").value = sessionStorage.getItem("marsad-reviewer") || "";
    $("token-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const value = $("token").value.trim();
      if (value) sessionStorage.setItem("marsad-token", value);
      else sessionStorage.removeItem("marsad-token");
      sessionStorage.setItem("marsad-reviewer", $("reviewer").value.trim());
      $("token").value = "";
      refresh();
      if (state.selected) selectEvent(state.selected);
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", async () => {
    initToken();
    $("filters").addEventListener("submit", (e) => { e.preventDefault(); state.offset = 0; reload(); });
    $("filters").addEventListener("reset", () => { state.offset = 0; setTimeout(reload, 0); });
    $("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); reload(); });
    $("next").addEventListener("click", () => { state.offset += PAGE; reload(); });
    try {
      await initMap();
      await loadFacets();
    } catch (e) {
      setError(e.message);
    }
    await reload();
  });
})();
