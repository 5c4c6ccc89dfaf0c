// The supplier scorecard's trend chart: reads the months and scores from the JSON script tag
// named by the chart element's data-trend attribute and draws them with the vendored ECharts.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".scorecard-chart").forEach((element) => {
    const source = document.getElementById(element.dataset.trend);
    if (!source || !window.echarts) {
      return;
    }
    const trend = JSON.parse(source.textContent);
    const chart = window.echarts.init(element);
    chart.setOption({
      tooltip: {
        trigger: "axis",
        formatter: (items) => {
          const item = items[0];
          const band = trend.bands[item.dataIndex];
          return `${item.axisValue}<br>${item.value === null ? "评价不足" : item.value + " 分"}（${band}）`;
        },
      },
      grid: { left: 40, right: 20, top: 30, bottom: 30 },
      xAxis: { type: "category", data: trend.months },
      yAxis: { type: "value", min: 0, max: 100, name: "评分" },
      series: [
        {
          type: "line",
          data: trend.scores,
          connectNulls: false,
          markLine: {
            silent: true,
            symbol: "none",
            data: [
              { yAxis: 90, name: "优秀" },
              { yAxis: 80, name: "良好" },
              { yAxis: 60, name: "合格" },
              { yAxis: 50, name: "警告" },
            ],
            label: { formatter: "{b}" },
          },
        },
      ],
    });
    window.addEventListener("resize", () => chart.resize());
  });
});
