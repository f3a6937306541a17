"""Traceability: which requirements and tasks each test proves, and which nothing proves yet.

The linking rules (issue "Test status"):

1. **Names.** A test links to an ID that appears in its name or classname, case-insensitive,
   with ``_`` or ``-`` as separators and camelCase split: ``test_fr_001_publish`` → FR-001,
   ``TestFR001Publish`` → FR-001, ``test_us1_…`` → US1, ``test_t012_…`` → T012,
   ``test_req_1_2_…`` → Kiro criterion 1.2 (``req_1`` → every criterion of requirement 1),
   ``test_task_2_1`` → Kiro task 2.1.  Numbers compare by value (``fr_1`` ↔ ``FR-001``).
   An OpenSpec requirement of two or more words links when its name appears in the test's
   name (``test_user_can_log_in`` ↔ ``Requirement: User can log in``).
2. **Properties.** A JUnit property named ``requirements``, ``requirement``, ``tasks`` or
   ``task`` (pytest ``record_property``) lists IDs separated by commas or semicolons.
3. **Files.** A test links to a task that names its test file
   (``T003 … in tests/contract/test_publish.py`` ↔ classname ``tests.contract.test_publish``
   or ``file="tests/contract/test_publish.py"``; Java, Go and Rust naming too) — unless the
   test names requirements of its own and the task references others: a test named for
   FR-003 is not the test of "Write tests for FR-001 in the same file".  A story label is
   no reference: ``T003 [US1] Contract test … in tests/contract/test_publish.py`` gets the
   file's tests whatever requirements they name.
4. **Features.** IDs may be feature-qualified (``001-recipe-sharing/FR-001``, ``001/FR-001``).
   A bare ID resolves in the features whose tasks name the test's file; failing that, in the
   features whose name appears in its classname or file; failing that, in every feature that
   defines it.

A requirement is *proven* by the tests that link to it; a test that links to no requirement
of a feature proves the requirements of the tasks of that feature it links to; a user story
is proven by the tests of its tasks too.  A card's tests are the tests linked to its task
plus the tests naming one of the task's requirements (a story label alone does not make
every task of the story green).  Headless: no Textual here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sdd_tui.formats.junit import TestCase
from sdd_tui.model.ids import (
    DOTTED,
    PREFIXED,
    STORY_ID,
    TASK_ID,
    canon,
    covers,
    is_named,
    split_ref,
    task_refs,
    tasks_for,
)
from sdd_tui.model.items import Task
from sdd_tui.model.record import record
from sdd_tui.model.spec import Requirement
from sdd_tui.model.workspace import Feature, Problem, Workspace

LINK_PROPERTIES = {"requirements": "req", "requirement": "req", "tasks": "task", "task": "task"}

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=\d)(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NAME_ID = re.compile(
    r"(?<![a-z0-9])(?:"
    r"(?P<p>nfr|fr|sc|tc)[_-]?(?P<pn>\d+)(?P<ps>[a-z])?"
    r"|(?:us|user[_-]?story)[_-]?(?P<us>\d+)"
    r"|t[_-]?(?P<t>\d{3,})(?P<ts>[a-z])?"
    r"|req(?:uirement)?[_-]?(?P<k>\d+(?:[_.-]\d+)*)"
    r"|task[_-]?(?P<kt>\d+(?:[_.-]\d+)*)"
    r")(?![a-z0-9])"
)
_QUALIFIED = re.compile(
    r"(?<![\w./-])(?P<f>[A-Za-z0-9][\w.-]*)/"
    r"(?P<id>(?:NFR|FR|SC|TC|REQ)-?\d+[a-z]?|US\d+|T\d+[a-z]?|\d+(?:\.\d+)+)(?![\w.])",
    re.IGNORECASE,
)
_CODE_EXTENSIONS = (
    "py ts tsx js jsx mjs cjs mts cts go rs java kt kts scala groovy rb cs fs vb php swift "
    "ex exs erl c cc cpp cxx h hpp m mm dart clj cljs lua pl r jl hs ml elm zig nim feature robot"
)
CODE_EXT = frozenset(_CODE_EXTENSIONS.split())
_PATH_TOKEN = re.compile(r"[\w@$.+-]*[\w@$+-]/[\w@$./+-]*|[\w@$.+-]+\.[A-Za-z]{1,8}")
_WORD = re.compile(r"[^a-z0-9]+")


# --------------------------------------------------------------------------- IDs


def _words(text: str) -> str:
    """Lower-case words joined by ``_``, camelCase split: ``TestFR001Publish`` →
    ``test_fr001_publish``."""
    return _WORD.sub("_", _CAMEL.sub("_", text).lower()).strip("_")


@record
class NameRef:
    kind: str  # req | task
    key: str  # canonical
    shown: str  # as a person writes it: FR-001, US1, T012, 1.2


def name_refs(text: str) -> list[NameRef]:
    """IDs a test name or classname carries, in order."""
    out: list[NameRef] = []
    if not any(ch.isdigit() for ch in text):
        return out  # every ID pattern has a number
    lowered = text.lower()
    if lowered != text:
        lowered = _CAMEL.sub("_", text).lower()
    for m in _NAME_ID.finditer(lowered):
        if m.group("p"):
            shown = f"{m.group('p').upper()}-{m.group('pn')}{m.group('ps') or ''}"
            out.append(NameRef("req", canon(shown), shown))
        elif m.group("us"):
            out.append(NameRef("req", f"US{int(m.group('us'))}", f"US{int(m.group('us'))}"))
        elif m.group("t"):
            shown = f"T{m.group('t')}{m.group('ts') or ''}"
            out.append(NameRef("task", canon(shown), shown))
        elif m.group("k"):
            dotted = re.sub(r"[_-]", ".", m.group("k"))
            out.append(NameRef("req", canon(dotted), dotted))
        elif m.group("kt"):
            dotted = re.sub(r"[_-]", ".", m.group("kt"))
            out.append(NameRef("task", canon(dotted), dotted))
    return out


# --------------------------------------------------------------------------- test files


_MAX_WORD = 512  # longer "words" are no paths; _PATH_TOKEN is quadratic in a word's length


def path_tokens(line: str) -> list[str]:
    """``_PATH_TOKEN.findall(line)``, word by word (no match spans whitespace): linear in
    the line, so a 10 MB single-line task cannot stall the UI."""
    out: list[str] = []
    for word in line.split():
        if len(word) <= _MAX_WORD:
            out += _PATH_TOKEN.findall(word)
    return out


_TESTISH = re.compile(r"test|spec", re.IGNORECASE)


def task_test_files(task: Task) -> list[str]:
    """Test files a task names (``tests/contract/test_publish.py``, ``src/x.test.ts``)."""
    out: list[str] = []
    for line in (task.text, *task.body):
        if not _TESTISH.search(line):
            continue  # a test file's path says test or spec, so its line does too
        for token in path_tokens(line):
            path = token.strip("`'\"()[]{}<>,;:").removeprefix("./")
            name = path.rsplit("/", 1)[-1]
            stem, dot, ext = name.rpartition(".")
            if not dot or not stem or ext.lower() not in CODE_EXT:
                continue
            if _TESTISH.search(path) and path not in out:
                out.append(path)
    return out


def _module(path: str) -> str:
    """The comparable module path of a test file: no extension; a Go test file's package."""
    path = path.replace("\\", "/").removeprefix("./").strip("/")
    if path.endswith("_test.go"):
        return path.rpartition("/")[0] or path[: -len(".go")]
    stem, dot, _ext = path.rpartition(".")
    return stem if dot and "/" not in path[len(stem) :] else path


