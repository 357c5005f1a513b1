// kafkajs ships no types for its internals; only what kafkajs-idle-timer.ts touches.
declare module 'kafkajs/src/network/requestQueue/index.js' {
  export default class RequestQueue {
    pending: unknown[];
    throttledUntil: number;
    scheduleCheckPendingRequests(): void;
  }
}
