"use strict";
// The feed index page's script: links made from the page's own address when the site was
// built without a base URL, copy-link buttons, the search box, and the "build your own"
// form, shown only where `ceremony serve` answers feed.ics (a static host answers 404).
(() => {
  const page = document.body;
  const base = page.dataset.base || "";
  const onTheWeb = location.protocol === "http:" || location.protocol === "https:";
  const linkBase = base || (onTheWeb ? document.baseURI : "");

  /** Text as the search compares it: no accents, no case, words split on anything else. */
  const fold = (text) =>
    text
      .normalize("NFKD")
      .replace(/\p{M}+/gu, "")
      .toLowerCase()
      .replace(/ß/g, "ss")
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();

  /** The links of the feed at `address` (a URL) called `title`, as the build makes them. */
  function feedLinks(address, title) {
    const webcal = "webcal://" + address.host + address.pathname + address.search;
    const added =
      "?url=" + encodeURIComponent(address.href) + "&name=" + encodeURIComponent(title);
    return {
      webcal,
      google: "https://calendar.google.com/calendar/render?cid=" + encodeURIComponent(webcal),
      outlook: "https://outlook.live.com/calendar/0/addfromweb" + added,
      office: "https://outlook.office.com/calendar/0/addfromweb" + added,
      download: address.href,
    };
  }

  /** Point one feed's buttons at `address` and show them all. */
  function fill(actions, address, withDownload) {
    const made = feedLinks(address, actions.dataset.title);
    for (const link of actions.querySelectorAll("a[data-link]")) {
      const kind = link.dataset.link;
      if (kind !== "download" || withDownload) link.href = made[kind];
      link.hidden = false;
    }
    const copy = actions.querySelector("[data-copy]");
    copy.dataset.copy = address.href;
    copy.hidden = false;
  }

  const rows = document.querySelectorAll(".feed .actions");
  if (base) {
    for (const actions of rows) actions.querySelector("[data-copy]").hidden = false;
  } else if (linkBase) {
    for (const actions of rows) fill(actions, new URL(actions.dataset.path, linkBase), false);
  }

  // --- copy a link -----------------------------------------------------------------------
  const toast = document.getElementById("toast");
  let toastTimer = 0;
  function say(message, seconds) {
    toast.textContent = message;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (toast.textContent = ""), seconds * 1000);
  }
  function copyByHand(text) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "vh";
    document.body.append(area);
    area.select();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
    area.remove();
    return copied;
  }
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button || !button.dataset.copy) return;
    const text = button.dataset.copy;
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch {
      copied = copyByHand(text);
    }
    const what = button.closest(".actions").dataset.name;
    say(copied ? `Copied the link to ${what}: ${text}` : `Copy this link to ${what}: ${text}`, copied ? 4 : 20);
  });

  // --- search ----------------------------------------------------------------------------
  const finder = document.getElementById("finder");
  const input = document.getElementById("find");
  const status = document.getElementById("find-status");
  const empty = document.getElementById("no-match");
  const emptyQuery = document.getElementById("no-match-query");
  const sections = [...document.querySelectorAll(".feed-section")];
  const entries = [...document.querySelectorAll(".feed[data-search]")].map((row) => ({
    row,
    text: fold(row.dataset.search),
  }));
  /** Does a row's folded text hold every word asked? Each word starts a word of the text;
   * a number other than the last word typed must be a whole word ("2 sept" is not 2024). */
  function matches(words, text) {
    const have = text.split(" ");
    return words.every((word, index) => {
      const whole = /^\p{N}+$/u.test(word) && index < words.length - 1;
      return have.some((part) => (whole ? part === word : part.startsWith(word)));
    });
  }
  function search() {
    const query = input.value.trim();
    const words = fold(query).split(" ").filter(Boolean);
    let shown = 0;
    for (const { row, text } of entries) {
      const match = matches(words, text);
      row.hidden = !match;
      if (match) shown += 1;
    }
    for (const section of sections) {
      const visible = section.querySelectorAll(".feed:not([hidden])").length;
      section.hidden = visible === 0;
      section.querySelector("[data-count]").textContent = `(${visible})`;
      const entry = document.querySelector(`.jump [data-section="${section.id}"]`);
      if (entry) entry.hidden = visible === 0;
    }
    empty.hidden = shown > 0;
    emptyQuery.textContent = query;
    if (!words.length) status.textContent = "";
    else if (!shown) status.textContent = "No feed matches.";
    else status.textContent = `${shown} of ${entries.length} feeds match.`;
  }
  input.addEventListener("input", search);
  finder.addEventListener("submit", (event) => event.preventDefault());
  const asked = new URLSearchParams(location.search).get("q");
  if (asked) input.value = asked;
  finder.hidden = false;
  if (asked) search();

  // --- build your own (only where ceremony serve makes feed.ics) ----------------------------
  const build = document.getElementById("build");
  if (!build || !linkBase) {
    page.dataset.builder = "hidden";
    return;
  }
  const form = build.querySelector("form");
  const summary = document.getElementById("build-summary");
  const askFirst = summary.textContent;
  const shownAddress = document.getElementById("build-address");
  const actions = build.querySelector(".actions");
  const dynamic = new URL(page.dataset.dynamic, linkBase);
  function update() {
    const query = new URLSearchParams();
    const names = { sport: [], delegation: [] };
    for (const box of form.querySelectorAll("input[type=checkbox]:checked")) {
      query.append(box.name, box.value);
      names[box.name].push(box.dataset.name);
    }
    if (!query.toString()) {
      actions.hidden = true;
      shownAddress.hidden = true;
      summary.textContent = askFirst;
      return;
    }
    const address = new URL(dynamic);
    address.search = query.toString();
    const parts = [];
    if (names.sport.length) parts.push(names.sport.join(" or "));
    if (names.delegation.length) parts.push(names.delegation.join(" or "));
    const described = parts.join(", with ");
    actions.dataset.title = `${page.dataset.programme}: ${described}`;
    fill(actions, address, true);
    actions.hidden = false;
    shownAddress.textContent = address.href;
    shownAddress.hidden = false;
    const sports = names.sport.length ? names.sport.join(" or ") + " " : "";
    const teams = names.delegation.join(" or ");
    const takes = names.delegation.length > 1 ? "take" : "takes";
    summary.textContent = `Your feed: every ${sports}event${teams ? ` in which ${teams} ${takes} part` : ""}.`;
  }
  form.addEventListener("change", update);
  form.addEventListener("submit", (event) => event.preventDefault());
  const settle = (shown) => {
    if (shown) {
      build.hidden = false;
      const entry = document.querySelector('.jump [data-section="build"]');
      if (entry) entry.hidden = false;
      update();
    }
    page.dataset.builder = shown ? "shown" : "hidden";
  };
  fetch(dynamic, { method: "HEAD", cache: "no-store" })
    .then((answer) => {
      const type = answer.headers.get("content-type") || "";
      settle(answer.ok && type.startsWith("text/calendar"));
    })
    .catch(() => settle(false));
})();
