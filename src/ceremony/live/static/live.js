// ceremony live: the script behind every screen (plain JavaScript, no framework, no build).
// The server's clock is the only clock: each state carries the server's `now`; the page keeps
// the offset to its own clock and ticks locally every 250 ms.
"use strict";
(() => {
  const body = document.body;
  const screen = body.dataset.screen;
  const TOKEN_KEY = "ceremony-live-token";
  const GO_SHOWN = 5000; // how long a cue stays on "GO" after its time, in ms
  let state = null;
  let offset = 0;
  let lastGo = 0;
  let noticeUntil = 0;
  const shown = new Map(); // what each bound element shows now, to touch the page only on change

  const bound = (name) => document.querySelector(`[data-bind="${name}"]`);
  const serverNow = () => Date.now() + offset;
  const instant = (iso) => (iso ? Date.parse(iso) : null);
  const escape = (text) =>
    String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  function set(name, text, cls) {
    const el = bound(name);
    if (!el) return;
    const key = `${text}\u0000${cls ?? ""}`;
    if (shown.get(name) === key) return;
    shown.set(name, key);
    el.textContent = text;
    if (cls !== undefined) el.className = cls;
  }

  function setClass(name, cls) {
    const el = bound(name);
    if (el && el.className !== cls) el.className = cls;
  }

  function setHTML(name, html) {
    const el = bound(name);
    if (!el || shown.get(name) === html) return;
    shown.set(name, html);
    el.innerHTML = html;
  }

  // ---- Formatting -------------------------------------------------------------------------

  const formats = new Map();
  function clockAt(ms, zone, seconds = true) {
    if (ms === null || ms === undefined) return "–";
    const key = `${zone}|${seconds}`;
    if (!formats.has(key)) {
      const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
      if (seconds) options.second = "2-digit";
      if (zone) options.timeZone = zone;
      formats.set(key, new Intl.DateTimeFormat("en-GB", options));
    }
    return formats.get(key).format(new Date(ms));
  }

  function zoneAbbreviation(ms, zone) {
    const parts = new Intl.DateTimeFormat("en-GB", { timeZone: zone, timeZoneName: "short" })
      .formatToParts(new Date(ms));
    const part = parts.find((p) => p.type === "timeZoneName");
    return part ? part.value : "";
  }

  // Whole seconds as 1:02:03 or 2:03.
  function span(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const rest = String(s % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
  }

  // Milliseconds left as a countdown: 2:03 while to come, −0:20 once past.
  function countdown(ms) {
    return ms > 0 ? span(Math.ceil(ms / 1000)) : `−${span(Math.floor(-ms / 1000))}`;
  }

  // "+1h2m3s" / "-40s" / "-31.5s" (the timeline's durations) in whole seconds.
  function seconds(text) {
    if (!text) return 0;
    const match = /^([+-]?)(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d*)?)s)?$/.exec(text.trim());
    if (!match) return 0;
    const total = Math.round((+match[2] || 0) * 3600 + (+match[3] || 0) * 60 + (+match[4] || 0));
    return match[1] === "-" ? -total : total;
  }

  // Whole seconds, unsigned, as the timeline writes them: 1h2m3s, 3m, 40s.
  function compact(total) {
    const s = Math.abs(total);
    const parts = [[Math.floor(s / 3600), "h"], [Math.floor((s % 3600) / 60), "m"], [s % 60, "s"]];
    return parts.filter(([n]) => n).map(([n, unit]) => `${n}${unit}`).join("") || "0s";
  }

  // An over/under ("+3m", "-40s") in words, with the class that colours it.
  function verdict(text, over = "over", under = "under") {
    if (text === null || text === undefined) return ["–", ""];
    const s = seconds(text);
    if (s === 0) return ["on time", "under"];
    return s > 0 ? [`${compact(s)} ${over}`, "over"] : [`${compact(s)} ${under}`, "under"];
  }

  // ---- The state --------------------------------------------------------------------------

  const zone = () => (state && state.zone) || undefined;
  const slots = () => (state && state.slots) || [];
  const slot = (id) => slots().find((s) => s.id === id) || null;
  const isCrew = (s) =>
    s.visibility === "crew" || Boolean(state.visibility && state.visibility[s.id] === "crew");

  function running() {
    if (!state) return null;
    if (state.current) return slot(state.current);
    return null;
  }

  // When the running item is due to end: the server's `current_due` (its extensions
  // included, never stretched to now as its projected end is once it runs over).
  function due(item) {
    if (state.current === item.id && state.current_due) return instant(state.current_due);
    return instant(item.end);
  }

  function upcoming(limit) {
    const items = slots().filter((s) => s.state === "upcoming" && s.kind !== "act");
    items.sort((a, b) => instant(a.start) - instant(b.start));
    if (state.next) {
      const first = items.findIndex((s) => s.id === state.next);
      if (first > 0) items.unshift(items.splice(first, 1)[0]);
    }
    return items.slice(0, limit);
  }

  // The standby lead in seconds: the page's ?lead= if given, else the server's standby_lead.
  function lead() {
    if (body.dataset.lead) return +body.dataset.lead;
    return state.standby_lead ? seconds(state.standby_lead) : 60;
  }

  // The cues still to come (of one department, or all), each with its phase now: "upcoming";
  // "standby" from its standby instant (its GO less the lead) to its GO; "go" for a few
  // seconds from then. A cue that is itself a standby call ("Standby flag party") is shown
  // as a standby from its time for the length of the lead. A GO whose time has come while
  // its item waits for the caller (not started yet, or running over with the cue at its end)
  // is held on standby: it goes with the caller's GO, not with the projection.
  function cues(department) {
    const leadSeconds = lead();
    const own = Boolean(body.dataset.lead);
    const list = Array.isArray(state.cues) ? state.cues : [];
    const now = serverNow();
    const wanted = department ? department.toLowerCase() : null;
    return list
      .filter((c) => !wanted || [c.department, c.department_name].some((d) => String(d).toLowerCase() === wanted))
      .map((c) => {
        const at = instant(c.at);
        const standbyCall = (c.call || "").toLowerCase() === "standby";
        let phase;
        let held = false;
        if (standbyCall) {
          phase = now < at ? "upcoming" : now < at + leadSeconds * 1000 ? "standby" : "past";
        } else {
          const from = c.standby && !own ? instant(c.standby) : at - leadSeconds * 1000;
          phase = now < from ? "upcoming" : now < at ? "standby" : now < at + GO_SHOWN ? "go" : "past";
          held = phase !== "upcoming" && phase !== "standby" && waitsForGo(c, at);
          if (held) phase = "standby";
        }
        return { ...c, atMs: at, phase, standbyCall, held };
      })
      .filter((c) => c.phase !== "past")
      .sort((a, b) => a.atMs - b.atMs);
  }

  function waitsForGo(cue, at) {
    const item = slot(cue.item);
    if (!item) return false;
    if (item.state === "upcoming") return true;
    return item.state === "running" && at >= instant(item.end) - 1000;
  }

  function cueCountdown(c) {
    if (c.held) return "on GO";
    if (c.phase === "go") return "GO";
    if (c.standbyCall && c.phase === "standby") return "now";
    return countdown(c.atMs - serverNow());
  }

  // ---- Talking to the server --------------------------------------------------------------

  function notice(text) {
    noticeUntil = Date.now() + 6000;
    set("notice", text);
  }

  async function post(path, payload) {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const headers = { "Content-Type": "application/json" };
      const token = localStorage.getItem(TOKEN_KEY);
      if (token) headers.Authorization = `Bearer ${token}`;
      let response;
      try {
        response = await fetch(path, { method: "POST", headers, body: JSON.stringify(payload || {}) });
      } catch (error) {
        notice(`Not sent: ${error.message}`);
        return null;
      }
      if (response.status === 401) {
        localStorage.removeItem(TOKEN_KEY);
        const given = window.prompt("This show needs its token (ceremony live printed it):");
        if (!given) {
          notice("Not sent: no token");
          return null;
        }
        localStorage.setItem(TOKEN_KEY, given.trim());
        continue;
      }
      const text = await response.text();
      let data = null;
      try {
        data = text ? JSON.parse(text) : null;
      } catch (error) {
        data = null;
      }
      if (!response.ok) {
        const why = data && (data.error || data.message || data.detail);
        notice(`Refused: ${why || text || response.status}`);
        return null;
      }
      // An answer carrying a state is applied, unless the stream already brought a newer one.
      if (data && Array.isArray(data.slots) && !(state && state.version > data.version)) apply(data);
      return data;
    }
    notice("Not sent: the token was refused");
    return null;
  }

  function apply(next) {
    state = next;
    offset = (next.now_ms ?? instant(next.now)) - Date.now();
    draw();
  }

  function listen() {
    const url = screen === "clock" ? "/api/events?public=1" : "/api/events";
    const source = new EventSource(url);
    const link = bound("link");
    const onState = (event) => apply(JSON.parse(event.data));
    source.addEventListener("message", onState);
    source.addEventListener("state", onState);
    source.onopen = () => {
      link.textContent = "live";
      link.className = "link up";
    };
    source.onerror = () => {
      link.textContent = "reconnecting";
      link.className = "link down";
    };
  }

  // ---- The screens ------------------------------------------------------------------------

  function drawBar() {
    set("show", state.title || "ceremony live");
    set("clock", clockAt(serverNow(), zone()));
  }

  function drawCaller() {
    const item = running();
    const now = serverNow();
    set("current-title", item ? item.title || item.id : "Nothing running");
    if (item) {
      set("elapsed", span((now - instant(item.actual_start || item.start)) / 1000));
      const left = due(item) - now;
      set("remaining", countdown(left), left <= 0 ? "big over" : left <= 60000 ? "big warn" : "big");
    } else {
      set("elapsed", "–");
      set("remaining", "–", "big");
    }
    const next = upcoming(5);
    set("go-next", next.length ? `next: ${next[0].title || next[0].id}` : "end of show");
    setHTML(
      "next-list",
      next
        .map((s) => {
          const cls = isCrew(s) ? ' class="crew"' : "";
          return `<li${cls}><span class="at">${clockAt(instant(s.start), zone())}</span><span class="what">${escape(s.title || s.id)}</span><span class="in">${countdown(Math.max(0, instant(s.start) - now))}</span></li>`;
        })
        .join(""),
    );
    setHTML(
      "cue-list",
      cues()
        .slice(0, 6)
        .map(
          (c) =>
            `<li class="${c.phase}"><span class="at">${clockAt(c.atMs, zone())}</span><span class="what"><span class="dept">${escape(c.department_name || c.department)}</span>${escape(c.label ? `${c.label}: ` : "")}${escape(c.text)}</span><span class="in">${c.phase === "standby" ? "STANDBY " : ""}${cueCountdown(c)}</span></li>`,
        )
        .join(""),
    );
    const [words, cls] = verdict(state.over_under);
    set("over-under", state.hard_out ? words : "no hard out", `value ${state.hard_out ? cls : ""}`);
    set("end", clockAt(instant(state.end), zone()));
    set("hard-out", state.hard_out ? clockAt(instant(state.hard_out), zone()) : "none");
    const [late, lateCls] = verdict(state.late, "late", "early");
    set("late", state.late ? late : "–", `value ${lateCls}`);
    set("message", state.message || "none");
    if (Date.now() > noticeUntil) set("notice", "");
  }

  function drawTimer() {
    const amber = +body.dataset.amber;
    const red = +body.dataset.red;
    const item = running();
    const now = serverNow();
    let digits = "–";
    let note = "";
    let title = "Nothing running";
    let cls = "timer idle";
    if (item) {
      const left = due(item) - now;
      title = item.title || item.id;
      digits = countdown(left);
      cls = left <= red * 1000 ? "timer red" : left <= amber * 1000 ? "timer amber" : "timer";
      note = left <= 0 ? "OVER" : "";
    } else {
      const next = upcoming(1)[0];
      if (next) {
        title = `Next: ${next.title || next.id}`;
        digits = countdown(Math.max(0, instant(next.start) - now));
        note = "to start";
      } else if (slots().length && slots().every((s) => s.state === "done")) {
        note = "Show ended";
      }
    }
    set("current-title", title);
    set("timer", digits);
    set("timer-note", note);
    setClass("timer-state", cls);
    set("message", state.message || "");
  }

  function drawCues() {
    const count = +body.dataset.count;
    const list = cues(body.dataset.department).slice(0, count);
    setHTML(
      "department-cues",
      list
        .map((c) => {
          const item = slot(c.item);
          const call = c.phase === "go" ? "GO" : c.phase === "standby" ? "STANDBY" : c.standbyCall ? "STANDBY AT" : "GO IN";
          return `<li class="${c.phase}"><span class="cue-label">${escape(c.label || "–")}</span><span class="cue-text">${escape(c.text)}<span class="cue-item">${escape(item ? item.title || item.id : c.item || "")} · ${clockAt(c.atMs, zone())}</span></span><span class="cue-state"><span class="cue-call">${call}</span><span class="cue-in">${cueCountdown(c)}</span></span></li>`;
        })
        .join(""),
    );
    bound("no-cues").hidden = list.length > 0;
  }

  function rundownRow(s) {
    const z = zone();
    const t = (iso) => (iso ? clockAt(instant(iso), z) : "–");
    const projected = s.state !== "done";
    const [late, lateCls] = s.late ? verdict(s.late, "late", "early") : ["–", ""];
    const [length, lengthCls] = s.state === "upcoming" || !s.overrun ? ["–", ""] : verdict(s.overrun);
    const crew = isCrew(s) ? '<span class="crew-tag">crew</span>' : "";
    return (
      `<tr class="${escape(s.state)}${s.kind === "act" ? " act" : ""}">` +
      `<td class="depth-${Math.min(+s.depth || 0, 2)}">${escape(s.title || s.id)}${crew}</td>` +
      `<td class="time">${t(s.planned_start)}</td><td class="time">${t(s.planned_end)}</td>` +
      `<td class="time">${t(s.actual_start)}</td><td class="time">${t(s.actual_end)}</td>` +
      `<td class="time">${projected ? t(s.start) : "–"}</td><td class="time">${projected ? t(s.end) : "–"}</td>` +
      `<td class="delta ${lateCls}">${escape(late)}</td><td class="delta ${lengthCls}">${escape(length)}</td></tr>`
    );
  }

  function drawRundown() {
    set("show-title", state.title || "Rundown");
    const z = zone();
    const [words, cls] = verdict(state.over_under);
    const parts = [`Start ${clockAt(instant(state.start), z)}`];
    if (state.planned_end) parts.push(`planned end ${clockAt(instant(state.planned_end), z)}`);
    parts.push(`projected end ${clockAt(instant(state.end), z)}`);
    if (state.hard_out) parts.push(`hard out ${clockAt(instant(state.hard_out), z)}: ${words}`);
    parts.push(`as at ${clockAt(instant(state.now), z)}`);
    set("summary", parts.join(" · "), `summary ${cls}`);
    setHTML("rows", slots().map(rundownRow).join(""));
  }

  // What the public sees as on now: the deepest running item that is not crew-only.
  function onNow() {
    const live = slots().filter((s) => s.state === "running" && !isCrew(s));
    live.sort((a, b) => (+b.depth || 0) - (+a.depth || 0) || (a.track ? 1 : 0) - (b.track ? 1 : 0));
    return live[0] || null;
  }

  function drawClock() {
    const now = serverNow();
    const home = zone();
    const city = home ? home.split("/").pop().replace(/_/g, " ") : "";
    set("zone-name", home ? `${city} · ${zoneAbbreviation(now, home)}` : "");
    set("home-clock", clockAt(now, home));
    const extra = (state.zones || []).map((z) => (typeof z === "string" ? { zone: z } : z));
    setHTML(
      "zones",
      extra
        .map((z) => {
          const name = z.label || z.zone.split("/").pop().replace(/_/g, " ");
          return `<li>${escape(name)}<span class="zone-time">${clockAt(now, z.zone, false)}</span></li>`;
        })
        .join(""),
    );
    const item = onNow();
    set("on-now", item ? item.title || item.id : "–");
    const next = upcoming(20).find((s) => !isCrew(s));
    set("on-next", next ? `${clockAt(instant(next.start), home, false)} · ${next.title || next.id}` : "–");
  }

  const screens = {
    caller: drawCaller,
    timer: drawTimer,
    cues: drawCues,
    rundown: drawRundown,
    clock: drawClock,
  };

  function draw() {
    if (!state) return;
    drawBar();
    screens[screen]();
  }

  // ---- The caller's controls --------------------------------------------------------------

  function go() {
    const now = Date.now();
    if (now - lastGo < 600) return;
    lastGo = now;
    post("/api/go", {});
  }

  function wireCaller() {
    document.addEventListener("keydown", (event) => {
      if (event.code !== "Space" && event.key !== " ") return;
      const target = event.target;
      if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
      event.preventDefault();
      if (!event.repeat) go();
    });
    // A focused button would also click on the space bar's release: one GO is enough.
    document.addEventListener("keyup", (event) => {
      if ((event.code === "Space" || event.key === " ") && event.target.tagName === "BUTTON") {
        event.preventDefault();
      }
    });
    document.addEventListener("click", (event) => {
      const button = event.target.closest("[data-action]");
      if (!button) return;
      const action = button.dataset.action;
      if (action === "go") go();
      if (action === "undo") post("/api/undo", {});
      if (action === "clear-message") post("/api/message", { text: "" });
      if (action === "extend") {
        const item = running();
        if (!item) notice("Nothing running to extend");
        else post("/api/extend", { item: item.id, by: button.dataset.by });
      }
    });
    document.querySelector('[data-form="message"]').addEventListener("submit", (event) => {
      event.preventDefault();
      const field = event.target.elements.text;
      post("/api/message", { text: field.value.trim() }).then((done) => {
        if (done !== null) field.value = "";
      });
    });
  }

  // A screen on a wall must not go to sleep (where the browser allows it: https or localhost).
  async function stayAwake() {
    try {
      if (navigator.wakeLock && document.visibilityState === "visible") {
        await navigator.wakeLock.request("screen");
      }
    } catch (error) {
      // Refused (battery saver, insecure origin): the screen sleeps as it would anyway.
    }
  }

  if (screen === "caller") wireCaller();
  document.addEventListener("visibilitychange", stayAwake);
  stayAwake();
  window.setInterval(draw, 250);
  listen();
})();
