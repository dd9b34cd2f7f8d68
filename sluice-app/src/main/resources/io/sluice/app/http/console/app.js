// Sluice web console: polls the JSON API every 2 s and draws the overview, a lag/throughput chart, the selected
// pipeline's snapshots, tables, schema history and configuration, and the recent errors of every severity.
// With --http-token it asks for the token (kept in sessionStorage). No libraries, no build step.
(function () {
  "use strict";

  var REFRESH_MS = 2000;
  var TOKEN_KEY = "sluice-token";
  var token = new URLSearchParams(location.search).get("token") || sessionStorage.getItem(TOKEN_KEY);
  var loggedOut = false;
  var selected = null;
  // true until the operator picks a pipeline: the console may then move to a healthy one (chooseDefault)
  var autoSelected = true;
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

  function api(method, path, body) {
    var headers = { "Accept": "application/json" };
    if (token) { headers["Authorization"] = "Bearer " + token; }
    var init = { method: method, headers: headers, cache: "no-store" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    return fetch(path, init).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (b) {
        if (!r.ok) { var e = new Error(b.error || ("HTTP " + r.status)); e.status = r.status; throw e; }
        return b;
      });
    });
  }

  // ------------------------------------------------------------------ token login

  function showLogin(message) {
    loggedOut = true;
    $("login").hidden = false;
    $("login-error").textContent = message || "";
    $("pipelines").textContent = "";
    $("pipelines").appendChild(el("div", { class: "empty", text: "Log in with the server's token to see the pipelines." }));
    setLive(false, "logged out");
    $("login-token").focus();
  }

  function login(ev) {
    ev.preventDefault();
    var given = $("login-token").value.trim();
    if (!given) { $("login-error").textContent = "Enter the token the server was started with (--http-token)."; return; }
    token = given;
    api("GET", "/api/process").then(function (p) {
      sessionStorage.setItem(TOKEN_KEY, given);
      loggedOut = false;
      $("login").hidden = true;
      $("login-token").value = "";
      process = p;
      refresh();
    }).catch(function (e) {
      $("login-error").textContent = e.status === 401 ? "Wrong token: the server refused it." : "Cannot reach the server: " + e.message;
    });
  }

  function logout() {
    sessionStorage.removeItem(TOKEN_KEY);
    token = null;
    showLogin("");
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

  function fmtBytes(n) {
    if (n == null) { return "—"; }
    if (n < 1024) { return n + " B"; }
    if (n < 1048576) { return (n / 1024).toFixed(1) + " KiB"; }
    if (n < 1073741824) { return (n / 1048576).toFixed(1) + " MiB"; }
    return (n / 1073741824).toFixed(2) + " GiB";
  }

  // Why the pipeline is in its state and what fixes it: [reason, fix] (null when all is well).
  function advice(p) {
    if (p.state === "FAILED") {
      var halt = p.error && /schema approve/.test(p.error);
      return [p.error || "The pipeline stopped.", halt
        ? "Approve the schema version (Schema history below, or sluice schema approve -c " + p.config + "), then Restart."
        : "Fix the cause, then Restart: the pipeline starts again from its checkpoint; the others run on."];
    }
    if (p.paused || p.state === "PAUSED") { return ["Paused by an operator: nothing is read from the binlog.", "Resume to read on from where it stopped."]; }
    if (p.state === "RETRYING") { return [p.error || "The source failed; retrying with back-off from the last checkpoint.", "Nothing to do if the source comes back; see Recent errors."]; }
    if (p.state === "STOPPED") { return ["Stopped.", "Start the process again."]; }
    return null;
  }

  function card(p) {
    var pos = p.position;
    var canPause = !p.paused && (p.state === "RUNNING" || p.state === "RETRYING");
    var canResume = p.paused && p.state !== "FAILED" && p.state !== "STOPPED";
    var why = advice(p);
    var sink = p.sink.type + (p.sink.path ? " " + p.sink.path : "");
    var c = el("div", {
      class: "card s-" + p.state + (p.name === selected ? " selected" : ""),
      "data-name": p.name,
      onclick: function () { autoSelected = false; select(p.name); }
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
      el("div", { class: "metrics four" }, [
        el("div", { class: "metric" }, [el("div", { class: "k", text: "Lag" }),
          el("div", { class: "v " + lagClass(p.lagMs), "data-field": "lag", "data-lag-ms": p.lagMs == null ? "" : String(p.lagMs), text: fmtLag(p.lagMs) })]),
        el("div", { class: "metric" }, [el("div", { class: "k", text: "Behind" }),
          el("div", { class: "v", "data-field": "behind", text: fmtBytes(p.bytesBehind) })]),
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
      why ? el("div", { class: "reason", "data-field": "reason" }, [
        el("div", { class: "why", text: why[0] }),
        el("div", { class: "fix", "data-field": "fix", text: why[1] })
      ]) : null,
      el("div", { class: "actions" }, [
        p.state === "FAILED" ? button("Restart", "restart", false, p.name) : null,
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
    document.querySelectorAll(".sel-name").forEach(function (x) { x.textContent = "· " + d.name; });
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
    // long db.table names scroll sideways inside the panel on a phone instead of widening the page
    box.appendChild(el("div", { class: "scroll" }, [el("table", null, [
      el("thead", null, [el("tr", null, [el("th", { text: "Table" }), el("th", { text: "Schema" }), el("th", { text: "Fingerprint" })])]),
      tbody
    ])]));
  }

  // ------------------------------------------------------------------ snapshots

  function fmtEta(s) {
    if (s == null || s < 0) { return "—"; }
    return s === 0 ? "done" : fmtDuration(s * 1000);
  }

  function snapshotAction(action, tables, where) {
    var body = { action: action, tables: tables };
    if (where) { body.where = where; }
    api("POST", "/api/pipelines/" + encodeURIComponent(selected) + "/snapshot", body)
      .then(function (r) { toast(selected + ": " + r.requested); refresh(); })
      .catch(function (e) { toast(selected + ": " + e.message, true); });
  }

  function renderSnapshots(d) {
    var box = $("snapshots");
    box.textContent = "";
    if (!d.snapshot.length) {
      box.appendChild(el("div", { class: "empty", text: "No snapshot requested since the process started." }));
    } else {
      var tbody = el("tbody");
      d.snapshot.forEach(function (t) {
        var active = t.state === "running" || t.state === "queued" || t.state === "paused";
        var pct = t.rowsEstimate > 0 ? Math.min(100, Math.round(t.rows * 100 / t.rowsEstimate)) : null;
        tbody.appendChild(el("tr", { "data-snapshot": t.table, "data-state": t.state }, [
          el("td", { class: "mono", text: t.table }),
          el("td", null, [el("span", { class: "badge snap-" + t.state, text: t.state })]),
          el("td", { class: "num", text: fmtNum(t.rows) + (t.rowsEstimate >= 0 ? " / ~" + fmtNum(t.rowsEstimate) : "") + (pct != null && active ? " (" + pct + "%)" : "") }),
          el("td", { class: "num", text: fmtRate(t.rowsPerSecond) + "/s" }),
          el("td", { class: "num", text: fmtEta(t.etaSeconds) }),
          el("td", { class: "row-actions" }, active ? [small("Cancel", function () { snapshotAction("cancel", [t.table]); })] : [])
        ]));
      });
      var anyActive = d.snapshot.some(function (t) { return t.state === "running" || t.state === "queued" || t.state === "paused"; });
      if (anyActive) {
        box.appendChild(el("div", { class: "snapshot-controls" }, [
          el("span", { class: "hint", text: d.snapshotsPaused ? "Snapshots are paused." : "Snapshots are running." }),
          d.snapshotsPaused ? small("Resume", function () { snapshotAction("resume", []); })
            : small("Pause", function () { snapshotAction("pause", []); })
        ]));
      }
      box.appendChild(el("div", { class: "scroll" }, [el("table", null, [
        el("thead", null, [el("tr", null, ["Table", "State", "Rows", "Rate", "ETA", ""].map(function (h) { return el("th", { text: h }); }))]),
        tbody])]));
    }
  }

  function small(label, onclick) {
    var b = el("button", { class: "small " + label.toLowerCase(), type: "button", text: label });
    b.addEventListener("click", function (ev) { ev.stopPropagation(); onclick(); });
    return b;
  }

  function requestSnapshot(ev) {
    ev.preventDefault();
    var tables = $("snap-tables").value.split(/[\s,]+/).filter(function (x) { return x; });
    snapshotAction("snapshot", tables, $("snap-where").value.trim());
  }

  // ------------------------------------------------------------------ schema history

  // Column changes from one version to the next: ["+ name type", "- name", "~ name: old → new"].
  function diff(before, after) {
    var out = [];
    var old = {};
    (before || []).forEach(function (c) { old[c.name] = c; });
    var seen = {};
    (after || []).forEach(function (c) {
      seen[c.name] = true;
      var o = old[c.name];
      if (!o) { out.push(["add", "+ " + c.name + " " + (c.type || "")]); }
      else if (JSON.stringify(o) !== JSON.stringify(c)) { out.push(["change", "~ " + c.name + ": " + (o.type || "") + " → " + (c.type || "")]); }
    });
    (before || []).forEach(function (c) { if (!seen[c.name]) { out.push(["drop", "− " + c.name]); } });
    return out;
  }

  function renderSchemas(list, d) {
    var box = $("schemas");
    box.textContent = "";
    if (!list.length) {
      box.appendChild(el("div", { class: "empty", text: "No schema history yet: versions are recorded as tables are first seen and altered." }));
      return;
    }
    var pending = 0;
    list.forEach(function (t) {
      var items = el("ol", { class: "versions" });
      t.versions.forEach(function (v, i) {
        var waiting = v.breaking && v.approved === false;
        if (waiting) { pending++; }
        var changes = i === 0 ? [] : diff(t.versions[i - 1].columns, v.columns);
        items.appendChild(el("li", { "data-version": String(v.version), class: waiting ? "pending" : "" }, [
          el("div", { class: "vhead" }, [
            el("span", { class: "version", text: "v" + v.version }),
            el("span", { class: "muted mono", text: v.origin + (v.file ? " at " + v.file + ":" + v.pos : "") }),
            v.breaking ? el("span", { class: "badge " + (waiting ? "FAILED" : "RUNNING"), text: waiting ? "needs approval" : "approved" }) : null
          ]),
          v.ddl ? el("div", { class: "mono ddl", text: v.ddl }) : null,
          changes.length ? el("ul", { class: "diff" }, changes.map(function (c) { return el("li", { class: c[0] + " mono", text: c[1] }); })) : null,
          v.breaking ? el("div", { class: "breaking", text: "breaking: " + v.breaking.join("; ") }) : null,
          waiting ? el("div", { class: "fix", "data-field": "approve" }, [
            small("Approve", function () { approve(t.table, v.version); }), " or ",
            el("code", { text: "sluice schema approve -c " + d.config + " --table " + t.table + " --version " + v.version }),
            "; then Restart the pipeline."]) : null
        ]));
      });
      box.appendChild(el("div", { class: "schema-table", "data-schema-table": t.table }, [
        el("div", { class: "mono stitle", text: t.table + " · " + t.versions.length + " version" + (t.versions.length === 1 ? "" : "s") }), items]));
    });
    $("schema-pending").textContent = pending ? pending + " pending approval" + (pending === 1 ? "" : "s") : "";
  }

  function approve(table, version) {
    if (!window.confirm("Approve version " + version + " of " + table + "? Its consumers must be able to read it.")) { return; }
    api("POST", "/api/pipelines/" + encodeURIComponent(selected) + "/schemas/" + encodeURIComponent(table) + "/"
      + version + "/approve")
      .then(function (r) { toast(r.message); refresh(); })
      .catch(function (e) { toast(e.message, true); });
  }

  function renderConfig(c) {
    $("config").textContent = JSON.stringify(c, null, 2);
  }

  function renderErrors(errors) {
    var ul = $("errors");
    ul.textContent = "";
    $("error-count").textContent = errors.length ? errors.length + " recorded" : "";
    if (!errors.length) {
      ul.appendChild(el("li", { class: "empty", text: "No errors or warnings." }));
      return;
    }
    errors.slice(0, 50).forEach(function (e) {
      ul.appendChild(el("li", { class: "sev-" + e.severity }, [
        el("div", { class: "meta" }, [
          el("span", { class: "badge sev " + e.severity, text: e.severity }),
          e.state ? el("span", { class: "badge " + e.state, text: e.state }) : null,
          el("b", { text: e.pipeline || "process" }),
          el("span", { text: new Date(e.time).toLocaleString() })
        ]),
        el("div", { class: "msg", text: e.message })
      ]));
    });
  }

  // ------------------------------------------------------------------ throughput per table

  var OPS = { c: "insert", u: "update", d: "delete", r: "snapshot read", s: "schema", t: "truncate" };

  function renderThroughput(t) {
    var box = $("throughput");
    box.textContent = "";
    if (!t || !t.tables.length) {
      box.appendChild(el("div", { class: "empty", text: "No events written yet." }));
      return;
    }
    var heads = ["Table", "Op"].concat(t.windowsSeconds.map(function (w) { return w < 60 ? w + " s" : w / 60 + " min"; }), ["Total"]);
    var tbody = el("tbody");
    t.tables.forEach(function (r) {
      tbody.appendChild(el("tr", { "data-throughput": r.table + " " + r.op }, [
        el("td", { class: "mono", text: r.table }),
        el("td", { text: OPS[r.op] || r.op })
      ].concat(r.perSecond.map(function (v, i) {
        // a window this process has not sampled in full yet shows the rate from before its restart
        var kept = r.keptFrom !== undefined && t.windowsSeconds[i] * 1000 > (t.sampledMs || 0);
        return el("td", kept
          ? { class: "num kept", title: "before the restart (" + new Date(r.keptFrom).toISOString() + ")", text: fmtRate(v) + "/s*" }
          : { class: "num", text: fmtRate(v) + "/s" });
      }),
        [el("td", { class: "num", "data-total": String(r.total), text: fmtNum(r.total) })])));
    });
    box.appendChild(el("div", { class: "scroll" }, [el("table", null, [
      el("thead", null, [el("tr", null, heads.map(function (h) { return el("th", { text: h }); }))]), tbody])]));
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
    var narrow = w < 520;
    var left = narrow ? 50 : 64, right = narrow ? 40 : 64, top = 12, bottom = 28;
    var pw = w - left - right, ph = h - top - bottom;
    // the span chosen (the last hour or six), zoomed to the samples there are (at least two minutes) so a fresh
    // process shows a curve; older than this process's own hour, points are per minute from the state directory
    var now = Date.now(), chosen = Number($("chart-span").value) || 3600 * 1000;
    var first = history.length ? history[0].t : now;
    var span = Math.min(chosen, Math.max(2 * 60000, now - first));
    canvas.setAttribute("data-span", String(chosen));
    var from = now - span;
    var pts = history.filter(function (s) { return s.t >= from; });
    // for tests and the curious: how many points are drawn and the oldest one's time (points kept across restarts
    // are per minute, from the pipeline's state directory)
    canvas.setAttribute("data-points", String(pts.length));
    canvas.setAttribute("data-oldest", pts.length ? String(pts[0].t) : "");
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
    var steps = [15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 1800e3, 3600e3, 7200e3];
    // at most one time label per 70 px, so they never overlap on a phone
    var most = Math.max(1, Math.min(6, Math.floor(pw / 70)));
    var step = steps.filter(function (st) { return span / st <= most; })[0] || 7200e3;
    canvas.setAttribute("data-time-labels", Math.floor((span + 1) / step) + 1 + " / " + Math.round(pw));
    for (var back = 0; back <= span + 1; back += step) {
      var label = back === 0 ? "now" : back < 60e3 ? "-" + back / 1000 + " s"
        : back % 60e3 ? "-" + Math.floor(back / 60e3) + "m " + (back % 60e3) / 1000 + "s"
        : back >= 3600e3 && back % 3600e3 === 0 ? "-" + back / 3600e3 + " h" : "-" + back / 60e3 + " min";
      g.fillText(label, x(now - back), top + ph + 8);
    }
    if (pts.length === 0) {
      g.fillStyle = "#8791a3"; g.textAlign = "center"; g.textBaseline = "middle"; g.font = "13px system-ui, sans-serif";
      g.fillText("Collecting samples…", left + pw / 2, top + ph / 2);
      return;
    }
    // throughput: a filled area per stretch without a gap (the process was down in a gap: nothing is drawn there)
    var runs = [[]];
    pts.forEach(function (s, i2) {
      if (i2 > 0 && s.t - pts[i2 - 1].t > 150000) { runs.push([]); }
      runs[runs.length - 1].push(s);
    });
    canvas.setAttribute("data-eps-runs", String(runs.length));
    var grad = g.createLinearGradient(0, top, 0, top + ph);
    grad.addColorStop(0, "rgba(22,163,106,.28)"); grad.addColorStop(1, "rgba(22,163,106,.02)");
    runs.forEach(function (run) {
      var x0 = x(run[0].t), x1 = Math.max(x(run[run.length - 1].t), x0 + 2);
      g.beginPath();
      g.moveTo(x0, top + ph);
      run.forEach(function (s) { g.lineTo(x(s.t), yEps(s.eventsPerSecond || 0)); });
      if (run.length === 1) { g.lineTo(x1, yEps(run[0].eventsPerSecond || 0)); }
      g.lineTo(x1, top + ph);
      g.closePath();
      g.fillStyle = grad; g.fill();
      g.beginPath();
      run.forEach(function (s, i5) { var px = x(s.t), py = yEps(s.eventsPerSecond || 0); if (i5) { g.lineTo(px, py); } else { g.moveTo(px, py); } });
      if (run.length === 1) { g.lineTo(x1, yEps(run[0].eventsPerSecond || 0)); }
      g.strokeStyle = "#16a36a"; g.lineWidth = 1.5; g.stroke();
    });
    // lag: line
    g.beginPath();
    var started = false;
    pts.forEach(function (s, i3) {
      // no line across a gap (the process was down): the points on each side stand apart
      if (s.lagMs == null || (i3 > 0 && s.t - pts[i3 - 1].t > 150000)) { started = false; }
      if (s.lagMs == null) { return; }
      var px = x(s.t), py = yLag(s.lagMs);
      if (started) { g.lineTo(px, py); } else { g.moveTo(px, py); started = true; }
    });
    g.strokeStyle = "#2f6fed"; g.lineWidth = 2; g.lineJoin = "round"; g.stroke();
    // a point with a gap on both sides (e.g. the minute a short run before a restart left) has no line: a dot
    function joined(a, b) { return a && b && a.lagMs != null && b.lagMs != null && Math.abs(b.t - a.t) <= 150000; }
    var lone = 0;
    g.fillStyle = "#2f6fed";
    pts.forEach(function (s, i4) {
      if (s.lagMs == null || joined(pts[i4 - 1], s) || joined(s, pts[i4 + 1])) { return; }
      lone++;
      g.beginPath(); g.arc(x(s.t), yLag(s.lagMs), 2.5, 0, Math.PI * 2); g.fill();
    });
    canvas.setAttribute("data-lone-points", String(lone));
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

  var configShown = null;

  function refreshSelected() {
    if (!selected) { return Promise.resolve(); }
    var name = encodeURIComponent(selected);
    var wanted = selected;
    return Promise.all([api("GET", "/api/pipelines/" + name), api("GET", "/api/pipelines/" + name + "/history"),
      api("GET", "/api/pipelines/" + name + "/schemas").catch(function () { return []; }),
      configShown === wanted ? Promise.resolve(null) : api("GET", "/api/pipelines/" + name + "/config"),
      api("GET", "/api/pipelines/" + name + "/throughput").catch(function () { return null; })])
      .then(function (r) {
        if (wanted !== selected) { return; }
        renderDetail(r[0]); renderSnapshots(r[0]); renderSchemas(r[2], r[0]); renderThroughput(r[4]);
        if (r[3]) { renderConfig(r[3]); configShown = wanted; }
        history = r[1]; drawChart();
      });
  }

  // The chart and detail open on the first healthy (running) pipeline, not on a failed, empty one; until the operator
  // picks one, a selection that stopped being healthy moves to one that is (a pipeline may fail just after start).
  function chooseDefault(pipelines) {
    if (!pipelines.length || (selected && !autoSelected)) { return; }
    var healthy = pipelines.filter(function (p) { return p.state === "RUNNING" && !p.paused; })[0];
    var current = pipelines.filter(function (p) { return p.name === selected; })[0];
    if (!current) { selected = (healthy || pipelines[0]).name; history = []; }
    else if (healthy && current.state !== "RUNNING" && current.state !== "PAUSED") { select(healthy.name); }
  }

  function refresh() {
    return api("GET", "/api/pipelines").then(function (pipelines) {
      lastPipelines = pipelines;
      chooseDefault(pipelines);
      renderSummary(pipelines);
      renderPipelines(pipelines);
      renderProcess();
      return Promise.all([refreshSelected(), api("GET", "/api/errors").then(renderErrors)]);
    }).then(function () { setLive(true, "live"); $("logout").hidden = !token; })
      .catch(function (e) {
        if (e.status === 401) { showLogin(token ? "Wrong token: the server refused it." : ""); }
        else { setLive(false, e.message); }
      });
  }

  // ------------------------------------------------------------------ transformation rules

  var rulesShown = { name: null, diffTo: null, latest: null };

  function rulesPath(rest) {
    return "/api/pipelines/" + encodeURIComponent(selected) + "/rules" + (rest || "");
  }

  function refreshRules() {
    if (!selected || loggedOut) { return Promise.resolve(); }
    var wanted = selected;
    return api("GET", rulesPath()).then(function (r) {
      if (wanted !== selected) { return; }
      renderRules(r);
    }).catch(function (e) {
      if (e.status === 404) { $("rules-panel").hidden = true; rulesShown.name = null; }
    });
  }

  function renderRules(r) {
    $("rules-panel").hidden = false;
    $("rules-effect").textContent = "in effect: v" + r.inEffect + (r.latest !== r.inEffect ? " · v" + r.latest
      + " deployed, taken up at the next transaction" : "") + (r.deadLetter ? " · on-error: dead-letter" : "");
    var ol = $("rules-versions");
    ol.textContent = "";
    r.versions.slice().reverse().forEach(function (v) {
      var current = v.version === r.inEffect;
      ol.appendChild(el("li", { "data-rule-version": String(v.version), class: current ? "current" : "",
        onclick: function () { showRulesDiff(v.version); } }, [
        el("span", { class: "version", text: "v" + v.version }),
        el("span", { class: "muted mono", text: v.hash.substring(0, 12) }),
        el("span", { class: "muted", text: fmtTime(Date.parse(v.time)) }),
        el("span", { class: "vmsg", text: v.message || v.origin }),
        current ? el("span", { class: "badge RUNNING", text: "in effect" })
          : small("Rollback", function () { rollbackRules(v.version, r.inEffect); })
      ]));
    });
    var tbl = el("table", { class: "rule-counters" }, [
      el("thead", null, [el("tr", null, ["Rule", "Matched", "Dropped", "Changed", "Errors", "Dead-lettered", "Time"]
        .map(function (h) { return el("th", { text: h }); }))]),
      el("tbody", null, r.rules.map(function (c) {
        return el("tr", { "data-rule": c.rule }, [
          el("td", { class: "mono", text: c.rule }),
          el("td", { "data-field": "matched", text: fmtNum(c.matched) }),
          el("td", { "data-field": "dropped", text: fmtNum(c.dropped) }),
          el("td", { "data-field": "changed", text: fmtNum(c.changed) }),
          el("td", { "data-field": "errors", class: c.errors ? "bad" : "", text: fmtNum(c.errors) }),
          el("td", { "data-field": "deadLettered", text: fmtNum(c.deadLettered) }),
          el("td", { text: (c.seconds * 1000).toFixed(1) + " ms" })
        ]);
      }))
    ]);
    $("rules-counters").textContent = "";
    $("rules-counters").appendChild(tbl);
    if (rulesShown.name !== selected || rulesShown.latest !== r.latest) {
      rulesShown.name = selected;
      rulesShown.latest = r.latest;
      showRulesDiff(r.latest);
    }
  }

  // the diff of version n against the one before it (version 1: its whole text)
  function showRulesDiff(n) {
    rulesShown.diffTo = n;
    document.querySelectorAll("#rules-versions li").forEach(function (li) {
      li.classList.toggle("shown", li.getAttribute("data-rule-version") === String(n));
    });
    var wanted = selected;
    var load = n > 1 ? api("GET", rulesPath("/diff?from=" + (n - 1) + "&to=" + n)).then(function (d) { return d.lines; })
      : api("GET", rulesPath("/versions/1")).then(function (v) { return v.text.split("\n").map(function (l) { return " " + l; }); });
    load.then(function (lines) {
      if (wanted !== selected || rulesShown.diffTo !== n) { return; }
      $("rules-diff-title").textContent = n > 1 ? "· v" + (n - 1) + " → v" + n : "· v1";
      var pre = $("rules-diff");
      pre.textContent = "";
      lines.forEach(function (l) {
        var kind = l.charAt(0) === "+" ? "add" : l.charAt(0) === "-" ? "drop" : "same";
        pre.appendChild(el("div", { class: "dl " + kind, text: l }));
      });
    }).catch(function (e) { toast(e.message, true); });
  }

  function deployRules(ev) {
    ev.preventDefault();
    var yaml = $("rules-yaml").value;
    $("rules-error").textContent = "";
    api("POST", rulesPath("/deploy"), { rules: yaml, message: $("rules-message").value.trim() })
      .then(function (r) {
        toast(selected + ": rule version " + r.version + " deployed; " + r.note);
        if (!$("rules-preview-out").hidden) { $("rules-preview-title").textContent += " · deployed as v" + r.version; }
        $("rules-yaml").value = ""; $("rules-message").value = "";
        refreshRules();
      })
      .catch(function (e) { $("rules-error").textContent = e.message; toast("deploy refused (" + e.status + ")", true); });
  }

  function rollbackRules(n, inEffect) {
    if (!window.confirm("Deploy version " + n + "'s rules again, as a new version after v" + inEffect + "?")) { return; }
    api("POST", rulesPath("/rollback"), { to: n, message: "rolled back from the console" })
      .then(function (r) { toast(selected + ": rule version " + r.version + " has version " + n + "'s rules"); refreshRules(); })
      .catch(function (e) { toast(e.message, true); });
  }

  // ---- preview: the candidate in the text area beside the deployed version, per event, over re-read binlog events

  function previewRange() {
    if ($("rules-preview-range").value === "last") {
      return { last: Number($("rules-preview-last").value) || 100 };
    }
    var r = { from: $("rules-preview-from").value.trim() };
    var to = $("rules-preview-to").value.trim();
    if (to) { r.to = to; }
    return r;
  }

  function previewRules() {
    var body = previewRange();
    body.rules = $("rules-yaml").value;
    body.limit = 200;
    $("rules-error").textContent = "";
    if (body.from === "") { $("rules-error").textContent = "Give where the preview starts (from): file:pos, a GTID set or a time."; return; }
    var wanted = selected;
    var button = $("rules-preview");
    button.disabled = true;
    button.textContent = "Previewing…";
    api("POST", rulesPath("/preview"), body).then(function (r) {
      if (wanted === selected) { renderPreview(r); }
    }).catch(function (e) {
      $("rules-error").textContent = e.message;
      toast("preview refused (" + e.status + ")", true);
    }).then(function () { button.disabled = false; button.textContent = "Preview"; });
  }

  function renderPreview(r) {
    $("rules-preview-out").hidden = false;
    $("rules-preview-title").textContent = "· v" + r.deployed + " (deployed) → candidate v" + r.candidate
      + " · " + r.range;
    var totals = $("rules-preview-totals");
    totals.textContent = "";
    totals.appendChild(el("span", { class: "tot", "data-total": "events", text: fmtNum(r.events) + " events" }));
    Object.keys(r.totals).forEach(function (k) {
      totals.appendChild(el("span", { class: "tot pv-outcome " + k, "data-total": k, text: fmtNum(r.totals[k]) + " " + k }));
    });
    if (r.entries.length < r.events) {
      totals.appendChild(el("span", { class: "tot", text: "first " + r.entries.length + " listed" }));
    }
    totals.appendChild(el("button", { class: "small request", type: "button", id: "rules-preview-deploy",
      text: "Deploy this candidate", onclick: function () { $("rules-form").requestSubmit(); } }));
    var list = $("rules-preview-events");
    list.textContent = "";
    r.entries.forEach(function (e) { list.appendChild(previewEntry(e, r)); });
    if (!r.entries.length) { list.appendChild(el("div", { class: "empty", text: "No row events in that range." })); }
  }

  function previewEntry(e, r) {
    var routes = e.deployed_route && e.candidate_route && e.deployed_route !== e.candidate_route
      ? e.deployed_route + " → " + e.candidate_route : (e.candidate_route || e.deployed_route || "");
    return el("div", { class: "pv-event", "data-outcome": e.outcome, "data-event-id": e.id }, [
      el("div", { class: "pv-head" }, [
        el("span", { class: "pv-outcome " + e.outcome, text: e.outcome }),
        el("span", { class: "mono", text: e.table + " " + e.op }),
        routes ? el("span", { class: "muted mono", text: "→ " + routes }) : null,
        el("span", { class: "muted mono pv-id", text: e.id })
      ]),
      el("div", { class: "pv-sides" }, [
        previewSide("deployed v" + r.deployed, "deployed", e.deployed_event,
          e.deployed_dropped ? "dropped" : "—", { drop: e.removed, chg: e.changed }),
        previewSide("candidate v" + r.candidate, "candidate", e.candidate_event,
          e.outcome === "failed" ? "fails" : "dropped", { add: e.added, chg: e.changed })
      ]),
      e.error ? el("div", { class: "pv-error mono", text: e.error }) : null
    ]);
  }

  // one side: the event's row (after, or before for a delete) a line per field, the differing fields marked
  function previewSide(title, side, ev, missing, marks) {
    var body;
    if (!ev) {
      body = el("div", { class: "none", text: missing });
    } else {
      var image = ev.after && typeof ev.after === "object" ? ev.after : (ev.before || {});
      var lines = Object.keys(image).map(function (f) {
        var kind = (marks.add || []).indexOf(f) >= 0 ? "add" : (marks.drop || []).indexOf(f) >= 0 ? "drop"
          : (marks.chg || []).indexOf(f) >= 0 ? "chg" : "same";
        return el("div", { class: "fl " + kind, "data-field": f, text: f + ": " + JSON.stringify(image[f]) });
      });
      if (ev.key !== undefined) {
        lines.unshift(el("div", { class: "fl " + ((marks.chg || []).indexOf("key") >= 0 ? "chg" : "same"),
          "data-field": "(key)", text: "key: " + JSON.stringify(ev.key) }));
      }
      body = el("pre", { class: "mono" }, lines);
    }
    return el("div", { class: "pv-side", "data-side": side }, [el("h4", { text: title }), body]);
  }

  $("rules-preview").addEventListener("click", previewRules);
  $("rules-preview-range").addEventListener("change", function (ev) {
    var last = ev.target.value === "last";
    $("rules-preview-last").hidden = !last;
    $("rules-preview-from").hidden = last;
    $("rules-preview-to").hidden = last;
  });
  $("rules-form").addEventListener("submit", deployRules);
  $("chart-pipeline").addEventListener("change", function () { rulesShown.name = null; refreshRules(); });
  setInterval(refreshRules, REFRESH_MS);
  refreshRules();

  $("chart-pipeline").addEventListener("change", function (e) { autoSelected = false; select(e.target.value); });
  // the span chosen is kept in this browser (localStorage), for the next visit too
  var SPAN_KEY = "sluice.chart-span";
  try {
    var keptSpan = localStorage.getItem(SPAN_KEY);
    if (keptSpan && $("chart-span").querySelector("option[value='" + keptSpan + "']")) { $("chart-span").value = keptSpan; }
  } catch (ignored) { /* storage off: the default span */ }
  $("chart-span").addEventListener("change", function (e) {
    try { localStorage.setItem(SPAN_KEY, e.target.value); } catch (ignored) { /* storage off: this page only */ }
    drawChart();
  });
  $("login-form").addEventListener("submit", login);
  $("snapshot-form").addEventListener("submit", requestSnapshot);
  $("logout").addEventListener("click", logout);
  window.addEventListener("resize", drawChart);
  if (new URLSearchParams(location.search).get("token")) { sessionStorage.setItem(TOKEN_KEY, token); }
  api("GET", "/api/process").then(function (p) { process = p; renderProcess(); }).catch(function () {});
  refresh();
  setInterval(function () { if (!loggedOut) { refresh(); } }, REFRESH_MS);
})();
