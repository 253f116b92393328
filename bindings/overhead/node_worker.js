// The worker of `polyhost overhead` for the system's node: one binding, every case of bench.js,
// in a fresh node process, reported as the JSON polyhost's own overhead-worker writes
// (host/overhead/overhead_worker.cc), to the file descriptor --result-fd.
//
// Bindings: node (bench.js's pure JavaScript), and the addons polyhost builds next to its binary:
// node-api (polyhost_node_api.node), node-addon-api (polyhost_node_addon_api.node), node-v8
// (polyhost_node_v8.node). polyhost does not start this worker for an addon its build left out
// (it reports the build's reason); an addon file missing from --addon-dir is "unavailable".
//
// Usage: node node_worker.js --binding B --target-ns NS --repeats R --addon-dir DIR --result-fd FD
'use strict';
const fs = require('fs');
const path = require('path');

const ADDONS = {
  'node-api': 'polyhost_node_api.node',
  'node-addon-api': 'polyhost_node_addon_api.node',
  'node-v8': 'polyhost_node_v8.node',
};

function parseArgs(argv) {
  const args = { binding: '', targetNs: 2e6, repeats: 5, addonDir: '', resultFd: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(a + ' needs a value');
    if (a === '--binding') args.binding = value;
    else if (a === '--target-ns') args.targetNs = Number(value);
    else if (a === '--repeats') args.repeats = Number(value);
    else if (a === '--addon-dir') args.addonDir = value;
    else if (a === '--result-fd') args.resultFd = Number(value);
    else throw new Error('unknown argument ' + a);
  }
  if (args.binding !== 'node' && !(args.binding in ADDONS)) throw new Error('unknown node binding ' + JSON.stringify(args.binding));
  if (!(args.targetNs > 0) || !(args.repeats > 0)) throw new Error('--target-ns and --repeats must be positive');
  return args;
}

function engine() {
  return 'Node.js ' + process.version + ' (V8 ' + process.versions.v8 + ', Node-API ' + process.versions.napi + ')';
}

// The addon's exports, or the reason it cannot be loaded here ({unavailable}).
function loadAddon(args) {
  const file = path.join(args.addonDir, ADDONS[args.binding]);
  if (!fs.existsSync(file)) return { unavailable: file + ' was not built' };
  return { lib: require(file) };  // a load failure (wrong ABI, say) is an error, not unavailable
}

function main() {
  let resultFd = 3;
  let report = { status: 'ok', unsupported: {}, cases: {}, errors: {}, engine: engine(), flags: [] };
  try {
    const args = parseArgs(process.argv.slice(2));
    resultFd = args.resultFd;
    report.binding = args.binding;
    let config = { binding: 'js', target_ns: args.targetNs, repeats: args.repeats, skip: [] };
    if (args.binding !== 'node') {
      const addon = loadAddon(args);
      if (addon.unavailable) {
        report.unavailable = addon.unavailable;
      } else {
        globalThis.__polyhost_native = addon.lib;
        config.binding = args.binding;
      }
    }
    if (!report.unavailable) {
      const measured = require('./bench.js').run(config);
      report.cases = measured.cases;
      report.errors = measured.errors;
    }
  } catch (e) {
    report = { status: 'error', message: (e && e.stack) || String(e), engine: engine() };
  }
  fs.writeSync(resultFd, JSON.stringify(report));
  fs.closeSync(resultFd);
}

main();
