'use strict';
// Dict aggregate: group n generated sales records by "region/category" and
// by product, computing counts, sums, min/max and distinct-value counts with
// hash maps and sets, then rank the top products.

const { matchesRecorded } = require('../common/result_fingerprint.js');  // shared by the suite's workloads
const { Rng } = require('../common/rng.js');

const REGIONS = ['north', 'south', 'east', 'west', 'central', 'islands'];
const CATEGORIES = ['tools', 'garden', 'kitchen', 'toys', 'books', 'audio', 'sports', 'office'];
const CUSTOMERS = 5000;
const PRODUCTS = 600;

function makeRecords(n) {
  const rng = new Rng(42);
  const records = [];
  for (let i = 0; i < n; i++) {
    const category = rng.pick(CATEGORIES);
    records.push({
      region: rng.pick(REGIONS),
      category,
      product: category + '-' + rng.int(PRODUCTS / CATEGORIES.length),
      customer: 'c' + rng.int(CUSTOMERS),
      qty: 1 + rng.int(20),
      cents: 50 + rng.int(20000),
      day: rng.int(365),
    });
  }
  return records;
}

let records = null;

function setup(n) {
  records = makeRecords(n);
}

function run(n) {
  if (records === null || records.length !== n) setup(n);

  // Group by region/category.
  const groups = new Map();
  for (const r of records) {
    const key = r.region + '/' + r.category;
    let g = groups.get(key);
    if (g === undefined) {
      g = { count: 0, qty: 0, revenue: 0, minCents: Infinity, maxCents: 0,
        customers: new Set(), weekdays: [0, 0, 0, 0, 0, 0, 0] };
      groups.set(key, g);
    }
    g.count++;
    g.qty += r.qty;
    g.revenue += r.qty * r.cents;
    if (r.cents < g.minCents) g.minCents = r.cents;
    if (r.cents > g.maxCents) g.maxCents = r.cents;
    g.customers.add(r.customer);
    g.weekdays[r.day % 7]++;
  }

  // Revenue and buyers per product.
  const products = new Map();
  for (const r of records) {
    const p = products.get(r.product);
    if (p === undefined) {
      products.set(r.product, { revenue: r.qty * r.cents, buyers: new Set([r.customer]) });
    } else {
      p.revenue += r.qty * r.cents;
      p.buyers.add(r.customer);
    }
  }

  // Orders per customer, then a histogram of order counts.
  const perCustomer = new Map();
  for (const r of records) perCustomer.set(r.customer, (perCustomer.get(r.customer) || 0) + 1);
  const histogram = {};
  for (const c of perCustomer.values()) {
    const bucket = 'n' + c;
    histogram[bucket] = (histogram[bucket] || 0) + 1;
  }

  const summary = {};
  for (const [key, g] of groups) {
    let busiest = 0;
    for (let d = 1; d < 7; d++) if (g.weekdays[d] > g.weekdays[busiest]) busiest = d;
    summary[key] = [g.count, g.qty, g.revenue, g.minCents, g.maxCents, g.customers.size, busiest];
  }
  const ranked = [...products.entries()]
    .map(([name, p]) => [name, p.revenue, p.buyers.size])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

  return {
    groups: summary,
    groupCount: groups.size,
    productCount: products.size,
    customerCount: perCustomer.size,
    top: ranked.slice(0, 5),
    bottom: ranked.slice(-3),
    histogram,
  };
}

function checkConsistency(result, n) {
  const recs = records !== null && records.length === n ? records : makeRecords(n);
  let count = 0, qty = 0, revenue = 0;
  for (const r of recs) {
    qty += r.qty;
    revenue += r.qty * r.cents;
  }
  let gQty = 0, gRevenue = 0;
  for (const g of Object.values(result.groups)) {
    count += g[0];
    gQty += g[1];
    gRevenue += g[2];
    if (g[3] > g[4] || g[5] > g[0]) return false;
  }
  let customers = 0, orders = 0;
  for (const [bucket, c] of Object.entries(result.histogram)) {
    customers += c;
    orders += c * Number(bucket.slice(1));
  }
  return count === n && gQty === qty && gRevenue === revenue && orders === n &&
    customers === result.customerCount && result.groupCount === REGIONS.length * CATEGORIES.length &&
    result.top[0][1] >= result.top[1][1];
}

// Fingerprints of the results at the standard sizes (common/result_fingerprint.js), the same in
// the Python version.
const FINGERPRINTS = { 10000: '115877427:2793', 80000: '986275299:3141' };

function verify(result, n) {
  return matchesRecorded(result, n, FINGERPRINTS) && checkConsistency(result, n);
}

const sizes = { quick: 10000, default: 80000 };

module.exports = { run, setup, verify, sizes };
