'use strict';
// Richards: simulation of a small operating-system kernel scheduling six
// tasks (idle, worker, two handlers, two devices) that exchange packets.
// One "simulation" runs until the idle task has been scheduled IDLE_COUNT
// times; run(n) performs n independent simulations.

const IDLE_COUNT = 1000;
const EXPECTED_QUEUED = 2322;
const EXPECTED_HELD = 928;

const TASK_IDLE = 0;
const TASK_WORKER = 1;
const TASK_HANDLER_A = 2;
const TASK_HANDLER_B = 3;
const TASK_DEVICE_A = 4;
const TASK_DEVICE_B = 5;
const TASK_COUNT = 6;

const PACKET_DEVICE = 0;
const PACKET_WORK = 1;
const PAYLOAD_LEN = 4;

// Task state bits.
const HAS_PACKET = 1;
const WAITING = 2;
const HELD = 4;
const RUNNING = 0;
const READY = HAS_PACKET;
const SUSPENDED = WAITING;
const WAITING_WITH_PACKET = WAITING | HAS_PACKET;

class Packet {
  constructor(next, owner, kind) {
    this.next = next;
    this.owner = owner;
    this.kind = kind;
    this.index = 0;
    this.payload = new Array(PAYLOAD_LEN).fill(0);
  }

  // Append this packet to the end of queue `head`; return the new head.
  appendTo(head) {
    this.next = null;
    if (head === null) return this;
    let p = head;
    while (p.next !== null) p = p.next;
    p.next = this;
    return head;
  }
}

class ControlBlock {
  constructor(next, id, priority, inbox, behaviour) {
    this.next = next;
    this.id = id;
    this.priority = priority;
    this.inbox = inbox;
    this.behaviour = behaviour;
    this.state = inbox === null ? SUSPENDED : WAITING_WITH_PACKET;
  }

  isBlocked() {
    return (this.state & HELD) !== 0 || this.state === SUSPENDED;
  }

  hold() { this.state |= HELD; }
  unhold() { this.state &= ~HELD; }
  suspend() { this.state |= WAITING; }
  makeReady() { this.state |= HAS_PACKET; }

  step() {
    let packet = null;
    if (this.state === WAITING_WITH_PACKET) {
      packet = this.inbox;
      this.inbox = packet.next;
      this.state = this.inbox === null ? RUNNING : READY;
    }
    return this.behaviour.step(packet);
  }

  // Deliver `packet` to this task; return the block that should run next.
  deliver(sender, packet) {
    if (this.inbox === null) {
      this.inbox = packet;
      this.makeReady();
      if (this.priority > sender.priority) return this;
    } else {
      this.inbox = packet.appendTo(this.inbox);
    }
    return sender;
  }
}

class Kernel {
  constructor() {
    this.blocks = new Array(TASK_COUNT).fill(null);
    this.chain = null;
    this.current = null;
    this.currentId = 0;
    this.queued = 0;
    this.held = 0;
  }

  spawn(id, priority, inbox, behaviour) {
    this.current = new ControlBlock(this.chain, id, priority, inbox, behaviour);
    this.chain = this.current;
    this.blocks[id] = this.current;
  }

  schedule() {
    this.current = this.chain;
    while (this.current !== null) {
      if (this.current.isBlocked()) {
        this.current = this.current.next;
      } else {
        this.currentId = this.current.id;
        this.current = this.current.step();
      }
    }
  }

  holdSelf() {
    this.held++;
    this.current.hold();
    return this.current.next;
  }

  waitSelf() {
    this.current.suspend();
    return this.current;
  }

  wake(id) {
    const target = this.blocks[id];
    if (target === null) return target;
    target.unhold();
    return target.priority > this.current.priority ? target : this.current;
  }

  send(packet) {
    const target = this.blocks[packet.owner];
    if (target === null) return target;
    this.queued++;
    packet.next = null;
    packet.owner = this.currentId;
    return target.deliver(this.current, packet);
  }
}

class IdleBehaviour {
  constructor(kernel, count) {
    this.kernel = kernel;
    this.bits = 1;
    this.remaining = count;
  }

