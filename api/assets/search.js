// Progressive enhancement of the search and triage pages; everything works without it.
// - `/` focuses the search box; ArrowDown/ArrowUp move through the results, Enter follows.
// - Typing searches after a short pause: the page's own HTML for the new URL is fetched and
//   its results, facets and pager replace the current ones (one renderer, on the server),
//   and the address bar follows so that the URL still carries the whole state.
// - On the triage page, a log file can be loaded into the log box instead of pasted: its
//   last 1 MiB, from the first whole line, as `catalog triage FILE` reads it.
(() => {
  "use strict";
  const box = document.querySelector("form.triage textarea#text");
  if (!box) return;
  const LIMIT = 1 << 20;
  const picker = document.createElement("input");
  picker.type = "file";
  picker.id = "log-file";
  picker.accept = ".log,.txt,.json,.out,text/*";
  const label = document.createElement("label");
  label.htmlFor = picker.id;
  label.innerHTML = 'Or load a log file <span class="hint">(its last 1 MiB)</span>';
  box.after(label, picker);
  picker.addEventListener("change", async () => {
    const file = picker.files && picker.files[0];
    if (!file) return;
    const cut = file.size > LIMIT;
    let text = await file.slice(cut ? file.size - LIMIT : 0).text();
    if (cut) text = text.slice(text.indexOf("\n") + 1);
    box.value = text;
  });
})();

(() => {
  "use strict";
  const input = document.getElementById("q");
  if (!input) return;

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = document.activeElement === input;
    if (event.key === "/" && !typing) {
      event.preventDefault();
      input.focus();
      input.select();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const links = Array.from(document.querySelectorAll("ol.hits h3 a"));
    if (links.length === 0) return;
    const at = links.indexOf(document.activeElement);
    if (at === -1 && !typing) return;
    event.preventDefault();
    const next = event.key === "ArrowDown" ? at + 1 : at - 1;
    if (next < 0) {
      input.focus();
    } else {
      links[Math.min(next, links.length - 1)].focus();
    }
  });

  let timer = 0;
  let inFlight = null;
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 200);
  });

  async function refresh() {
    const params = new URLSearchParams(window.location.search);
    params.delete("offset");
    if (input.value.trim() === "") {
      params.delete("q");
    } else {
      params.set("q", input.value);
    }
    const query = params.toString();
    const url = query === "" ? "/" : `/?${query}`;
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    let html;
    try {
      const response = await fetch(url, { signal: inFlight.signal });
      if (!response.ok) return;
      html = await response.text();
    } catch (error) {
      if (error.name === "AbortError") return;
      throw error;
    }
    const next = new DOMParser().parseFromString(html, "text/html");
    for (const selector of ['p[role="status"]', ".layout"]) {
      const fresh = next.querySelector(selector);
      const current = document.querySelector(selector);
      if (fresh && current) current.replaceWith(document.adoptNode(fresh));
    }
    document.title = next.title;
    window.history.replaceState(null, "", url);
  }
})();
