"""A seeded generator of short math word problems with exact integer answers (the ``builtin:math`` sets).

Why this shape: the built-in study fine-tunes a 135M chat model for a few dozen LoRA steps and must see math
accuracy rise. So the problems are one- and two-step everyday situations with small numbers, and the worked
answers are one or two short sentences in GSM8K's style, each holding its arithmetic as ``a op b = c`` and ending
in ``#### N``. The model can learn that format quickly and the answers are cheap to generate on a CPU.

Each template is double-entry: ``solve`` computes the answer straight from the drawn numbers, and ``render`` writes
the question and the worked answer through :func:`eq`, which does the arithmetic it prints. The generator checks
the two agree, and the tests re-check every ``a op b = c`` and ``#### N`` in the files.

Train and test are disjoint by construction: each (template, numbers) combination is used at most once overall, the
test items are drawn first, and no question text repeats.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Callable

OPS: dict[str, Callable[[int, int], int]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a // b,
}
EQUATION = re.compile(r"(\d+) ([-+*/]) (\d+) = (\d+)")
FINAL = re.compile(r"\n#### (-?\d+)$")


def eq(a: int, op: str, b: int) -> tuple[str, int]:
    """``("a op b = c", c)``; division must be exact and results non-negative (the problems never need more)."""
    if op == "/" and (b == 0 or a % b):
        raise ValueError(f"{a} / {b} is not an exact division")
    c = OPS[op](a, b)
    if c < 0:
        raise ValueError(f"{a} {op} {b} is negative")
    return f"{a} {op} {b} = {c}", c


def check_worked_answer(text: str) -> int:
    """Verify every ``a op b = c`` in a worked answer and that ``#### N`` repeats the last result; return N.

    Raises ``ValueError`` naming the first wrong step."""
    steps = EQUATION.findall(text)
    if not steps:
        raise ValueError("no 'a op b = c' step")
    for a, op, b, c in steps:
        a_, b_, c_ = int(a), int(b), int(c)
        if op == "/" and (b_ == 0 or a_ % b_):
            raise ValueError(f"{a} / {b} is not exact")
        if OPS[op](a_, b_) != c_:
            raise ValueError(f"wrong step {a} {op} {b} = {c}")
    m = FINAL.search(text)
    if not m:
        raise ValueError("no final '#### N' line")
    n = int(m.group(1))
    if n != int(steps[-1][3]):
        raise ValueError(f"#### {n} differs from the last step's result {steps[-1][3]}")
    return n


@dataclass(frozen=True)
class Person:
    name: str
    he: str  # he / she
    him: str
    his: str

    @property
    def He(self) -> str:  # noqa: N802 - reads like the sentence it starts
        return self.he.capitalize()

    @property
    def His(self) -> str:  # noqa: N802
        return self.his.capitalize()


_SHE = ("Ava", "Carla", "Elena", "Grace", "Isla", "Kim", "Maya", "Olga", "Priya", "Rosa", "Uma", "Wen", "Zoe",
        "Bea", "Emma", "Hana", "Jade", "Lena", "Nadia", "Tessa", "Mira", "Sofia", "Ines", "Dana")
_HE = ("Ben", "Dev", "Farid", "Hiro", "Jamal", "Leo", "Noah", "Sam", "Tariq", "Victor", "Yusuf", "Amir", "Chen",
       "Diego", "Felix", "Ivan", "Kofi", "Mateo", "Omar", "Pablo", "Ravi", "Oscar", "Luca", "Theo")
PEOPLE = tuple(Person(n, "she", "her", "her") for n in _SHE) + tuple(Person(n, "he", "him", "his") for n in _HE)

Values = dict[str, int]


@dataclass(frozen=True)
class MathTemplate:
    """One situation. ``draw`` picks the numbers (they satisfy the template's constraints), ``solve`` gives the
    answer from them directly, ``render(v, person, rng)`` gives (question, worked lines without the #### line)."""

    name: str
    category: str  # add, sub, mul, div, two-step
    draw: Callable[[random.Random], Values]
    solve: Callable[[Values], int]
    render: Callable[[Values, Person, random.Random], tuple[str, str]]


TEMPLATES: list[MathTemplate] = []


def template(name: str, category: str, draw: Callable[[random.Random], Values], solve: Callable[[Values], int]):
    def deco(render: Callable[[Values, Person, random.Random], tuple[str, str]]):
        TEMPLATES.append(MathTemplate(name, category, draw, solve, render))
        return render

    return deco


def _ri(lo: int, hi: int) -> Callable[[random.Random], int]:
    return lambda r: r.randint(lo, hi)


def _pair(lo: int, hi: int) -> Callable[[random.Random], Values]:
    return lambda r: {"a": r.randint(lo, hi), "b": r.randint(lo, hi)}


def _ordered(lo: int, hi: int, gap: int = 2) -> Callable[[random.Random], Values]:
    """a > b by at least ``gap`` (2 by default, so no answer reads "1 cookies")."""

    def draw(r: random.Random) -> Values:
        a = r.randint(lo + gap, hi)
        return {"a": a, "b": r.randint(lo, a - gap)}

    return draw


def _table(lo: int = 2, hi: int = 12) -> Callable[[random.Random], Values]:
    return lambda r: {"a": r.randint(lo, hi), "b": r.randint(lo, hi)}


def _choice(*options: int) -> Callable[[random.Random], int]:
    return lambda r: r.choice(options)


def _product(a: Callable[[random.Random], int], b: Callable[[random.Random], int]) -> Callable[[random.Random], Values]:
    """total = a * b, to be divided by a (or b): an exact division by construction."""

    def draw(r: random.Random) -> Values:
        x = a(r)
        y = b(r)
        return {"a": x, "b": y, "total": x * y}

    return draw


def _quotient(lo: int = 2, hi: int = 12) -> Callable[[random.Random], Values]:
    return _product(_ri(lo, hi), _ri(lo, hi))


def _less_than(first: Callable[[random.Random], int], lo: int, below: int) -> Callable[[random.Random], Values]:
    """a from ``first``, then b in [lo, a - below]."""

    def draw(r: random.Random) -> Values:
        a = first(r)
        return {"a": a, "b": r.randint(lo, a - below)}

    return draw


# ---- addition ---------------------------------------------------------------------------------------------------

_FRUIT = ("apples", "pears", "plums", "lemons", "peaches", "oranges")


@template("pick-fruit", "add", _pair(3, 45), lambda v: v["a"] + v["b"])
def _(v, p, r):
    f = r.choice(_FRUIT)
    s, n = eq(v["a"], "+", v["b"])
    return (f"{p.name} picks {v['a']} {f} in the morning and {v['b']} {f} in the afternoon. "
            f"How many {f} does {p.he} pick in total?", f"{p.He} picks {s} {f}.")


@template("library-books", "add", _pair(2, 30), lambda v: v["a"] + v["b"])
def _(v, p, r):
    m1, m2 = r.choice((("March", "April"), ("June", "July"), ("October", "November"), ("January", "February")))
    s, n = eq(v["a"], "+", v["b"])
    return (f"{p.name} borrowed {v['a']} books from the library in {m1} and {v['b']} books in {m2}. "
            f"How many books did {p.he} borrow in the two months?", f"{p.He} borrowed {s} books.")


@template("bus-riders", "add", _pair(4, 40), lambda v: v["a"] + v["b"])
def _(v, p, r):
    s, n = eq(v["a"], "+", v["b"])
    return (f"A bus has {v['a']} passengers. At the next stop {v['b']} more people get on and nobody gets off. "
            "How many passengers are on the bus now?", f"There are {s} passengers on the bus.")


@template("savings-earn", "add", _pair(5, 90), lambda v: v["a"] + v["b"])
def _(v, p, r):
    job = r.choice(("walking dogs", "mowing lawns", "washing cars", "babysitting", "selling lemonade"))
    s, n = eq(v["a"], "+", v["b"])
    return (f"{p.name} has {v['a']} dollars saved. {p.He} earns {v['b']} more dollars by {job}. "
            f"How many dollars does {p.he} have now?", f"{p.He} has {s} dollars.")


@template("weekend-ride", "add", _pair(3, 60), lambda v: v["a"] + v["b"])
def _(v, p, r):
    how = r.choice(("cycles", "runs", "walks", "rows"))
    s, n = eq(v["a"], "+", v["b"])
    return (f"{p.name} {how} {v['a']} km on Saturday and {v['b']} km on Sunday. "
            f"How many kilometres does {p.he} cover over the weekend?", f"{p.He} covers {s} km.")


@template("older-relative", "add", lambda r: {"a": r.randint(5, 40), "b": r.randint(2, 35)}, lambda v: v["a"] + v["b"])
def _(v, p, r):
    rel = r.choice(("aunt", "uncle", "cousin", "neighbour"))
    s, n = eq(v["a"], "+", v["b"])
    return (f"{p.name} is {v['a']} years old. {p.His} {rel} is {v['b']} years older than {p.him}. "
            f"How old is {p.his} {rel}?", f"{p.His} {rel} is {s} years old.")


@template("recipe-grams", "add", lambda r: {"a": 10 * r.randint(2, 40), "b": 10 * r.randint(2, 40)},
          lambda v: v["a"] + v["b"])
def _(v, p, r):
    x, y = r.choice((("lentils", "rice"), ("flour", "sugar"), ("oats", "nuts"), ("pasta", "cheese")))
    s, n = eq(v["a"], "+", v["b"])
    return (f"A recipe needs {v['a']} grams of {x} and {v['b']} grams of {y}. "
            f"How many grams of {x} and {y} does it need altogether?", f"It needs {s} grams.")


@template("minutes-spent", "add", _pair(5, 55), lambda v: v["a"] + v["b"])
def _(v, p, r):
    x, y = r.choice((("homework", "piano practice"), ("cleaning", "cooking"), ("reading", "drawing"),
                     ("stretching", "jogging")))
    s, n = eq(v["a"], "+", v["b"])
    return (f"{p.name} spends {v['a']} minutes on {x} and then {v['b']} minutes on {y}. "
            f"How many minutes does {p.he} spend on both?", f"{p.He} spends {s} minutes.")


# ---- subtraction ------------------------------------------------------------------------------------------------


@template("cookies-left", "sub", _ordered(4, 60), lambda v: v["a"] - v["b"])
def _(v, p, r):
    thing = r.choice(("cookies", "muffins", "cupcakes", "brownies"))
    s, n = eq(v["a"], "-", v["b"])
    return (f"{p.name} bakes {v['a']} {thing} and gives {v['b']} of them to {p.his} neighbours. "
            f"How many {thing} does {p.he} have left?", f"{p.He} has {s} {thing} left.")


@template("pages-left", "sub", _less_than(_ri(40, 300), 10, 5),
          lambda v: v["a"] - v["b"])
def _(v, p, r):
    s, n = eq(v["a"], "-", v["b"])
    return (f"A book has {v['a']} pages. {p.name} has read {v['b']} pages so far. "
            f"How many pages does {p.he} still have to read?", f"{p.He} has {s} pages left.")


@template("money-spent", "sub", _less_than(_choice(10, 20, 50, 100), 3, 2),
          lambda v: v["a"] - v["b"])
def _(v, p, r):
    thing = r.choice(("a jacket", "a board game", "a pair of shoes", "a lamp", "a backpack"))
    s, n = eq(v["a"], "-", v["b"])
    return (f"{p.name} has {v['a']} dollars and spends {v['b']} dollars on {thing}. "
            f"How many dollars does {p.he} have left?", f"{p.He} has {s} dollars left.")


@template("age-gap", "sub", _ordered(3, 18), lambda v: v["a"] - v["b"])
def _(v, p, r):
    rel = r.choice(("brother", "sister"))
    s, n = eq(v["a"], "-", v["b"])
    return (f"{p.name} is {v['a']} years old and {p.his} {rel} is {v['b']}. "
            f"How many years older is {p.name} than {p.his} {rel}?", f"{p.name} is {s} years older.")


@template("temperature-drop", "sub", _ordered(2, 35), lambda v: v["a"] - v["b"])
def _(v, p, r):
    s, n = eq(v["a"], "-", v["b"])
    return (f"At noon the temperature is {v['a']} degrees. By night it has dropped by {v['b']} degrees. "
            "What is the temperature at night?", f"It is {s} degrees at night.")


@template("stickers-traded", "sub", _ordered(5, 80), lambda v: v["a"] - v["b"])
def _(v, p, r):
    thing = r.choice(("stickers", "trading cards", "marbles", "stamps"))
    s, n = eq(v["a"], "-", v["b"])
    return (f"{p.name} had {v['a']} {thing}. After trading some away, {p.he} has {v['b']} left. "
            f"How many {thing} did {p.he} trade away?", f"{p.He} traded away {s} {thing}.")


@template("trip-remaining", "sub", _ordered(20, 400, gap=10), lambda v: v["a"] - v["b"])
def _(v, p, r):
    s, n = eq(v["a"], "-", v["b"])
    return (f"A trip is {v['a']} km long. {p.name} has already driven {v['b']} km. "
            "How many kilometres are left?", f"There are {s} km left.")


@template("free-seats", "sub", _ordered(20, 200, gap=5), lambda v: v["a"] - v["b"])
def _(v, p, r):
    place = r.choice(("theatre", "cinema", "concert hall", "school hall"))
    s, n = eq(v["a"], "-", v["b"])
    return (f"A {place} has {v['a']} seats and {v['b']} tickets have been sold. "
            "How many seats are still free?", f"There are {s} free seats.")


# ---- multiplication ---------------------------------------------------------------------------------------------


@template("boxes-of-pencils", "mul", _table(), lambda v: v["a"] * v["b"])
def _(v, p, r):
    box, thing = r.choice((("boxes", "pencils"), ("bags", "marbles"), ("packs", "cards"), ("jars", "buttons")))
    s, n = eq(v["a"], "*", v["b"])
    return (f"{p.name} buys {v['a']} {box} of {thing}. Each holds {v['b']} {thing}. "
            f"How many {thing} does {p.he} buy?", f"{p.He} buys {s} {thing}.")


@template("unit-price", "mul", _table(2, 12), lambda v: v["a"] * v["b"])
def _(v, p, r):
    thing = r.choice(("notebooks", "tickets", "plant pots", "mugs", "candles"))
    s, n = eq(v["a"], "*", v["b"])
    return (f"One of the {thing} costs {v['b']} dollars. How many dollars do {v['a']} {thing} cost?",
            f"They cost {s} dollars.")


@template("pages-per-day", "mul", lambda r: {"a": r.randint(2, 9), "b": r.randint(3, 25)}, lambda v: v["a"] * v["b"])
def _(v, p, r):
    s, n = eq(v["a"], "*", v["b"])
    return (f"{p.name} reads {v['b']} pages every day. How many pages does {p.he} read in {v['a']} days?",
            f"{p.He} reads {s} pages.")


@template("rows-of-chairs", "mul", _table(3, 15), lambda v: v["a"] * v["b"])
def _(v, p, r):
    x, y = r.choice((("rows", "chairs"), ("shelves", "jars"), ("trays", "seedlings"), ("rows", "tulips")))
    s, n = eq(v["a"], "*", v["b"])
    return (f"There are {v['a']} {x} with {v['b']} {y} in each. How many {y} are there?", f"There are {s} {y}.")


@template("batches", "mul", lambda r: {"a": r.randint(2, 12), "b": r.randint(2, 8)}, lambda v: v["a"] * v["b"])
def _(v, p, r):
    dish, need = r.choice((("pancakes", "eggs"), ("bread", "cups of flour"), ("soup", "carrots"),
                           ("muffins", "bananas")))
    s, n = eq(v["a"], "*", v["b"])
    return (f"One batch of {dish} needs {v['b']} {need}. How many {need} does {p.name} need for {v['a']} batches?",
            f"{p.He} needs {s} {need}.")


@template("train-speed", "mul", lambda r: {"a": r.randint(2, 8), "b": 5 * r.randint(4, 20)}, lambda v: v["a"] * v["b"])
def _(v, p, r):
    what = r.choice(("A train", "A bus", "A ferry", "A truck"))
    s, n = eq(v["a"], "*", v["b"])
    return (f"{what} travels {v['b']} km every hour. How far does it travel in {v['a']} hours?",
            f"It travels {s} km.")


@template("animal-legs", "mul", lambda r: {"a": r.randint(2, 40), "b": r.choice((2, 4))}, lambda v: v["a"] * v["b"])
def _(v, p, r):
    animal = r.choice(("sheep", "goats", "cows", "dogs")) if v["b"] == 4 else r.choice(("ducks", "hens", "geese"))
    s, n = eq(v["a"], "*", v["b"])
    return (f"A farm has {v['a']} {animal}. Each has {v['b']} legs. How many legs do the {animal} have in total?",
            f"They have {s} legs.")


@template("hourly-wage", "mul", lambda r: {"a": r.randint(2, 9), "b": r.randint(8, 20)}, lambda v: v["a"] * v["b"])
def _(v, p, r):
    s, n = eq(v["a"], "*", v["b"])
    return (f"{p.name} earns {v['b']} dollars an hour. How many dollars does {p.he} earn in {v['a']} hours?",
            f"{p.He} earns {s} dollars.")


# ---- division ---------------------------------------------------------------------------------------------------


@template("share-sweets", "div", _quotient(), lambda v: v["total"] // v["a"])
def _(v, p, r):
    thing = r.choice(("sweets", "stickers", "grapes", "crayons"))
    s, n = eq(v["total"], "/", v["a"])
    return (f"{p.name} shares {v['total']} {thing} equally among {v['a']} friends. "
            f"How many {thing} does each friend get?", f"Each friend gets {s} {thing}.")


@template("make-teams", "div", _quotient(2, 10), lambda v: v["total"] // v["b"])
def _(v, p, r):
    s, n = eq(v["total"], "/", v["b"])
    return (f"{v['total']} children are split into teams of {v['b']}. How many teams are there?",
            f"There are {s} teams.")


@template("ticket-price", "div", _quotient(2, 12), lambda v: v["total"] // v["a"])
def _(v, p, r):
    thing = r.choice(("tickets", "sandwiches", "T-shirts", "books"))
    s, n = eq(v["total"], "/", v["a"])
    return (f"{p.name} pays {v['total']} dollars for {v['a']} {thing} that all cost the same. "
            f"How many dollars does one cost?", f"One costs {s} dollars.")


@template("pizza-slices", "div", _product(_ri(2, 15), _choice(4, 6, 8, 10, 12)),
          lambda v: v["total"] // v["b"])
def _(v, p, r):
    s, n = eq(v["total"], "/", v["b"])
    return (f"At a party every pizza is cut into {v['b']} slices, and there are {v['total']} slices in all. "
            "How many pizzas are there?", f"There are {s} pizzas.")


@template("book-plan", "div", _product(_ri(2, 10), _ri(5, 30)),
          lambda v: v["total"] // v["a"])
def _(v, p, r):
    s, n = eq(v["total"], "/", v["a"])
    return (f"{p.name} wants to read a {v['total']}-page book in {v['a']} days, reading the same number of pages "
            f"each day. How many pages does {p.he} read each day?", f"{p.He} reads {s} pages a day.")


@template("egg-cartons", "div", _product(_ri(2, 18), _choice(6, 10, 12, 18)),
          lambda v: v["total"] // v["b"])
def _(v, p, r):
    s, n = eq(v["total"], "/", v["b"])
    return (f"A farmer collects {v['total']} eggs and packs them in cartons of {v['b']}. "
            "How many cartons does the farmer fill?", f"The farmer fills {s} cartons.")


@template("cut-rope", "div", _quotient(2, 12), lambda v: v["total"] // v["a"])
def _(v, p, r):
    thing = r.choice(("rope", "ribbon", "wooden plank", "roll of fabric"))
    s, n = eq(v["total"], "/", v["a"])
    return (f"A {v['total']}-metre {thing} is cut into {v['a']} equal pieces. How many metres long is each piece?",
            f"Each piece is {s} metres long.")


@template("weeks-to-save", "div", _product(_ri(2, 12), _ri(3, 15)),
          lambda v: v["total"] // v["b"])
def _(v, p, r):
    goal = r.choice(("a bike", "a guitar", "a tablet", "a tent", "a telescope"))
    s, n = eq(v["total"], "/", v["b"])
    return (f"{p.name} saves {v['b']} dollars each week. How many weeks does it take {p.him} to save "
            f"{v['total']} dollars for {goal}?", f"It takes {s} weeks.")


# ---- two steps --------------------------------------------------------------------------------------------------


@template("packs-plus-owned", "two-step",
          lambda r: {"a": r.randint(2, 6), "b": r.randint(3, 10), "c": r.randint(2, 30)},
          lambda v: v["a"] * v["b"] + v["c"])
def _(v, p, r):
    s1, n1 = eq(v["a"], "*", v["b"])
    s2, n2 = eq(n1, "+", v["c"])
    return (f"{p.name} has {v['c']} stickers and buys {v['a']} packs with {v['b']} stickers in each. "
            f"How many stickers does {p.he} have now?", f"The packs hold {s1} stickers.\nSo {p.he} has {s2} stickers.")


def _win_lose(r: random.Random) -> Values:
    a, b = r.randint(5, 40), r.randint(2, 25)
    return {"a": a, "b": b, "c": r.randint(2, a + b - 2)}


@template("win-then-lose", "two-step", _win_lose,
          lambda v: v["a"] + v["b"] - v["c"])
def _(v, p, r):
    thing = r.choice(("marbles", "tokens", "points", "shells"))
    s1, n1 = eq(v["a"], "+", v["b"])
    s2, n2 = eq(n1, "-", v["c"])
    return (f"{p.name} had {v['a']} {thing}, won {v['b']} more, and then lost {v['c']}. "
            f"How many {thing} does {p.he} have now?", f"After winning {p.he} had {s1}.\nThen {p.he} had {s2} {thing}.")


def _bill(r: random.Random) -> Values:
    a, b = r.randint(2, 6), r.randint(2, 9)
    return {"a": a, "b": b, "c": r.choice([x for x in (20, 50, 100) if x > a * b + 1])}


@template("change-from-bill", "two-step", _bill,
          lambda v: v["c"] - v["a"] * v["b"])
def _(v, p, r):
    thing = r.choice(("pens", "cups of tea", "postcards", "bus tickets"))
    s1, n1 = eq(v["a"], "*", v["b"])
    s2, n2 = eq(v["c"], "-", n1)
    return (f"{p.name} buys {v['a']} {thing} at {v['b']} dollars each and pays with a {v['c']}-dollar bill. "
            f"How many dollars of change does {p.he} get?",
            f"The {thing} cost {s1} dollars.\nThe change is {s2} dollars.")


def _share_add(r: random.Random) -> Values:
    v = _product(_ri(2, 8), _ri(2, 9))(r)
    return {**v, "c": r.randint(2, 9)}


@template("share-then-add", "two-step", _share_add,
          lambda v: v["total"] // v["a"] + v["c"])
def _(v, p, r):
    s1, n1 = eq(v["total"], "/", v["a"])
    s2, n2 = eq(n1, "+", v["c"])
    return (f"{v['total']} cookies are shared equally among {v['a']} children. Each child already had {v['c']} "
            "cookies. How many cookies does each child have now?",
            f"Each child gets {s1} cookies.\nSo each child has {s2} cookies.")


@template("two-days-pay", "two-step",
          lambda r: {"a": r.randint(2, 8), "b": r.randint(2, 8), "c": r.randint(5, 15)},
          lambda v: (v["a"] + v["b"]) * v["c"])
def _(v, p, r):
    d1, d2 = r.choice((("Monday", "Tuesday"), ("Friday", "Saturday"), ("Wednesday", "Thursday")))
    s1, n1 = eq(v["a"], "+", v["b"])
    s2, n2 = eq(n1, "*", v["c"])
    return (f"{p.name} works {v['a']} hours on {d1} and {v['b']} hours on {d2}. {p.He} earns {v['c']} dollars an "
            f"hour. How many dollars does {p.he} earn on the two days?",
            f"{p.He} works {s1} hours.\n{p.He} earns {s2} dollars.")


def _future_age(r: random.Random) -> Values:
    v = _less_than(_ri(4, 20), 2, 2)(r)
    return {**v, "c": r.randint(2, 12)}


@template("sister-future-age", "two-step", _future_age,
          lambda v: v["a"] - v["b"] + v["c"])
def _(v, p, r):
    s1, n1 = eq(v["a"], "-", v["b"])
    s2, n2 = eq(n1, "+", v["c"])
    return (f"{p.name} is {v['a']} years old. {p.His} sister is {v['b']} years younger. "
            f"How old will {p.his} sister be in {v['c']} years?",
            f"{p.His} sister is {s1} years old now.\nShe will be {s2}.")


@template("fruit-cents", "two-step",
          lambda r: {"a": r.randint(2, 9), "b": 5 * r.randint(2, 12), "c": 5 * r.randint(2, 20)},
          lambda v: v["a"] * v["b"] + v["c"])
def _(v, p, r):
    x, y = r.choice((("apples", "a banana"), ("pears", "a melon slice"), ("eggs", "a carton of milk"),
                     ("rolls", "a jar of jam")))
    s1, n1 = eq(v["a"], "*", v["b"])
    s2, n2 = eq(n1, "+", v["c"])
    return (f"{p.name} buys {v['a']} {x} at {v['b']} cents each and {y} for {v['c']} cents. "
            f"How many cents does {p.he} spend?", f"The {x} cost {s1} cents.\n{p.He} spends {s2} cents.")


@template("boxes-bags-marbles", "two-step",
          lambda r: {"a": r.randint(2, 6), "b": r.randint(2, 6), "c": r.randint(2, 9)},
          lambda v: v["a"] * v["b"] * v["c"])
def _(v, p, r):
    s1, n1 = eq(v["a"], "*", v["b"])
    s2, n2 = eq(n1, "*", v["c"])
    return (f"There are {v['a']} boxes. Each box holds {v['b']} bags, and each bag holds {v['c']} marbles. "
            "How many marbles are there?", f"There are {s1} bags.\nThere are {s2} marbles.")


def _give_split(r: random.Random) -> Values:
    a, q, c = r.randint(2, 6), r.randint(2, 10), r.randint(2, 15)
    return {"a": a, "c": c, "total": a * q + c}  # (total - c) / a = q exactly


@template("give-then-split", "two-step", _give_split,
          lambda v: (v["total"] - v["c"]) // v["a"])
def _(v, p, r):
    s1, n1 = eq(v["total"], "-", v["c"])
    s2, n2 = eq(n1, "/", v["a"])
    return (f"{p.name} has {v['total']} photos. {p.He} gives {v['c']} to a friend and puts the rest equally "
            f"into {v['a']} albums. How many photos go in each album?",
            f"{p.He} keeps {s1} photos.\nEach album gets {s2} photos.")


def _save_spend(r: random.Random) -> Values:
    a, b = r.randint(2, 8), r.randint(3, 12)
    return {"a": a, "b": b, "c": r.randint(2, a * b - 2)}


@template("weekly-savings-spend", "two-step", _save_spend,
          lambda v: v["a"] * v["b"] - v["c"])
def _(v, p, r):
    s1, n1 = eq(v["a"], "*", v["b"])
    s2, n2 = eq(n1, "-", v["c"])
    return (f"{p.name} saves {v['b']} dollars a week for {v['a']} weeks and then spends {v['c']} dollars on a gift. "
            f"How many dollars does {p.he} have left?", f"{p.He} saves {s1} dollars.\n{p.He} has {s2} dollars left.")


# ---- the generator ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    template: str
    category: str
    values: Values
    question: str
    worked: str  # ends in "#### N"
    answer: int

    def key(self) -> tuple:
        """The number combination of this template; train and test never share one."""
        return (self.template, tuple(sorted(self.values.items())))


def _make(t: MathTemplate, r: random.Random) -> Problem:
    v = t.draw(r)
    person = r.choice(PEOPLE)
    question, work = t.render(v, person, r)
    answer = t.solve(v)
    last = EQUATION.findall(work)[-1]
    if int(last[3]) != answer:  # the double entry: wording's arithmetic vs direct solution
        raise AssertionError(f"template {t.name}: worked answer gives {last[3]}, solve gives {answer}")
    return Problem(t.name, t.category, dict(v), question, f"{work}\n#### {answer}", answer)


def generate(seed: int, n_train: int, n_test: int, max_tries: int = 500) -> tuple[list[Problem], list[Problem]]:
    """(train, test): templates used in turn, test drawn first, no (template, numbers) or question reused."""
    r = random.Random(seed)
    used_keys: set[tuple] = set()
    used_questions: set[str] = set()

    def draw(count: int) -> list[Problem]:
        out: list[Problem] = []
        order = list(TEMPLATES)
        while len(out) < count:
            r.shuffle(order)
            for t in order:
                if len(out) == count:
                    break
                for _ in range(max_tries):
                    prob = _make(t, r)
                    if prob.key() not in used_keys and prob.question not in used_questions:
                        break
                else:
                    raise RuntimeError(f"template {t.name}: no unused number combination after {max_tries} tries")
                used_keys.add(prob.key())
                used_questions.add(prob.question)
                out.append(prob)
        return out

    test = draw(n_test)
    train = draw(n_train)
    return train, test