  step(packet) {
    this.remaining--;
    if (this.remaining === 0) return this.kernel.holdSelf();
    if ((this.bits & 1) === 0) {
      this.bits >>= 1;
      return this.kernel.wake(TASK_DEVICE_A);
    }
    this.bits = (this.bits >> 1) ^ 0xD008;
    return this.kernel.wake(TASK_DEVICE_B);
  }
}

class WorkerBehaviour {
  constructor(kernel) {
    this.kernel = kernel;
    this.target = TASK_HANDLER_A;
    this.letter = 0;
  }

  step(packet) {
    if (packet === null) return this.kernel.waitSelf();
    this.target = this.target === TASK_HANDLER_A ? TASK_HANDLER_B : TASK_HANDLER_A;
    packet.owner = this.target;
    packet.index = 0;
    for (let i = 0; i < PAYLOAD_LEN; i++) {
      this.letter++;
      if (this.letter > 26) this.letter = 1;
      packet.payload[i] = this.letter;
    }
    return this.kernel.send(packet);
  }
}

class HandlerBehaviour {
  constructor(kernel) {
    this.kernel = kernel;
    this.work = null;
    this.devices = null;
  }

  step(packet) {
    if (packet !== null) {
      if (packet.kind === PACKET_WORK) this.work = packet.appendTo(this.work);
      else this.devices = packet.appendTo(this.devices);
    }
    if (this.work !== null) {
      const w = this.work;
      const i = w.index;
      if (i < PAYLOAD_LEN) {
        if (this.devices !== null) {
          const d = this.devices;
          this.devices = d.next;
          d.index = w.payload[i];
          w.index = i + 1;
          return this.kernel.send(d);
        }
      } else {
        this.work = w.next;
        return this.kernel.send(w);
      }
    }
    return this.kernel.waitSelf();
  }
}

class DeviceBehaviour {
  constructor(kernel) {
    this.kernel = kernel;
    this.pending = null;
  }

  step(packet) {
    if (packet === null) {
      if (this.pending === null) return this.kernel.waitSelf();
      const p = this.pending;
      this.pending = null;
      return this.kernel.send(p);
    }
    this.pending = packet;
    return this.kernel.holdSelf();
  }
}

function simulate() {
  const k = new Kernel();
  k.spawn(TASK_IDLE, 0, null, new IdleBehaviour(k, IDLE_COUNT));
  k.current.state = RUNNING;

  let q = new Packet(null, TASK_WORKER, PACKET_WORK);
  q = new Packet(q, TASK_WORKER, PACKET_WORK);
  k.spawn(TASK_WORKER, 1000, q, new WorkerBehaviour(k));

  q = new Packet(null, TASK_DEVICE_A, PACKET_DEVICE);
  q = new Packet(q, TASK_DEVICE_A, PACKET_DEVICE);
  q = new Packet(q, TASK_DEVICE_A, PACKET_DEVICE);
  k.spawn(TASK_HANDLER_A, 2000, q, new HandlerBehaviour(k));

  q = new Packet(null, TASK_DEVICE_B, PACKET_DEVICE);
  q = new Packet(q, TASK_DEVICE_B, PACKET_DEVICE);
  q = new Packet(q, TASK_DEVICE_B, PACKET_DEVICE);
  k.spawn(TASK_HANDLER_B, 3000, q, new HandlerBehaviour(k));

  k.spawn(TASK_DEVICE_A, 4000, null, new DeviceBehaviour(k));
  k.spawn(TASK_DEVICE_B, 5000, null, new DeviceBehaviour(k));

  k.schedule();
  return [k.queued, k.held];
}

function run(n) {
  let queued = 0;
  let held = 0;
  for (let i = 0; i < n; i++) {
    const [q, h] = simulate();
    queued += q;
    held += h;
  }
  return { simulations: n, queued, held };
}

function verify(result, n) {
  return result.simulations === n &&
    result.queued === EXPECTED_QUEUED * n &&
    result.held === EXPECTED_HELD * n;
}

const sizes = { quick: 1, default: 20 };

module.exports = { run, verify, sizes };
