"""DeltaBlue: an incremental one-way dataflow constraint solver
(Freeman-Benson, Maloney & Borning). Constraints have strengths; the
planner keeps a "walkabout strength" per variable, resolves conflicts by
retracting weaker constraints and extracts execution plans for inputs.
run(n) performs the chain test and the projection test with n variables."""


class Strength:
    __slots__ = ("level", "name")

    def __init__(self, level, name):
        self.level = level
        self.name = name

    @staticmethod
    def stronger(a, b):
        return a.level < b.level

    @staticmethod
    def weaker(a, b):
        return a.level > b.level

    @staticmethod
    def weakest(a, b):
        return a if Strength.weaker(a, b) else b

    def next_weaker(self):
        return STRENGTHS[self.level + 1]


STRENGTHS = [
    Strength(0, "required"),
    Strength(1, "strongPreferred"),
    Strength(2, "preferred"),
    Strength(3, "strongDefault"),
    Strength(4, "normal"),
    Strength(5, "weakDefault"),
    Strength(6, "weakest"),
]
REQUIRED = STRENGTHS[0]
PREFERRED = STRENGTHS[2]
STRONG_DEFAULT = STRENGTHS[3]
NORMAL = STRENGTHS[4]
WEAKEST = STRENGTHS[6]

NONE = 0
FORWARD = 1
BACKWARD = 2


class Variable:
    def __init__(self, name, value):
        self.name = name
        self.value = value
        self.constraints = []
        self.determined_by = None
        self.mark = 0
        self.walk_strength = WEAKEST
        self.stay = True

    def add_constraint(self, c):
        self.constraints.append(c)

    def remove_constraint(self, c):
        if c in self.constraints:
            self.constraints.remove(c)
        if self.determined_by is c:
            self.determined_by = None


class Constraint:
    def __init__(self, planner, strength):
        self.planner = planner
        self.strength = strength

    def install(self):
        """Add to the graph and try to satisfy it incrementally."""
        self.add_to_graph()
        self.planner.incremental_add(self)

    def satisfy(self, mark):
        """Try to satisfy this constraint at `mark`; return the constraint
        that lost its output as a result (or None)."""
        self.choose_method(mark)
        if not self.is_satisfied():
            if self.strength is REQUIRED:
                raise RuntimeError("could not satisfy a required constraint")
            return None
        self.mark_inputs(mark)
        out = self.output()
        overridden = out.determined_by
        if overridden is not None:
            overridden.mark_unsatisfied()
        out.determined_by = self
        if not self.planner.add_propagate(self, mark):
            raise RuntimeError("cycle encountered")
        out.mark = mark
        return overridden

    def destroy(self):
        if self.is_satisfied():
            self.planner.incremental_remove(self)
        else:
            self.remove_from_graph()

    def is_input(self):
        return False


class UnaryConstraint(Constraint):
    def __init__(self, planner, v, strength):
        super().__init__(planner, strength)
        self.my_output = v
        self.satisfied = False
        self.install()

    def add_to_graph(self):
        self.my_output.add_constraint(self)
        self.satisfied = False

    def choose_method(self, mark):
        self.satisfied = (self.my_output.mark != mark
                          and Strength.stronger(self.strength, self.my_output.walk_strength))

    def is_satisfied(self):
        return self.satisfied

    def mark_inputs(self, mark):
        pass

    def output(self):
        return self.my_output

    def recalculate(self):
        self.my_output.walk_strength = self.strength
        self.my_output.stay = not self.is_input()
        if self.my_output.stay:
            self.execute()

    def mark_unsatisfied(self):
        self.satisfied = False

    def inputs_known(self, mark):
        return True

    def remove_from_graph(self):
        if self.my_output is not None:
            self.my_output.remove_constraint(self)
        self.satisfied = False


class StayConstraint(UnaryConstraint):
    """Keeps a variable's value fixed during plan execution."""

    def execute(self):
        pass


class EditConstraint(UnaryConstraint):
    """Marks a variable as changed by the outside world."""

    def is_input(self):
        return True

    def execute(self):
        pass


