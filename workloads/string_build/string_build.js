'use strict';
// String building: render n generated records through a small {{field}}
// template engine into HTML (with escaping), build a CSV by repeated
// concatenation, and a fixed-width text report with padding. Returns
// lengths, sampled hashes and snippets of the outputs.

const { matchesRecorded } = require('../common/result_fingerprint.js');  // shared by the suite's workloads
const { Rng } = require('../common/rng.js');

const FIRST = ['Ada', 'Brook', 'Cyrus', 'Dana', 'Elio', 'Fern', 'Gale', 'Hugo', 'Iris', 'Jonah',
  'Kira', 'Lev', 'Mona', 'Nico', 'Opal', 'Pia'];
const LAST = ['Abbott', 'Barrow', 'Castell', 'Dunmore', 'Everly', 'Fairley', 'Grimsby',
  'Holloway', 'Ingram', 'Jarvis', 'Kendrick', 'Lockhart'];
const CITIES = ['Lisbon', 'Oslo', 'Quito', 'Hanoi', 'Perth', 'Accra', 'Lima', 'Riga', 'Cusco', 'Dakar'];
const TAGS = ['new', 'sale', 'gift', 'bulk', 'rush', 'eco', 'vip'];
const NOTES = ['', '', 'fragile', 'leave at door', 'call "first"', 'R&D dept', 'size < 2m', 'a > b & c'];

function makeRecords(n) {
  const rng = new Rng(42);
  const records = [];
  for (let i = 0; i < n; i++) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const city = rng.pick(CITIES);
    const qty = 1 + rng.int(40);
    const cents = 99 + rng.int(250000);
    const tags = [];
    const tagCount = rng.int(4);
    for (let t = 0; t < tagCount; t++) tags.push(rng.pick(TAGS));
    const note = rng.pick(NOTES);
    records.push({ id: 1000 + i, first, last, city, qty, cents, tags, note });
  }
  return records;
}

// ---------------------------------------------------------------- template

const ROW_TEMPLATE =
  '<tr class="{{cls}}" id="row-{{id}}">' +
  '<td class="name">{{name}}</td><td>{{city}}</td><td class="num">{{qty}}</td>' +
  '<td class="num">{{total}}</td><td>{{tags}}</td><td>{{note}}</td>' +
  '<td><a href="/customers/{{slug}}">{{name}}</a></td></tr>\n';

// Split a template into alternating literal text and field names.
function compileTemplate(template) {
  const parts = [];
  let pos = 0;
  for (;;) {
    const open = template.indexOf('{{', pos);
    if (open < 0) {
      parts.push({ literal: template.slice(pos), field: null });
      return parts;
    }
    const close = template.indexOf('}}', open + 2);
    parts.push({ literal: template.slice(pos, open), field: template.slice(open + 2, close).trim() });
    pos = close + 2;
  }
}

function render(parts, values) {
  const out = [];
  for (const p of parts) {
    out.push(p.literal);
    if (p.field !== null) out.push(values[p.field]);
  }
  return out.join('');
}

function escapeHtml(s) {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function formatMoney(cents) {
  const digits = String(Math.floor(cents / 100));
  let grouped = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) grouped += ',';
    grouped += digits[i];
  }
  return '$' + grouped + '.' + String(cents % 100).padStart(2, '0');
}

function slugify(s) {
  return s.toLowerCase().split(' ').join('-');
}

function csvField(s) {
  if (s.includes(',') || s.includes('"')) return '"' + s.replaceAll('"', '""') + '"';
  return s;
}

function sampleHash(s) {
  let h = 0;
  for (let i = 0; i < s.length; i += 7) h = (h * 131 + s.charCodeAt(i)) % 1000000007;
  return h;
}

// ------------------------------------------------------------------- run

let records = null;

function setup(n) {
  records = makeRecords(n);
}

function run(n) {
  if (records === null || records.length !== n) setup(n);
  const parts = compileTemplate(ROW_TEMPLATE);

  // 1. HTML table through the template engine.
  const rows = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const name = r.first + ' ' + r.last;
    rows.push(render(parts, {
      cls: i % 2 === 0 ? 'even' : 'odd',
      id: String(r.id),
      name: escapeHtml(name),
      city: escapeHtml(r.city),
      qty: String(r.qty),
      total: formatMoney(r.qty * r.cents),
      tags: escapeHtml(r.tags.join(', ')),
      note: escapeHtml(r.note),
      slug: slugify(name) + '-' + r.id,
    }));
  }
  const html = '<table>\n' + rows.join('') + '</table>\n';

  // 2. CSV by repeated concatenation.
  let csv = 'id,name,city,qty,total,tags,note\n';
  for (const r of records) {
    let line = String(r.id);
    line += ',' + csvField(r.first + ' ' + r.last);
    line += ',' + r.city;
    line += ',' + r.qty;
    line += ',' + csvField(formatMoney(r.qty * r.cents));
    line += ',' + csvField(r.tags.join(';'));
    line += ',' + csvField(r.note);
    csv += line + '\n';
  }

  // 3. Fixed-width report.
  const lines = [];
  let grand = 0;
  for (const r of records) {
    const total = r.qty * r.cents;
    grand += total;
    let name = r.last.toUpperCase() + ', ' + r.first;
    if (name.length > 18) name = name.slice(0, 17) + '~';
    lines.push(String(r.id).padStart(6, '0') + '  ' + name.padEnd(18, ' ') + ' ' +
      r.city.toUpperCase().padEnd(8, '.') + formatMoney(total).padStart(16, ' '));
  }
  lines.push('-'.repeat(50));
  lines.push('TOTAL'.padEnd(34, ' ') + formatMoney(grand).padStart(16, ' '));
  const report = lines.join('\n');

  return {
    html: { length: html.length, hash: sampleHash(html), head: html.slice(0, 120), tail: html.slice(-60) },
    csv: { length: csv.length, hash: sampleHash(csv), head: csv.slice(0, 80), tail: csv.slice(-60) },
    report: { length: report.length, hash: sampleHash(report), lines: lines.length, tail: report.slice(-50) },
    grandTotal: grand,
  };
}

function checkConsistency(result, n) {
  const recs = records !== null && records.length === n ? records : makeRecords(n);
  let grand = 0;
  for (const r of recs) grand += r.qty * r.cents;
  return result.grandTotal === grand &&
    result.report.lines === n + 2 &&
    result.report.tail === 'TOTAL'.padEnd(34, ' ') + formatMoney(grand).padStart(16, ' ') &&
    result.html.head.startsWith('<table>\n<tr class="even" id="row-1000">') &&
    result.html.tail.endsWith('</a></td></tr>\n</table>\n') &&
    result.csv.head.startsWith('id,name,city,qty,total,tags,note\n1000,') &&
    formatMoney(123456789) === '$1,234,567.89' && formatMoney(5) === '$0.05' &&
    escapeHtml('a<b & "c">') === 'a&lt;b &amp; &quot;c&quot;&gt;';
}

// Fingerprints of the results at the standard sizes (common/result_fingerprint.js), the same in
// the Python version.
const FINGERPRINTS = { 1000: '723683493:600', 10000: '40808216:608' };

function verify(result, n) {
  return matchesRecorded(result, n, FINGERPRINTS) && checkConsistency(result, n);
}

const sizes = { quick: 1000, default: 10000 };

module.exports = { run, setup, verify, sizes };
