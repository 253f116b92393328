// A raw V8 addon for Node.js: the very FunctionTemplate callbacks of v8_callbacks.cc, compiled
// against the V8 headers of the system's node (/usr/include/node) and installed on the addon's
// exports. Loaded by node as polyhost_node_v8.node (`polyhost overhead`, column node-v8), so the
// matrix shows what Node-API costs over raw V8 in one runtime. Node's own ABI (NODE_MODULE_VERSION)
// ties this addon to one major version of node; Node-API addons have no such tie.
#include <node.h>

#include "bindings/v8_callbacks.h"

NODE_MODULE_INIT(/* exports, module, context */) { polyhost::bindings::install_v8_callbacks(context, exports); }
