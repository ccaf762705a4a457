/*
 * The fast path of the chat page: every websocket frame is applied here, in the browser.
 *
 * One socket carries the chunks of every question still running. Each question keeps the
 * seq of the last chunk applied; a chunk at or below it is a replay and is dropped, a
 * chunk beyond the next one means a frame was missed (dash-extensions skips frames that
 * land in the same tick), so the page reconnects asking for everything after the last
 * seq it holds. A close does the same after a short back-off. The server closes the
 * socket once every question on it has ended (close_when_done): a question's last frame
 * can be pushed out by another question's, and no later frame of its own would show the
 * gap, so the close is what brings it back. Nothing missed, nothing applied twice.
 *
 * `models` is the truth between frames (stores can lag a frame behind); the per-question
 * dcc.Stores persist it in sessionStorage so a refresh resumes where it was. A model has
 * three parts, one store each, so each part redraws only when it changes: `live` (status
 * line, streamed text, seq: every frame), `result` (SQL, table) and `outcome` (follow-ups,
 * error, end). Each part counts its changes (`v`). Every frame writes each part whose
 * store holds an older `v` than its model, not only the parts this frame changed: Dash
 * drops a callback's result when the same callback is asked again before that result is
 * applied, so a frame's writes can vanish after the model took them; the next frame, for
 * any question, puts them back (and the last frame's result is never dropped).
 *
 * Chunk types, statuses and error codes come from the server (window.igaContract, set by
 * /contract.js, generated from the Python contract): no copy of them lives here.
 */
