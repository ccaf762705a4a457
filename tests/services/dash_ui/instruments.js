/*
 * Injected into every test page before the app loads.
 * - window.__events: each status text the page shows, and the first answer text, in order.
 * - window.__sockets: every WebSocket the page opened; set window.__dropNextFrame = true to
 *   swallow the next frame before the app sees it (a missed frame, as dash-extensions can),
 *   or window.__dropFrameWith = "<chunk type>" to swallow the first frame holding one.
 */
(() => {
  window.__events = [];
  const lastText = new Map();
  const record = () => {
    document.querySelectorAll('.iga-status-text').forEach((el) => {
      const text = el.textContent;
      if (text && lastText.get(el.id) !== text) {
        lastText.set(el.id, text);
        window.__events.push({kind: 'status', id: el.id, text});
      }
    });
    document.querySelectorAll('.iga-answer-text').forEach((el) => {
      if (el.textContent.trim() && !lastText.has('answer' + el.id)) {
        lastText.set('answer' + el.id, true);
        window.__events.push({kind: 'answer', id: el.id});
      }
    });
  };
  new MutationObserver(record).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
  });

  const Native = window.WebSocket;
  window.__sockets = [];
  window.__dropNextFrame = false;
  window.__dropFrameWith = null;
  window.__dropped = 0;
  const holds = (data, type) => {
    try {
      return [].concat(JSON.parse(data)).some((chunk) => chunk && chunk.type === type);
    } catch (error) {
      return false;
    }
  };
  class Instrumented extends Native {
    constructor(...args) { super(...args); window.__sockets.push(this); }
    set onmessage(handler) {
      super.onmessage = handler && ((event) => {
        if (window.__dropNextFrame) {
          window.__dropNextFrame = false;
          window.__dropped += 1;
          return undefined;
        }
        if (window.__dropFrameWith && holds(event.data, window.__dropFrameWith)) {
          window.__dropFrameWith = null;
          window.__dropped += 1;
          return undefined;
        }
        return handler(event);
      });
    }
    get onmessage() { return super.onmessage; }
  }
  window.WebSocket = Instrumented;
})();
