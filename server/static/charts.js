// RenalWatch patient charts. Reads the chart data from the
// <script type="application/json" id="chart-data"> element (no inline
// script: the Content-Security-Policy forbids it) and draws with uPlot.
// What each chart drew is kept in window.renalwatchCharts so that tests
// (and curious users) can read it; the HTML tables beside each chart carry
// the same values for screen readers and for printing.
(function () {
  "use strict";
  var el = document.getElementById("chart-data");
  if (!el || typeof uPlot === "undefined") { return; }
  var data = JSON.parse(el.textContent);
  var state = { ready: false, egfr: null, protein: null, therapy: null, sledai: null };
  window.renalwatchCharts = state;
  var sync = uPlot.sync("renalwatch");

  function width(node) { return Math.max(320, node.clientWidth || 800); }
  // the charts follow the width of the page (a phone turned, a window
  // resized, or a layout that settled after the script ran)
  var plots = [];
  function fit(u, node) { plots.push([u, node]); return u; }
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      plots.forEach(function (p) { if (p[0].width !== width(p[1])) { p[0].setSize({ width: width(p[1]), height: p[0].height }); } });
    }, 100);
  });

  // the shared time range: every point, bar and marker, padded a little
  var ts = [];
  data.egfr.points.forEach(function (p) { ts.push(p.t); });
  data.protein.points.forEach(function (p) { ts.push(p.t); });
  data.therapies.forEach(function (b) { ts.push(b.start); if (b.end !== null) { ts.push(b.end); } });
  data.sledai.forEach(function (p) { ts.push(p.t); });
  data.biopsies.forEach(function (b) { ts.push(b.t); });
  // kidney replacement therapy (KRT): dialysis periods and transplants.
  // Their starts and ends are where the eGFR and proteinuria lines break:
  // at these times every series holds null (a gap), and undefined
  // elsewhere where it has no value (uPlot joins across undefined).
  var krt = data.krt || [], ks = data.krt_style;
  var breaks = [];
  krt.forEach(function (k) {
    ts.push(k.start); breaks.push(k.start);
    if (k.end !== null) { ts.push(k.end); breaks.push(k.end); }
  });
  if (ts.length === 0) { state.ready = true; return; }
  var tmin = Math.min.apply(null, ts), tmax = Math.max.apply(null, ts);
  var pad = Math.max(86400 * 30, (tmax - tmin) * 0.03);
  var xr = [tmin - pad, tmax + pad];
  var xscale = { time: true, range: function () { return xr; } };
  var cursor = { sync: { key: sync.key, setSeries: false } };
  // every chart has a y axis of the same width, so that the time axes of
  // the charts stacked on the page line up
  var AXIS = 130;

  // Dates read as ISO 8601 everywhere on the page (UTC, as the tables):
  // "2026-01-06", never uPlot's US "1/6" (trial-web #18). Ticks a year or
  // more apart show the year, a month or more apart the month.
  function iso(t) { return new Date(t * 1000).toISOString().slice(0, 10); }
  state.xTicks = [];
  function xAxis() {
    return { space: 90, values: function (u, splits, ai, space, incr) {
      var n = incr >= 365 * 86400 ? 4 : (incr >= 28 * 86400 ? 7 : 10);
      var out = splits.map(function (t) { return t == null ? null : iso(t).slice(0, n); });
      state.xTicks = state.xTicks.concat(out.filter(function (s) { return s !== null; }));
      return out;
    } };
  }
  // the legend's date: the day of the point under the cursor
  var xSeries = { label: "Date", value: function (u, v) { return v == null ? "–" : iso(v); } };
  // At rest the legend shows the latest point of the chart (not "--"):
  // the legend reads as a sentence a screen reader can use too.
  function restAtLatest(u) {
    var n = u.data[0].length, i = n - 1;
    while (i > 0 && u.data.slice(1).every(function (s) { return s[i] == null; })) { i--; }
    if (n > 0) { u.setLegend({ idx: i }); }
  }
  // hooks that put the legend at rest once drawn and whenever the cursor
  // leaves the chart
  function atRest(hooks) {
    hooks = hooks || {};
    hooks.ready = (hooks.ready || []).concat([restAtLatest]);
    hooks.setCursor = (hooks.setCursor || []).concat([function (u) { if (u.cursor.idx == null) { restAtLatest(u); } }]);
    return hooks;
  }

  // biopsies as dashed vertical markers, on the eGFR and proteinuria charts
  function drawBiopsies(u) {
    var ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = "#6a1b9a";
    ctx.setLineDash([4, 4]);
    ctx.lineWidth = 1;
    data.biopsies.forEach(function (b) {
      var x = Math.round(u.valToPos(b.t, "x", true));
      ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
      // label() sets the alignment uPlot's axes leave (right-aligned, the
      // label crossed the y axis' numbers) and keeps it inside the plot
      ctx.font = Math.round(11 * devicePixelRatio) + "px sans-serif";
      ctx.setLineDash([]);
      label(ctx, u, "biopsy " + b.class, x + 3 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio, "#6a1b9a");
      ctx.setLineDash([4, 4]);
      ctx.strokeStyle = "#6a1b9a"; ctx.lineWidth = 1;
    });
    ctx.restore();
  }

  // a label with a white halo (the text reads on white; it hides less of
  // the data than a box), kept inside the plot
  function label(ctx, u, text, x, y, colour) {
    ctx.textAlign = "left"; ctx.textBaseline = "alphabetic"; // uPlot's axes leave other alignments set
    var dpr = devicePixelRatio, w = ctx.measureText(text).width;
    if (x + w + 2 * dpr > u.bbox.left + u.bbox.width) { x = Math.max(u.bbox.left + 2 * dpr, x - w - 8 * dpr); }
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 4 * dpr;
    ctx.strokeText(text, x, y);
    ctx.fillStyle = colour;
    ctx.fillText(text, x, y);
  }
  function showing(u, kind) {
    return u.series.every(function (s) { return s.krt !== kind || s.show; });
  }
  // dialysis periods as hatched bands behind the series (drawClear, after
  // the G bands); drawn records what was drawn, in canvas pixels
  function drawKRTBands(u, drawn) {
    if (!showing(u, "dialysis")) { return; }
    var ctx = u.ctx, dpr = devicePixelRatio, top = u.bbox.top, h = u.bbox.height;
    ctx.save();
    ctx.beginPath(); ctx.rect(u.bbox.left, top, u.bbox.width, h); ctx.clip();
    krt.forEach(function (k) {
      if (k.kind !== "dialysis") { return; }
      var x0 = u.valToPos(k.start, "x", true), x1 = u.valToPos(k.end === null ? xr[1] : k.end, "x", true);
      var w = Math.max(2 * dpr, x1 - x0);
      ctx.fillStyle = ks.dialysis_fill;
      ctx.fillRect(x0, top, w, h);
      ctx.save();
      ctx.beginPath(); ctx.rect(x0, top, w, h); ctx.clip();
      ctx.strokeStyle = ks.dialysis_hatch; ctx.lineWidth = dpr;
      for (var d = -h; d < w; d += 9 * dpr) {
        ctx.beginPath(); ctx.moveTo(x0 + d, top + h); ctx.lineTo(x0 + d + h, top); ctx.stroke();
      }
      ctx.restore();
      if (drawn) { drawn.push({ kind: k.kind, from: k.from, to: k.to, x0: Math.round(x0), x1: Math.round(x0 + w) }); }
    });
    ctx.restore();
  }
  // transplant lines and the labels of every KRT period, over the series
  function drawKRTMarks(u, drawn) {
    var ctx = u.ctx, dpr = devicePixelRatio, top = u.bbox.top, h = u.bbox.height;
    ctx.save();
    ctx.beginPath(); ctx.rect(u.bbox.left, top, u.bbox.width, h); ctx.clip();
    ctx.font = Math.round(11 * dpr) + "px sans-serif";
    krt.forEach(function (k) {
      if (!showing(u, k.kind)) { return; }
      var x0 = Math.round(u.valToPos(k.start, "x", true));
      if (k.kind === "transplant") {
        ctx.strokeStyle = ks.transplant_line; ctx.lineWidth = 2 * dpr; ctx.setLineDash([]);
        ctx.beginPath(); ctx.moveTo(x0, top); ctx.lineTo(x0, top + h); ctx.stroke();
        label(ctx, u, k.title + " " + k.from, x0 + 5 * dpr, top + 44 * dpr, ks.transplant_line);
        if (drawn) { drawn.push({ kind: k.kind, from: k.from, to: k.to, x0: x0, x1: x0 }); }
        return;
      }
      label(ctx, u, k.title, x0 + 4 * dpr, top + 28 * dpr, ks.dialysis_text);
    });
    ctx.restore();
  }
  // legend entries for the KRT periods drawn (series without data: the
  // legend's swatch, name and dates; clicking one hides its marks)
  function krtLegend() {
    var out = [];
    [["dialysis", "dialysis (hatched band)"], ["transplant", "kidney transplant (solid line)"]].forEach(function (kl) {
      var ks2 = krt.filter(function (k) { return k.kind === kl[0]; });
      if (ks2.length === 0) { return; }
      var text = ks2.map(function (k) { return k.kind === "transplant" ? k.from : k.from + " to " + k.to; }).join("; ");
      out.push({ label: kl[1], krt: kl[0], stroke: kl[0] === "transplant" ? ks.transplant_line : ks.dialysis_hatch,
        fill: kl[0] === "transplant" ? null : ks.dialysis_fill, width: kl[0] === "transplant" ? 2 : 1,
        paths: function () { return null; }, points: { show: false }, value: function () { return text; } });
    });
    return out;
  }
  // series values at the times xs: v(t) where the series has a value,
  // undefined where it has none (uPlot joins across it), and null in the
  // whole run between two values with a KRT break between them (a gap:
  // uPlot clips a gap only from the entry before a null to the entry
  // after it, so a run of both would leave a stub of the joining line).
  function column(xs, v) {
    var c = xs.map(function (t) {
      var y = v(t);
      if (y !== undefined) { return y; }
      return breaks.indexOf(t) >= 0 ? null : undefined;
    });
    for (var i = 0; i < c.length; i++) {
      if (c[i] != null) { continue; } // a value
      var j = i; // c[i:j] is a run without value
      while (j < c.length && c[j] == null) { j++; }
      if (c.slice(i, j).indexOf(null) >= 0) { for (var k = i; k < j; k++) { c[k] = null; } }
      i = j;
    }
    return c;
  }
  function unique(a) {
    return a.filter(function (t, i) { return a.indexOf(t) === i; }).sort(function (p, q) { return p - q; });
  }

  // --- eGFR with the KDIGO G bands, the KRT periods and the slope line ---
  // One series per kidney (native, graft): a native eGFR is never joined to
  // a graft eGFR, nor two values with a KRT period between them.
  (function () {
    var node = document.getElementById("chart-egfr");
    var pts = data.egfr.points;
    if (!node || pts.length === 0) { return; }
    var slope = data.egfr.slope;
    var kinds = data.egfr.series;
    var xs = pts.map(function (p) { return p.t; }).concat(breaks);
    if (slope) { xs.push(slope.t[0], slope.t[1]); }
    xs = unique(xs);
    function at(t) { var p = pts.filter(function (q) { return q.t === t; }); return p.length ? p[p.length - 1] : null; }
    var texts = xs.map(function (t) { var p = at(t); return p ? p.text : null; });
    var cols = kinds.map(function (k) {
      return column(xs, function (t) { var p = at(t); return p && p.kidney === k.kidney ? p.value : undefined; });
    });
    var s = xs.map(function (t) {
      if (slope && t === slope.t[0]) { return slope.value[0]; }
      if (slope && t === slope.t[1]) { return slope.value[1]; }
      return null;
    });
    var ymax = Math.max(150, Math.max.apply(null, pts.map(function (p) { return p.value; })) * 1.1);
    var slopeText = slope ? slope.text : "";
    var drawn = [], krtDrawn = [];
    var series = [xSeries].concat(kinds.map(function (k) {
      return { label: k.label + " (" + data.egfr.unit + ")", stroke: k.colour, width: 2, spanGaps: false, points: { show: true, size: 7, fill: k.colour },
        // The legend shows each value as the table does (the server's
        // rounding policy), not the unrounded float.
        value: function (u, v, si, i) { return v == null ? "–" : (texts[i] || String(v)); } };
    }));
    series.push({ label: "slope, dashed (least squares)", stroke: "#424242", width: 1.5, dash: [6, 4], spanGaps: true, points: { show: false },
      value: function () { return slope ? slopeText : "none"; } });
    var legendKRT = krtLegend();
    series = series.concat(legendKRT);
    var opts = {
      title: "eGFR (" + data.egfr.unit + ")", width: width(node), height: 300, cursor: cursor,
      scales: { x: xscale, y: { range: [0, ymax] } },
      axes: [xAxis(), { label: data.egfr.unit, size: AXIS - 30 }],
      series: series,
      hooks: atRest({
        drawClear: [function (u) {
          var ctx = u.ctx;
          drawn.length = 0;
          krtDrawn.length = 0;
          data.egfr.bands.forEach(function (b) {
            var hi = Math.min(b.hi === 150 ? ymax : b.hi, ymax);
            var y0 = u.valToPos(hi, "y", true), y1 = u.valToPos(b.lo, "y", true);
            ctx.fillStyle = b.colour;
            ctx.fillRect(u.bbox.left, y0, u.bbox.width, y1 - y0);
            ctx.fillStyle = "#555";
            ctx.font = Math.round(11 * devicePixelRatio) + "px sans-serif";
            ctx.fillText(b.g, u.bbox.left + u.bbox.width - 34 * devicePixelRatio, (y0 + y1) / 2 + 4);
            drawn.push({ g: b.g, lo: b.lo, hi: hi, colour: b.colour, x: Math.round(u.bbox.left + 2), y0: Math.round(y0), y1: Math.round(y1) });
          });
          drawKRTBands(u, krtDrawn);
        }],
        draw: [drawBiopsies, function (u) { drawKRTMarks(u, krtDrawn); }]
      })
    };
    var data2 = [xs].concat(cols, [s], legendKRT.map(function () { return xs.map(function () { return null; }); }));
    var u = fit(new uPlot(opts, data2, node), node);
    state.egfr = { data: u.data, bands: drawn, krt: krtDrawn, slope: slope, points: pts.map(function (p) { return p.value; }),
      series: kinds.map(function (k) { return k.kidney; }), plot: u };
  })();

  // --- UPCR and ACR on a log axis ---
  (function () {
    var node = document.getElementById("chart-protein");
    var pts = data.protein.points;
    if (!node || pts.length === 0) { return; }
    var floor = data.protein.floor;
    // the lines break at KRT starts and ends (column), as the eGFR's
    var xs = unique(pts.map(function (p) { return p.t; }).concat(breaks));
    var cols = { upcr: [], acr: [], below: [], under: [] };
    var texts = { upcr: [], acr: [], below: [], under: [] };
    ["upcr", "acr"].forEach(function (k) {
      cols[k] = column(xs, function (t) {
        var p = pts.filter(function (q) { return q.t === t && q.analyte === k && !q.below && !q.below_axis; });
        return p.length ? Math.max(floor, p[p.length - 1].value) : undefined;
      });
    });
    xs.forEach(function (t) {
      ["upcr", "acr"].forEach(function (k) {
        var p = pts.filter(function (q) { return q.t === t && q.analyte === k && !q.below && !q.below_axis; });
        texts[k].push(p.length ? p[p.length - 1].text : null);
      });
      var b = pts.filter(function (q) { return q.t === t && q.below; });
      cols.below.push(b.length ? Math.max(floor, b[b.length - 1].value) : null);
      texts.below.push(b.length ? b[b.length - 1].text : null);
      // Under the log axis (a 0, below the detection limit, has no place
      // on it): drawn at the floor with its own mark, never as a value.
      var z = pts.filter(function (q) { return q.t === t && q.below_axis && !q.below; });
      cols.under.push(z.length ? floor : null);
      texts.under.push(z.length ? z[z.length - 1].analyte.toUpperCase() + " " + z[z.length - 1].text + " (below axis)" : null);
      // Under the log axis (a 0, below the detection limit, has no place
      // on it): drawn at the floor with its own mark, never as a value.
      var z = pts.filter(function (q) { return q.t === t && q.below_axis && !q.below; });
      cols.under.push(z.length ? floor : null);
      texts.under.push(z.length ? z[z.length - 1].analyte.toUpperCase() + " " + z[z.length - 1].text + " (below axis)" : null);
    });
    // The legend shows each value as the table does (the server's rounding
    // policy), not the float drawn.
    function shown(k) { return function (u, v, si, i) { return v == null ? "–" : (texts[k][i] || String(v)); }; }
    var ymax = Math.max(10, Math.max.apply(null, pts.map(function (p) { return p.value; })) * 2);
    var legendKRT = krtLegend();
    var opts = {
      title: "UPCR and ACR (" + data.protein.unit + ", log scale)", width: width(node), height: 260, cursor: cursor,
      scales: { x: xscale, y: { distr: 3, log: 10, range: [floor, ymax] } },
      axes: [xAxis(), { label: data.protein.unit, size: AXIS - 30 }],
      series: [xSeries,
        { label: "UPCR (g/g; the response lines apply to it)", stroke: "#b71c1c", width: 2, spanGaps: false, points: { show: true, size: 7, fill: "#b71c1c" }, value: shown("upcr") },
        { label: "ACR (g/g; not judged against the lines)", stroke: "#1b5e20", width: 2, spanGaps: false, points: { show: true, size: 7, fill: "#1b5e20" }, value: shown("acr") },
        { label: "below detection limit (<)", stroke: "#000", width: 0, paths: function () { return null; }, points: { show: true, size: 9, fill: "#fff", stroke: "#000", width: 2 }, value: shown("below") },
        { label: "below axis (under " + floor + " g/g, such as 0; drawn on the floor)", stroke: "#6a1b9a", width: 0, paths: function () { return null; }, points: { show: true, size: 11, fill: "#fff", stroke: "#6a1b9a", width: 3 }, value: shown("under") }].concat(legendKRT),
      hooks: atRest({
        drawClear: [function (u) { drawKRTBands(u, null); }],
        draw: [function (u) {
          var ctx = u.ctx;
          ctx.save();
          data.protein.lines.forEach(function (l) {
            var y = Math.round(u.valToPos(l, "y", true));
            ctx.strokeStyle = l >= 3 ? "#b71c1c" : "#2e7d32";
            ctx.setLineDash([8, 4]);
            ctx.beginPath(); ctx.moveTo(u.bbox.left, y); ctx.lineTo(u.bbox.left + u.bbox.width, y); ctx.stroke();
            ctx.fillStyle = ctx.strokeStyle;
            ctx.fillText(l + " g/g", u.bbox.left + 4, y - 3);
          });
          ctx.restore();
          drawBiopsies(u);
          drawKRTMarks(u, null);
        }]
      })
    };
    var u = fit(new uPlot(opts, [xs, cols.upcr, cols.acr, cols.below, cols.under].concat(legendKRT.map(function () { return xs.map(function () { return null; }); })), node), node);
    state.protein = { data: u.data, lines: data.protein.lines, floor: floor };
  })();

  // axisName fits a therapy's name into the y axis (AXIS pixels less the
  // gap and a margin), measured in the axis's own font: a longer name is
  // cut at a word (or a character) and ends in an ellipsis, never clipped
  // at the canvas edge ("senchymal stem cells", trial 11); the table
  // beneath the chart names it in full.
  var NAME_FONT = "12px sans-serif";
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = NAME_FONT;
  function axisName(name) {
    var room = AXIS - 16;
    if (measure.measureText(name).width <= room) { return name; }
    var words = name.split(" "), out = "";
    for (var i = 0; i < words.length; i++) {
      var next = out === "" ? words[i] : out + " " + words[i];
      if (measure.measureText(next + "\u2026").width > room) { break; }
      out = next;
    }
    if (out === "") { // one long word: cut it
      out = name;
      while (out.length > 1 && measure.measureText(out + "\u2026").width > room) { out = out.slice(0, -1); }
    }
    return out + "\u2026";
  }

  // --- therapy courses as bars beneath, on the same time axis ---
  (function () {
    var node = document.getElementById("chart-therapy");
    var bars = data.therapies;
    if (!node || bars.length === 0) { return; }
    var rows = [];
    bars.forEach(function (b) { if (rows.indexOf(b.name) < 0) { rows.push(b.name); } });
    var opts = {
      width: width(node), height: 40 + 22 * rows.length, cursor: cursor, legend: { show: false },
      scales: { x: xscale, y: { range: [0, rows.length] } },
      axes: [xAxis(), { size: AXIS, gap: 4, font: NAME_FONT, grid: { show: false }, ticks: { show: false },
        splits: function () { return rows.map(function (_, i) { return rows.length - i - 0.5; }); },
        values: function () { return rows.map(axisName); } }],
      series: [xSeries, { label: "therapy", points: { show: false }, paths: function () { return null; } }],
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx;
          ctx.save();
          bars.forEach(function (b) {
            var row = rows.indexOf(b.name);
            var x0 = u.valToPos(b.start, "x", true);
            var x1 = u.valToPos(b.end === null ? xr[1] : b.end, "x", true);
            var y0 = u.valToPos(rows.length - row, "y", true), y1 = u.valToPos(rows.length - row - 1, "y", true);
            // ongoing: light; end not recorded (drawn to the last record): grey
            ctx.fillStyle = b.state === "ongoing" ? "#90caf9" : (b.state === "ended" ? "#1e88e5" : "#bdbdbd");
            ctx.fillRect(x0, y0 + 2, Math.max(2, x1 - x0), y1 - y0 - 4);
          });
          ctx.restore();
        }]
      }
    };
    var u = fit(new uPlot(opts, [[xr[0], xr[1]], [null, null]], node), node);
    state.therapy = { bars: bars.length, rows: rows, labels: rows.map(axisName) };
  })();

  // --- SLEDAI-2K history ---
  (function () {
    var node = document.getElementById("chart-sledai");
    var pts = data.sledai;
    if (!node || pts.length === 0) { return; }
    var opts = {
      title: "SLEDAI-2K", width: width(node), height: 180, cursor: cursor,
      scales: { x: xscale, y: { range: [0, Math.max(12, Math.max.apply(null, pts.map(function (p) { return p.score; })) + 2)] } },
      axes: [xAxis(), { label: "score", size: AXIS - 30 }],
      series: [xSeries, { label: "SLEDAI-2K score", stroke: "#4a148c", width: 2, points: { size: 7, fill: "#4a148c" } }],
      hooks: atRest()
    };
    var u = fit(new uPlot(opts, [pts.map(function (p) { return p.t; }), pts.map(function (p) { return p.score; })], node), node);
    state.sledai = { data: u.data };
  })();

  state.ready = true;
})();
