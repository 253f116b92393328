// polyhost's reference scale worker for Node.js (the node-workers mode of `polyhost scale`).
//
// The same job as polyhost's own scale worker (host/scale/), for node: T worker_threads, each
// loading the workload (worker.js's loader), calling setup(n) and warming up: W run(n) calls, or with
// --warmup auto until polyhost finds the thread's series steady (each call is relayed by the main
// thread to polyhost as "@iteration K NS", K the thread, and polyhost answers more or measure, as
// for worker.js); once every thread is warm, all make the same N measured calls at once (N: at
// least --iterations, and enough for about --min-time seconds by the slowest thread's typical warm
// call: the median of its last five warm-up calls). Every result of a thread, warm-up calls included,
// is compared with its first, verify() is called on it, and the threads' results are compared
// with each other. A thread that fails before it is ready has the others still warming up stopped
// at once with worker.terminate(), and its verdict is the run's. At --timeout every thread still
// running is stopped with worker.terminate() (TerminateExecution of its isolate). The message (host/model/scale_worker_message.h) goes to a
// file descriptor as JSON.
//
// Usage: node scale_worker.js --file F --size quick|default --threads T --warmup W|auto --iterations N
//                             --min-time S --timeout S --max-heap MB --result-fd FD [--lanes threads]
'use strict';
const fs = require('fs');
const path = require('path');
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');
const {
  ContractError, encode, agree, load, describeError, call, askForMore, ResultCheck, shown,
} = require('./worker.js');

const GRACE_MS = 2000;      // after --timeout, for a thread to report (as host/scale/scale_worker.h)
const MAX_ITERATIONS = 10000;

function parseArgs(argv) {
  const args = { file: '', size: 'default', threads: 1, warmup: 1, iterations: 1, minTime: 0, timeout: 0, maxHeap: 0,
    resultFd: 3 };
  const numbers = { '--threads': 'threads', '--iterations': 'iterations', '--min-time': 'minTime',
    '--timeout': 'timeout', '--max-heap': 'maxHeap', '--result-fd': 'resultFd' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--file') args.file = argv[++i];
    else if (a === '--size') args.size = argv[++i];
    else if (a === '--lanes') i++;  // node's lanes are always threads
    else if (a === '--warmup') args.warmup = argv[++i] === 'auto' ? 'auto' : Number(argv[i]);
    else if (a in numbers) args[numbers[a]] = Number(argv[++i]);
    else throw new Error('unknown argument ' + a);
  }
  return args;
}

// A failure of the workload as a verdict, by the rules of worker.js.
function verdict(e, file) {
  if (e instanceof RangeError && /Maximum call stack size exceeded/.test(e.message)) {
    return { status: 'stack-overflow', message: describeError(e) };
  }
  if (e instanceof ContractError) {
    return { status: 'invalid', message: (/JSON-like|JSON cannot|2\^53|nested|surrogate/.test(e.message) ? 'not JSON-like: ' : file + ': ') + e.message };
  }
  return { status: 'error', message: describeError(e) };
}

// --warmup auto, in a lane: whether polyhost wants another warm-up call after one of NS (asked
// through the main thread, which alone talks to polyhost).
function moreWarmup(ns) {
  return new Promise((resolve) => {
    parentPort.once('message', (m) => resolve(m.more));
    parentPort.postMessage({ kind: 'iteration', ns });
  });
}