def _case_modules(case: TestCase, root: str) -> set[str]:
    """Module paths a test case may come from: its file attribute when it has one (the
    classname of jest-junit is a describe title), else its classname."""
    out: set[str] = set()
    if case.file:
        f = case.file.replace("\\", "/")
        if os.path.isabs(f) and root:
            rel = os.path.relpath(f, root).replace("\\", "/")
            if not rel.startswith("../"):
                f = rel
        out.add(_module(f))
        out.discard("")
        return out
    cls = case.classname.strip()
    if cls and " " not in cls:
        if "::" in cls:  # cargo nextest: crate::binary (the binary is the test file's stem)
            parts = [p for p in cls.split("::") if p]
            out.add("/".join(parts))
            if parts:
                out.add(parts[-1])
        elif "/" in cls:  # Go: the package import path
            out.add(cls.strip("/"))
        else:
            parts = [p for p in cls.split(".") if p]
            for n in range(len(parts), 0, -1):  # drop trailing class names
                out.add("/".join(parts[:n]))
    out.discard("")
    return out


def _same_module(a: str, b: str) -> bool:
    return a == b or a.endswith("/" + b) or b.endswith("/" + a)


# --------------------------------------------------------------------------- links


@record
class CaseLink:
    """What one test case is linked to in one feature.

    ``requirements`` are canonical IDs of the feature's requirements the test names
    (directly, by name or property); ``tasks`` are task keys (named, or by test file).
    """

    case: TestCase
    requirements: frozenset[str]
    tasks: frozenset[str]
    order: int = 0  # the case's position in the results


