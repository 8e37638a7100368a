// <endorsement-counter campaign="slug" lang="fr">: the running count of a campaign's
// endorsements, fetched from the endorse server this script was loaded from.
// <endorsement-list campaign="slug" lang="fr">: the list of endorsers, grouped by country,
// searchable and paged: the server's list page in a frame that grows to fit it.
// No dependencies, no cookies; everything shown is set as text, never as HTML.
(() => {
  "use strict";
  const script = document.currentScript;
  const origin = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  // Filled in by the server from its translation files: { lang: { organisations, countries, offline, list } }.
  const LABELS = /*LABELS*/{};
  const STYLE = `
    :host { display: inline-block; font: inherit; color: inherit; }
    .counter { display: inline-flex; flex-wrap: wrap; gap: .25em 1.5em; align-items: baseline; }
    .headline { flex-basis: 100%; margin: 0; font-weight: 600; }
    .figure { display: inline-flex; gap: .4em; align-items: baseline; }
    .number { font-size: 1.6em; font-weight: 700; font-variant-numeric: tabular-nums; }
    .offline { opacity: .6; font-size: .9em; }
  `;

  function labels(lang) {
    return LABELS[lang] || LABELS[String(lang).split(/[-_]/)[0]] || LABELS.en || {};
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  class EndorsementCounter extends HTMLElement {
    static get observedAttributes() {
      return ["campaign", "lang"];
    }

    connectedCallback() {
      this.load();
    }

    attributeChangedCallback() {
      if (this.isConnected) this.load();
    }

    async load() {
      const root = this.shadowRoot || this.attachShadow({ mode: "open" });
      const campaign = this.getAttribute("campaign") || "";
      const wanted = this.getAttribute("lang") || document.documentElement.lang || navigator.language || "en";
      const ticket = (this._ticket = (this._ticket || 0) + 1);
      this.dataset.state = "loading";
      const url = `${origin}/v1/campaigns/${encodeURIComponent(campaign)}/stats?lang=${encodeURIComponent(wanted)}`;
      try {
        const response = await fetch(url, { credentials: "omit", headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const stats = await response.json();
        if (ticket === this._ticket) this.show(root, stats);
      } catch (_) {
        if (ticket === this._ticket) this.offline(root, wanted);
      }
    }

    show(root, stats) {
      const text = labels(stats.lang);
      const format = new Intl.NumberFormat(stats.lang);
      const box = element("div", "counter");
      box.setAttribute("lang", stats.lang);
      box.setAttribute("dir", stats.lang === "ar" ? "rtl" : "ltr");
      box.append(element("p", "headline", stats.headline));
      for (const [key, value] of [["organisations", stats.organisations], ["countries", stats.countries]]) {
        const figure = element("span", `figure ${key}`);
        figure.append(element("span", "number", format.format(value)), element("span", "label", text[key] || key));
        box.append(figure);
      }
      root.replaceChildren(element("style", null, STYLE), box);
      this.dataset.state = "ready";
    }

    offline(root, wanted) {
      const note = element("span", "offline", labels(wanted).offline || "");
      root.replaceChildren(element("style", null, STYLE), note);
      this.dataset.state = "offline";
    }
  }

  // The list is the server's own page in a frame, not a copy drawn here: one page to keep
  // accessible and tested, its search and paging work without this script, and the privacy
  // rule is applied in one place. The frame reports its height (the pages' script), so it
  // grows with the list instead of scrolling inside the partner's page.
  const LIST_STYLE = `
    :host { display: block; }
    iframe { display: block; width: 100%; height: 40rem; border: 0; }
  `;
  const lists = new Set();

  class EndorsementList extends HTMLElement {
    static get observedAttributes() {
      return ["campaign", "lang"];
    }

    connectedCallback() {
      lists.add(this);
      this.load();
    }

    disconnectedCallback() {
      lists.delete(this);
    }

    attributeChangedCallback() {
      if (this.isConnected) this.load();
    }

    load() {
      const root = this.shadowRoot || this.attachShadow({ mode: "open" });
      const campaign = this.getAttribute("campaign") || "";
      const lang = this.getAttribute("lang") || document.documentElement.lang || navigator.language || "en";
      const frame = element("iframe");
      frame.src = `${origin}/embed/${encodeURIComponent(campaign)}/list?lang=${encodeURIComponent(lang)}`;
      frame.title = labels(lang).list || "";
      frame.setAttribute("loading", "lazy");
      this.dataset.state = "loading";
      frame.addEventListener("load", () => { this.dataset.state = "ready"; });
      this.frame = frame;
      root.replaceChildren(element("style", null, LIST_STYLE), frame);
    }
  }

  window.addEventListener("message", (event) => {
    if (event.origin !== origin || !event.data || event.data.endorse !== "height") return;
    const height = Number(event.data.height);
    if (!(height > 0 && height < 100000)) return;
    for (const list of lists) {
      if (list.frame && list.frame.contentWindow === event.source) list.frame.style.height = `${height}px`;
    }
  });

  if (!customElements.get("endorsement-counter")) {
    customElements.define("endorsement-counter", EndorsementCounter);
  }
  if (!customElements.get("endorsement-list")) {
    customElements.define("endorsement-list", EndorsementList);
  }
})();
