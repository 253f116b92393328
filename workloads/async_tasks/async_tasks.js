'use strict';
// Async tasks: many small awaited tasks with no timers or I/O, only promise
// resolution (microtasks):
//   1. fan-out: n short async call chains awaited in batches with Promise.all;
//   2. pipeline: producer -> worker pool -> consumer over bounded async
//      channels, so tasks really suspend and resume each other;
//   3. a recursive async fan-out tree.
// All results are order-independent aggregates.

const BATCH = 100;
const WORKERS = 4;
const CAPACITY = 8;
const MOD = 1000003;

async function mix(x) {
  return (x * 31 + 7) % MOD;
}

async function lookup(id) {
  const a = await mix(id);
  const b = await mix(a + id);
  return { id, value: b };
}

async function processItem(id) {
  const rec = await lookup(id);
  const scaled = await mix(rec.value * 3);
  return scaled ^ (rec.id & 255);
}

async function fanOut(n) {
  let sum = 0;
  let count = 0;
  for (let start = 0; start < n; start += BATCH) {
    const tasks = [];
    for (let id = start; id < Math.min(start + BATCH, n); id++) tasks.push(processItem(id));
    const results = await Promise.all(tasks);
    for (const v of results) {
      sum += v;
      count++;
    }
  }
  return { count, sum };
}

// A bounded FIFO channel; put() waits while full, get() waits while empty.
class Channel {
  constructor(capacity) {
    this.capacity = capacity;
    this.items = [];
    this.getters = [];
    this.putters = [];
  }

  async put(item) {
    while (this.items.length >= this.capacity) {
      await new Promise((resolve) => this.putters.push(resolve));
    }
    this.items.push(item);
    const wake = this.getters.shift();
    if (wake !== undefined) wake();
  }

  async get() {
    while (this.items.length === 0) {
      await new Promise((resolve) => this.getters.push(resolve));
    }
    const item = this.items.shift();
    const wake = this.putters.shift();
    if (wake !== undefined) wake();
    return item;
  }
}

async function producer(inbox, count) {
  for (let i = 0; i < count; i++) await inbox.put(i);
  for (let w = 0; w < WORKERS; w++) await inbox.put(null);
}

async function worker(inbox, outbox) {
  let handled = 0;
  for (;;) {
    const item = await inbox.get();
    if (item === null) break;
    await outbox.put(await processItem(item));
    handled++;
  }
  await outbox.put(null);
  return handled;
}

async function consumer(outbox) {
  let finished = 0;
  let count = 0;
  let sum = 0;
  while (finished < WORKERS) {
    const v = await outbox.get();
    if (v === null) {
      finished++;
    } else {
      count++;
      sum += v;
    }
  }
  return { count, sum };
}

async function pipeline(count) {
  const inbox = new Channel(CAPACITY);
  const outbox = new Channel(CAPACITY);
  const workers = [];
  for (let w = 0; w < WORKERS; w++) workers.push(worker(inbox, outbox));
  const [, totals, handled] = await Promise.all([
    producer(inbox, count),
    consumer(outbox),
    Promise.all(workers),
  ]);
  return { count: totals.count, sum: totals.sum, handled: handled.reduce((a, b) => a + b, 0) };
}

async function tree(depth) {
  if (depth === 0) return 1;
  const [a, b] = await Promise.all([tree(depth - 1), tree(depth - 1)]);
  return a + b + 1;
}

function treeDepth(n) {
  let depth = 0;
  while (2 ** (depth + 3) <= n) depth++;
  return depth;
}

async function run(n) {
  const fan = await fanOut(n);
  const pipe = await pipeline(Math.floor(n / 2));
  const nodes = await tree(treeDepth(n));
  return { fanOut: fan, pipeline: pipe, treeNodes: nodes };
}

// Synchronous reference for processItem.
function expectedItem(id) {
  const mixSync = (x) => (x * 31 + 7) % MOD;
  return mixSync(mixSync(mixSync(id) + id) * 3) ^ (id & 255);
}

function verify(result, n) {
  let fanSum = 0;
  for (let i = 0; i < n; i++) fanSum += expectedItem(i);
  const half = Math.floor(n / 2);
  let pipeSum = 0;
  for (let i = 0; i < half; i++) pipeSum += expectedItem(i);
  return result.fanOut.count === n && result.fanOut.sum === fanSum &&
    result.pipeline.count === half && result.pipeline.handled === half &&
    result.pipeline.sum === pipeSum &&
    result.treeNodes === 2 ** (treeDepth(n) + 1) - 1;
}

const sizes = { quick: 1000, default: 10000 };

module.exports = { run, verify, sizes };
