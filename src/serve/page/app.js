"use strict";
// The grens page: every number shown is an answer of the API under /api/v1/;
// the page only draws and formats them. The whole query lives in location.hash.
(function () {
  const SVGNS = "http://www.w3.org/2000/svg";
  const T = {
    en: { title: "grens: cross-border travel times", language: "Language", origin: "Origin",
      destination: "Destination", date: "Date", wfrom: "Departures from", wto: "until",
      scenario: "Scenario", upload: "Or upload a scenario (YAML)", run: "Show travel times",
      mappick: "A click on the map picks the", map: "Network", summary: "Summary",
      maplegend: "Stations in the Netherlands are blue, in Germany orange, elsewhere grey; the dashed line is the NL–DE border.",
      profile: "Travel time by departure", journeys: "Best journeys at the window start",
      access: "Population reached from the origin", api: "The API", base: "Base",
      median: "Median travel time", p90: "90th percentile", reached: "Departures with a journey",
      diff: "Difference (scenario − base)", none: "none (base only)", loading: "Asking the server…",
      nojourney: "no journey", transfer: "transfer", transfers: "transfers", crossing: "crosses the border",
      walk: "walk", departure: "Departure (time of day)", minutes: "travel time (min)",
      diffaxis: "difference (min)", cutoff: "Within", national: "National",
      closed_border: "Closed border", today: "Today", border_effect: "Border effect",
      people: "Population (people)", uploaded: "uploaded", line: "line", column: "column",
      accessnote: "People living in the municipalities reached within each cutoff at the median (p50) departure of the window, on the base timetable: the scenario is not applied here, and jobs, services and fares are left out.",
      unplaced: "Left out as well: {n} people in municipalities without coordinates.",
      sources: "Population from {files}; sources, reference dates and weaknesses: feeds/places/SOURCES.md.",
      pickfirst: "Pick an origin and a destination from the suggestions.", noprofile: "No travel-time profile: " },
    nl: { title: "grens: reistijden over de grens", language: "Taal", origin: "Vertrek",
      destination: "Bestemming", date: "Datum", wfrom: "Vertrek vanaf", wto: "tot",
      scenario: "Scenario", upload: "Of laad een scenario (YAML)", run: "Toon reistijden",
      mappick: "Een klik op de kaart kiest het", map: "Netwerk", summary: "Samenvatting",
      maplegend: "Stations in Nederland zijn blauw, in Duitsland oranje, elders grijs; de gestreepte lijn is de grens NL–DE.",
      profile: "Reistijd per vertrektijd", journeys: "Beste reizen aan het begin van het venster",
      access: "Bereikte inwoners vanaf het vertrekpunt", api: "De API", base: "Basis",
      median: "Mediane reistijd", p90: "90e percentiel", reached: "Vertrekken met een reis",
      diff: "Verschil (scenario − basis)", none: "geen (alleen basis)", loading: "De server rekent…",
      nojourney: "geen reis", transfer: "overstap", transfers: "overstappen", crossing: "passeert de grens",
      walk: "lopen", departure: "Vertrek (tijd)", minutes: "reistijd (min)",
      diffaxis: "verschil (min)", cutoff: "Binnen", national: "Nationaal",
      closed_border: "Gesloten grens", today: "Vandaag", border_effect: "Grenseffect",
      people: "Inwoners (personen)", uploaded: "geladen", line: "regel", column: "kolom",
      accessnote: "Inwoners van de gemeenten die binnen elke grens bereikt worden bij het mediane (p50) vertrek in het venster, op de basisdienstregeling: het scenario is hier niet toegepast; banen, voorzieningen en tarieven tellen niet mee.",
      unplaced: "Ook niet meegeteld: {n} inwoners van gemeenten zonder coördinaten.",
      sources: "Inwoners uit {files}; bronnen, peildata en zwakke punten: feeds/places/SOURCES.md.",
      pickfirst: "Kies een vertrekpunt en een bestemming uit de suggesties.", noprofile: "Geen reistijdprofiel: " },
    de: { title: "grens: Reisezeiten über die Grenze", language: "Sprache", origin: "Start",
      destination: "Ziel", date: "Datum", wfrom: "Abfahrten ab", wto: "bis",
      scenario: "Szenario", upload: "Oder ein Szenario hochladen (YAML)", run: "Reisezeiten zeigen",
      mappick: "Ein Klick auf die Karte wählt", map: "Netz", summary: "Zusammenfassung",
      maplegend: "Bahnhöfe in den Niederlanden sind blau, in Deutschland orange, anderswo grau; die gestrichelte Linie ist die Grenze NL–DE.",
      profile: "Reisezeit nach Abfahrt", journeys: "Beste Verbindungen zu Beginn des Zeitfensters",
      access: "Vom Start erreichte Einwohner", api: "Die API", base: "Basis",
      median: "Median der Reisezeit", p90: "90. Perzentil", reached: "Abfahrten mit Verbindung",
      diff: "Differenz (Szenario − Basis)", none: "keins (nur Basis)", loading: "Der Server rechnet…",
      nojourney: "keine Verbindung", transfer: "Umstieg", transfers: "Umstiege", crossing: "überquert die Grenze",
      walk: "Fußweg", departure: "Abfahrt (Uhrzeit)", minutes: "Reisezeit (min)",
      diffaxis: "Differenz (min)", cutoff: "Innerhalb", national: "National",
      closed_border: "Geschlossene Grenze", today: "Heute", border_effect: "Grenzeffekt",
      people: "Einwohner (Personen)", uploaded: "hochgeladen", line: "Zeile", column: "Spalte",
      accessnote: "Einwohner der Gemeinden, die in jeder Grenze bei der mittleren (p50) Abfahrt des Zeitfensters erreicht werden, im Basisfahrplan: das Szenario gilt hier nicht; Arbeitsplätze, Einrichtungen und Tarife fehlen.",
      unplaced: "Ebenfalls nicht gezählt: {n} Einwohner in Gemeinden ohne Koordinaten.",
      sources: "Einwohner aus {files}; Quellen, Stichtage und Schwächen: feeds/places/SOURCES.md.",
      pickfirst: "Start und Ziel aus den Vorschlägen wählen.", noprofile: "Kein Reisezeitprofil: " },
  };
  let lang = "en";
  const $ = (id) => document.getElementById(id);
  const t = (k) => (T[lang] && T[lang][k]) || T.en[k] || k;
  const state = { from: null, to: null, network: null, scenarios: [] };

  function el(tag, attrs, ...kids) {
    const e = tag.startsWith("svg:") ? document.createElementNS(SVGNS, tag.slice(4))
      : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of kids) if (c != null) e.append(c);
    return e;
  }
  // Minutes, consistently: "1 h 34 min" (or "2 h") from an hour on, "45 min" below.
  function fmtMin(s) {
    if (s == null) return t("nojourney");
    const neg = s < 0;
    let m = Math.round(Math.abs(s) / 60);
    const h = Math.floor(m / 60);
    m -= h * 60;
    const txt = h ? (m ? `${h} h ${m} min` : `${h} h`) : `${m} min`;
    return (neg ? "−" : "") + txt;
  }
  function fmtDiff(s) {
    if (s == null) return "–";
    return (s > 0 ? "+" : "") + fmtMin(s);
  }
  const hhmm = (iso) => (iso ? iso.slice(11, 16) : "–");
  const num = (n) => Number(n).toLocaleString(lang === "en" ? "en-GB" : lang);

  async function api(path, opts) {
    const r = await fetch(path, opts);
    let doc = null;
    try { doc = await r.json(); } catch (e) { doc = null; }
    if (!r.ok) {
      const err = new Error((doc && doc.error) || `HTTP ${r.status}`);
      err.status = r.status; err.doc = doc;
      throw err;
    }
    return doc;
  }

  function applyLang() {
    document.documentElement.lang = lang;
    $("lang").value = lang;
    for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
    const none = $("scenario").querySelector("option[value='']");
    if (none) none.textContent = t("none");
  }

  // ---- station search ------------------------------------------------------------
  function combo(which) {
    const input = $(which), list = $(which + "-list");
    let items = [], active = -1, timer = 0, seq = 0;
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; input.removeAttribute("aria-activedescendant"); }
    function mark() {
      [...list.children].forEach((li, i) => li.setAttribute("aria-selected", i === active ? "true" : "false"));
      if (active >= 0) { input.setAttribute("aria-activedescendant", list.children[active].id); list.children[active].scrollIntoView({ block: "nearest" }); }
    }
    function pick(i) {
      const s = items[i];
      if (!s) return;
      setStop(which, { id: s.id, name: s.name });
      close();
    }
    async function suggest() {
      const q = input.value.trim();
      const my = ++seq;
      if (q.length < 2) { close(); return; }
      let doc;
      try { doc = await api("/api/v1/stops?limit=10&name=" + encodeURIComponent(q)); } catch (e) { close(); return; }
      if (my !== seq) return;
      // One entry per station: the feeds each list the border stations.
      const seen = new Set();
      items = doc.stops.filter((s) => { const k = s.name + "|" + s.lat + "|" + s.lon; if (seen.has(k)) return false; seen.add(k); return true; });
      list.replaceChildren(...items.map((s, i) => {
        const li = el("li", { role: "option", id: `${which}-opt-${i}`, "aria-selected": "false", "data-id": s.id, text: `${s.name} (${s.id})` });
        li.addEventListener("mousedown", (ev) => { ev.preventDefault(); pick(i); });
        return li;
      }));
      active = items.length ? 0 : -1;
      list.hidden = !items.length;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      mark();
    }
    input.addEventListener("input", () => { state[which] = null; clearTimeout(timer); timer = setTimeout(suggest, 150); });
    input.addEventListener("keydown", (ev) => {
      if (list.hidden) return;
      if (ev.key === "ArrowDown") { active = Math.min(items.length - 1, active + 1); mark(); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { active = Math.max(0, active - 1); mark(); ev.preventDefault(); }
      else if (ev.key === "Enter") { if (active >= 0) { pick(active); ev.preventDefault(); } }
      else if (ev.key === "Escape") { close(); ev.preventDefault(); }
    });
    input.addEventListener("blur", () => setTimeout(close, 100));
  }
  function setStop(which, stop) {
    state[which] = stop;
    $(which).value = stop ? stop.name : "";
    $(which).dataset.id = stop ? stop.id : "";
    for (const c of document.querySelectorAll("#map .st")) {
      c.classList.toggle("picked", c.dataset.id === (state.from && state.from.id) || c.dataset.id === (state.to && state.to.id));
    }
  }

  // ---- the map -------------------------------------------------------------------
  function drawMap(net) {
    const W = 600;
    const lats = net.stations.map((s) => s.lat), lons = net.stations.map((s) => s.lon);
    const minLat = Math.min(...lats), maxLat = Math.max(...lats), minLon = Math.min(...lons), maxLon = Math.max(...lons);
    const k = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
    const sx = W / ((maxLon - minLon) * k || 1);
    const H = Math.round((maxLat - minLat) * sx) || W;
    const pad = 12;
    const X = (lon) => pad + (lon - minLon) * k * sx, Y = (lat) => pad + (maxLat - lat) * sx;
    const svg = el("svg:svg", { viewBox: `0 0 ${W + 2 * pad} ${H + 2 * pad}`, role: "img", "aria-labelledby": "map-title" },
      el("svg:title", { id: "map-title", text: t("map") }));
    for (const l of net.lines) {
      const pts = l.stations.map((i) => net.stations[i]).map((s) => `${X(s.lon).toFixed(1)},${Y(s.lat).toFixed(1)}`).join(" ");
      svg.append(el("svg:polyline", { class: "line", points: pts }, el("svg:title", { text: l.route })));
    }
    if (net.border && net.border.length)
      svg.append(el("svg:polyline", { class: "border", points: net.border.map(([la, lo]) => `${X(lo).toFixed(1)},${Y(la).toFixed(1)}`).join(" ") }));
    for (const s of net.stations) {
      const c = el("svg:circle", { class: `st ${s.country}`, cx: X(s.lon).toFixed(1), cy: Y(s.lat).toFixed(1), r: 4, "data-id": s.id },
        el("svg:title", { text: s.name }));
      c.addEventListener("click", () => {
        const which = document.querySelector("input[name=pick]:checked").value;
        setStop(which, { id: s.id, name: s.name });
        if (which === "from") document.querySelector("input[name=pick][value=to]").checked = true;
      });
      svg.append(c);
    }
    $("map").replaceChildren(svg);
  }

  // ---- scenarios -----------------------------------------------------------------
  function fillScenarios(selected) {
    const sel = $("scenario");
    sel.replaceChildren(el("option", { value: "", text: t("none") }),
      ...state.scenarios.map((s) => el("option", { value: s.shipped ? s.name : s.sha256, text: s.shipped ? s.name : `${s.name || s.sha256.slice(0, 12)} (${t("uploaded")})` })));
    if (selected != null) sel.value = selected;
  }
  async function upload(file) {
    const box = $("upload-error");
    box.hidden = true;
    const body = await file.text();
    try {
      const s = await api("/api/v1/scenarios", { method: "POST", body, headers: { "Content-Type": "application/yaml" } });
      if (!state.scenarios.some((x) => x.sha256 === s.sha256)) state.scenarios.push(s);
      fillScenarios(s.shipped ? s.name : s.sha256);
    } catch (e) {
      const d = e.doc || {};
      let where = "";
      if (d.line != null) where = `${t("line")} ${d.line}` + (d.column != null ? `, ${t("column")} ${d.column}` : "") + ": ";
      box.textContent = `${file.name}: ${where}${e.message}`;
      box.dataset.line = d.line != null ? d.line : "";
      box.hidden = false;
    }
  }

  // ---- the query -----------------------------------------------------------------
  function readQuery() {
    return { from: state.from && state.from.id, to: state.to && state.to.id, date: $("date").value,
      window: `${$("wfrom").value}-${$("wto").value}`, scenario: $("scenario").value, lang };
  }
  function writeHash(q) {
    const p = new URLSearchParams();
    for (const k of ["from", "to", "date", "window", "scenario", "lang"]) if (q[k]) p.set(k, q[k]);
    history.replaceState(null, "", "#" + p.toString());
  }
  async function run() {
    const q = readQuery();
    if (!q.from || !q.to) { $("status").textContent = t("pickfirst"); return; }
    writeHash(q);
    $("status").textContent = t("loading");
    const base = `from=${encodeURIComponent(q.from)}&to=${encodeURIComponent(q.to)}&date=${q.date}`;
    const sc = q.scenario ? `&scenario=${encodeURIComponent(q.scenario)}` : "";
    const start = q.window.slice(0, 5);
    const jobs = [
      api(`/api/v1/profile?${base}&window=${q.window}`).catch((e) => e),
      q.scenario ? api(`/api/v1/profile?${base}&window=${q.window}${sc}`).catch((e) => e) : Promise.resolve(null),
      api(`/api/v1/route?${base}&time=${start}`).catch((e) => e),
      q.scenario ? api(`/api/v1/route?${base}&time=${start}${sc}`).catch((e) => e) : Promise.resolve(null),
      api(`/api/v1/access?from=${encodeURIComponent(q.from)}&date=${q.date}&window=${q.window}&border=true`).catch((e) => e),
    ];
    const [pb, ps, rb, rs, acc] = await Promise.all(jobs);
    const errs = [pb, ps, rb, rs, acc].filter((x) => x instanceof Error);
    $("status").textContent = errs.length ? errs.map((e) => e.message).join("; ") : "";
    $("results").hidden = false;
    showSummary(pb, ps, q.scenario);
    showChart(pb, ps);
    showJourneys(rb, rs, q.scenario);
    showAccess(acc);
    document.body.dataset.runs = String(Number(document.body.dataset.runs || 0) + 1);
  }

  function cell(tag, s, kind, fmt) {
    const c = el(tag, { "data-s": s == null ? "null" : String(s), "data-kind": kind, text: (fmt || fmtMin)(s) });
    return c;
  }
  function showSummary(pb, ps, scen) {
    const tb = $("summary");
    const ok = (d) => d && !(d instanceof Error);
    if (!ok(pb)) { tb.replaceChildren(el("caption", { text: t("noprofile") + (pb && pb.message) })); return; }
    const head = el("tr", {}, el("th", { text: "" }), el("th", { class: "key-base", text: t("base") }));
    if (ok(ps)) head.append(el("th", { class: "key-scen", text: scen }), el("th", { text: t("diff") }));
    const rows = [head];
    for (const [k, key] of [["median", "median_s"], ["p90", "p90_s"]]) {
      const tr = el("tr", { id: `sum-${k}` }, el("th", { text: t(k) }), cell("td", pb.summary[key], "base"));
      if (ok(ps)) {
        const a = pb.summary[key], b = ps.summary[key];
        tr.append(cell("td", b, "scenario"), cell("td", a != null && b != null ? b - a : null, "diff", fmtDiff));
      }
      rows.push(tr);
    }
    const r = el("tr", {}, el("th", { text: t("reached") }), el("td", { text: `${pb.summary.reached} / ${pb.summary.steps}` }));
    if (ok(ps)) r.append(el("td", { text: `${ps.summary.reached} / ${ps.summary.steps}` }), el("td", {}));
    rows.push(r);
    tb.replaceChildren(el("tbody", {}, ...rows));
  }

  function showChart(pb, ps) {
    const box = $("chart");
    if (!pb || pb instanceof Error) { box.replaceChildren(); return; }
    const series = [pb.steps];
    if (ps && !(ps instanceof Error)) series.push(ps.steps);
    const W = 640, H = 250, DH = 100, L = 48, R = 10, TOP = 24, B = 30;
    const tsec = (iso) => { const [h, m, s] = iso.slice(11).split(":").map(Number); return h * 3600 + m * 60 + (s || 0); };
    const xs = pb.steps.map((s) => tsec(s.departure));
    const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 60);
    const vals = series.flat().map((s) => s.travel_time_s).filter((v) => v != null);
    if (!vals.length) { box.replaceChildren(el("p", { text: t("nojourney") })); return; }
    const ymax = Math.ceil(Math.max(...vals) / 60 / 30) * 30, ymin = Math.floor(Math.min(...vals) / 60 / 30) * 30;
    const X = (s) => L + ((s - x0) / (x1 - x0)) * (W - L - R);
    const Y = (v) => TOP + (1 - (v / 60 - ymin) / ((ymax - ymin) || 30)) * (H - TOP - B);
    const svg = el("svg:svg", { viewBox: `0 0 ${W} ${H + DH}`, role: "img", "aria-labelledby": "chart-title" },
      el("svg:title", { id: "chart-title", text: t("profile") }));
    for (let v = ymin; v <= ymax; v += 30) {
      svg.append(el("svg:line", { class: "grid", x1: L, x2: W - R, y1: Y(v * 60), y2: Y(v * 60) }),
        el("svg:text", { x: L - 4, y: Y(v * 60) + 4, "text-anchor": "end", text: String(v) }));
    }
    for (let h = Math.ceil(x0 / 1800) * 1800; h <= x1; h += 1800) {
      const lab = `${String(Math.floor(h / 3600)).padStart(2, "0")}:${String((h % 3600) / 60).padStart(2, "0")}`;
      svg.append(el("svg:text", { x: X(h), y: H - B + 14, "text-anchor": "middle", text: lab }));
    }
    svg.append(el("svg:text", { x: 4, y: 12, text: t("minutes") }), el("svg:text", { x: W - R, y: H - 4, "text-anchor": "end", text: t("departure") }));
    series.forEach((steps, i) => {
      // An unreached departure breaks the line.
      let d = "", pen = false;
      for (const s of steps) {
        if (s.travel_time_s == null) { pen = false; continue; }
        d += `${pen ? "L" : "M"}${X(tsec(s.departure)).toFixed(1)},${Y(s.travel_time_s).toFixed(1)}`;
        pen = true;
      }
      svg.append(el("svg:path", { class: i ? "series-scen" : "series-base", d }));
    });
    if (series.length === 2) {
      const base = new Map(pb.steps.map((s) => [s.departure, s.travel_time_s]));
      const diffs = ps.steps.map((s) => [s.departure, s.travel_time_s != null && base.get(s.departure) != null ? s.travel_time_s - base.get(s.departure) : null]);
      const m = Math.max(60, ...diffs.map(([, v]) => Math.abs(v || 0)));
      const zy = H + DH / 2, sc = (DH / 2 - 8) / m;
      const bw = Math.max(1, (W - L - R) / diffs.length - 0.5);
      svg.append(el("svg:line", { class: "axis", x1: L, x2: W - R, y1: zy, y2: zy }),
        el("svg:text", { x: 4, y: H + 10, text: `${t("diffaxis")} ±${Math.round(m / 60)}` }));
      for (const [dep, v] of diffs) {
        if (!v) continue;
        const hgt = Math.abs(v) * sc;
        svg.append(el("svg:rect", { class: v < 0 ? "diff-pos" : "diff-neg", x: X(tsec(dep)) - bw / 2, width: bw, y: v < 0 ? zy : zy - hgt, height: hgt },
          el("svg:title", { text: `${hhmm(dep)} ${fmtDiff(v)}` })));
      }
    }
    const key = el("p", { class: "note" }, el("span", { class: "key-base", text: `— ${t("base")}` }));
    if (series.length === 2) key.append("  ", el("span", { class: "key-scen", text: `- - ${$("scenario").value}` }), `  ${t("diff")}`);
    box.replaceChildren(svg, key);
  }

  function journeyBlock(doc, label, kind) {
    const div = el("div", { class: "journey", "data-kind": kind }, el("h3", { text: label }));
    if (doc instanceof Error) { div.append(el("p", { class: "error", text: doc.message })); return div; }
    const j = doc.journeys && doc.journeys[0];
    if (!j) { div.append(el("p", { text: t("nojourney") })); return div; }
    div.append(el("p", {}, el("span", { class: "dep", "data-iso": j.departure, text: hhmm(j.departure) }), " → ",
      el("span", { class: "arr", "data-iso": j.arrival, text: hhmm(j.arrival) }), ", ",
      cell("span", j.duration_s, "duration"), `, ${j.transfers} ${t(j.transfers === 1 ? "transfer" : "transfers")}`,
      j.crosses_border ? el("span", { class: "crossing", text: ` ${t("crossing")}` }) : null));
    const ol = el("ol");
    for (const l of j.legs) {
      const what = l.mode === "walk" ? t("walk") : `${l.route || ""}${l.headsign ? " → " + l.headsign : ""}`;
      const li = el("li", {}, `${hhmm(l.departure)} ${l.from.name} (${l.from.country}) – ${hhmm(l.arrival)} ${l.to.name} (${l.to.country}): ${what}, ${fmtMin(l.duration_s)}`);
      if (l.border) li.append(" ", el("span", { class: "crossing", text: t("crossing") }));
      ol.append(li);
    }
    div.append(ol);
    return div;
  }
  function showJourneys(rb, rs, scen) {
    const box = $("journeys");
    box.replaceChildren(journeyBlock(rb, t("base"), "base"));
    if (rs) box.append(journeyBlock(rs, scen, "scenario"));
  }

  function showAccess(acc) {
    const box = $("access");
    if (!acc || acc instanceof Error) { box.replaceChildren(el("p", { class: "error", text: acc ? acc.message : "" })); return; }
    const o = acc.origins && acc.origins[0];
    if (!o || !o.border) { box.replaceChildren(); return; }
    const views = ["national", "closed_border", "today", "border_effect"];
    const rows = [el("tr", {}, el("th", { text: t("cutoff") }), ...views.map((v) => el("th", { text: t(v) })))];
    for (const r of o.border.filter((x) => x.percentile === 50)) {
      rows.push(el("tr", { "data-cutoff": r.cutoff_min }, el("th", { text: `${fmtMin(r.cutoff_min * 60)}` }),
        ...views.map((v) => el("td", { "data-view": v, "data-value": r[v], text: (v === "border_effect" && r[v] > 0 ? "+" : "") + num(r[v]) }))));
    }
    const notes = [el("p", { class: "note", text: t("accessnote") })];
    const un = acc.meta && acc.meta.unplaced;
    if (un && un.population) notes.push(el("p", { class: "note", text: t("unplaced").replace("{n}", num(un.population)) }));
    const files = acc.meta && acc.meta.places_files;
    if (files && files.length) notes.push(el("p", { class: "note", id: "access-sources", text: t("sources").replace("{files}", files.join(", ")) }));
    box.replaceChildren(el("div", { class: "tablewrap" }, el("table", { id: "access-table" }, el("caption", { text: `${t("people")}, p50` }), el("tbody", {}, ...rows))), ...notes);
  }

  // ---- start ---------------------------------------------------------------------
  async function restore() {
    const p = new URLSearchParams(location.hash.slice(1));
    const byId = (id) => {
      const s = state.network && state.network.stations.find((x) => x.id === id);
      return id ? { id, name: s ? s.name : id } : null;
    };
    if (p.get("lang") && T[p.get("lang")]) { lang = p.get("lang"); applyLang(); }
    if (p.get("from")) setStop("from", byId(p.get("from")));
    if (p.get("to")) setStop("to", byId(p.get("to")));
    if (p.get("date")) $("date").value = p.get("date");
    const w = (p.get("window") || "").match(/^(\d\d:\d\d)-(\d\d:\d\d)$/);
    if (w) { $("wfrom").value = w[1]; $("wto").value = w[2]; }
    if (p.has("scenario")) {
      const s = p.get("scenario");
      if (s && ![...$("scenario").options].some((o) => o.value === s)) $("scenario").append(el("option", { value: s, text: s }));
      $("scenario").value = s;
    }
    if (p.get("from") && p.get("to")) await run();
  }
  async function start() {
    const nav = (navigator.language || "en").slice(0, 2).toLowerCase();
    lang = T[nav] ? nav : "en";
    $("date").value = new Date().toISOString().slice(0, 10);
    $("wfrom").value = "07:00";
    $("wto").value = "09:00";
    combo("from");
    combo("to");
    $("lang").addEventListener("change", () => {
      lang = $("lang").value; applyLang();
      if (state.from && state.to) writeHash(readQuery());
    });
    $("upload").addEventListener("change", () => { if ($("upload").files[0]) upload($("upload").files[0]); });
    $("query").addEventListener("submit", (ev) => { ev.preventDefault(); run(); });
    window.addEventListener("hashchange", () => { if (location.hash.slice(1) !== new URLSearchParams(Object.entries(readQuery()).filter(([, v]) => v)).toString()) restore(); });
    const [net, sc] = await Promise.all([api("/api/v1/network").catch((e) => e), api("/api/v1/scenarios").catch((e) => e)]);
    if (!(net instanceof Error)) { state.network = net; drawMap(net); }
    if (!(sc instanceof Error)) state.scenarios = sc.scenarios;
    fillScenarios("");
    applyLang();
    document.body.dataset.ready = "true";
    await restore();
  }
  start();
})();
