'use strict';
// Request pipeline: the CPU side of a small JSON web API. For each of n
// generated requests: parse the query string and JSON body, authenticate,
// route by method and path, validate fields, update an in-memory store,
// then build and serialize the response (JSON body plus HTTP head).
// Returns counts per status and route plus size/hash checksums.

const { matchesRecorded } = require('../common/result_fingerprint.js');  // shared by the suite's workloads
const { Rng } = require('../common/rng.js');

const REASONS = {
  200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized',
  404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 422: 'Unprocessable Entity',
};
const VALID_TOKENS = new Set(['tok-alpha', 'tok-bravo', 'tok-charlie']);
const EMAIL_RE = /^[a-z0-9._+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/;
const SKU_RE = /^[A-Z]{3}-[0-9]{4}$/;
const ID_RE = /^[0-9]+$/;
const HEX2_RE = /^[0-9A-Fa-f]{2}$/;
const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
const COUPONS = { SAVE10: 10, HALF: 50, FREESHIP: 0 };
const SEED_USERS = 40;

class HttpError extends Error {
  constructor(status, message, details) {
    super(message);
    this.status = status;
    this.details = details || [];
  }
}

// ------------------------------------------------------------------ store

function newState() {
  const users = new Map();
  for (let i = 1; i <= SEED_USERS; i++) {
    users.set(i, { id: i, name: 'User ' + i, email: 'user' + i + '@example.com', age: 20 + (i % 50), tags: [] });
  }
  return { users, nextUserId: SEED_USERS + 1, nextOrderId: 1, revenue: 0 };
}

// ------------------------------------------------------------- validation

function isInt(v) {
  return typeof v === 'number' && Number.isInteger(v);
}

function checkUserFields(body, partial, errors) {
  for (const key of Object.keys(body)) {
    if (key !== 'name' && key !== 'email' && key !== 'age' && key !== 'tags') {
      errors.push({ field: key, error: 'unknown field' });
    }
  }
  if (has(body, 'name') || !partial) {
    const name = body.name;
    if (typeof name !== 'string') errors.push({ field: 'name', error: 'required string' });
    else if (name.trim().length < 2 || name.length > 40) errors.push({ field: 'name', error: 'length 2..40' });
  }
  if (has(body, 'email') || !partial) {
    const email = body.email;
    if (typeof email !== 'string') errors.push({ field: 'email', error: 'required string' });
    else if (!EMAIL_RE.test(email)) errors.push({ field: 'email', error: 'invalid email' });
  }
  if (has(body, 'age') || !partial) {
    const age = body.age;
    if (!isInt(age)) errors.push({ field: 'age', error: 'required integer' });
    else if (age < 13 || age > 120) errors.push({ field: 'age', error: 'range 13..120' });
  }
  if (has(body, 'tags')) {
    const tags = body.tags;
    if (!Array.isArray(tags) || tags.length > 5) {
      errors.push({ field: 'tags', error: 'array of at most 5' });
    } else {
      for (let i = 0; i < tags.length; i++) {
        const t = tags[i];
        if (typeof t !== 'string' || t.length < 1 || t.length > 12) {
          errors.push({ field: 'tags.' + i, error: 'string 1..12' });
        }
      }
    }
  }
}

function publicUser(u) {
  return { id: u.id, name: u.name, email: u.email, age: u.age, tags: u.tags };
}

// --------------------------------------------------------------- handlers

function health(ctx) {
  return [200, { status: 'ok', users: ctx.state.users.size }];
}

function listUsers(ctx) {
  const q = ctx.query;
  let limit = 10;
  let offset = 0;
  const errors = [];
  if (has(q, 'limit')) {
    if (!ID_RE.test(q.limit) || Number(q.limit) < 1 || Number(q.limit) > 50) {
      errors.push({ field: 'limit', error: 'range 1..50' });
    } else {
      limit = Number(q.limit);
    }
  }
  if (has(q, 'offset')) {
    if (!ID_RE.test(q.offset)) errors.push({ field: 'offset', error: 'non-negative integer' });
    else offset = Number(q.offset);
  }
  if (errors.length > 0) throw new HttpError(422, 'invalid query', errors);
  const prefix = has(q, 'q') ? q.q.toLowerCase() : '';
  const matching = [];
  for (const u of ctx.state.users.values()) {
    if (prefix === '' || u.name.toLowerCase().startsWith(prefix)) matching.push(u);
  }
  const page = matching.slice(offset, offset + limit).map((u) => ({ id: u.id, name: u.name }));
  return [200, { total: matching.length, offset, limit, items: page }];
}

function createUser(ctx) {
  const body = ctx.body;
  const errors = [];
  checkUserFields(body, false, errors);
  if (errors.length > 0) throw new HttpError(422, 'validation failed', errors);
  for (const u of ctx.state.users.values()) {
    if (u.email === body.email) throw new HttpError(409, 'email already registered');
  }
  const user = {
    id: ctx.state.nextUserId++,
    name: body.name.trim(),
    email: body.email,
    age: body.age,
    tags: has(body, 'tags') ? body.tags : [],
  };
  ctx.state.users.set(user.id, user);
  return [201, publicUser(user)];
}

function findUser(ctx) {
  const user = ctx.state.users.get(ctx.params.id);
  if (user === undefined) throw new HttpError(404, 'no such user');
  return user;
}

function getUser(ctx) {
  return [200, publicUser(findUser(ctx))];
}

function updateUser(ctx) {
  const user = findUser(ctx);
  const body = ctx.body;
  const errors = [];
  checkUserFields(body, true, errors);
  if (has(body, 'email')) errors.push({ field: 'email', error: 'read-only' });
  if (errors.length > 0) throw new HttpError(422, 'validation failed', errors);
  if (has(body, 'name')) user.name = body.name.trim();
  if (has(body, 'age')) user.age = body.age;
  if (has(body, 'tags')) user.tags = body.tags;
  return [200, publicUser(user)];
}

function deleteUser(ctx) {
  const user = findUser(ctx);
  ctx.state.users.delete(user.id);
  return [204, null];
}

function createOrder(ctx) {
  const body = ctx.body;
  const errors = [];
  if (!isInt(body.userId)) errors.push({ field: 'userId', error: 'required integer' });
  else if (!ctx.state.users.has(body.userId)) errors.push({ field: 'userId', error: 'unknown user' });
  const items = body.items;
  if (!Array.isArray(items) || items.length < 1 || items.length > 10) {
    errors.push({ field: 'items', error: 'array of 1..10' });
  } else {
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (typeof it !== 'object' || it === null || Array.isArray(it)) {
        errors.push({ field: 'items.' + i, error: 'object' });
        continue;
      }
      const prefix = 'items.' + i;
      if (typeof it.sku !== 'string' || !SKU_RE.test(it.sku)) {
        errors.push({ field: prefix + '.sku', error: 'format AAA-0000' });
      }
      if (!isInt(it.qty) || it.qty < 1 || it.qty > 99) {
        errors.push({ field: prefix + '.qty', error: 'range 1..99' });
      }
      if (!isInt(it.priceCents) || it.priceCents < 0) {
        errors.push({ field: prefix + '.priceCents', error: 'non-negative integer' });
      }
    }
  }
  let coupon = null;
  if (has(body, 'coupon')) {
    if (typeof body.coupon !== 'string' || !has(COUPONS, body.coupon)) {
      errors.push({ field: 'coupon', error: 'unknown coupon' });
    } else {
      coupon = body.coupon;
    }
  }
  if (errors.length > 0) throw new HttpError(422, 'validation failed', errors);

  let subtotal = 0;
  let units = 0;
  for (const it of items) {
    subtotal += it.qty * it.priceCents;
    units += it.qty;
  }
  const discount = coupon === null ? 0 : Math.floor((subtotal * COUPONS[coupon]) / 100);
  const shipping = coupon === 'FREESHIP' || subtotal >= 5000 ? 0 : 599;
  const tax = Math.floor(((subtotal - discount) * 8) / 100);
  const total = subtotal - discount + shipping + tax;
  ctx.state.revenue += total;
  return [201, {
    orderId: 'ord-' + String(ctx.state.nextOrderId++).padStart(6, '0'),
    userId: body.userId,
    lines: items.length,
    units,
    subtotal,
    discount,
    shipping,
    tax,
    total,
    coupon,
  }];
}

