'use strict';
// DeltaBlue: an incremental one-way dataflow constraint solver
// (Freeman-Benson, Maloney & Borning). Constraints have strengths; the
// planner keeps a "walkabout strength" per variable, resolves conflicts by
// retracting weaker constraints and extracts execution plans for inputs.
// run(n) performs the chain test and the projection test with n variables.

class Strength {
  constructor(level, name) {
    this.level = level;
    this.name = name;
  }
  static stronger(a, b) { return a.level < b.level; }
  static weaker(a, b) { return a.level > b.level; }
  static weakest(a, b) { return Strength.weaker(a, b) ? a : b; }
  nextWeaker() { return STRENGTHS[this.level + 1]; }
}

const STRENGTHS = [
  new Strength(0, 'required'),
  new Strength(1, 'strongPreferred'),
  new Strength(2, 'preferred'),
  new Strength(3, 'strongDefault'),
  new Strength(4, 'normal'),
  new Strength(5, 'weakDefault'),
  new Strength(6, 'weakest'),
];
const REQUIRED = STRENGTHS[0];
const PREFERRED = STRENGTHS[2];
const STRONG_DEFAULT = STRENGTHS[3];
const NORMAL = STRENGTHS[4];
const WEAKEST = STRENGTHS[6];

const NONE = 0;
const FORWARD = 1;
const BACKWARD = 2;

class Variable {
  constructor(name, value) {
    this.name = name;
    this.value = value;
    this.constraints = [];
    this.determinedBy = null;
    this.mark = 0;
    this.walkStrength = WEAKEST;
    this.stay = true;
  }
  addConstraint(c) { this.constraints.push(c); }
  removeConstraint(c) {
    const i = this.constraints.indexOf(c);
    if (i >= 0) this.constraints.splice(i, 1);
    if (this.determinedBy === c) this.determinedBy = null;
  }
}

class Constraint {
  constructor(planner, strength) {
    this.planner = planner;
    this.strength = strength;
  }

  // Add to the graph and try to satisfy it incrementally.
  install() {
    this.addToGraph();
    this.planner.incrementalAdd(this);
  }

  // Try to satisfy this constraint at `mark`; return the constraint that
  // lost its output as a result (or null).
  satisfy(mark) {
    this.chooseMethod(mark);
    if (!this.isSatisfied()) {
      if (this.strength === REQUIRED) throw new Error('could not satisfy a required constraint');
      return null;
    }
    this.markInputs(mark);
    const out = this.output();
    const overridden = out.determinedBy;
    if (overridden !== null) overridden.markUnsatisfied();
    out.determinedBy = this;
    if (!this.planner.addPropagate(this, mark)) throw new Error('cycle encountered');
    out.mark = mark;
    return overridden;
  }

  destroy() {
    if (this.isSatisfied()) this.planner.incrementalRemove(this);
    else this.removeFromGraph();
  }

  isInput() { return false; }
}

class UnaryConstraint extends Constraint {
  constructor(planner, v, strength) {
    super(planner, strength);
    this.myOutput = v;
    this.satisfied = false;
    this.install();
  }
  addToGraph() {
    this.myOutput.addConstraint(this);
    this.satisfied = false;
  }
  chooseMethod(mark) {
    this.satisfied = this.myOutput.mark !== mark &&
      Strength.stronger(this.strength, this.myOutput.walkStrength);
  }
  isSatisfied() { return this.satisfied; }
  markInputs(mark) {}
  output() { return this.myOutput; }
  recalculate() {
    this.myOutput.walkStrength = this.strength;
    this.myOutput.stay = !this.isInput();
    if (this.myOutput.stay) this.execute();
  }
  markUnsatisfied() { this.satisfied = false; }
  inputsKnown(mark) { return true; }
  removeFromGraph() {
    if (this.myOutput !== null) this.myOutput.removeConstraint(this);
    this.satisfied = false;
  }
}

// Keeps a variable's value fixed during plan execution.
class StayConstraint extends UnaryConstraint {
  execute() {}
}

// Marks a variable as changed by the outside world.
class EditConstraint extends UnaryConstraint {
  isInput() { return true; }
  execute() {}
}

