"""Richards: simulation of a small operating-system kernel scheduling six
tasks (idle, worker, two handlers, two devices) that exchange packets.
One "simulation" runs until the idle task has been scheduled IDLE_COUNT
times; run(n) performs n independent simulations."""

IDLE_COUNT = 1000
EXPECTED_QUEUED = 2322
EXPECTED_HELD = 928

TASK_IDLE = 0
TASK_WORKER = 1
TASK_HANDLER_A = 2
TASK_HANDLER_B = 3
TASK_DEVICE_A = 4
TASK_DEVICE_B = 5
TASK_COUNT = 6

PACKET_DEVICE = 0
PACKET_WORK = 1
PAYLOAD_LEN = 4

# Task state bits.
HAS_PACKET = 1
WAITING = 2
HELD = 4
RUNNING = 0
READY = HAS_PACKET
SUSPENDED = WAITING
WAITING_WITH_PACKET = WAITING | HAS_PACKET


class Packet:
    __slots__ = ("next", "owner", "kind", "index", "payload")

    def __init__(self, next, owner, kind):
        self.next = next
        self.owner = owner
        self.kind = kind
        self.index = 0
        self.payload = [0] * PAYLOAD_LEN

    def append_to(self, head):
        """Append this packet to the end of queue `head`; return the new head."""
        self.next = None
        if head is None:
            return self
        p = head
        while p.next is not None:
            p = p.next
        p.next = self
        return head


class ControlBlock:
    __slots__ = ("next", "id", "priority", "inbox", "behaviour", "state")

    def __init__(self, next, id, priority, inbox, behaviour):
        self.next = next
        self.id = id
        self.priority = priority
        self.inbox = inbox
        self.behaviour = behaviour
        self.state = SUSPENDED if inbox is None else WAITING_WITH_PACKET

    def is_blocked(self):
        return (self.state & HELD) != 0 or self.state == SUSPENDED

    def hold(self):
        self.state |= HELD

    def unhold(self):
        self.state &= ~HELD

    def suspend(self):
        self.state |= WAITING

    def make_ready(self):
        self.state |= HAS_PACKET

    def step(self):
        packet = None
        if self.state == WAITING_WITH_PACKET:
            packet = self.inbox
            self.inbox = packet.next
            self.state = RUNNING if self.inbox is None else READY
        return self.behaviour.step(packet)

    def deliver(self, sender, packet):
        """Deliver `packet` to this task; return the block that should run next."""
        if self.inbox is None:
            self.inbox = packet
            self.make_ready()
            if self.priority > sender.priority:
                return self
        else:
            self.inbox = packet.append_to(self.inbox)
        return sender


class Kernel:
    def __init__(self):
        self.blocks = [None] * TASK_COUNT
        self.chain = None
        self.current = None
        self.current_id = 0
        self.queued = 0
        self.held = 0

    def spawn(self, id, priority, inbox, behaviour):
        self.current = ControlBlock(self.chain, id, priority, inbox, behaviour)
        self.chain = self.current
        self.blocks[id] = self.current

    def schedule(self):
        self.current = self.chain
        while self.current is not None:
            if self.current.is_blocked():
                self.current = self.current.next
            else:
                self.current_id = self.current.id
                self.current = self.current.step()

    def hold_self(self):
        self.held += 1
        self.current.hold()
        return self.current.next

    def wait_self(self):
        self.current.suspend()
        return self.current

    def wake(self, id):
        target = self.blocks[id]
        if target is None:
            return target
        target.unhold()
        return target if target.priority > self.current.priority else self.current

    def send(self, packet):
        target = self.blocks[packet.owner]
        if target is None:
            return target
        self.queued += 1
        packet.next = None
        packet.owner = self.current_id
        return target.deliver(self.current, packet)


class IdleBehaviour:
    def __init__(self, kernel, count):
        self.kernel = kernel
        self.bits = 1
        self.remaining = count

    def step(self, packet):
        self.remaining -= 1
        if self.remaining == 0:
            return self.kernel.hold_self()
        if (self.bits & 1) == 0:
            self.bits >>= 1
            return self.kernel.wake(TASK_DEVICE_A)
        self.bits = (self.bits >> 1) ^ 0xD008
        return self.kernel.wake(TASK_DEVICE_B)


class WorkerBehaviour:
    def __init__(self, kernel):
        self.kernel = kernel
        self.target = TASK_HANDLER_A
        self.letter = 0

    def step(self, packet):
        if packet is None:
            return self.kernel.wait_self()
        self.target = TASK_HANDLER_B if self.target == TASK_HANDLER_A else TASK_HANDLER_A
        packet.owner = self.target
        packet.index = 0
        payload = packet.payload
        for i in range(PAYLOAD_LEN):
            self.letter += 1
            if self.letter > 26:
                self.letter = 1
            payload[i] = self.letter
        return self.kernel.send(packet)


class HandlerBehaviour:
    def __init__(self, kernel):
        self.kernel = kernel
        self.work = None
        self.devices = None

    def step(self, packet):
        if packet is not None:
            if packet.kind == PACKET_WORK:
                self.work = packet.append_to(self.work)
            else:
                self.devices = packet.append_to(self.devices)
        if self.work is not None:
            w = self.work
            i = w.index
            if i < PAYLOAD_LEN:
                if self.devices is not None:
                    d = self.devices
                    self.devices = d.next
                    d.index = w.payload[i]
                    w.index = i + 1
                    return self.kernel.send(d)
            else:
                self.work = w.next
                return self.kernel.send(w)
        return self.kernel.wait_self()


class DeviceBehaviour:
    def __init__(self, kernel):
        self.kernel = kernel
        self.pending = None

    def step(self, packet):
        if packet is None:
            if self.pending is None:
                return self.kernel.wait_self()
            p = self.pending
            self.pending = None
            return self.kernel.send(p)
        self.pending = packet
        return self.kernel.hold_self()


def simulate():
    k = Kernel()
    k.spawn(TASK_IDLE, 0, None, IdleBehaviour(k, IDLE_COUNT))
    k.current.state = RUNNING

    q = Packet(None, TASK_WORKER, PACKET_WORK)
    q = Packet(q, TASK_WORKER, PACKET_WORK)
    k.spawn(TASK_WORKER, 1000, q, WorkerBehaviour(k))

    q = Packet(None, TASK_DEVICE_A, PACKET_DEVICE)
    q = Packet(q, TASK_DEVICE_A, PACKET_DEVICE)
    q = Packet(q, TASK_DEVICE_A, PACKET_DEVICE)
    k.spawn(TASK_HANDLER_A, 2000, q, HandlerBehaviour(k))

    q = Packet(None, TASK_DEVICE_B, PACKET_DEVICE)
    q = Packet(q, TASK_DEVICE_B, PACKET_DEVICE)
    q = Packet(q, TASK_DEVICE_B, PACKET_DEVICE)
    k.spawn(TASK_HANDLER_B, 3000, q, HandlerBehaviour(k))

    k.spawn(TASK_DEVICE_A, 4000, None, DeviceBehaviour(k))
    k.spawn(TASK_DEVICE_B, 5000, None, DeviceBehaviour(k))

    k.schedule()
    return k.queued, k.held


def run(n):
    queued = 0
    held = 0
    for _ in range(n):
        q, h = simulate()
        queued += q
        held += h
    return {"simulations": n, "queued": queued, "held": held}


def verify(result, n):
    return (result["simulations"] == n
            and result["queued"] == EXPECTED_QUEUED * n
            and result["held"] == EXPECTED_HELD * n)


SIZES = {"quick": 1, "default": 20}