// ---------------------------------------------------------------- routing

const ROUTES = [
  ['GET', '/health', health, false],
  ['GET', '/users', listUsers, false],
  ['POST', '/users', createUser, true],
  ['GET', '/users/:id', getUser, false],
  ['PUT', '/users/:id', updateUser, true],
  ['DELETE', '/users/:id', deleteUser, true],
  ['POST', '/orders', createOrder, true],
].map(([method, pattern, handler, mutating]) => ({
  method, pattern, handler, mutating, segments: pattern.split('/').slice(1),
}));

function matchSegments(segments, parts) {
  if (segments.length !== parts.length) return null;
  const params = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (seg.startsWith(':')) {
      if (!ID_RE.test(parts[i])) return null;
      params[seg.slice(1)] = Number(parts[i]);
    } else if (seg !== parts[i]) {
      return null;
    }
  }
  return params;
}

function percentDecode(s) {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '+') {
      out += ' ';
    } else if (c === '%' && HEX2_RE.test(s.slice(i + 1, i + 3))) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

function parseQuery(qs) {
  const query = {};
  if (qs === '') return query;
  for (const pair of qs.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = percentDecode(eq < 0 ? pair : pair.slice(0, eq));
    query[key] = eq < 0 ? '' : percentDecode(pair.slice(eq + 1));
  }
  return query;
}