class BinaryConstraint extends Constraint {
  constructor(planner, a, b, strength) {
    super(planner, strength);
    this.v1 = a;
    this.v2 = b;
    this.direction = NONE;
  }
  chooseMethod(mark) {
    const v1 = this.v1;
    const v2 = this.v2;
    if (v1.mark === mark) {
      this.direction = v2.mark !== mark && Strength.stronger(this.strength, v2.walkStrength)
        ? FORWARD : NONE;
      return;
    }
    if (v2.mark === mark) {
      this.direction = v1.mark !== mark && Strength.stronger(this.strength, v1.walkStrength)
        ? BACKWARD : NONE;
      return;
    }
    if (Strength.weaker(v1.walkStrength, v2.walkStrength)) {
      this.direction = Strength.stronger(this.strength, v1.walkStrength) ? BACKWARD : NONE;
    } else {
      this.direction = Strength.stronger(this.strength, v2.walkStrength) ? FORWARD : BACKWARD;
    }
  }
  addToGraph() {
    this.v1.addConstraint(this);
    this.v2.addConstraint(this);
    this.direction = NONE;
  }
  isSatisfied() { return this.direction !== NONE; }
  markInputs(mark) { this.input().mark = mark; }
  input() { return this.direction === FORWARD ? this.v1 : this.v2; }
  output() { return this.direction === FORWARD ? this.v2 : this.v1; }
  recalculate() {
    const ihn = this.input();
    const out = this.output();
    out.walkStrength = Strength.weakest(this.strength, ihn.walkStrength);
    out.stay = ihn.stay;
    if (out.stay) this.execute();
  }
  markUnsatisfied() { this.direction = NONE; }
  inputsKnown(mark) {
    const i = this.input();
    return i.mark === mark || i.stay || i.determinedBy === null;
  }
  removeFromGraph() {
    if (this.v1 !== null) this.v1.removeConstraint(this);
    if (this.v2 !== null) this.v2.removeConstraint(this);
    this.direction = NONE;
  }
}

// a == b
class EqualityConstraint extends BinaryConstraint {
  constructor(planner, a, b, strength) {
    super(planner, a, b, strength);
    this.install();
  }
  execute() { this.output().value = this.input().value; }
}

// dest == src * scale + offset
class ScaleConstraint extends BinaryConstraint {
  constructor(planner, src, scale, offset, dest, strength) {
    super(planner, src, dest, strength);
    this.scale = scale;
    this.offset = offset;
    this.install();
  }
  addToGraph() {
    super.addToGraph();
    this.scale.addConstraint(this);
    this.offset.addConstraint(this);
  }
  removeFromGraph() {
    super.removeFromGraph();
    if (this.scale !== null) this.scale.removeConstraint(this);
    if (this.offset !== null) this.offset.removeConstraint(this);
  }
  markInputs(mark) {
    super.markInputs(mark);
    this.scale.mark = mark;
    this.offset.mark = mark;
  }
  execute() {
    if (this.direction === FORWARD) {
      this.v2.value = this.v1.value * this.scale.value + this.offset.value;
    } else {
      this.v1.value = (this.v2.value - this.offset.value) / this.scale.value;
    }
  }
  recalculate() {
    const ihn = this.input();
    const out = this.output();
    out.walkStrength = Strength.weakest(this.strength, ihn.walkStrength);
    out.stay = ihn.stay && this.scale.stay && this.offset.stay;
    if (out.stay) this.execute();
  }
}

class Plan {
  constructor() { this.steps = []; }
  add(c) { this.steps.push(c); }
  size() { return this.steps.length; }
  execute() {
    const steps = this.steps;
    for (let i = 0; i < steps.length; i++) steps[i].execute();
  }
}

class Planner {
  constructor() { this.currentMark = 0; }

  newMark() { return ++this.currentMark; }

  incrementalAdd(c) {
    const mark = this.newMark();
    let overridden = c.satisfy(mark);
    while (overridden !== null) overridden = overridden.satisfy(mark);
  }

  incrementalRemove(c) {
    const out = c.output();
    c.markUnsatisfied();
    c.removeFromGraph();
    const unsatisfied = this.removePropagateFrom(out);
    let strength = REQUIRED;
    do {
      for (const u of unsatisfied) {
        if (u.strength === strength) this.incrementalAdd(u);
      }
      strength = strength.nextWeaker();
    } while (strength !== WEAKEST);
  }

  // Build a plan executing the constraints downstream of `sources` in order.
  makePlan(sources) {
    const mark = this.newMark();
    const plan = new Plan();
    const todo = sources;
    let head = 0;
    while (head < todo.length) {
      const c = todo[head++];
      const out = c.output();
      if (out.mark !== mark && c.inputsKnown(mark)) {
        plan.add(c);
        out.mark = mark;
        this.addConstraintsConsumingTo(out, todo);
      }
    }
    return plan;
  }

