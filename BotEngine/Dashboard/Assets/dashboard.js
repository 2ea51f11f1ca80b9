// BotEngine dashboard: polls /admin/api/stats and /admin/dead-letters, draws uPlot charts, retries dead letters.
"use strict";
(() => {
  const pollMs = 5000;
  const palette = ["#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];
  const charts = new Map(); // figure id -> { plot, key }
  const $ = (id) => document.getElementById(id);

  // Each chart's series, from the columns of /admin/api/stats (see StatsView.cs).
  const specs = {
    "chart-queue": (s) => [
      { label: "pending", values: s.pending }, { label: "claimed", values: s.claimed },
      { label: "dead", values: s.dead }],
    "chart-traffic": (s) => [
      { label: "webhooks/s", values: s.webhooks }, { label: "events in/s", values: s.eventsReceived },
      { label: "answered/s", values: s.eventsDone }],
    "chart-latency": (s) => [ // an interval without answers has no latency: join the points around it
      { label: "p50", values: s.p50Ms, spanGaps: true }, { label: "p95", values: s.p95Ms, spanGaps: true },
      { label: "p99", values: s.p99Ms, spanGaps: true }],
    "chart-conversations": (s) => [{ label: "actors", values: s.conversations }],
    "chart-outbound": (s) => s.outbound.map((o) => ({ label: o.endpoint, values: o.calls })),
    "chart-throttled": (s) => s.outbound.flatMap((o) => [
      { label: `${o.endpoint} 429`, values: o.throttled }, { label: `${o.endpoint} failed`, values: o.failed }]),
  };

  const number = (v) => v == null ? "–"
    : Math.abs(v) >= 1000 ? `${(v / 1000).toFixed(1)}k` : Number.isInteger(v) ? String(v) : v.toFixed(2);

  function chartWidth(figure) {
    return Math.max(figure.clientWidth - 24, 200);
  }

  // Time labels: 24-hour "19:28" (and "19:28:10" when ticks are less than a minute apart) with at least 60 px from
  // tick to tick. uPlot's default (50 px, "7:28pm" plus a date line) let minute ticks run together ("7:28pm7:29pm")
  // in the first minutes after a start, when the history spans only a few minutes.
  // Every time on the page in the axes' 24-hour form, so the header, the table and the charts read alike.
  const clock = { hourCycle: "h23", hour: "2-digit", minute: "2-digit", second: "2-digit" };
  const stamp = (value) => new Date(value).toLocaleString([], { year: "numeric", month: "2-digit", day: "2-digit", ...clock });
  const axisFont = "12px system-ui, -apple-system, 'Segoe UI', sans-serif";
  const timeSpace = 60;
  function timeLabels(u, splits, axisIdx, space, incr) {
    const format = { hourCycle: "h23", hour: "2-digit", minute: "2-digit", ...(incr < 60 ? { second: "2-digit" } : {}) };
    const labels = splits.map((t) => new Date(t * 1000).toLocaleTimeString([], format));
    // Where each label went, for the page test that checks they never overlap.
    u.root.parentElement.dataset.xTicks = JSON.stringify(splits.map((t, i) => [u.valToPos(t, "x"), labels[i]]));
    return labels;
  }

  function makePlot(figure, series, data) {
    figure.dataset.axisFont = axisFont;
    const options = {
      width: chartWidth(figure),
      height: 180,
      scales: { x: { time: true } },
      series: [{}, ...series.map((s, i) => ({
        label: s.label, stroke: palette[i % palette.length], width: 1.5, spanGaps: Boolean(s.spanGaps),
        value: (_, v) => number(v),
      }))],
      axes: [
        { font: axisFont, space: timeSpace, values: timeLabels },
        { font: axisFont, size: 52, values: (_, ticks) => ticks.map(number) },
      ],
    };
    return new uPlot(options, data, figure);
  }

  function draw(id, stats) {
    const figure = $(id);
    const series = specs[id](stats);
    const points = series.reduce((n, s) => n + s.values.filter((v) => v != null).length, 0);
    figure.dataset.points = String(points);
    const empty = figure.querySelector(".none");
    if (stats.time.length === 0 || series.length === 0) {
      charts.get(id)?.plot.destroy();
      charts.delete(id);
      if (!empty) {
        const note = document.createElement("div");
        note.className = "none";
        note.textContent = series.length === 0 ? "no calls yet" : "collecting the first sample…";
        figure.append(note);
      }
      return;
    }

    empty?.remove();
    const data = [stats.time, ...series.map((s) => s.values)];
    const key = series.map((s) => s.label).join("|");
    const chart = charts.get(id);
    if (chart && chart.key === key) {
      chart.plot.setData(data);
    } else {
      chart?.plot.destroy();
      charts.set(id, { plot: makePlot(figure, series, data), key });
    }
  }

  function setStatus(text, bad) {
    const status = $("status");
    status.textContent = text;
    status.classList.toggle("error", Boolean(bad));
  }

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    if (response.status === 401) throw new Error("signed out: reload the page to sign in again");
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return response.json();
  }

  function cell(row, text, className) {
    const td = row.insertCell();
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function renderDeadLetters(letters) {
    const rows = $("dead-rows");
    rows.replaceChildren();
    const count = $("dead-count");
    count.textContent = String(letters.length);
    count.classList.toggle("bad", letters.length > 0);
    $("dead-empty").hidden = letters.length > 0;
    $("dead-table").hidden = letters.length === 0;
    for (const letter of letters) {
      const row = rows.insertRow();
      row.dataset.id = String(letter.id);
      cell(row, String(letter.id), "mono");
      cell(row, letter.conversation, "mono");
      cell(row, letter.eventId, "mono");
      cell(row, String(letter.attempts));
      cell(row, stamp(letter.receivedAt));
      cell(row, letter.error ?? "", "error");
      const button = document.createElement("button");
      button.className = "retry";
      button.textContent = "Retry";
      button.addEventListener("click", () => retry(letter.id, button));
      row.insertCell().append(button);
    }
  }

  async function retry(id, button) {
    button.disabled = true;
    try {
      const response = await fetch(`/admin/dead-letters/${id}/retry`, { method: "POST", credentials: "same-origin" });
      if (!response.ok) {
        const answer = await response.json().catch(() => ({}));
        throw new Error(`retry of ${id}: ${answer.error ?? `answered ${response.status}`}`);
      }
      document.querySelector(`#dead-rows tr[data-id="${id}"]`)?.remove();
      await refresh();
    } catch (error) {
      button.disabled = false;
      setStatus(error.message, true);
    }
  }

  // Paused platforms (API unreachable, quota used up), quota figures, and the count of uncertain deliveries.
  function renderPlatforms(status) {
    const paused = status.notices.filter((n) => n.paused);
    const state = $("platforms-state");
    state.textContent = paused.length === 0 ? "platforms: sending"
      : `sending paused: ${[...new Set(paused.map((n) => n.channel))].join(", ")}`;
    state.classList.toggle("bad", paused.length > 0);
    const uncertain = $("uncertain");
    uncertain.textContent = `uncertain deliveries: ${status.uncertain < 0 ? "?" : status.uncertain}`;
    uncertain.classList.toggle("bad", status.uncertain > 0);
    const list = $("platform-notices");
    list.replaceChildren(...status.notices.map((n) => {
      const item = document.createElement("li");
      item.textContent = n.text + (n.since ? ` (since ${stamp(n.since)})` : "");
      if (n.paused) item.className = "error";
      return item;
    }));
  }

  async function refresh() {
    try {
      const [stats, letters, platforms] = await Promise.all([getJson("/admin/api/stats"),
        getJson("/admin/dead-letters?limit=100"), getJson("/admin/api/platforms")]);
      for (const id of Object.keys(specs)) draw(id, stats);
      renderDeadLetters(letters);
      renderPlatforms(platforms);
      $("unreadable-count").textContent = String(stats.unreadableConversations);
      $("unreadable").hidden = stats.unreadableConversations === 0;
      const when = new Date().toLocaleTimeString([], clock);
      setStatus(`updated ${when} · one sample every ${stats.intervalSeconds} s · ${stats.time.length} samples`);
      document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed ?? 0) + 1);
    } catch (error) {
      setStatus(error.message, true);
    }
  }

  window.addEventListener("resize", () => {
    for (const [id, chart] of charts) chart.plot.setSize({ width: chartWidth($(id)), height: 180 });
  });

  refresh();
  setInterval(refresh, pollMs);
})();