@dataclass(slots=True)
class _FeatureIndex:
    feature: Feature
    reqs: dict[str, Requirement]  # canonical → requirement
    named: list[tuple[str, str]]  # (word slug, canonical) of multi-word named requirements
    tasks: dict[str, Task]  # canonical id and key → task
    task_refs: dict[str, list[str]]  # task key → canonical requirement refs into this feature
    files: dict[str, list[tuple[str, str]]]  # last module segment → [(module, task key)]
    slug: str
    # task key → (canonical requirement refs, the same plus its story, shown link)
    task_info: dict[str, tuple[list[str], list[str], str]]

    @classmethod
    def build(cls, ws: Workspace, f: Feature) -> _FeatureIndex:
        reqs: dict[str, Requirement] = {}
        named: list[tuple[str, str]] = []
        for r in f.requirements:
            key = canon(r.id)
            reqs.setdefault(key, r)
            if is_named(r.id):
                words = _words(r.id)
                if words.count("_") >= 1:
                    named.append((words, key))
        tasks: dict[str, Task] = {}
        files: dict[str, list[tuple[str, str]]] = {}
        refs: dict[str, list[str]] = {}
        for t in f.tasks:
            tasks.setdefault(t.key.casefold(), t)
            if t.id is not None:
                tasks.setdefault(canon(t.id), t)
            refs[t.key] = task_refs(ws, f, t)
            for path in task_test_files(t):
                mod = _module(path)
                files.setdefault(mod.rsplit("/", 1)[-1], []).append((mod, t.key))
        slug = f.id.split("-", 1)[1] if re.match(r"^\d+-", f.id) else f.id
        info = {
            t.key: (
                refs[t.key],
                [*refs[t.key], canon(t.story)] if t.story else refs[t.key],
                f"{f.id}/{t.id or t.key}",
            )
            for t in f.tasks
        }
        return cls(f, reqs, named, tasks, refs, files, _words(slug), info)

    def resolve_req(self, key: str) -> set[str]:
        if key in self.reqs:
            return {key}
        if DOTTED.match(key):
            return {k for k in self.reqs if covers(key, k)}
        return set()

    def resolve_task(self, key: str) -> Task | None:
        return self.tasks.get(key) or self.tasks.get(key.casefold())

    def file_tasks(self, modules: set[str]) -> set[str]:
        out: set[str] = set()
        for mod in modules:
            for task_mod, key in self.files.get(mod.rsplit("/", 1)[-1], ()):
                if _same_module(task_mod, mod):
                    out.add(key)
        return out


