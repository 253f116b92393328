"""The py->js column of `polyhost overhead`: the pure-JavaScript functions of bench.js, called
from Python through polyhost's bridge (host/bridge). Each attribute is a live proxy of the
JavaScript function; the loops in bench.py bind it to a local, as for every other binding.

Arguments cross as the bridge makes them cross: numbers and strings by value, the list of floats
as a live proxy (JavaScript reads its items through the proxy), and the array('d') as a zero-copy
Float64Array over its memory (polyhost.view), which is how the bridge passes a buffer.
"""
import os

import polyhost


class BridgeBinding:
    def __init__(self, typed):
        bench = polyhost.require(os.path.join(os.path.dirname(os.path.abspath(__file__)), "overhead", "bench.js"))
        pure = bench.PURE
        for name in ("noop", "add_i32", "add_f64", "str_len", "str_repeat", "sum_f64", "sum_f64_typed",
                     "make_point", "call_back"):
            setattr(self, name, getattr(pure, name))
        self.TYPED = polyhost.view(typed)  # the loops pass this instead of the array('d') itself

    @staticmethod
    def plain(value):
        """A JavaScript result as Python values, for the checks of the results (not timed)."""
        return polyhost.copy(value)
