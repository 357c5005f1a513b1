import RequestQueue from 'kafkajs/src/network/requestQueue/index.js';

/**
 * kafkajs 2.2.4 re-arms a timer after every check of a connection's queue of pending requests
 * (network/requestQueue, scheduleCheckPendingRequests), and when nothing is pending and the broker
 * has not throttled the client its delay is negative, which Node runs after 1 ms: every open
 * connection wakes its process about a thousand times a second for as long as it lives (kafkajs
 * issues #1556 and #1704; the fix proposed in pull requests #1667 and #1768 is not released).
 * Measured here: an idle admin connection for 3 s, 280–314 ms of CPU, 126–131 ms without the loop.
 * With nothing pending and no throttle there is nothing to check — a request that has to wait
 * (push) and every response (fulfillRequest) check the queue again — so no timer is armed then;
 * otherwise kafkajs's own scheduling runs unchanged. Imported by src/kafka/client.ts, so it is in
 * place before any kafkajs client of the lab exists.
 */
const schedule = RequestQueue.prototype.scheduleCheckPendingRequests;
RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueue) {
  if (this.pending.length === 0 && this.throttledUntil - Date.now() <= 0) return;
  schedule.call(this);
};