// One lane, in a worker thread.
async function lane() {
  const { file, size, warmup, thread, threads } = workerData;
  globalThis.polyhostLane = { thread, threads };
  // process.exit() in a worker thread ends that thread only: the coordinator is told the status, so
  // that the lane's verdict is the embedded lanes' error naming the file, not a crash.
  const exit = process.exit;
  process.exit = function exitRequested(code) {
    parentPort.postMessage({ kind: 'exit', status: code === undefined ? (process.exitCode ?? 0) : code });
    return exit.call(process, code);
  };
  const report = { status: 'ok', message: '', warmup_ns: [], samples_ns: [], has_verify: false, verified: false,
    result: null, started_ns: 0n, ended_ns: 0n };
  try {
    const { exports, sizes } = await load(path.resolve(file));
    const n = sizes[size];
    report.sizes = sizes;
    report.size = n;
    report.has_verify = typeof exports.verify === 'function';
    if (typeof exports.setup === 'function') await call(exports.setup, n);
    const checked = new ResultCheck(n);
    const warmUpOnce = async () => {
      const { result, elapsed } = await call(exports.run, n);
      report.warmup_ns.push(elapsed);
      checked.add('warm-up', result);
      return elapsed;
    };
    if (warmup === 'auto') {
      while (await moreWarmup(await warmUpOnce())) { /* polyhost decides */ }
    } else {
      for (let i = 0; i < warmup; i++) await warmUpOnce();
    }
    const go = await new Promise((resolve) => {
      parentPort.once('message', resolve);
      parentPort.postMessage({ kind: 'ready', warm_call_ns: medianOf(report.warmup_ns.slice(-5)) });
    });
    if (go.kind === 'stop') {
      report.status = go.status;
      report.message = go.message;
    } else {
      const results = [];
      report.started_ns = process.hrtime.bigint();
      for (let i = 0; i < go.iterations; i++) {
        const { result, elapsed } = await call(exports.run, n);
        report.samples_ns.push(elapsed);
        results.push(result);
      }
      report.ended_ns = process.hrtime.bigint();
      for (const result of results) checked.add('measured', result);  // after the timed part, which they would slow
      const mismatch = checked.mismatch(report.has_verify ? exports.verify : null);
      if (mismatch !== null) {
        report.status = 'mismatch';
        report.message = mismatch;
      } else {
        report.result = checked.first;
        report.verified = report.has_verify;
      }
    }
  } catch (e) {
    Object.assign(report, verdict(e, file));
  }
  parentPort.postMessage({ kind: 'report', report });
}

function medianOf(values) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function laneName(k, threads) { return 'thread ' + k + ' of ' + threads; }

// The lanes' reports as one message, by the rules of host/scale/lane_link.cc.
function combine(lanes, iterations, args) {
  // The verdict is that of the lane that failed first (ended first; stopped lanes are skipped).
  const order = (lane) => (lane.endOrder > 0 ? lane.endOrder : Infinity);
  let failed = -1;
  lanes.forEach((lane, i) => {
    if (lane.report.status === 'ok' || lane.report.status === 'skipped') return;
    if (failed < 0 || order(lane) < order(lanes[failed])) failed = i;
  });
  const m = { status: 'ok', message: '', engine: 'Node.js ' + process.version + ' (V8 ' + process.versions.v8 + ')',
    has_verify: false, verified: true, iterations, wall_ns: 0, threads: [], result: null };
  if (failed >= 0) {
    m.status = lanes[failed].report.status;
    m.message = laneName(failed + 1, args.threads) + ': ' + lanes[failed].report.message;
  }
  let firstStart = null, lastEnd = null;
  lanes.forEach((lane) => {
    const r = lane.report;
    if (r.sizes && !m.sizes) { m.sizes = r.sizes; m.size = r.size; }
    m.has_verify = m.has_verify || !!r.has_verify;
    m.verified = m.verified && !!r.verified;
    if (r.status === 'ok') {
      if (firstStart === null || r.started_ns < firstStart) firstStart = r.started_ns;
      if (lastEnd === null || r.ended_ns > lastEnd) lastEnd = r.ended_ns;
    }
    m.threads.push({ status: r.status, message: r.message, warmup_ns: r.warmup_ns || [], samples_ns: r.samples_ns || [] });
  });
  if (m.status === 'ok') {
    for (let i = 1; i < lanes.length; i++) {
      if (!agree(lanes[0].report.result, lanes[i].report.result)) {
        m.status = 'mismatch';
        m.message = 'thread ' + (i + 1) + "'s result differs from thread 1's: result: " + shown(lanes[i].report.result) + ' vs ' +
          shown(lanes[0].report.result);
        break;
      }
    }
  }
  if (m.status === 'ok') {
    m.result = lanes[0].report.result;
    m.wall_ns = Number(lastEnd - firstStart);
  } else {
    m.verified = false;
  }
  return m;
}