class BinaryConstraint(Constraint):
    def __init__(self, planner, a, b, strength):
        super().__init__(planner, strength)
        self.v1 = a
        self.v2 = b
        self.direction = NONE

    def choose_method(self, mark):
        v1 = self.v1
        v2 = self.v2
        if v1.mark == mark:
            self.direction = (FORWARD if v2.mark != mark
                              and Strength.stronger(self.strength, v2.walk_strength) else NONE)
            return
        if v2.mark == mark:
            self.direction = (BACKWARD if v1.mark != mark
                              and Strength.stronger(self.strength, v1.walk_strength) else NONE)
            return
        if Strength.weaker(v1.walk_strength, v2.walk_strength):
            self.direction = BACKWARD if Strength.stronger(self.strength, v1.walk_strength) else NONE
        else:
            self.direction = FORWARD if Strength.stronger(self.strength, v2.walk_strength) else BACKWARD

    def add_to_graph(self):
        self.v1.add_constraint(self)
        self.v2.add_constraint(self)
        self.direction = NONE

    def is_satisfied(self):
        return self.direction != NONE

    def mark_inputs(self, mark):
        self.input().mark = mark

    def input(self):
        return self.v1 if self.direction == FORWARD else self.v2

    def output(self):
        return self.v2 if self.direction == FORWARD else self.v1

    def recalculate(self):
        ihn = self.input()
        out = self.output()
        out.walk_strength = Strength.weakest(self.strength, ihn.walk_strength)
        out.stay = ihn.stay
        if out.stay:
            self.execute()

    def mark_unsatisfied(self):
        self.direction = NONE

    def inputs_known(self, mark):
        i = self.input()
        return i.mark == mark or i.stay or i.determined_by is None

    def remove_from_graph(self):
        if self.v1 is not None:
            self.v1.remove_constraint(self)
        if self.v2 is not None:
            self.v2.remove_constraint(self)
        self.direction = NONE


class EqualityConstraint(BinaryConstraint):
    """a == b"""

    def __init__(self, planner, a, b, strength):
        super().__init__(planner, a, b, strength)
        self.install()

    def execute(self):
        self.output().value = self.input().value


class ScaleConstraint(BinaryConstraint):
    """dest == src * scale + offset"""

    def __init__(self, planner, src, scale, offset, dest, strength):
        super().__init__(planner, src, dest, strength)
        self.scale = scale
        self.offset = offset
        self.install()

    def add_to_graph(self):
        super().add_to_graph()
        self.scale.add_constraint(self)
        self.offset.add_constraint(self)

    def remove_from_graph(self):
        super().remove_from_graph()
        if self.scale is not None:
            self.scale.remove_constraint(self)
        if self.offset is not None:
            self.offset.remove_constraint(self)

    def mark_inputs(self, mark):
        super().mark_inputs(mark)
        self.scale.mark = mark
        self.offset.mark = mark

    def execute(self):
        if self.direction == FORWARD:
            self.v2.value = self.v1.value * self.scale.value + self.offset.value
        else:
            self.v1.value = (self.v2.value - self.offset.value) / self.scale.value

    def recalculate(self):
        ihn = self.input()
        out = self.output()
        out.walk_strength = Strength.weakest(self.strength, ihn.walk_strength)
        out.stay = ihn.stay and self.scale.stay and self.offset.stay
        if out.stay:
            self.execute()


class Plan:
    def __init__(self):
        self.steps = []

    def add(self, c):
        self.steps.append(c)

    def size(self):
        return len(self.steps)

    def execute(self):
        for c in self.steps:
            c.execute()