@record
class CaseFacts:
    """What a test case says about itself, independent of the workspace's specs: IDs in its
    name, classname and properties, and the test files (modules) it may come from."""

    plain: tuple[NameRef, ...]
    qualified: tuple[tuple[str, NameRef], ...]  # (feature ref, id)
    modules: frozenset[str]
    text: str  # name + classname, for OpenSpec requirement names


def analyse_cases(cases: Sequence[TestCase], root: str = "") -> list[CaseFacts]:
    """The facts of every case (cache them while the results do not change)."""
    return [_case_facts(c, root) for c in cases]


def _property_ref(kind: str, token: str) -> NameRef:
    key = canon(token)
    if kind == "req" and TASK_ID.match(token) and not PREFIXED.match(token):
        kind = "task"  # a task ID listed under "requirements" still links
    return NameRef(kind, key, token)


def _case_facts(case: TestCase, root: str) -> CaseFacts:
    plain = name_refs(case.name) + name_refs(case.classname)
    qualified: list[tuple[str, NameRef]] = []
    for text in (case.name, case.classname):
        if "/" in text:
            for m in _QUALIFIED.finditer(text):
                qualified.append((m.group("f"), _property_ref("req", m.group("id"))))
    for name, value in case.properties:
        kind = LINK_PROPERTIES.get(name.strip().casefold())
        if kind is None:
            continue
        for token in re.split(r"[,;\n]+", value):
            token = token.strip().strip("`'\"")
            if not token:
                continue
            feat, rid = split_ref(token)
            if feat is not None and _looks_like_id(rid):
                qualified.append((feat, _property_ref(kind, rid)))
            else:
                plain.append(_property_ref(kind, token))
    return CaseFacts(
        tuple(plain),
        tuple(qualified),
        frozenset(_case_modules(case, root)),
        f"{case.name} {case.classname}",
    )


def _looks_like_id(rid: str) -> bool:
    return (
        bool(PREFIXED.match(rid) or STORY_ID.match(rid) or TASK_ID.match(rid) or DOTTED.match(rid))
        or " " in rid.strip()
    )


# --------------------------------------------------------------------------- the trace


STATUS_ORDER = {"failed": 0, "passed": 1, "skipped": 2, "untested": 3}


def tests_status(cases: Iterable[TestCase]) -> str:
    """``failed`` if any failed or errored, else ``passed`` if any passed, else
    ``skipped`` (only skipped tests) or ``untested`` (none)."""
    seen = "untested"
    for c in cases:
        if c.failing:
            return "failed"
        if c.status == "passed":
            seen = "passed"
        elif c.status == "skipped" and seen == "untested":
            seen = "skipped"
    return seen


@record
class TraceRow:
    """One requirement with the tasks that reference it and the tests that prove it."""

    feature: str
    requirement: Requirement
    tasks: tuple[Task, ...]
    tests: tuple[TestCase, ...]

    @property
    def status(self) -> str:
        """passed | failed | untested (skipped tests prove nothing)."""
        s = tests_status(self.tests)
        return "untested" if s == "skipped" else s

    @property
    def gaps(self) -> tuple[str, ...]:
        if self.requirement.withdrawn:
            return ()  # nothing need implement or prove a withdrawn requirement
        out = []
        if not self.tasks:
            out.append("no task")
        if not any(c.status != "skipped" for c in self.tests):
            out.append("no test")
        if self.status == "failed":
            out.append("failing")
        return tuple(out)

    def to_json(self) -> dict[str, object]:
        return {
            "feature": self.feature,
            "requirement": self.requirement.id,
            "tasks": [t.id or t.key for t in self.tasks],
            "tests": [c.id for c in self.tests],
            "status": self.status,
        }