function coordinate(args) {
  const timeoutText = ' (--timeout ' + args.timeout + ' s)';
  const lanes = [];
  let decided = false, finished = false, iterations = 0, stop = null, ended = 0;
  const finish = () => {
    if (finished) return;
    finished = true;
    for (const lane of lanes) {
      if (!lane.report) {
        lane.report = { status: 'timeout', message: 'still running ' + GRACE_MS / 1000 + ' s after the --timeout of ' +
          args.timeout + ' s (it did not stop when asked), so it was given up on' };
      }
    }
    fs.writeSync(args.resultFd, JSON.stringify(combine(lanes, iterations, args)));
    fs.closeSync(args.resultFd);
    process.exit(0);
  };
  const step = () => {
    // A lane that ended without being ready failed: the others are stopped at once, warming up or not.
    const failed = lanes.filter((l) => l.ended && !l.ready).sort((a, b) => a.endOrder - b.endOrder)[0];
    if (!decided && failed) {
      decided = true;
      stop = { kind: 'stop', status: 'skipped', message: 'not measured: stopped because ' + laneName(lanes.indexOf(failed) + 1, args.threads) +
        ' failed before its measured calls' };
      for (const lane of lanes) {
        if (lane.ended || lane.ready) continue;
        lane.cancelled = true;
        lane.worker.terminate();
      }
    }
    if (!decided && lanes.every((l) => l.ready)) {
      decided = true;
      const slowest = Math.max(...lanes.map((l) => l.warmCall));
      iterations = args.iterations;
      if (slowest > 0 && args.minTime > 0) {
        iterations = Math.min(Math.max(args.iterations, MAX_ITERATIONS), Math.max(args.iterations, Math.ceil(args.minTime * 1e9 / slowest)));
      }
    }
    if (decided) {
      for (const lane of lanes) {
        if (!lane.ready || lane.told || lane.ended) continue;
        lane.worker.postMessage(stop || { kind: 'go', iterations });
        lane.told = true;
      }
    }
    if (lanes.every((l) => l.ended)) finish();
  };
  for (let k = 1; k <= args.threads; k++) {
    const worker = new Worker(__filename, {
      workerData: { file: args.file, size: args.size, warmup: args.warmup, thread: k, threads: args.threads },
      resourceLimits: args.maxHeap > 0 ? { maxOldGenerationSizeMb: args.maxHeap } : undefined,
    });
    const lane = { worker, ready: false, told: false, ended: false, stopped: false, cancelled: false, report: null, warmCall: 0,
      endOrder: 0 };
    lanes.push(lane);
    worker.on('message', (m) => {
      if (m.kind === 'iteration') {
        // A synchronous exchange with polyhost: answers cannot cross between lanes.
        worker.postMessage({ kind: 'warmup', more: askForMore(args.resultFd, m.ns, k) });
        return;
      }
      if (m.kind === 'exit') {
        lane.exitStatus = m.status;
        return;
      }
      if (m.kind === 'ready') {
        lane.ready = true;
        lane.warmCall = m.warm_call_ns;
      } else if (m.kind === 'report' && !lane.stopped) {
        lane.report = m.report;
      }
      step();
    });
    worker.on('error', (e) => {
      if (lane.report || lane.stopped || lane.cancelled) return;
      lane.report = e && e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? { status: 'out-of-memory', message: args.file + ': the worker thread ran out of memory (--max-heap ' + args.maxHeap + ' MB)' }
        : { status: 'error', message: describeError(e) };
    });
    worker.on('exit', (code) => {
      lane.ended = true;
      lane.endOrder = ++ended;
      if (!lane.report && lane.cancelled) {
        lane.report = { status: stop.status, message: stop.message };
      } else if (!lane.report && lane.stopped) {
        lane.report = { status: 'timeout', message: args.file + ': the script was stopped (worker.terminate) after its time ran out' + timeoutText };
      } else if (!lane.report && lane.exitStatus !== undefined) {
        lane.report = { status: 'error', message: args.file + ': the workload ended the process (process.exit) with status ' + lane.exitStatus };
      } else if (!lane.report) {
        lane.report = { status: 'crash', message: 'the worker thread exited with code ' + code + ' without a report' };
      }
      step();
    });
  }
  if (args.timeout > 0) {
    setTimeout(() => {
      if (!decided) {
        decided = true;
        stop = { kind: 'stop', status: 'skipped', message: 'not measured: the time ran out' + timeoutText + ' while waiting for the other threads' };
      }
      for (const lane of lanes) {
        if (lane.ended || (lane.ready && !lane.told)) continue;
        lane.stopped = true;
        lane.report = null;
        lane.worker.terminate();
      }
      step();
      setTimeout(finish, GRACE_MS).unref();
    }, args.timeout * 1000).unref();
  }
}

if (isMainThread) {
  try {
    coordinate(parseArgs(process.argv.slice(2)));
  } catch (e) {
    process.stderr.write(String(e && e.stack || e) + '\n');
    process.exit(1);
  }
} else {
  lane();
}