class Planner:
    def __init__(self):
        self.current_mark = 0

    def new_mark(self):
        self.current_mark += 1
        return self.current_mark

    def incremental_add(self, c):
        mark = self.new_mark()
        overridden = c.satisfy(mark)
        while overridden is not None:
            overridden = overridden.satisfy(mark)

    def incremental_remove(self, c):
        out = c.output()
        c.mark_unsatisfied()
        c.remove_from_graph()
        unsatisfied = self.remove_propagate_from(out)
        strength = REQUIRED
        while True:
            for u in unsatisfied:
                if u.strength is strength:
                    self.incremental_add(u)
            strength = strength.next_weaker()
            if strength is WEAKEST:
                break

    def make_plan(self, sources):
        """Build a plan executing the constraints downstream of `sources` in order."""
        mark = self.new_mark()
        plan = Plan()
        todo = sources
        head = 0
        while head < len(todo):
            c = todo[head]
            head += 1
            out = c.output()
            if out.mark != mark and c.inputs_known(mark):
                plan.add(c)
                out.mark = mark
                self.add_constraints_consuming_to(out, todo)
        return plan

    def extract_plan_from_constraints(self, constraints):
        sources = [c for c in constraints if c.is_input() and c.is_satisfied()]
        return self.make_plan(sources)

    def add_propagate(self, c, mark):
        """Recompute walkabout strengths downstream of c; False on a cycle."""
        todo = [c]
        head = 0
        while head < len(todo):
            d = todo[head]
            head += 1
            if d.output().mark == mark:
                self.incremental_remove(c)
                return False
            d.recalculate()
            self.add_constraints_consuming_to(d.output(), todo)
        return True

    def remove_propagate_from(self, out):
        out.determined_by = None
        out.walk_strength = WEAKEST
        out.stay = True
        unsatisfied = []
        todo = [out]
        head = 0
        while head < len(todo):
            v = todo[head]
            head += 1
            for c in v.constraints:
                if not c.is_satisfied():
                    unsatisfied.append(c)
            determining = v.determined_by
            for nxt in v.constraints:
                if nxt is not determining and nxt.is_satisfied():
                    nxt.recalculate()
                    todo.append(nxt.output())
        return unsatisfied

    def add_constraints_consuming_to(self, v, coll):
        determining = v.determined_by
        for c in v.constraints:
            if c is not determining and c.is_satisfied():
                coll.append(c)


def chain_test(n):
    """A chain of n equality constraints: editing the first variable must
    propagate to the last one."""
    planner = Planner()
    prev = first = last = None
    for i in range(n + 1):
        v = Variable("v" + str(i), 0)
        if prev is not None:
            EqualityConstraint(planner, prev, v, REQUIRED)
        if i == 0:
            first = v
        if i == n:
            last = v
        prev = v
    StayConstraint(planner, last, STRONG_DEFAULT)
    edit = EditConstraint(planner, first, PREFERRED)
    plan = planner.extract_plan_from_constraints([edit])
    mismatches = 0
    total = 0
    for i in range(100):
        first.value = i
        plan.execute()
        if last.value != i:
            mismatches += 1
        total += last.value
    return {"planSize": plan.size(), "total": total, "mismatches": mismatches}


def change(planner, v, new_value):
    edit = EditConstraint(planner, v, PREFERRED)
    plan = planner.extract_plan_from_constraints([edit])
    for _ in range(10):
        v.value = new_value
        plan.execute()
    edit.destroy()


def projection_test(n):
    """n scale constraints sharing scale/offset variables; edits flow both ways."""
    planner = Planner()
    scale = Variable("scale", 10)
    offset = Variable("offset", 1000)
    src = dst = None
    dests = []
    for i in range(n):
        src = Variable("src" + str(i), i)
        dst = Variable("dst" + str(i), i)
        dests.append(dst)
        StayConstraint(planner, src, NORMAL)
        ScaleConstraint(planner, src, scale, offset, dst, REQUIRED)
    change(planner, src, 17)
    dst_after_src = dst.value
    change(planner, dst, 1050)
    src_after_dst = src.value
    change(planner, scale, 5)
    sum_scaled = sum(d.value for d in dests)
    change(planner, offset, 2000)
    sum_offset = sum(d.value for d in dests)
    return {"dstAfterSrc": dst_after_src, "srcAfterDst": src_after_dst,
            "sumScaled": sum_scaled, "sumOffset": sum_offset}


def run(n):
    return {"chain": chain_test(n), "projection": projection_test(n)}


def verify(result, n):
    c = result["chain"]
    p = result["projection"]
    # After the projection edits the last source is 5, every other source i.
    tri = n * (n - 1) // 2 - (n - 1) + 5
    return (c["planSize"] == n + 1 and c["total"] == 4950 and c["mismatches"] == 0
            and p["dstAfterSrc"] == 1170 and p["srcAfterDst"] == 5
            and p["sumScaled"] == 5 * tri + 1000 * n and p["sumOffset"] == 5 * tri + 2000 * n)


SIZES = {"quick": 100, "default": 2000}