  extractPlanFromConstraints(constraints) {
    const sources = [];
    for (const c of constraints) {
      if (c.isInput() && c.isSatisfied()) sources.push(c);
    }
    return this.makePlan(sources);
  }

  // Recompute walkabout strengths downstream of c; false on a cycle.
  addPropagate(c, mark) {
    const todo = [c];
    let head = 0;
    while (head < todo.length) {
      const d = todo[head++];
      if (d.output().mark === mark) {
        this.incrementalRemove(c);
        return false;
      }
      d.recalculate();
      this.addConstraintsConsumingTo(d.output(), todo);
    }
    return true;
  }

  removePropagateFrom(out) {
    out.determinedBy = null;
    out.walkStrength = WEAKEST;
    out.stay = true;
    const unsatisfied = [];
    const todo = [out];
    let head = 0;
    while (head < todo.length) {
      const v = todo[head++];
      for (const c of v.constraints) {
        if (!c.isSatisfied()) unsatisfied.push(c);
      }
      const determining = v.determinedBy;
      for (const next of v.constraints) {
        if (next !== determining && next.isSatisfied()) {
          next.recalculate();
          todo.push(next.output());
        }
      }
    }
    return unsatisfied;
  }

  addConstraintsConsumingTo(v, coll) {
    const determining = v.determinedBy;
    for (const c of v.constraints) {
      if (c !== determining && c.isSatisfied()) coll.push(c);
    }
  }
}

// A chain of n equality constraints: editing the first variable must
// propagate to the last one.
function chainTest(n) {
  const planner = new Planner();
  let prev = null;
  let first = null;
  let last = null;
  for (let i = 0; i <= n; i++) {
    const v = new Variable('v' + i, 0);
    if (prev !== null) new EqualityConstraint(planner, prev, v, REQUIRED);
    if (i === 0) first = v;
    if (i === n) last = v;
    prev = v;
  }
  new StayConstraint(planner, last, STRONG_DEFAULT);
  const edit = new EditConstraint(planner, first, PREFERRED);
  const plan = planner.extractPlanFromConstraints([edit]);
  let mismatches = 0;
  let total = 0;
  for (let i = 0; i < 100; i++) {
    first.value = i;
    plan.execute();
    if (last.value !== i) mismatches++;
    total += last.value;
  }
  return { planSize: plan.size(), total, mismatches };
}

function change(planner, v, newValue) {
  const edit = new EditConstraint(planner, v, PREFERRED);
  const plan = planner.extractPlanFromConstraints([edit]);
  for (let i = 0; i < 10; i++) {
    v.value = newValue;
    plan.execute();
  }
  edit.destroy();
}

// n scale constraints sharing scale/offset variables; edits flow both ways.
function projectionTest(n) {
  const planner = new Planner();
  const scale = new Variable('scale', 10);
  const offset = new Variable('offset', 1000);
  let src = null;
  let dst = null;
  const dests = [];
  for (let i = 0; i < n; i++) {
    src = new Variable('src' + i, i);
    dst = new Variable('dst' + i, i);
    dests.push(dst);
    new StayConstraint(planner, src, NORMAL);
    new ScaleConstraint(planner, src, scale, offset, dst, REQUIRED);
  }
  change(planner, src, 17);
  const dstAfterSrc = dst.value;
  change(planner, dst, 1050);
  const srcAfterDst = src.value;
  change(planner, scale, 5);
  let sumScaled = 0;
  for (const d of dests) sumScaled += d.value;
  change(planner, offset, 2000);
  let sumOffset = 0;
  for (const d of dests) sumOffset += d.value;
  return { dstAfterSrc, srcAfterDst, sumScaled, sumOffset };
}

function run(n) {
  return { chain: chainTest(n), projection: projectionTest(n) };
}

function verify(result, n) {
  const c = result.chain;
  const p = result.projection;
  // After the projection edits the last source is 5, every other source i.
  const tri = n * (n - 1) / 2 - (n - 1) + 5;
  return c.planSize === n + 1 && c.total === 4950 && c.mismatches === 0 &&
    p.dstAfterSrc === 1170 && p.srcAfterDst === 5 &&
    p.sumScaled === 5 * tri + 1000 * n && p.sumOffset === 5 * tri + 2000 * n;
}

const sizes = { quick: 100, default: 2000 };

module.exports = { run, verify, sizes };
