// The share page: follows /ws/match/{id} and draws what the server says (score, clock and
// timeline all come from the server; nothing is computed here). Reconnects with after_seq.
"use strict";
(function () {
  const body = document.body;
  const matchId = body.dataset.match;
  const token = body.dataset.token;
  const LABELS = {
    goal: "Goal", own_goal: "Own goal", assist: "Assist", key_pass: "Key pass", save: "Save",
    interception: "Interception", tackle: "Tackle", foul: "Foul", penalty: "Penalty", free_kick: "Free kick",
    ball_out: "Ball out", substitution: "Substitution", yellow_card: "Yellow card", red_card: "Red card",
    period_start: "Period starts", period_end: "Period ends", shot_on_target: "Shot on target",
    shot_off_target: "Shot off target", corner: "Corner", offside: "Offside",
    shootout_goal: "Penalty scored", shootout_miss: "Penalty missed",
  };
  const items = new Map();
  let seq = null;
  let retry = 500;

  function $(id) { return document.getElementById(id); }

  function periodName(p) {
    if (p === 0) return "before kick-off";
    if (p === 5) return "penalties";
    return "P" + p;
  }

  function showMatch(m, clock) {
    $("home").textContent = m.home_team;
    $("away").textContent = m.away_team;
    $("score-home").textContent = m.score.home;
    $("score-away").textContent = m.score.away;
    const so = m.score.shootout;
    $("shootout").hidden = !so;
    if (so) $("shootout").textContent = "Penalties " + so.home + " : " + so.away;
    $("status").textContent = m.status;
    $("period").textContent = periodName(m.current_period);
    if (clock) $("clock").textContent = clock;
  }

  function drawTimeline() {
    const list = $("timeline");
    const sorted = Array.from(items.values()).sort(
      (a, b) => b.period - a.period || b.timestamp.localeCompare(a.timestamp));
    list.replaceChildren(...sorted.map((e) => {
      const li = document.createElement("li");
      li.className = e.team + " " + e.kind;
      li.dataset.id = e.id;
      const t = document.createElement("span");
      t.className = "t";
      t.textContent = periodName(e.period) + " " + e.timestamp;
      const k = document.createElement("span");
      k.className = "k";
      k.textContent = LABELS[e.kind] || e.kind;
      const who = document.createElement("span");
      who.textContent = e.player || "";
      li.append(t, k, who);
      return li;
    }));
  }

  function onMessage(msg) {
    if (msg.type === "snapshot") {
      items.clear();
      if (msg.view) {
        showMatch(msg.view.match, msg.view.match.clock_time);
        for (const e of msg.view.recent_events) items.set(e.id, e);
      }
      drawTimeline();
    } else if (msg.type === "event") {
      if (msg.event.deleted) items.delete(msg.event.id); else if (msg.item) items.set(msg.item.id, msg.item);
      if (msg.clock_time) $("clock").textContent = msg.clock_time;
      drawTimeline();
    } else if (msg.type === "match") {
      if (msg.match.deleted) { $("status").textContent = "withdrawn"; return; }
      showMatch(msg.match, msg.clock_time);
    }
    seq = msg.seq;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    let url = scheme + location.host + "/ws/match/" + encodeURIComponent(matchId) +
      "?token=" + encodeURIComponent(token);
    if (seq !== null) url += "&after_seq=" + seq;
    const ws = new WebSocket(url);
    ws.onopen = () => { retry = 500; $("conn").textContent = "Live."; };
    ws.onmessage = (ev) => onMessage(JSON.parse(ev.data));
    ws.onclose = () => {
      $("conn").textContent = "Connection lost; reconnecting…";
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    };
  }
  connect();
})();
