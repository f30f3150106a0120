// Draws the charts of a page with ECharts (vendored, same origin). Each chart is an element
// with a data-chart attribute holding its series as JSON; the table beside it shows the same
// numbers without script. No inline script or style: the page's policy is default-src 'self'.
// Tooltips are drawn on the canvas (renderMode richText), since HTML tooltips would need
// inline styles.
(function () {
  'use strict';
  var charts = [];

  function option(spec) {
    var unit = spec.unit || '';
    var series = [
      { name: '本期', data: spec['this'] },
      { name: '去年同期', data: spec.last_year }
    ].map(function (s, i) {
      return {
        name: s.name,
        type: spec.kind,
        data: s.data,
        connectNulls: false,
        itemStyle: { color: i === 0 ? '#1d4f91' : '#8a5a00' },
        lineStyle: { type: i === 0 ? 'solid' : 'dashed' }
      };
    });
    return {
      animation: false,
      aria: { enabled: true },
      grid: { left: 48, right: 16, top: 36, bottom: 32 },
      legend: { top: 0, textStyle: { color: '#1f2328' } },
      tooltip: { trigger: 'axis', renderMode: 'richText', valueFormatter: function (v) {
        return v === null || v === undefined ? '—' : v + unit;
      } },
      xAxis: { type: 'category', data: spec.months, axisLabel: { color: '#1f2328' } },
      yAxis: { type: 'value', axisLabel: { color: '#1f2328', formatter: '{value}' + unit } },
      series: series
    };
  }

  function draw() {
    if (!window.echarts) { return; }
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    var boxes = document.querySelectorAll('[data-chart]');
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var chart = window.echarts.init(box, null, { renderer: 'canvas' });
      chart.setOption(option(JSON.parse(box.getAttribute('data-chart'))));
      box.setAttribute('data-drawn', 'true');
      charts.push(chart);
    }
    document.documentElement.setAttribute('data-charts-drawn', String(charts.length));
  }

  function resize() {
    charts.forEach(function (c) { c.resize(); });
  }

  function start() {
    draw();
    window.addEventListener('resize', resize);
    window.addEventListener('beforeprint', resize);
    var buttons = document.querySelectorAll('[data-print]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener('click', function () { window.print(); });
    }
    // The big screen: reload the board's figures whenever the server says they changed.
    var live = document.querySelector('[data-live]');
    if (live && window.EventSource) {
      var source = new EventSource(live.getAttribute('data-live'));
      source.addEventListener('changed', function () { refresh(live); });
      source.addEventListener('revoked', function () {
        source.close();
        window.location.reload();
      });
    }
  }

  function refresh(live) {
    fetch(window.location.href, { credentials: 'same-origin' })
      .then(function (r) {
        if (!r.ok) { window.location.reload(); return null; }
        return r.text();
      })
      .then(function (html) {
        if (html === null) { return; }
        var next = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-live]');
        if (!next) { window.location.reload(); return; }
        live.replaceChildren.apply(live, Array.from(next.childNodes));
        live.setAttribute('data-version', next.getAttribute('data-version') || '');
        draw();
      });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
