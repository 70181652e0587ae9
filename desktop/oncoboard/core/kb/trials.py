"""The curated trial registry (``knowledgebase/trials/*.yaml``): schema and loading.

The registry holds, per randomised trial, the population it enrolled (line,
ECOG range, age, share of men, prior therapy, key exclusions) and, per
endpoint, how it was assessed (BICR or investigator), its data cut and
follow-up, and the hazard ratios between its arms. Arms are *network nodes*
from the controlled vocabulary ``knowledgebase/trials/nodes.yaml``, so that
trials sharing an arm can be joined in a network meta-analysis
(:mod:`oncoboard.core.survival.networks`) and a KB option can be mapped to a node by
its drug set.

A trial file looks like::

    network: {id: nsclc_alk_1l, tumor: NSCLC, biomarker: ALK rearrangement,
              line: first, reference: crizotinib, label: ...}
    trials:
      - trial: CROWN            # as in the curated outcomes' ``trial:``
        n: 296
        population: {line: first, ecog: [0, 1], ..., tumor: NSCLC}
        endpoints:
          - endpoint: PFS
            assessment: investigator
            pmid: "38819031"
            contrasts:
              - {treat: lorlatinib, control: crizotinib, hr: 0.19, ci: [0.13, 0.27]}
        not_pooled: ["figures found without a PMID, with their source"]

Every problem is reported with the file, the trial and the field (a
:class:`~oncoboard.core.errors.Problem`); :func:`load_trial_registry` never
raises for bad content, so the build can report all problems at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from oncoboard.core.errors import Problem
from oncoboard.core.kb.schema import PMID_RE

NODES_FILE = "nodes.yaml"
NODE_ID = r"^[a-z][a-z0-9_]*$"

Endpoint = Literal["PFS", "OS", "TTP"]
"""Endpoints that form networks. TTP is its own endpoint: never pooled with PFS."""

Line = Literal["first", "first_or_second", "second_or_later", "any"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class NodeDef(_Strict):
    """One network node: a regimen, or interchangeable regimens (``also``)."""

    id: Annotated[str, Field(pattern=NODE_ID)]
    label: str = Field(min_length=1)
    drugs: list[str] = Field(min_length=1, description="INN drug set of the regimen")
    also: list[list[str]] = Field(
        default_factory=list, description="Other drug sets mapped to the same node"
    )
    note: str | None = None

    def drug_sets(self) -> list[frozenset[str]]:
        """Every drug set (lower case) that maps to this node."""
        return [frozenset(d.lower() for d in s) for s in (self.drugs, *self.also)]


class Population(_Strict):
    """Who the trial enrolled (what 'trial population fit' is checked against)."""

    line: Line
    ecog: tuple[int, int] | None = Field(
        default=None, description="ECOG performance status range allowed [min, max]"
    )
    age_median: float | None = Field(default=None, gt=0, lt=120)
    age_range: tuple[float, float] | None = None
    male_fraction: float | None = Field(default=None, ge=0, le=1)
    prior_therapy: str | None = None
    key_exclusions: list[str] = Field(default_factory=list)
    biomarker: str = Field(min_length=1)
    tumor: str = Field(min_length=1, description="OncoTree code")
    source_pmid: str | None = Field(
        default=None, description="Publication the population fields were read from"
    )
    note: str | None = None

    @model_validator(mode="after")
    def _ranges(self) -> Population:
        if self.ecog is not None:
            lo, hi = self.ecog
            if not (0 <= lo <= hi <= 4):
                raise ValueError(
                    f"ecog must be [min, max] within 0-4, got {list(self.ecog)}"
                )
        if self.age_range is not None:
            a_lo, a_hi = self.age_range
            if not (0 < a_lo <= a_hi < 120):
                raise ValueError(
                    f"age_range must be [min, max] in years, got {list(self.age_range)}"
                )
            if self.age_median is not None and not a_lo <= self.age_median <= a_hi:
                raise ValueError("age_median lies outside age_range")
        if self.source_pmid is not None and not PMID_RE.match(self.source_pmid):
            raise ValueError(
                f"source_pmid must be digits only, got {self.source_pmid!r}"
            )
        return self


class TrialContrast(_Strict):
    """The hazard ratio of ``treat`` versus ``control`` (both node ids)."""

    treat: str
    control: str
    hr: float = Field(gt=0)
    ci: tuple[float, float] = Field(description="95% confidence interval of the HR")
    median_treat: float | None = Field(default=None, gt=0)
    median_control: float | None = Field(default=None, gt=0)
    checked: Literal["searched", "kb_curated"] = Field(
        description="searched: the figure was seen in a source during curation; "
        "kb_curated: taken from the curated KB entry citing the same PMID"
    )
    note: str | None = None

    @model_validator(mode="after")
    def _interval(self) -> TrialContrast:
        lo, hi = self.ci
        if not (0 < lo < self.hr < hi):
            raise ValueError(
                f"ci must satisfy 0 < lower < hr < upper, got hr {self.hr} ci {list(self.ci)}"
            )
        if self.treat == self.control:
            raise ValueError("treat and control are the same node")
        return self


class EndpointRecord(_Strict):
    """One analysis of one endpoint, from one publication (its PMID)."""

    endpoint: Endpoint
    assessment: Literal["BICR", "investigator"] | None = Field(
        description="Who assessed progression (null for OS)"
    )
    analysis: str | None = None
    data_cut: dt.date | None = None
    median_followup_months: float | None = Field(default=None, gt=0)
    max_followup_months: float | None = Field(default=None, gt=0)
    pmid: str
    contrasts: list[TrialContrast] = Field(min_length=1, max_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _checks(self) -> EndpointRecord:
        if not PMID_RE.match(self.pmid):
            raise ValueError(f"pmid must be digits only, got {self.pmid!r}")
        if self.endpoint in ("PFS", "TTP") and self.assessment is None:
            raise ValueError(
                f"{self.endpoint} needs an assessment (BICR or investigator)"
            )
        med, top = self.median_followup_months, self.max_followup_months
        if med is not None and top is not None and med > top:
            raise ValueError("median_followup_months exceeds max_followup_months")
        return self


class Trial(_Strict):
    trial: str = Field(min_length=1, description="As in the curated outcomes' trial:")
    design: str | None = None
    n: int | None = Field(default=None, ge=1)
    population: Population
    endpoints: list[EndpointRecord] = Field(default_factory=list)
    not_pooled: list[str] = Field(
        default_factory=list,
        description="Figures found but not pooled (no PMID, label only), with source",
    )
    note: str | None = None

    @model_validator(mode="after")
    def _one_analysis_per_endpoint(self) -> Trial:
        seen = [e.endpoint for e in self.endpoints]
        dupes = sorted({e for e in seen if seen.count(e) > 1})
        if dupes:
            raise ValueError(
                f"endpoint {', '.join(dupes)} listed twice; keep one analysis per "
                "endpoint and describe the others in the note"
            )
        return self


class NetworkDef(_Strict):
    id: Annotated[str, Field(pattern=NODE_ID)]
    label: str = Field(min_length=1)
    tumor: str = Field(min_length=1)
    biomarker: str = Field(min_length=1)
    line: Line
    reference: str = Field(description="Node id used as the reference arm")
    note: str | None = None


class TrialFile(_Strict):
    network: NetworkDef
    trials: list[Trial] = Field(min_length=1)


class NodeFile(_Strict):
    nodes: list[NodeDef] = Field(min_length=1)


@dataclass(frozen=True)
class RegisteredTrial:
    trial: Trial
    network: str  # NetworkDef.id
    source_file: str


@dataclass
class TrialRegistry:
    """Every node, network and trial of the registry, validated."""

    nodes: dict[str, NodeDef] = field(default_factory=dict)
    networks: dict[str, NetworkDef] = field(default_factory=dict)
    trials: list[RegisteredTrial] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def trial(self, name: str) -> RegisteredTrial | None:
        return next((t for t in self.trials if t.trial.trial == name), None)

    def trials_in(self, network: str) -> list[RegisteredTrial]:
        return [t for t in self.trials if t.network == network]


def _where(source: str, trial: str, fld: str = "") -> str:
    text = f"{source} trial {trial}"
    return f"{text} field {fld}" if fld else text


def _errors(exc: ValidationError, location: Callable[[str], str]) -> list[Problem]:
    out = []
    for err in exc.errors():
        fld = ".".join(str(p) for p in err["loc"]) or "(file)"
        out.append(Problem(location(fld), err["msg"].removeprefix("Value error, ")))
    return out


def _read(path: Path, name: str, problems: list[Problem]) -> dict | None:
    import yaml

    from oncoboard.core.kb.curated import read_yaml

    try:
        data = read_yaml(path)
    except yaml.YAMLError as exc:
        problems.append(Problem(name, f"not valid YAML: {exc}"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(name, "expected a mapping at the top level"))
        return None
    return data


def _load_nodes(trials_dir: Path, problems: list[Problem]) -> dict[str, NodeDef]:
    path = trials_dir / NODES_FILE
    name = f"{trials_dir.name}/{NODES_FILE}"
    if not path.is_file():
        problems.append(Problem(name, "node vocabulary missing"))
        return {}
    data = _read(path, name, problems)
    if data is None:
        return {}
    try:
        nodes = NodeFile.model_validate(data).nodes
    except ValidationError as exc:
        problems += _errors(exc, lambda f: f"{name} field {f}")
        return {}
    out: dict[str, NodeDef] = {}
    owners: dict[frozenset[str], str] = {}
    for node in nodes:
        if node.id in out:
            problems.append(Problem(f"{name} node {node.id}", "duplicate node id"))
        out[node.id] = node
        for s in node.drug_sets():
            if s in owners and owners[s] != node.id:
                problems.append(
                    Problem(
                        f"{name} node {node.id}",
                        f"drug set {sorted(s)} already maps to node {owners[s]!r}",
                    )
                )
            owners[s] = node.id
    return out


def _parse_trial_file(
    path: Path, name: str, problems: list[Problem]
) -> TrialFile | None:
    data = _read(path, name, problems)
    if data is None:
        return None
    net_id = str((data.get("network") or {}).get("id") or "?")
    try:
        return TrialFile.model_validate(data)
    except ValidationError as exc:
        raw = data.get("trials")
        trials: list[object] = raw if isinstance(raw, list) else []

        def location(fld: str) -> str:
            parts = fld.split(".")
            if parts[0] == "trials" and len(parts) > 1 and parts[1].isdigit():
                i = int(parts[1])
                item = trials[i] if i < len(trials) else None
                label = (
                    str(item.get("trial"))
                    if isinstance(item, dict) and item.get("trial")
                    else f"#{i + 1}"
                )
                return _where(name, label, ".".join(parts[2:]))
            return f"{name} network {net_id} field {fld}"

        problems += _errors(exc, location)
        return None


def load_trial_registry(
    trials_dir: Path,
    *,
    drug_known: Callable[[str], bool] | None = None,
    tumor_known: Callable[[str], bool] | None = None,
) -> tuple[TrialRegistry, list[Problem]]:
    """Read and check ``nodes.yaml`` and every other ``*.yaml`` in ``trials_dir``.

    Parameters
    ----------
    trials_dir
        ``knowledgebase/trials``.
    drug_known, tumor_known
        Optional vocabulary checks (the build passes the drug vocabulary and
        OncoTree); without them drug names and tumor codes are not checked.

    Returns
    -------
    tuple[TrialRegistry, list[Problem]]
        The trials that passed every check, and one problem (file, trial,
        field) per failure.
    """
    problems: list[Problem] = []
    registry = TrialRegistry()
    registry.nodes = _load_nodes(trials_dir, problems)
    if drug_known is not None:
        problems += _unknown_node_drugs(registry.nodes, trials_dir, drug_known)
    seen_trials: dict[str, str] = {}
    for path in sorted(trials_dir.glob("*.yaml")):
        if path.name != NODES_FILE:
            registry.files.append(path)
            problems += _register_file(path, registry, seen_trials, tumor_known)
    return registry, problems


def _unknown_node_drugs(
    nodes: dict[str, NodeDef], trials_dir: Path, drug_known: Callable[[str], bool]
) -> list[Problem]:
    name = f"{trials_dir.name}/{NODES_FILE}"
    return [
        Problem(f"{name} node {node.id} field drugs", f"unknown drug {d!r}")
        for node in nodes.values()
        for s in node.drug_sets()
        for d in sorted(s)
        if not drug_known(d)
    ]


def _register_file(
    path: Path,
    registry: TrialRegistry,
    seen_trials: dict[str, str],
    tumor_known: Callable[[str], bool] | None,
) -> list[Problem]:
    """Parse and check one network file; add it to ``registry`` if clean."""
    problems: list[Problem] = []
    name = f"{path.parent.name}/{path.name}"
    parsed = _parse_trial_file(path, name, problems)
    if parsed is None:
        return problems
    net = parsed.network
    if net.id in registry.networks:
        return [Problem(f"{name} network {net.id}", "network id used in another file")]
    problems += _check_network(parsed, name, registry.nodes, tumor_known)
    for t in parsed.trials:
        if t.trial in seen_trials:
            problems.append(
                Problem(
                    _where(name, t.trial, "trial"),
                    f"trial also registered in {seen_trials[t.trial]}",
                )
            )
        seen_trials[t.trial] = name
    if not problems:
        registry.networks[net.id] = net
        registry.trials += [RegisteredTrial(t, net.id, name) for t in parsed.trials]
    return problems


def _check_network(
    parsed: TrialFile,
    name: str,
    nodes: dict[str, NodeDef],
    tumor_known: Callable[[str], bool] | None,
) -> list[Problem]:
    net = parsed.network
    out: list[Problem] = []
    if net.reference not in nodes:
        out.append(
            Problem(
                f"{name} network {net.id} field reference",
                f"unknown node {net.reference!r}",
            )
        )
    if tumor_known is not None and not tumor_known(net.tumor):
        out.append(
            Problem(
                f"{name} network {net.id} field tumor",
                f"unknown OncoTree code {net.tumor!r}",
            )
        )
    for t in parsed.trials:
        out += _check_trial(t, net, name, nodes, tumor_known)
    return out


def _compatible_line(trial_line: str, network_line: str) -> bool:
    if trial_line == network_line or trial_line == "any":
        return True
    return trial_line == "first_or_second" and network_line in (
        "first",
        "second_or_later",
    )


def _check_trial(
    t: Trial,
    net: NetworkDef,
    name: str,
    nodes: dict[str, NodeDef],
    tumor_known: Callable[[str], bool] | None,
) -> list[Problem]:
    out: list[Problem] = []
    pop = t.population
    if tumor_known is not None and not tumor_known(pop.tumor):
        out.append(
            Problem(
                _where(name, t.trial, "population.tumor"),
                f"unknown OncoTree code {pop.tumor!r}",
            )
        )
    if pop.tumor != net.tumor:
        out.append(
            Problem(
                _where(name, t.trial, "population.tumor"),
                f"{pop.tumor!r} differs from the network's {net.tumor!r}",
            )
        )
    if not _compatible_line(pop.line, net.line):
        out.append(
            Problem(
                _where(name, t.trial, "population.line"),
                f"{pop.line!r} does not fit a {net.line!r}-line network",
            )
        )
    for i, e in enumerate(t.endpoints):
        for j, c in enumerate(e.contrasts):
            for role in ("treat", "control"):
                node = getattr(c, role)
                if node not in nodes:
                    out.append(
                        Problem(
                            _where(
                                name, t.trial, f"endpoints.{i}.contrasts.{j}.{role}"
                            ),
                            f"unknown node {node!r}; add it to {NODES_FILE}",
                        )
                    )
    return out


def contrasts_for(
    registry: TrialRegistry, network: str, endpoint: str
) -> Iterable[tuple[RegisteredTrial, EndpointRecord, TrialContrast]]:
    """Every contrast of ``network`` for exactly ``endpoint`` (TTP never yields PFS)."""
    for rt in registry.trials_in(network):
        for e in rt.trial.endpoints:
            if e.endpoint == endpoint:
                for c in e.contrasts:
                    yield rt, e, c
