/*
 * The page around the stream: it follows the newest answer, and the browser's theme.
 *
 * Scrolling: while the reader is at the bottom, the page stays there as an answer grows
 * (status, SQL, table, chart, text). Scrolling up pauses that, so an answer never pulls
 * the reader away from what they are reading; coming back to the bottom resumes it. A
 * new question always brings its card into view: the reader just asked it.
 *
 * Theme: Bootstrap (data-bs-theme) and AG Grid (data-ag-theme-mode) follow
 * prefers-color-scheme, live; the page's own colours follow it in chat.css.
 *
 * Asking by button: a click on a button with an asking attribute (the samples, follow-ups
 * and "Try again"; ask_buttons.py says why they have no Dash input) writes the button's
 * data attributes to the ask store, which the server callback asks from.
 */
(function () {
  "use strict";

  const NEAR_BOTTOM_PX = 48; // this close to the bottom counts as "at the bottom"
  let following = true;
  let cards = 0;

  function distanceFromBottom() {
    const root = document.scrollingElement || document.documentElement;
    return root.scrollHeight - (root.scrollTop + window.innerHeight);
  }

  function toNewest() {
    const root = document.scrollingElement || document.documentElement;
    window.scrollTo(0, root.scrollHeight);
  }

  /* Only the reader's own scrolling stops the following: the page's own scrolls, and
   * the clamping when content shrinks, also fire "scroll", often a frame late, after
   * the answer has grown again. So a scroll counts as the reader's only shortly after
   * the wheel, a touch, a key or a press (the scrollbar). */
  const USER_INTENT_MS = 1000;
  const SCROLL_KEYS = new Set(["ArrowUp", "ArrowDown", "PageUp", "PageDown", "Home", "End", " "]);
  let userActedAt = -Infinity;
  const userActed = () => (userActedAt = Date.now());
  window.addEventListener("wheel", userActed, { passive: true });
  window.addEventListener("touchmove", userActed, { passive: true });
  window.addEventListener("keydown", (event) => {
    const typing = event.target.closest && event.target.closest("input, textarea");
    if (SCROLL_KEYS.has(event.key) && !typing) userActed();
  });
  window.addEventListener("mousedown", (event) => {
    if (event.target === document.documentElement) userActed(); // the page's scrollbar
  });
  window.addEventListener(
    "scroll",
    () => {
      const atBottom = distanceFromBottom() <= NEAR_BOTTOM_PX;
      if (atBottom) following = true;
      else if (Date.now() - userActedAt < USER_INTENT_MS) following = false;
    },
    { passive: true }
  );

  function watch(chat) {
    new MutationObserver(() => {
      const now = chat.querySelectorAll(".iga-turn").length;
      if (now > cards) following = true; // a new question: show it
      cards = now;
      if (following) toNewest();
    }).observe(chat, { childList: true, subtree: true, characterData: true });
    new ResizeObserver(() => {
      if (following) toNewest(); // a grid or chart laid out, an answer grew
    }).observe(chat);
  }

  function whenPresent(id, then) {
    const found = document.getElementById(id);
    if (found) return then(found);
    const observer = new MutationObserver(() => {
      const element = document.getElementById(id);
      if (element) {
        observer.disconnect();
        then(element);
      }
    });
    observer.observe(document.documentElement, { childList: true, subtree: true });
  }

  const dark = window.matchMedia("(prefers-color-scheme: dark)");
  function applyTheme() {
    const mode = dark.matches ? "dark" : "light";
    document.documentElement.setAttribute("data-bs-theme", mode);
    document.documentElement.setAttribute("data-ag-theme-mode", mode);
  }
  applyTheme();
  dark.addEventListener("change", applyTheme);

  whenPresent("chat", watch);

  document.addEventListener("click", (event) => {
    const ask = window.igaContract.ask;
    const selector = ask.keys.map((key) => "[data-" + key + "]").join(",");
    const button = event.target.closest && event.target.closest(selector);
    if (!button) return;
    const request = Object.assign({}, button.dataset, { at: Date.now() }); // each press new
    window.dash_clientside.set_props(ask.store, { data: request });
  });

  /* On a phone the history is a panel over the chat: the header's button opens and
   * closes it; picking a conversation (or asking) closes it. */
  function toggleHistory(clicks, conversation, itemClicks, className) {
    const trigger = window.dash_clientside.callback_context.triggered[0];
    const open = (className || "").includes("is-open");
    const toggled = trigger && trigger.prop_id.startsWith("history-toggle");
    return toggled && !open ? "iga-history is-open" : "iga-history";
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    igaPage: { toggleHistory },
  });
})();
