"""Async tasks: many small awaited tasks with no timers or I/O, only
coroutine / future resolution on the running asyncio event loop:
  1. fan-out: n short async call chains awaited in batches with gather;
  2. pipeline: producer -> worker pool -> consumer over bounded async
     channels, so tasks really suspend and resume each other;
  3. a recursive async fan-out tree.
All results are order-independent aggregates."""

import asyncio
from collections import deque

BATCH = 100
WORKERS = 4
CAPACITY = 8
MOD = 1000003


async def mix(x):
    return (x * 31 + 7) % MOD


async def lookup(id):
    a = await mix(id)
    b = await mix(a + id)
    return {"id": id, "value": b}


async def process_item(id):
    rec = await lookup(id)
    scaled = await mix(rec["value"] * 3)
    return scaled ^ (rec["id"] & 255)


async def fan_out(n):
    total = 0
    count = 0
    for start in range(0, n, BATCH):
        results = await asyncio.gather(*(process_item(i) for i in range(start, min(start + BATCH, n))))
        for v in results:
            total += v
            count += 1
    return {"count": count, "sum": total}


class Channel:
    """A bounded FIFO channel; put() waits while full, get() waits while empty."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.items = deque()
        self.getters = deque()
        self.putters = deque()
        self.loop = asyncio.get_running_loop()

    @staticmethod
    def _wake(waiters):
        if waiters:
            fut = waiters.popleft()
            if not fut.done():
                fut.set_result(None)

    async def put(self, item):
        while len(self.items) >= self.capacity:
            fut = self.loop.create_future()
            self.putters.append(fut)
            await fut
        self.items.append(item)
        self._wake(self.getters)

    async def get(self):
        while not self.items:
            fut = self.loop.create_future()
            self.getters.append(fut)
            await fut
        item = self.items.popleft()
        self._wake(self.putters)
        return item


async def producer(inbox, count):
    for i in range(count):
        await inbox.put(i)
    for _ in range(WORKERS):
        await inbox.put(None)


async def worker(inbox, outbox):
    handled = 0
    while True:
        item = await inbox.get()
        if item is None:
            break
        await outbox.put(await process_item(item))
        handled += 1
    await outbox.put(None)
    return handled


async def consumer(outbox):
    finished = 0
    count = 0
    total = 0
    while finished < WORKERS:
        v = await outbox.get()
        if v is None:
            finished += 1
        else:
            count += 1
            total += v
    return {"count": count, "sum": total}


async def pipeline(count):
    inbox = Channel(CAPACITY)
    outbox = Channel(CAPACITY)
    workers = [worker(inbox, outbox) for _ in range(WORKERS)]
    _, totals, handled = await asyncio.gather(
        producer(inbox, count),
        consumer(outbox),
        asyncio.gather(*workers),
    )
    return {"count": totals["count"], "sum": totals["sum"], "handled": sum(handled)}


async def tree(depth):
    if depth == 0:
        return 1
    a, b = await asyncio.gather(tree(depth - 1), tree(depth - 1))
    return a + b + 1


def tree_depth(n):
    depth = 0
    while 2 ** (depth + 3) <= n:
        depth += 1
    return depth


async def run(n):
    fan = await fan_out(n)
    pipe = await pipeline(n // 2)
    nodes = await tree(tree_depth(n))
    return {"fanOut": fan, "pipeline": pipe, "treeNodes": nodes}


def expected_item(id):
    """Synchronous reference for process_item."""
    def mix_sync(x):
        return (x * 31 + 7) % MOD
    return mix_sync(mix_sync(mix_sync(id) + id) * 3) ^ (id & 255)


def verify(result, n):
    fan_sum = sum(expected_item(i) for i in range(n))
    half = n // 2
    pipe_sum = sum(expected_item(i) for i in range(half))
    return (result["fanOut"]["count"] == n and result["fanOut"]["sum"] == fan_sum
            and result["pipeline"]["count"] == half and result["pipeline"]["handled"] == half
            and result["pipeline"]["sum"] == pipe_sum
            and result["treeNodes"] == 2 ** (tree_depth(n) + 1) - 1)


SIZES = {"quick": 1000, "default": 10000}
