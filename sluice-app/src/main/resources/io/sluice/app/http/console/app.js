// Sluice web console: polls the JSON API every 2 s and draws the overview, a lag/throughput chart,
// the selected pipeline's tables and the recent errors. No libraries, no build step.
(function () {
  "use strict";

  var REFRESH_MS = 2000;
  var token = new URLSearchParams(location.search).get("token");
  var selected = null;
  var process = null;
  var lastPipelines = [];
  var history = [];

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") { e.textContent = attrs[k]; }
        else if (k === "class") { e.className = attrs[k]; }
        else if (k.indexOf("on") === 0) { e.addEventListener(k.substring(2), attrs[k]); }
        else { e.setAttribute(k, attrs[k]); }
      });
    }
    (children || []).forEach(function (c) {
      if (c != null) { e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); }
    });
    return e;
  }

  function api(method, path) {
    var headers = { "Accept": "application/json" };
    if (token) { headers["Authorization"] = "Bearer " + token; }
    return fetch(path, { method: method, headers: headers, cache: "no-store" }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) { throw new Error(body.error || ("HTTP " + r.status)); }
        return body;
      });
    });
  }

  // ------------------------------------------------------------------ formatting

  function fmtLag(ms) {
    if (ms == null) { return "—"; }
    if (ms < 1000) { return ms + " ms"; }
    var s = ms / 1000;
    if (s < 60) { return s.toFixed(s < 10 ? 2 : 1) + " s"; }
    var m = Math.floor(s / 60);
    if (m < 60) { return m + "m " + String(Math.floor(s % 60)).padStart(2, "0") + "s"; }
    return Math.floor(m / 60) + "h " + String(m % 60).padStart(2, "0") + "m";
  }

  function fmtNum(n) {
    if (n == null) { return "—"; }
    if (n >= 1e6) { return (n / 1e6).toFixed(1) + "M"; }
    if (n >= 1e4) { return (n / 1e3).toFixed(1) + "k"; }
    return Number.isInteger(n) ? n.toLocaleString("en-US") : n.toFixed(1);
  }

  function fmtRate(n) {
    if (n == null) { return "—"; }
    return n >= 100 ? fmtNum(Math.round(n)) : n.toFixed(1);
  }

  function fmtDuration(ms) {
    var s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    if (d > 0) { return d + "d " + h + "h"; }
    if (h > 0) { return h + "h " + m + "m"; }
    if (m > 0) { return m + "m " + (s % 60) + "s"; }
    return s + "s";
  }

  function fmtTime(t) {
    var d = new Date(t);
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function lagClass(ms) {
    if (ms == null) { return ""; }
    return ms > 60000 ? "bad" : ms > 5000 ? "warn" : "";
  }

  function toast(text, bad) {
    var t = $("toast");
    t.textContent = text;
    t.className = "toast show" + (bad ? " bad" : "");
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { t.className = "toast"; }, 2600);
  }

  // ------------------------------------------------------------------ header and summary

  function renderProcess() {
    if (!process) { return; }
    var up = Date.now() - process.startedAt;
    var p = $("process");
    p.textContent = "";
    [["version", process.version], ["host", process.host], ["pid", String(process.pid)], ["up", fmtDuration(up)]]
      .forEach(function (kv, i) {
        if (i > 0) { p.appendChild(document.createTextNode("  ·  ")); }
        p.appendChild(document.createTextNode(kv[0] + " "));
        p.appendChild(el("b", { text: kv[1] }));
      });
  }

  function renderSummary(pipelines) {
    var running = pipelines.filter(function (p) { return p.state === "RUNNING"; }).length;
    var attention = pipelines.filter(function (p) { return p.state === "FAILED" || p.state === "RETRYING"; }).length;
    var maxLag = null, eps = 0, total = 0;
    pipelines.forEach(function (p) {
      if (p.lagMs != null && (maxLag == null || p.lagMs > maxLag)) { maxLag = p.lagMs; }
      eps += p.eventsPerSecond || 0;
      total += p.eventsTotal || 0;
    });
    var s = $("summary");
    s.textContent = "";
    [
      ["Pipelines", String(pipelines.length), running + " running" + (attention ? " · " + attention + " need attention" : "")],
      ["Max lag", fmtLag(maxLag), "behind the source"],
      ["Throughput", fmtRate(eps), "events per second"],
      ["Events", fmtNum(total), "written since start"]
    ].forEach(function (x) {
      s.appendChild(el("div", { class: "stat" }, [
        el("div", { class: "label", text: x[0] }),
        el("div", { class: "value", text: x[1] }),
        el("div", { class: "sub", text: x[2] })
      ]));
    });
  }

  // ------------------------------------------------------------------ pipeline cards

  function act(name, action) {
    api("POST", "/api/pipelines/" + encodeURIComponent(name) + "/" + action)
      .then(function (r) { toast(name + ": " + action + " requested"); refresh(); })
      .catch(function (e) { toast(name + ": " + e.message, true); });
  }

  function card(p) {
    var pos = p.position;
    var canPause = !p.paused && (p.state === "RUNNING" || p.state === "RETRYING");
    var canResume = p.paused && p.state !== "FAILED" && p.state !== "STOPPED";
    var sink = p.sink.type + (p.sink.path ? " " + p.sink.path : "");
    var c = el("div", {
      class: "card s-" + p.state + (p.name === selected ? " selected" : ""),
      "data-name": p.name,
      onclick: function () { select(p.name); }
    }, [
      el("div", { class: "card-head" }, [
        el("span", { class: "title", text: p.name }),
        el("span", { class: "badge " + p.state, "data-field": "state", text: p.state })
      ]),
      el("div", { class: "route" }, [
        el("span", { class: "mono", text: p.source.host + ":" + p.source.port }),
        el("span", { class: "arrow", text: "→" }),
        el("span", { class: "mono", text: sink })
      ]),
      el("div", { class: "metrics" }, [
        el("div", { class: "metric" }, [el("div", { class: "k", text: "Lag" }),
          el("div", { class: "v " + lagClass(p.lagMs), "data-field": "lag", "data-lag-ms": p.lagMs == null ? "" : String(p.lagMs), text: fmtLag(p.lagMs) })]),
        el("div", { class: "metric" }, [el("div", { class: "k", text: "Events/s" }),
          el("div", { class: "v", "data-field": "eps", text: fmtRate(p.eventsPerSecond) })]),
        el("div", { class: "metric" }, [el("div", { class: "k", text: "Events" }),
          el("div", { class: "v", "data-field": "events", text: fmtNum(p.eventsTotal) })])
      ]),
      el("div", { class: "position" }, [
        el("div", { class: "row" }, [el("span", { class: "k", text: "binlog" }),
          el("span", { class: "v mono", "data-field": "position", text: pos ? pos.file + ":" + pos.pos : "nothing committed yet" })]),
        el("div", { class: "row" }, [el("span", { class: "k", text: "GTIDs" }),
          el("span", { class: "v mono", "data-field": "gtids", text: pos && pos.gtids ? pos.gtids : "—" })]),
        el("div", { class: "row" }, [el("span", { class: "k", text: "commits" }),
          el("span", { class: "v mono", text: fmtNum(p.commits) + (p.retries ? "  ·  " + p.retries + " retries" : "") })])
      ]),
      p.error ? el("div", { class: "error-line", text: p.error }) : null,
      el("div", { class: "actions" }, [
        button("Pause", "pause", !canPause, p.name),
        button("Resume", "resume", !canResume, p.name)
      ])
    ]);
    return c;
  }

  function button(label, action, disabled, name) {
    var b = el("button", { class: action, type: "button", text: label });
    b.disabled = disabled;
    b.addEventListener("click", function (ev) { ev.stopPropagation(); act(name, action); });
    return b;
  }

  function renderPipelines(pipelines) {
    var box = $("pipelines");
    box.textContent = "";
    if (pipelines.length === 0) {
      box.appendChild(el("div", { class: "empty", text: "No pipelines." }));
    }
    pipelines.forEach(function (p) { box.appendChild(card(p)); });
    var sel = $("chart-pipeline");
    var names = pipelines.map(function (p) { return p.name; });
    if (sel.options.length !== names.length || names.some(function (n, i) { return sel.options[i].value !== n; })) {
      sel.textContent = "";
      names.forEach(function (n) { sel.appendChild(el("option", { value: n, text: n })); });
    }
    if (selected) { sel.value = selected; }
    $("updated").textContent = "updated " + fmtTime(Date.now());
  }

  function select(name) {
    if (selected === name) { return; }
    selected = name;
    history = [];
    document.querySelectorAll(".card").forEach(function (c) {
      c.classList.toggle("selected", c.getAttribute("data-name") === name);
    });
    $("chart-pipeline").value = name;
    refreshSelected();
  }

  // ------------------------------------------------------------------ detail

  function renderDetail(d) {
    $("detail-name").textContent = "· " + d.name;
    var box = $("detail");
    box.textContent = "";
    box.appendChild(el("div", { class: "detail-meta" }, [
      el("span", null, ["include ", el("b", { text: d.source.include.length ? d.source.include.join(", ") : "all tables" })]),
      el("span", null, ["held XA ", el("b", { text: String(d.heldXa.length) })]),
      el("span", null, ["retries ", el("b", { text: String(d.retries) })])
    ]));
    if (!d.tables.length) {
      box.appendChild(el("div", { class: "empty", text: "No table versions recorded yet: they appear with the first committed change." }));
      return;
    }
    var tbody = el("tbody");
    d.tables.forEach(function (t) {
      tbody.appendChild(el("tr", { "data-table": t.table }, [
        el("td", { class: "mono", text: t.table }),
        el("td", null, [el("span", { class: "version", text: "v" + t.schemaVersion })]),
        el("td", { class: "mono muted", text: t.fingerprint ? t.fingerprint.substring(0, 16) : "—", title: t.fingerprint || "" })
      ]));
    });
    box.appendChild(el("table", null, [
      el("thead", null, [el("tr", null, [el("th", { text: "Table" }), el("th", { text: "Schema" }), el("th", { text: "Fingerprint" })])]),
      tbody
    ]));
  }

  function renderErrors(errors) {
    var ul = $("errors");
    ul.textContent = "";
    $("error-count").textContent = errors.length ? errors.length + " recorded" : "";
    if (!errors.length) {
      ul.appendChild(el("li", { class: "empty", text: "No errors. All quiet." }));
      return;
    }
    errors.slice(0, 50).forEach(function (e) {
      ul.appendChild(el("li", null, [
        el("div", { class: "meta" }, [
          el("span", { class: "badge " + e.state, text: e.state }),
          el("b", { text: e.pipeline }),
          el("span", { text: new Date(e.time).toLocaleString() })
        ]),
        el("div", { class: "msg", text: e.message })
      ]));
    });
  }

  // ------------------------------------------------------------------ chart

  function niceMax(v) {
    if (!(v > 0)) { return 1; }
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var m = v / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }

  function drawChart() {
    var canvas = $("chart");
    var dpr = window.devicePixelRatio || 1;
    var w = canvas.clientWidth, h = 260;
    if (canvas.width !== Math.round(w * dpr)) { canvas.width = Math.round(w * dpr); }
    canvas.height = Math.round(h * dpr);
    var g = canvas.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    var left = 64, right = 64, top = 12, bottom = 28;
    var pw = w - left - right, ph = h - top - bottom;
    // the last hour, zoomed to the samples there are (at least two minutes) so a fresh process shows a curve
    var now = Date.now(), hour = 3600 * 1000;
    var first = history.length ? history[0].t : now;
    var span = Math.min(hour, Math.max(2 * 60000, now - first));
    var from = now - span;
    var pts = history.filter(function (s) { return s.t >= from; });
    var maxLag = niceMax(Math.max.apply(null, [0].concat(pts.map(function (s) { return s.lagMs || 0; }))) / 1000) ;
    var maxEps = niceMax(Math.max.apply(null, [0].concat(pts.map(function (s) { return s.eventsPerSecond || 0; }))));
    function x(t) { return left + (t - from) / (now - from) * pw; }
    function yLag(ms) { return top + ph - (ms / 1000) / maxLag * ph; }
    function yEps(v) { return top + ph - v / maxEps * ph; }

    g.font = "11px system-ui, sans-serif";
    g.lineWidth = 1;
    for (var i = 0; i <= 4; i++) {
      var yy = Math.round(top + ph * i / 4) + 0.5;
      g.strokeStyle = "#eef0f4";
      g.beginPath(); g.moveTo(left, yy); g.lineTo(left + pw, yy); g.stroke();
      g.fillStyle = "#2f6fed"; g.textAlign = "right"; g.textBaseline = "middle";
      g.fillText(fmtLag(Math.round(maxLag * 1000 * (4 - i) / 4)), left - 8, yy);
      g.fillStyle = "#16a36a"; g.textAlign = "left";
      g.fillText(fmtRate(maxEps * (4 - i) / 4), left + pw + 8, yy);
    }
    g.fillStyle = "#6a7385"; g.textAlign = "center"; g.textBaseline = "top";
    var steps = [15e3, 30e3, 60e3, 120e3, 300e3, 600e3];
    var step = steps.filter(function (st) { return span / st <= 6; })[0] || 600e3;
    for (var back = 0; back <= span + 1; back += step) {
      var label = back === 0 ? "now" : back < 60e3 ? "-" + back / 1000 + " s"
        : back % 60e3 ? "-" + Math.floor(back / 60e3) + "m " + (back % 60e3) / 1000 + "s" : "-" + back / 60e3 + " min";
      g.fillText(label, x(now - back), top + ph + 8);
    }
    if (pts.length === 0) {
      g.fillStyle = "#8791a3"; g.textAlign = "center"; g.textBaseline = "middle"; g.font = "13px system-ui, sans-serif";
      g.fillText("Collecting samples…", left + pw / 2, top + ph / 2);
      return;
    }
    // throughput: filled area
    g.beginPath();
    g.moveTo(x(pts[0].t), top + ph);
    pts.forEach(function (s) { g.lineTo(x(s.t), yEps(s.eventsPerSecond || 0)); });
    g.lineTo(x(pts[pts.length - 1].t), top + ph);
    g.closePath();
    var grad = g.createLinearGradient(0, top, 0, top + ph);
    grad.addColorStop(0, "rgba(22,163,106,.28)"); grad.addColorStop(1, "rgba(22,163,106,.02)");
    g.fillStyle = grad; g.fill();
    g.beginPath();
    pts.forEach(function (s, i2) { var px = x(s.t), py = yEps(s.eventsPerSecond || 0); if (i2) { g.lineTo(px, py); } else { g.moveTo(px, py); } });
    g.strokeStyle = "#16a36a"; g.lineWidth = 1.5; g.stroke();
    // lag: line
    g.beginPath();
    var started = false;
    pts.forEach(function (s) {
      if (s.lagMs == null) { started = false; return; }
      var px = x(s.t), py = yLag(s.lagMs);
      if (started) { g.lineTo(px, py); } else { g.moveTo(px, py); started = true; }
    });
    g.strokeStyle = "#2f6fed"; g.lineWidth = 2; g.lineJoin = "round"; g.stroke();
    var last = pts[pts.length - 1];
    if (last.lagMs != null) {
      g.fillStyle = "#2f6fed"; g.beginPath(); g.arc(x(last.t), yLag(last.lagMs), 3.5, 0, Math.PI * 2); g.fill();
    }
  }

  // ------------------------------------------------------------------ refresh loop

  function setLive(ok, text) {
    $("live").className = "live" + (ok ? "" : " down");
    $("live-text").textContent = text;
  }

  function refreshSelected() {
    if (!selected) { return Promise.resolve(); }
    var name = encodeURIComponent(selected);
    return Promise.all([api("GET", "/api/pipelines/" + name), api("GET", "/api/pipelines/" + name + "/history")])
      .then(function (r) { renderDetail(r[0]); history = r[1]; drawChart(); });
  }

  function refresh() {
    return api("GET", "/api/pipelines").then(function (pipelines) {
      lastPipelines = pipelines;
      if (!selected && pipelines.length) { selected = pipelines[0].name; }
      renderSummary(pipelines);
      renderPipelines(pipelines);
      renderProcess();
      return Promise.all([refreshSelected(), api("GET", "/api/errors").then(renderErrors)]);
    }).then(function () { setLive(true, "live"); })
      .catch(function (e) { setLive(false, e.message); });
  }

  $("chart-pipeline").addEventListener("change", function (e) { select(e.target.value); });
  window.addEventListener("resize", drawChart);
  api("GET", "/api/process").then(function (p) { process = p; renderProcess(); }).catch(function () {});
  refresh();
  setInterval(refresh, REFRESH_MS);
})();