function dispatch(state, req) {
  const q = req.path.indexOf('?');
  const path = q < 0 ? req.path : req.path.slice(0, q);
  const parts = path.split('/').slice(1);
  let route = null;
  let params = null;
  const allowed = [];
  for (const r of ROUTES) {
    const p = matchSegments(r.segments, parts);
    if (p === null) continue;
    allowed.push(r.method);
    if (r.method === req.method) {
      route = r;
      params = p;
      break;
    }
  }
  if (route === null) {
    if (allowed.length > 0) {
      throw new HttpError(405, 'method not allowed', [{ field: 'allow', error: allowed.join(', ') }]);
    }
    throw new HttpError(404, 'no route for ' + path);
  }
  if (route.mutating) {
    const auth = req.headers.authorization;
    if (auth === undefined || !auth.startsWith('Bearer ') || !VALID_TOKENS.has(auth.slice(7))) {
      throw new HttpError(401, 'missing or invalid token');
    }
  }
  let body = null;
  if (req.method === 'POST' || req.method === 'PUT') {
    if (req.body === '') throw new HttpError(400, 'body required');
    try {
      body = JSON.parse(req.body);
    } catch (e) {
      throw new HttpError(400, 'malformed JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpError(400, 'body must be a JSON object');
    }
  }
  const ctx = { state, params, query: parseQuery(q < 0 ? '' : req.path.slice(q + 1)), body };
  const [status, data] = route.handler(ctx);
  return [route.pattern, status, data];
}

function handle(state, req) {
  let routeName;
  let status;
  let payload;
  try {
    const [pattern, st, data] = dispatch(state, req);
    routeName = req.method + ' ' + pattern;
    status = st;
    payload = st === 204 ? null : { ok: true, data };
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    routeName = 'error';
    status = e.status;
    payload = { ok: false, error: { code: e.status, message: e.message, details: e.details } };
  }
  const body = payload === null ? '' : JSON.stringify(payload);
  const head = 'HTTP/1.1 ' + status + ' ' + REASONS[status] + '\r\n' +
    'content-type: application/json\r\n' +
    'content-length: ' + body.length + '\r\n' +
    'x-request-id: ' + req.headers['x-request-id'] + '\r\n\r\n';
  return { route: routeName, status, head, body };
}

// ------------------------------------------------------------- generation

const FIRST = ['ana', 'ben', 'cleo', 'dev', 'eli', 'fay', 'gus', 'hal', 'ida', 'jo'];
const TAGS = ['admin', 'beta', 'vip', 'new', 'staff', 'remote', 'a-very-long-tag'];

function bearer(rng) {
  const r = rng.int(20);
  if (r === 0) return undefined;
  if (r === 1) return 'Bearer tok-zulu';
  return 'Bearer ' + ['tok-alpha', 'tok-bravo', 'tok-charlie'][r % 3];
}

function userBody(rng, seq) {
  const name = rng.pick(FIRST);
  const body = {
    name: name.charAt(0).toUpperCase() + name.slice(1) + ' ' + seq,
    email: name + seq + '@mail.example.org',
    age: 13 + rng.int(90),
  };
  const flaw = rng.int(12);
  if (flaw === 0) body.email = name + seq + '-at-mail';
  else if (flaw === 1) delete body.name;
  else if (flaw === 2) body.age = String(body.age);
  else if (flaw === 3) body.age = 7;
  else if (flaw === 4) body.email = 'user' + (1 + rng.int(SEED_USERS)) + '@example.com';
  else if (flaw === 5) body.name = ' x';
  if (rng.int(3) === 0) {
    const tags = [];
    const count = 1 + rng.int(rng.int(8) === 0 ? 7 : 3);
    for (let i = 0; i < count; i++) tags.push(rng.pick(TAGS));
    body.tags = tags;
  }
  return body;
}

function orderBody(rng, maxUser) {
  const items = [];
  const count = 1 + rng.int(5);
  for (let i = 0; i < count; i++) {
    const sku = String.fromCharCode(65 + rng.int(26), 65 + rng.int(26), 65 + rng.int(26)) + '-' +
      String(rng.int(10000)).padStart(4, '0');
    items.push({ sku, qty: 1 + rng.int(12), priceCents: 99 + rng.int(5000) });
  }
  const body = { userId: 1 + rng.int(maxUser), items };
  const r = rng.int(10);
  if (r === 0) body.coupon = 'SAVE10';
  else if (r === 1) body.coupon = 'HALF';
  else if (r === 2) body.coupon = 'FREESHIP';
  else if (r === 3) body.coupon = 'BOGUS';
  const flaw = rng.int(15);
  if (flaw === 0) items[0].qty = 0;
  else if (flaw === 1) items[0].sku = 'abc-12';
  else if (flaw === 2) body.items = [];
  else if (flaw === 3) body.userId = 'seven';
  return body;
}

function encodeBody(rng, body) {
  const text = JSON.stringify(body);
  const r = rng.int(40);
  if (r === 0) return text.slice(0, text.length - 1 - rng.int(5)); // truncated: malformed
  if (r === 1) return '[' + text + ']'; // valid JSON, wrong type
  if (r === 2) return '';
  return text;
}

function makeRequests(n) {
  const rng = new Rng(42);
  const reqs = [];
  for (let i = 0; i < n; i++) {
    const headers = { 'x-request-id': 'req-' + i };
    const auth = bearer(rng);
    if (auth !== undefined) headers.authorization = auth;
    const kind = rng.int(100);
    const knownIds = SEED_USERS + Math.floor((i * 7) / 100); // roughly the ids created so far
    let method = 'GET';
    let path;
    let body = '';
    if (kind < 22) {
      path = '/users/' + (1 + rng.int(knownIds + 5));
    } else if (kind < 30) {
      const params = [];
      if (rng.int(2) === 0) params.push('limit=' + rng.int(60));
      if (rng.int(2) === 0) params.push('offset=' + rng.int(40));
      if (rng.int(3) === 0) params.push('q=' + rng.pick(['u', 'User+1', 'user%201', 'an', 'B', 'x%2']));
      if (rng.int(10) === 0) params.push('limit=ten');
      path = '/users' + (params.length > 0 ? '?' + params.join('&') : '');
    } else if (kind < 46) {
      method = 'POST';
      path = '/users';
      body = encodeBody(rng, userBody(rng, i));
    } else if (kind < 56) {
      method = 'PUT';
      path = '/users/' + (1 + rng.int(knownIds + 5));
      const patch = {};
      if (rng.int(2) === 0) patch.age = 13 + rng.int(100);
      if (rng.int(2) === 0) patch.name = rng.pick(FIRST) + ' renamed';
      if (rng.int(4) === 0) patch.tags = [rng.pick(TAGS)];
      if (rng.int(8) === 0) patch.role = 'admin';
      if (rng.int(10) === 0) patch.email = 'new' + i + '@x.io';
      body = encodeBody(rng, patch);
    } else if (kind < 58) {
      method = 'DELETE';
      path = '/users/' + (1 + rng.int(knownIds + 5));
    } else if (kind < 85) {
      method = 'POST';
      path = '/orders';
      body = encodeBody(rng, orderBody(rng, knownIds));
    } else if (kind < 90) {
      path = '/health';
    } else if (kind < 95) {
      path = rng.pick(['/admin', '/users/abc', '/orders/5/items', '/', '/users/12/']);
    } else {
      method = rng.pick(['PATCH', 'DELETE', 'GET']);
      path = rng.pick(['/users', '/orders', '/health']);
      if (method === 'GET' && path !== '/orders') path = '/orders';
    }
    reqs.push({ method, path, headers, body });
  }
  return reqs;
}

// -------------------------------------------------------------------- run

let requests = null;

function setup(n) {
  requests = makeRequests(n);
}

function run(n) {
  if (requests === null || requests.length !== n) setup(n);
  const state = newState();
  const statusCounts = {};
  const routeCounts = {};
  let bytes = 0;
  let hash = 0;
  const samples = [];
  for (const req of requests) {
    const res = handle(state, req);
    statusCounts['s' + res.status] = (statusCounts['s' + res.status] || 0) + 1;
    routeCounts[res.route] = (routeCounts[res.route] || 0) + 1;
    bytes += res.head.length + res.body.length;
    const b = res.body;
    for (let i = 0; i < b.length; i += 11) hash = (hash * 131 + b.charCodeAt(i)) % 1000000007;
    if (samples.length < 6 && res.status !== 200) samples.push(res.head + res.body);
  }
  return {
    statusCounts, routeCounts, bytes, hash,
    users: state.users.size, orders: state.nextOrderId - 1, revenue: state.revenue, samples,
  };
}

function checkConsistency(result, n) {
  let total = 0;
  for (const c of Object.values(result.statusCounts)) total += c;
  let routed = 0;
  for (const c of Object.values(result.routeCounts)) routed += c;
  if (total !== n || routed !== n) return false;
  // Unit checks of the pipeline on hand-written requests.
  const st = newState();
  const h = { 'x-request-id': 't', authorization: 'Bearer tok-alpha' };
  const call = (method, path, body) => handle(st, { method, path, headers: h, body: body || '' });
  const created = call('POST', '/users', '{"name":"Zed Q","email":"zed@q.io","age":30,"tags":["x"]}');
  if (created.status !== 201 || JSON.parse(created.body).data.id !== SEED_USERS + 1) return false;
  if (call('POST', '/users', '{"name":"Zed Q","email":"zed@q.io","age":30}').status !== 409) return false;
  if (call('POST', '/users', '{"name":"Zed","email":"bad","age":30}').status !== 422) return false;
  if (call('POST', '/users', '{"name":"Zed"').status !== 400) return false;
  if (call('GET', '/nope').status !== 404 || call('PATCH', '/users').status !== 405) return false;
  const anon = { method: 'DELETE', path: '/users/3', headers: { 'x-request-id': 'u' }, body: '' };
  if (handle(st, anon).status !== 401) return false;
  if (call('DELETE', '/users/3').status !== 204 || call('GET', '/users/3').status !== 404) return false;
  const order = call('POST', '/orders',
    '{"userId":1,"items":[{"sku":"ABC-0001","qty":2,"priceCents":1500}],"coupon":"SAVE10"}');
  const od = JSON.parse(order.body).data;
  if (order.status !== 201 || od.subtotal !== 3000 || od.discount !== 300 || od.shipping !== 599 ||
    od.tax !== 216 || od.total !== 3515) return false;
  const list = JSON.parse(call('GET', '/users?limit=2&offset=1&q=user+1').body).data;
  if (list.total !== 11 || list.items.length !== 2 || list.items[0].id !== 10) return false;
  return result.hash >= 0 && result.samples.length === 6;
}

// Fingerprints of the results at the standard sizes (common/result_fingerprint.js), the same in
// the Python version.
const FINGERPRINTS = { 500: '244061563:1774', 6000: '143514881:1795' };

function verify(result, n) {
  return matchesRecorded(result, n, FINGERPRINTS) && checkConsistency(result, n);
}

const sizes = { quick: 500, default: 6000 };

module.exports = { run, setup, verify, sizes };
