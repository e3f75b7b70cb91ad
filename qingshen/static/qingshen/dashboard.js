// Dashboard charts: each .qs-chart reads its numbers from a <script type="application/json"> block
// (no inline script, CSP-safe) and draws them with the locally served Apache ECharts.
(function () {
  "use strict";
  function option(data) {
    var stacked = data.kind === "stack";
    return {
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 64, containLabel: true },
      xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: data.categories.length > 6 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: data.series.map(function (s) {
        return { name: s.name, type: data.kind === "line" ? "line" : "bar", stack: stacked ? "all" : undefined, data: s.data };
      })
    };
  }
  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll(".qs-chart[data-chart-source]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart-source"));
      if (!source) { return; }
      var chart = window.echarts.init(el, null, { renderer: "canvas", height: 320 });
      chart.setOption(option(JSON.parse(source.textContent)));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