@dataclass(slots=True)
class Trace:
    """Links of every test case, per feature, and what they prove."""

    ws: Workspace
    cases: Sequence[TestCase]
    partial: bool = False  # linked into one feature only (see build_trace's ``only``)
    links: dict[str, list[CaseLink]] = field(default_factory=dict)  # feature id → links
    case_links: list[list[str]] = field(default_factory=list)  # per case: shown link IDs
    _index: dict[str, _FeatureIndex] = field(default_factory=dict)
    # built lazily from ``links``; not an init field, so ``dataclasses.replace(trace,
    # links=…)`` (a trace restricted to some links) starts with a fresh one
    _link_index: dict[str, _LinkIndex] = field(default_factory=dict, init=False)

    def _feature_index(self, feature: Feature) -> _FeatureIndex:
        idx = self._index.get(feature.id)
        if idx is None or idx.feature is not feature:  # e.g. a feature read from another branch
            idx = _FeatureIndex.build(self.ws, feature)
        return idx

    # -- requirements ------------------------------------------------------------------

    def tasks_for(self, feature: Feature, req: Requirement) -> list[Task]:
        """Tasks of ``feature`` referencing ``req`` (or labelled with its story)."""
        return tasks_for(self.ws, feature, req, self._feature_index(feature).task_refs)

    def _links_index(self, fid: str) -> _LinkIndex:
        found = self._link_index.get(fid)
        if found is None:
            found = self._link_index[fid] = _LinkIndex.build(self.links.get(fid, []))
        return found

    def row(self, feature: Feature, req: Requirement) -> TraceRow:
        key = canon(req.id)
        tasks = self.tasks_for(feature, req)
        li = self._links_index(feature.id)
        picked: dict[int, CaseLink] = {}
        for cl in li.direct.get(key, ()):
            picked[cl.order] = cl
        by_task = li.by_task if req.kind == "story" else li.by_task_unnamed
        for t in tasks:
            for cl in by_task.get(t.key, ()):
                picked[cl.order] = cl
        tests = tuple(picked[i].case for i in sorted(picked))
        return TraceRow(feature.id, req, tuple(tasks), tests)

    def rows(self, feature: Feature) -> list[TraceRow]:
        """Every requirement of ``feature``, tested or not, in spec order."""
        return [self.row(feature, r) for r in feature.requirements]

    def tested_rows(self) -> list[TraceRow]:
        """Requirements of every feature that at least one test links to."""
        out: list[TraceRow] = []
        for f in self.ws.features:
            if not self.links.get(f.id):
                continue
            out.extend(r for r in self.rows(f) if r.tests)
        return out

    # -- tasks -------------------------------------------------------------------------

    def task_tests(self, feature: Feature, task: Task) -> list[TestCase]:
        """Tests linked to ``task`` or naming one of its requirements."""
        idx = self._index.get(feature.id)
        if idx is None:
            return []
        li = self._links_index(feature.id)
        picked: dict[int, CaseLink] = {}
        for cl in li.by_task.get(task.key, ()):
            picked[cl.order] = cl
        for ref in idx.task_refs.get(task.key, []):
            keys = [k for k in li.direct if covers(ref, k)] if "." in ref else [ref]
            for k in keys:
                for cl in li.direct.get(k, ()):
                    picked[cl.order] = cl
        return [picked[i].case for i in sorted(picked)]

    def task_status(self, feature: Feature | None) -> dict[str, str]:
        """Task key → passed | failed | skipped for every task with linked tests."""
        if feature is None or not self.links.get(feature.id):
            return {}
        out: dict[str, str] = {}
        for t in feature.tasks:
            s = tests_status(self.task_tests(feature, t))
            if s != "untested":
                out[t.key] = s
        return out

    def done_failing(self, feature: Feature) -> list[Task]:
        """Done tasks whose linked tests fail."""
        status = self.task_status(feature)
        return [t for t in feature.tasks if t.done and status.get(t.key) == "failed"]


