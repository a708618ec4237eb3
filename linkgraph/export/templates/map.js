/* The linkgraph map: tooltips, search, kind filter. Every source text goes in as textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var SAFE_URL = /^https?:\/\//i;
  var TOOLTIP_CITING = 8;
  var RESULTS = 20;
  var state = { ready: false, hiddenKinds: {} };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function link(url, text) {
    if (!url || !SAFE_URL.test(url)) return el("span", text);
    var a = el("a", text);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function row(box, name, value) {
    if (value === undefined || value === null || value === "") return;
    var line = el("div", null, "lg-row");
    line.appendChild(el("b", name + ": "));
    line.appendChild(document.createTextNode(String(value)));
    box.appendChild(line);
  }

  function describe(info, citingLimit) {
    var box = el("div", null, "lg-card");
    box.appendChild(el("div", info.title || "(untitled)", "lg-title"));
    var meta = [info.work_kind || info.kind];
    if (info.year) meta.push(info.year);
    if (info.status && info.status !== "resolved") meta.push(info.status);
    box.appendChild(el("div", meta.join(" \u00b7 "), "lg-meta"));
    row(box, "Authors", (info.authors || []).join(", "));
    row(box, "Identifiers", (info.identifiers || []).join(", "));
    row(box, "Podcast", info.podcast);
    row(box, "Published", info.published);
    row(box, "Starts at", info.start);
    row(box, "Roles", (info.roles || []).join(", "));
    row(box, "Scheme", info.scheme);
    if (info.kind === "work") {
      row(box, "Cited by", (info.citations || 0) + " episode(s), " + (info.mentions || 0) + " mention(s)");
    } else if (info.kind === "episode") {
      row(box, "Cites", (info.citations || 0) + " work(s)");
    }
    if (info.url) {
      var open = el("div", null, "lg-row");
      open.appendChild(link(info.url, info.url));
      box.appendChild(open);
    }
    var citing = info.citing || [];
    if (citing.length) {
      box.appendChild(el("div", "Discussed in:", "lg-row"));
      var list = el("ul");
      citing.slice(0, citingLimit).forEach(function (c) {
        var item = el("li");
        item.appendChild(link(c.url, c.title || c.url || "episode"));
        if (c.topic) item.appendChild(el("span", " \u2014 " + c.topic, "lg-topic"));
        if (c.said) item.appendChild(el("span", " (" + c.said + ")", "lg-topic"));
        list.appendChild(item);
      });
      var more = Math.max(info.citations || 0, citing.length) - Math.min(citing.length, citingLimit);
      if (more > 0) list.appendChild(el("li", "and " + more + " more episode(s)"));
      box.appendChild(list);
    }
    return box;
  }

  var searchable = {};
  data.nodes.forEach(function (node) {
    var info = node.info || {};
    node.title = describe(info, TOOLTIP_CITING);
    searchable[node.id] = [node.label, info.title, (info.authors || []).join(" "),
      (info.identifiers || []).join(" ")].join(" ").toLowerCase();
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("map");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var details = document.getElementById("details");
  var status = document.getElementById("status");

  function markReady() {
    state.ready = true;
    state.readyAt = performance.now();
    status.textContent = "";
    document.documentElement.setAttribute("data-ready", "true");
  }

  if (data.physics) {
    status.textContent = "Laying out\u2026";
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
  }

  function showDetails(id) {
    var node = nodes.get(id);
    details.replaceChildren(node ? describe(node.info || {}, Infinity) : el("p", ""));
  }

  function focusNode(id) {
    if (!nodes.get(id)) return;
    var kind = nodes.get(id).kind;
    if (state.hiddenKinds[kind]) setKindVisible(kind, true);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    showDetails(id);
  }

  network.on("selectNode", function (params) { showDetails(params.nodes[0]); });

  function search(query) {
    var words = String(query || "").toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    var found = nodes.getIds().filter(function (id) {
      var text = searchable[id];
      return words.every(function (w) { return text.indexOf(w) !== -1; });
    });
    found.sort(function (a, b) {
      var na = nodes.get(a), nb = nodes.get(b);
      var wa = na.kind === "work" ? 0 : 1, wb = nb.kind === "work" ? 0 : 1;
      if (wa !== wb) return wa - wb;
      var ca = (na.info && na.info.citations) || 0, cb = (nb.info && nb.info.citations) || 0;
      if (ca !== cb) return cb - ca;
      return String(na.label).localeCompare(String(nb.label));
    });
    return found;
  }

  var input = document.getElementById("search");
  var results = document.getElementById("search-results");
  var searchStatus = document.getElementById("search-status");

  function showResults() {
    var found = search(input.value);
    results.replaceChildren();
    found.slice(0, RESULTS).forEach(function (id) {
      var node = nodes.get(id);
      var item = el("li", (node.info && node.info.title) || node.label);
      item.setAttribute("data-node", id);
      item.addEventListener("click", function () { focusNode(id); results.replaceChildren(); });
      results.appendChild(item);
    });
    searchStatus.textContent = input.value.trim() ? found.length + " found" : "";
    return found;
  }

  input.addEventListener("input", showResults);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = showResults();
      if (found.length) focusNode(found[0]);
      results.replaceChildren();
    } else if (event.key === "Escape") {
      results.replaceChildren();
    }
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest(".lg-search")) results.replaceChildren();
  });

  function setKindVisible(kind, visible) {
    state.hiddenKinds[kind] = !visible;
    var box = document.querySelector('#legend input[data-kind="' + CSS.escape(kind) + '"]');
    if (box) box.checked = visible;
    nodes.update(nodes.getIds({ filter: function (n) { return n.kind === kind; } })
      .map(function (id) { return { id: id, hidden: !visible }; }));
    var shown = function (id) { var n = nodes.get(id); return n && !state.hiddenKinds[n.kind]; };
    edges.update(edges.get().map(function (e) {
      return { id: e.id, hidden: !(shown(e.from) && shown(e.to)) };
    }));
  }

  var legendBox = document.getElementById("legend");
  data.kinds.forEach(function (kind) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-kind", kind.kind);
    box.addEventListener("change", function () { setKindVisible(kind.kind, box.checked); });
    var symbol = el("span", kind.symbol, "lg-symbol");
    symbol.style.color = kind.color;
    label.appendChild(box);
    label.appendChild(symbol);
    label.appendChild(document.createTextNode(kind.label + " (" + kind.count + ")"));
    legendBox.appendChild(label);
  });

  window.linkgraphMap = {
    network: network, nodes: nodes, edges: edges, state: state,
    search: search, focus: focusNode, setKindVisible: setKindVisible,
    rendered: function () {
      return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length };
    }
  };
}());
