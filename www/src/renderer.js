// The page's side of the render worker: at most one request in flight, the
// newest edit queued behind it (so typing never piles up renders), only
// changed files sent, and a watchdog that terminates a worker that stops
// answering and starts a fresh one.

const TIMEOUT_MS = 5000;

export class Renderer extends EventTarget {
  /**
   * @param {string} url the worker script
   * @param {Worker} [preloaded] a worker index.html started early (and sends
   *   the compiled module to), with `buffer` holding the messages it sent
   *   before this object existed
   */
  constructor(url, preloaded) {
    super();
    this.url = url;
    // The compiled module (index.html starts compiling it), handed to every worker.
    this.module = window.__chartroomWasm ?? Promise.resolve(null);
    this.nextId = 1;
    this.inFlight = null;
    this.queued = null;
    this.ready = false;
    this.start(preloaded);
  }

  start(preloaded) {
    this.worker = preloaded ?? new Worker(this.url, { type: "module" });
    this.sent = new Map();
    this.fresh = true;
    this.ready = false;
    const buffered = preloaded?.buffer ?? [];
    if (!preloaded) {
      const worker = this.worker;
      this.module.then((module) => worker.postMessage({ type: "module", module }));
    }
    this.worker.onmessage = (e) => this.onMessage(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      this.emit("fatal", { message: `The render worker failed: ${e.message ?? "unknown error"}` });
    };
    // Replayed after the caller has attached its listeners.
    if (buffered.length) setTimeout(() => buffered.splice(0).forEach((m) => this.onMessage(m)));
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  onMessage(message) {
    if (message.type === "ready") {
      this.ready = true;
      this.emit("ready", message);
      if (this.inFlight) this.arm(this.inFlight);
      this.flush();
    } else if (message.type === "fatal") {
      this.emit("fatal", message);
    } else if (message.type === "result" && this.inFlight && message.id === this.inFlight.id) {
      clearTimeout(this.inFlight.timer);
      const request = this.inFlight;
      this.inFlight = null;
      this.emit("result", { ...message, request });
      if (message.fatal) this.restart();
      else this.flush();
    }
  }

  /**
   * Asks for a render of `files` (a Map of path to text or bytes). `meta` is
   * handed back with the result (edit times, the release name…).
   */
  render(files, options, valuesOptions, { wantValues = true, meta = {} } = {}) {
    this.queued = { files: new Map(files), options, valuesOptions, wantValues, meta };
    this.flush();
  }

  /**
   * Sends the queued request when none is in flight. The first one goes out
   * before the worker is ready (it waits there), saving a round trip at start.
   */
  flush() {
    if (this.inFlight || !this.queued) return;
    const { files, options, valuesOptions, wantValues, meta } = this.queued;
    this.queued = null;
    const changed = {};
    const removed = [];
    for (const [path, content] of files) {
      if (this.sent.get(path) !== content) changed[path] = content;
    }
    for (const path of this.sent.keys()) if (!files.has(path)) removed.push(path);
    const id = this.nextId++;
    const message = { type: "render", id, reset: this.fresh, changed, removed, options, valuesOptions, wantValues };
    this.fresh = false;
    this.sent = files;
    const sentAt = performance.now();
    this.inFlight = { id, meta, sentAt, timer: null };
    if (this.ready) this.arm(this.inFlight);
    this.worker.postMessage(message);
  }

  /** The watchdog counts from when the worker is ready (not while it loads the module). */
  arm(request) {
    clearTimeout(request.timer);
    request.timer = setTimeout(() => this.onTimeout(request.id), TIMEOUT_MS);
  }

  /** The worker is stuck (a template that loops without using steps): replace it. */
  onTimeout(id) {
    if (!this.inFlight || this.inFlight.id !== id) return;
    const request = this.inFlight;
    this.inFlight = null;
    this.emit("timeout", { request, ms: TIMEOUT_MS });
    this.restart();
  }

  /** A fresh worker (it loads the module again); queued work waits for it. */
  restart() {
    this.worker.terminate();
    this.start();
  }
}