(function () {
  "use strict";

  const models = {}; // qid -> {live, result, outcome}
  const clocks = {}; // qid -> what the elapsed-seconds display needs
  let nonce = 0;
  let closesInARow = 0;

  const noUpdate = () => window.dash_clientside.no_update;
  const contract = () => window.igaContract;
  const clone = (value) => JSON.parse(JSON.stringify(value));

  function context() {
    return window.dash_clientside.callback_context;
  }

  function qidsOf(statesEntry) {
    return (statesEntry || []).map((item) => item.id.qid);
  }

  function modelFor(qid, live, result, outcome) {
    if (!models[qid]) {
      models[qid] = {
        live: Object.assign({ seq: -1, applied: 0, v: 0 }, live || {}),
        result: Object.assign({ v: 0 }, result || {}),
        outcome: Object.assign({ v: 0 }, outcome || {}),
      };
    }
    return models[qid];
  }

  /* The model's part, when its store (`stored`, the store's data as Dash holds it now)
   * is behind it; otherwise no update. A store never written counts as version 0. */
  function catchUp(part, stored) {
    return ((stored && stored.v) || 0) === part.v ? noUpdate() : clone(part);
  }

  function isRunning(live) {
    return !(live && live.done);
  }

  /* Apply one chunk, counting a change in `live` and in the other part it changed. */
  function applyChunk(model, chunk) {
    const live = model.live;
    const result = model.result;
    const outcome = model.outcome;
    const T = contract().chunk;
    let changed = null; // the part besides `live` this chunk changes, if any
    if (live.first_ts == null && chunk.ts != null) live.first_ts = chunk.ts;
    if (chunk.ts != null) live.last_ts = chunk.ts;
    switch (chunk.type) {
      case T.STATUS:
        live.status = chunk.status;
        live.message = chunk.message;
        if (chunk.position != null) live.position = chunk.position;
        if (chunk.status === contract().status.RETRYING && outcome.error) {
          delete outcome.error; // the worker is trying again by itself
          changed = "outcome";
        }
        break;
      case T.SQL:
        result.sql = chunk.sql;
        result.description = chunk.description;
        changed = "result";
        break;
      case T.TABLE:
        result.table = {
          columns: chunk.columns,
          rows: chunk.rows,
          row_count: chunk.row_count,
          truncated: chunk.truncated,
        };
        changed = "result";
        break;
      case T.SOURCES:
        outcome.sources = chunk.sources || [];
        changed = "outcome";
        break;
      case T.TEXT:
        live.text = (live.text || "") + (chunk.delta || "");
        break;
      case T.ANSWER:
        live.text = chunk.text != null ? chunk.text : live.text || "";
        outcome.suggested_questions = chunk.suggested_questions || [];
        outcome.conversation_id = chunk.conversation_id;
        changed = "outcome";
        break;
      case T.ERROR:
        outcome.error = {
          code: chunk.code,
          message: chunk.message,
          retryable: chunk.retryable,
        };
        changed = "outcome";
        break;
      case T.DONE:
        live.done = { status: chunk.status, elapsed_ms: chunk.elapsed_ms };
        outcome.done = live.done;
        changed = "outcome";
        break;
      default:
        break;
    }
    live.seq = chunk.seq;
    live.applied = (live.applied || 0) + 1;
    live.v += 1;
    if (changed) model[changed].v += 1;
  }

  function markUnknown(model) {
    const failed = contract().status.FAILED;
    model.live.done = { status: failed, elapsed_ms: null };
    model.live.status = failed;
    model.live.message = "⚠️ This question is no longer available";
    model.outcome.done = model.live.done;
    model.outcome.error = {
      code: contract().error.UNKNOWN_QUESTION,
      message: "The service no longer knows this question (it may have expired). Ask it again.",
      retryable: true,
    };
    model.live.v += 1;
    model.outcome.v += 1;
  }

  /* The socket URL for every question still running, each resuming after its last seq. */
  function socketUrl(config, qids, lives) {
    const parts = [];
    qids.forEach((qid, i) => {
      const model = models[qid];
      const live = model ? model.live : lives[i];
      if (!isRunning(live)) return;
      const stored = lives[i] && lives[i].seq != null ? lives[i].seq : -1;
      const seq = Math.max(model ? model.live.seq : -1, stored);
      parts.push(encodeURIComponent(qid) + ":" + seq);
    });
    if (!parts.length || !config) return null;
    nonce += 1;
    // No key here: the browser sends the session cookie (HttpOnly) with the handshake.
    // An empty base: the API shares the page's origin (`inventory-agent app`).
    const base = config.websocket_base || window.location.origin.replace(/^http/, "ws");
    return (
      base + "/ws/stream?questions=" + parts.join(",") + "&batch_ms=25" +
      "&close_when_done=1&r=" + nonce
    );
  }

  function parseFrame(message) {
    if (!message || message.data == null) return [];
    try {
      const parsed = JSON.parse(message.data);
      return Array.isArray(parsed) ? parsed : [parsed];
    } catch (error) {
      console.warn("iga: ignoring a frame that is not JSON", error);
      return [];
    }
  }

  function onFrame(message, lives, results, outcomes, config) {
    const qids = qidsOf(context().states_list[0]);
    const index = {};
    qids.forEach((qid, i) => (index[qid] = i));
    let gap = false;
    for (const chunk of parseFrame(message)) {
      const qid = chunk.question_id;
      if (!(qid in index)) continue;
      const i = index[qid];
      const model = modelFor(qid, lives[i], results[i], outcomes[i]);
      if (chunk.type === contract().frame.UNKNOWN_QUESTION) {
        markUnknown(model);
        continue;
      }
      if (chunk.seq <= model.live.seq) continue; // a replay of what we hold
      if (chunk.seq > model.live.seq + 1) {
        gap = true; // missed something: resume after the last seq we hold
        continue;
      }
      applyChunk(model, chunk);
      const clock = clocks[qid] || (clocks[qid] = {});
      clock.lastLocalMs = Date.now();
    }
    const stored = { live: lives, result: results, outcome: outcomes };
    const out = (part) =>
      qids.map((qid, i) => (models[qid] ? catchUp(models[qid][part], stored[part][i]) : noUpdate()));
    const url = gap ? socketUrl(config, qids, lives) || noUpdate() : noUpdate();
    return [out("live"), out("result"), out("outcome"), url];
  }

  function onRendered(rendered, lives, config) {
    return socketUrl(config, qidsOf(context().states_list[0]), lives);
  }

  function onSocketState(state, lives, config) {
    if (!state) return noUpdate();
    if (state.readyState === 1) {
      closesInARow = 0;
      return noUpdate();
    }
    if (state.readyState !== 3 || state.code === undefined) return noUpdate();
    const qids = qidsOf(context().states_list[0]);
    closesInARow += 1;
    const delayMs = Math.min(5000, 150 * 2 ** Math.min(closesInARow - 1, 6));
    return new Promise((resolve) =>
      setTimeout(() => resolve(socketUrl(config, qids, lives) || noUpdate()), delayMs)
    );
  }

  /* ---- the status line and its elapsed seconds ---- */

  function formatSeconds(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    return s < 60 ? s + " s" : Math.floor(s / 60) + " min " + (s % 60) + " s";
  }

  function elapsedSeconds(clock) {
    if (clock.doneMs != null) return clock.doneMs / 1000;
    if (clock.firstTs != null && clock.lastLocalMs != null) {
      return clock.lastTs - clock.firstTs + (Date.now() - clock.lastLocalMs) / 1000;
    }
    if (clock.firstTs != null) return Date.now() / 1000 - clock.firstTs; // after a refresh
    return (Date.now() - clock.startLocalMs) / 1000;
  }

  function tick() {
    document.querySelectorAll(".iga-elapsed[data-qid]").forEach((element) => {
      const clock = clocks[element.getAttribute("data-qid")];
      const text = clock ? "· " + formatSeconds(elapsedSeconds(clock)) : "";
      if (element.textContent !== text) element.textContent = text;
    });
  }
  setInterval(tick, 1000); // display only: no network I/O

  function finalText(done) {
    const S = contract().status;
    const texts = {
      [S.COMPLETED]: "✅ Done",
      [S.FAILED]: "⚠️ Could not answer",
      [S.CANCELLED]: "⏹️ Cancelled",
    };
    return texts[done] || done;
  }

  function statusText(live) {
    const done = live.done && live.done.status;
    if (done) return live.status === done && live.message ? live.message : finalText(done);
    let text = live.message || "⏳ Queued";
    // Until the first chunk arrives the page shows its own placeholder with the place
    // the API returned; every queued chunk's message names the place itself (a digit
    // test here made a countdown's suffix come and go with the ETA's digits).
    if (live.seq < 0 && live.status === contract().status.QUEUED && live.position != null) {
      text += " · #" + live.position + " in line";
    }
    return text;
  }

  function renderStatus(live) {
    const qid = context().outputs_list[0].id.qid;
    live = live || { seq: -1 };
    const clock = clocks[qid] || (clocks[qid] = { startLocalMs: Date.now() });
    clock.firstTs = live.first_ts;
    clock.lastTs = live.last_ts;
    clock.doneMs = live.done ? live.done.elapsed_ms : null;
    if (live.done && clock.doneMs == null && live.first_ts != null) {
      clock.doneMs = (live.last_ts - live.first_ts) * 1000;
    }
    setTimeout(tick, 0);
    const state = live.done ? "is-" + live.done.status : "is-running";
    return [
      statusText(live),
      "iga-status " + state,
      live.done ? { display: "none" } : {},
      live.text || "",
    ];
  }

  function toggleWelcome(conversation) {
    const asked = conversation && conversation.questions && conversation.questions.length;
    return asked ? { display: "none" } : {};
  }

  /* "New conversation": forget the old questions here and in sessionStorage. */
  function forgetConversation(clicks) {
    if (!clicks) return noUpdate();
    Object.keys(models).forEach((qid) => delete models[qid]);
    Object.keys(clocks).forEach((qid) => delete clocks[qid]);
    Object.keys(window.sessionStorage)
      .filter((key) => key.includes('"qid"'))
      .forEach((key) => window.sessionStorage.removeItem(key));
    return clicks;
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    iga: {
      onFrame,
      onRendered,
      onSocketState,
      renderStatus,
      toggleWelcome,
      forgetConversation,
    },
  });
})();