@dataclass(slots=True)
class _LinkIndex:
    """A feature's case links by requirement and by task."""

    direct: dict[str, list[CaseLink]]  # requirement key → links naming it
    by_task: dict[str, list[CaseLink]]  # task key → links to it
    by_task_unnamed: dict[str, list[CaseLink]]  # … of tests naming no requirement here

    @classmethod
    def build(cls, links: list[CaseLink]) -> _LinkIndex:
        direct: dict[str, list[CaseLink]] = {}
        by_task: dict[str, list[CaseLink]] = {}
        unnamed: dict[str, list[CaseLink]] = {}
        for cl in links:
            for k in cl.requirements:
                direct.setdefault(k, []).append(cl)
            for t in cl.tasks:
                by_task.setdefault(t, []).append(cl)
                if not cl.requirements:
                    unnamed.setdefault(t, []).append(cl)
        return cls(direct, by_task, unnamed)


@dataclass(slots=True)
class IndexCache:
    """Per-feature indexes kept between traces: a feature the loader kept (the same object,
    nothing in it changed) is not indexed again."""

    entries: dict[str, tuple[Feature, tuple[str, ...], _FeatureIndex]] = field(default_factory=dict)

    def get(self, ws: Workspace, f: Feature, ids: tuple[str, ...]) -> _FeatureIndex:
        hit = self.entries.get(f.id)
        if hit is not None and hit[0] is f and hit[1] == ids:
            return hit[2]
        idx = _FeatureIndex.build(ws, f)
        self.entries[f.id] = (f, ids, idx)
        return idx


def build_trace(
    ws: Workspace,
    cases: Sequence[TestCase],
    facts: Sequence[CaseFacts] | None = None,
    *,
    only: Feature | None = None,
    indexes: IndexCache | None = None,
) -> Trace:
    """Link every case to the requirements and tasks of ``ws``'s features.

    ``facts`` (:func:`analyse_cases` of the same cases) may be passed in when the results
    did not change but the workspace did: only the linking is done again.  With ``only``,
    links are made into that feature alone (the board's dots and its trace rows), still
    scoped by every feature's tasks; ``case_links`` then lists only links into it.
    """
    if facts is None:
        facts = analyse_cases(cases, ws.root)
    trace = Trace(ws, cases, partial=only is not None)
    ids = tuple(f.id for f in ws.features)
    cache = indexes if indexes is not None else IndexCache()
    index = {f.id: cache.get(ws, f, ids) for f in ws.features}
    if only is not None and only.id not in index:
        index[only.id] = cache.get(ws, only, ids)
    trace._index = index
    trace.links = {fid: [] for fid in index}
    target = only.id if only is not None else None
    default_scope = [f.id for f in ws.features if not f.archived] or list(index)
    any_named = any(idx.named for idx in index.values())
    scopes: dict[frozenset[str], tuple[dict[str, set[str]], list[str]]] = {}
    memo: dict[tuple[str, str, str], tuple[str, frozenset[str], tuple[str, ...]]] = {}
    for order, (case, fact) in enumerate(zip(cases, facts, strict=True)):
        found = _Found(index, memo)
        for feat_ref, ref in fact.qualified:
            f = ws.feature(feat_ref)
            if target is not None and (f is None or f.id != target):
                continue  # only links into the one feature are wanted
            if f is None or not found.link(f.id, ref):
                found.show(f"{feat_ref}/{ref.shown}")
        cached = scopes.get(fact.modules)
        if cached is None:
            cached = scopes[fact.modules] = _scope(index, fact.modules, default_scope)
        file_tasks, scope = cached
        if target is not None:
            scope = [target] if target in scope or not scope else []
            file_tasks = {target: file_tasks[target]} if target in file_tasks else {}
        unresolved: list[str] = []
        for ref in fact.plain:
            hit = False
            for fid in scope:
                hit = found.link(fid, ref) or hit
            if not hit:
                unresolved.append(ref.shown)
        if target is None:
            for shown in unresolved:
                found.show(shown)
        if any_named:
            words = f"_{_words(fact.text)}_"
            for fid in scope:
                idx = index[fid]
                for named, key in idx.named:
                    if f"_{named}_" in words:
                        found.reqs.setdefault(fid, set()).add(key)
                        found.show(f"{fid}/{idx.reqs[key].id}")
        for fid, keys in file_tasks.items():
            own = found.reqs.get(fid, set())
            for key in sorted(keys):
                reqs, reqs_and_story, shown = index[fid].task_info[key]
                # rule 3: named for other requirements than the ones this task references
                # (a story label alone references none: ``T003 [US1] … test_publish.py``)
                if own and reqs and not any(covers(r, k) for r in reqs_and_story for k in own):
                    continue
                found.tasks.setdefault(fid, set()).add(key)
                found.show(shown)
        for fid in set(found.reqs) | set(found.tasks):
            trace.links[fid].append(
                CaseLink(
                    case,
                    frozenset(found.reqs.get(fid, ())),
                    frozenset(found.tasks.get(fid, ())),
                    order,
                )
            )
        trace.case_links.append(found.shown)
    return trace


def _scope(
    index: dict[str, _FeatureIndex], modules: frozenset[str], default: list[str]
) -> tuple[dict[str, set[str]], list[str]]:
    """(task keys naming one of ``modules`` per feature, features bare IDs resolve in)."""
    file_tasks = (
        {fid: idx.file_tasks(set(modules)) for fid, idx in index.items()} if modules else {}
    )
    file_tasks = {fid: keys for fid, keys in file_tasks.items() if keys}
    scope = list(file_tasks)
    if not scope and modules:
        hay = "_" + "_".join(_words(m) for m in sorted(modules)) + "_"
        scope = [fid for fid, idx in index.items() if len(idx.slug) >= 5 and f"_{idx.slug}_" in hay]
    return file_tasks, scope or default


@dataclass(slots=True)
class _Found:
    """What one case links to, per feature, as it is being worked out."""

    index: dict[str, _FeatureIndex]
    memo: dict[tuple[str, str, str], tuple[str, frozenset[str], tuple[str, ...]]]
    reqs: dict[str, set[str]] = field(default_factory=dict)
    tasks: dict[str, set[str]] = field(default_factory=dict)
    shown: list[str] = field(default_factory=list)

    def show(self, link: str) -> None:
        if link not in self.shown:
            self.shown.append(link)

    def link(self, fid: str, ref: NameRef) -> bool:
        """Link ``ref`` if feature ``fid`` defines it; True when it did."""
        memo_key = (fid, ref.kind, ref.key)
        hit = self.memo.get(memo_key)
        if hit is None:
            hit = self.memo[memo_key] = self._resolve(fid, ref)
        kind, keys, shown = hit
        if kind == "req":
            self.reqs.setdefault(fid, set()).update(keys)
        elif kind == "task":
            self.tasks.setdefault(fid, set()).update(keys)
        else:
            return False
        for link in shown:
            self.show(link)
        return True

    def _resolve(self, fid: str, ref: NameRef) -> tuple[str, frozenset[str], tuple[str, ...]]:
        idx = self.index[fid]
        keys = idx.resolve_req(ref.key) if ref.kind == "req" else set()
        if keys:
            return "req", frozenset(keys), tuple(f"{fid}/{idx.reqs[k].id}" for k in sorted(keys))
        task = idx.resolve_task(ref.key) if ref.kind == "task" else None
        if task is not None:
            return "task", frozenset((task.key,)), (f"{fid}/{task.id or task.key}",)
        return "", frozenset(), ()


# --------------------------------------------------------------------------- JSON


def tests_json(
    ws: Workspace,
    cases: Sequence[TestCase],
    problems: Iterable[Problem],
    *,
    feature: Feature | None = None,
    trace: Trace | None = None,
) -> dict[str, object]:
    """The ``sdd-tui tests --json`` document."""
    trace = trace or build_trace(ws, cases)
    totals = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    for c in cases:
        totals["errors" if c.status == "error" else c.status] += 1
    rows = trace.rows(feature) if feature is not None else trace.tested_rows()
    return {
        "totals": totals,
        "cases": [c.to_json(links) for c, links in zip(cases, trace.case_links, strict=True)],
        "trace": [r.to_json() for r in rows],
        "problems": [p.to_json() for p in problems],
    }


tests_json.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
