"""Rule-based extraction of structured eligibility from a trial record.

Readable rules, no model: the eligibility text is cut into sentences (one
bullet = one sentence) under their section (inclusion or exclusion); title,
keywords and conditions are sentences of their own.  In each sentence:

1. prior-therapy phrases ("prior KRAS G12C inhibitor", "anti-PD-1") become
   ``prior_therapy`` criteria (required, or excluded in the exclusion section or
   when negated: "not allowed", "naive") and are blanked out, so that "EGFR TKI"
   is not read as an EGFR biomarker;
2. statuses (HER2-positive/-low/-negative, HR-positive, triple-negative,
   MSI-H/dMMR, TMB-high, PD-L1 cut-offs, CLDN18.2) and gene alterations (a
   protein change, exon, fusion, amplification, expression, mutation, wild-type)
   become ``biomarker`` criteria;
3. an ECOG range in the inclusion section becomes an ``ecog`` criterion.

The effect is ``excluded`` in the exclusion section or after a negation in the
same clause ("without EGFR mutation", "KRAS wild-type"), else ``required``
(both: required).  Genes listed together in a required clause ("BRCA1, BRCA2 or
PALB2") form one any-of criterion (``BRCA1/BRCA2/PALB2``); in an excluding clause
each gene is its own criterion.  Every criterion keeps its exact sentence and is
``auto``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from oncoboard.core.trials.model import Criterion, Effect, Section, TrialRecord

# -- sentences --------------------------------------------------------------------------

_HEADER = re.compile(
    r"^\W*(?:key\s+|main\s+|major\s+)?(inclusion|exclusion)\s+criteri", re.I
)
_BULLET = re.compile(
    r"^\s*(?:[*\u2022\-\u2013]+|\(?\d{1,2}[.)]|\(?[a-z][.)]|[ivx]+[.)])\s*"
)


def sentences(record: TrialRecord) -> Iterator[tuple[Section, str]]:
    """(section, sentence) of the eligibility text, then title, keywords, conditions."""
    section: Section = "inclusion"
    for line in record.eligibility.splitlines():
        header = _HEADER.match(line)
        if header:
            section = (
                "inclusion" if header.group(1).lower() == "inclusion" else "exclusion"
            )
            continue
        text = _BULLET.sub("", line).strip()
        if len(text) > 2:
            yield section, text
    for title in dict.fromkeys(t for t in (record.title, record.official_title) if t):
        yield "title", title
    for keyword in record.keywords:
        yield "keywords", keyword
    for condition in record.conditions:
        yield "conditions", condition


# -- vocabulary -------------------------------------------------------------------------

PRIOR_CLASSES: tuple[tuple[str, str], ...] = (
    (
        r"(?:treatment|therap\w*|agents?|drugs?) targeting KRAS\s*G12C(?: mutations?)?|"
        r"KRAS\s*G12C[- ]?(?:small[- ]molecule |selective |specific )?(?:inhibitors?|targeted|directed)|sotorasib|adagrasib|divarasib|olomorasib",
        "kras_g12c_inhibitor",
    ),
    (
        r"EGFR[- ]?(?:TKIs?|tyrosine kinase inhibitors?|inhibitors?|targeted therap\w+)|osimertinib|gefitinib|erlotinib|afatinib",
        "egfr_tki",
    ),
    (
        r"anti[- ]?EGFR(?: monoclonal)?(?: antibod\w+| therap\w+)?|cetuximab|panitumumab",
        "anti_egfr_antibody",
    ),
    (
        r"ALK[- ]?(?:TKIs?|tyrosine kinase inhibitors?|inhibitors?)|alectinib|lorlatinib|crizotinib|brigatinib",
        "alk_tki",
    ),
    (r"ROS1[- ]?(?:TKIs?|inhibitors?)|entrectinib|repotrectinib", "ros1_tki"),
    (r"MET[- ]?(?:TKIs?|inhibitors?)|capmatinib|tepotinib", "met_tki"),
    (r"RET[- ]?inhibitors?|selpercatinib|pralsetinib", "ret_inhibitor"),
    (r"(?:NTRK|TRK)[- ]?inhibitors?|larotrectinib", "trk_inhibitor"),
    (r"BRAF[- ]?inhibitors?|dabrafenib|encorafenib|vemurafenib", "braf_inhibitor"),
    (r"MEK[- ]?inhibitors?|trametinib|binimetinib", "mek_inhibitor"),
    (r"FGFR[- ]?inhibitors?|erdafitinib|pemigatinib", "fgfr_inhibitor"),
    (
        r"CDK\s?4/6[- ]?inhibitors?|palbociclib|ribociclib|abemaciclib",
        "cdk46_inhibitor",
    ),
    (
        r"PARP[- ]?inhibitors?|PARPi|olaparib|niraparib|rucaparib|talazoparib",
        "parp_inhibitor",
    ),
    (
        r"PI3K(?:/AKT)?(?:/mTOR)?[- ]?inhibitors?|AKT[- ]?inhibitors?|alpelisib|capivasertib|inavolisib",
        "pi3k_akt_inhibitor",
    ),
    (
        r"anti[- ]?HER[- ]?2(?:[- ]?(?:directed|targeted))?(?: therap\w+| agents?| treatment)?|HER[- ]?2[- ](?:directed|targeted)(?: therap\w+| agents?)?|trastuzumab(?: deruxtecan| emtansine)?|T-DXd|pertuzumab|tucatinib",
        "anti_her2",
    ),
    (
        r"anti[- ]?PD-?\(?L?\)?-?1|PD-?\(?L\)?-?1[- ]?(?:inhibitors?|blockade|antibod\w+|targeted)|PD-1/PD-L1[- ]?(?:inhibitors?|antibod\w+|blockade)?|immune[- ]checkpoint[- ]inhibitors?|checkpoint[- ]inhibitors?|ICIs?\b|pembrolizumab|nivolumab|atezolizumab|durvalumab|cemiplimab|tislelizumab|sintilimab|toripalimab|camrelizumab",
        "anti_pd1_pdl1",
    ),
    (r"anti[- ]?CTLA-?4|ipilimumab|tremelimumab", "anti_ctla4"),
    (
        r"(?:CLDN\s?18\.2|claudin[- ]?18\.2)[- ]?(?:targeting|targeted|directed)(?: \w+)?|zolbetuximab",
        "anti_cldn18_2",
    ),
    (r"antibody[- ]drug conjugates?|\bADCs?\b", "antibody_drug_conjugate"),
)
_PRIOR_PATTERNS = tuple(
    (re.compile(rf"(?<![\w-])(?:{p})", re.I), c) for p, c in PRIOR_CLASSES
)
_PRIOR_CONTEXT = re.compile(
    r"\b(prior(?! to)|previous(?:ly)?|received|receiving|treated with|treatment with|therapy with|exposure|"
    r"exposed|progress\w*|refractory|resistan\w+|naive|naïve|pretreated|failure|"
    r"(?:after|following) (?:progression|failure|treatment|therapy))\b",
    re.I,
)
PRIOR_WINDOW = 45  # characters before a drug phrase where "prior", "after" ... must be
_PRIOR_ALLOWED = re.compile(
    r"\b(allowed|permitted|acceptable|may have|eligible)\b", re.I
)
_NEG = re.compile(
    r"\b(without|no|absence of|negative for|lack of|free of|never|other than|except|excluding|"
    r"(?:do|does|must|should|will) not (?:have|harbou?r|carry|be)|not harbou?r\w*|not carry\w*)\b",
    re.I,
)
NEGATION_WINDOW = 40  # characters before a gene in its clause where a negation counts


GENES = (
    "KRAS",
    "NRAS",
    "HRAS",
    "BRAF",
    "EGFR",
    "ERBB2",
    "ALK",
    "ROS1",
    "RET",
    "MET",
    "NTRK1",
    "NTRK2",
    "NTRK3",
    "NTRK",
    "FGFR1",
    "FGFR2",
    "FGFR3",
    "FGFR4",
    "FGFR",
    "IDH1",
    "IDH2",
    "PIK3CA",
    "AKT1",
    "PTEN",
    "ESR1",
    "BRCA1",
    "BRCA2",
    "BRCA",
    "PALB2",
    "ATM",
    "CDK12",
    "CHEK2",
    "KIT",
    "PDGFRA",
    "NRG1",
    "TP53",
    "STK11",
    "KEAP1",
    "MTAP",
    "CDKN2A",
    "BCR-ABL1",
    "FLT3",
    "NPM1",
    "JAK2",
    "CALR",
)
_GENE_ALIASES = {
    "HER2": "ERBB2",
    "HER-2": "ERBB2",
    "HER 2": "ERBB2",
    "HUMAN EPIDERMAL GROWTH FACTOR RECEPTOR 2": "ERBB2",
    "ANAPLASTIC LYMPHOMA KINASE": "ALK",
    "EPIDERMAL GROWTH FACTOR RECEPTOR": "EGFR",
    "BCR-ABL": "BCR-ABL1",
}
_GENE_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(
        sorted(
            [re.escape(g) for g in GENES]
            + [re.escape(a).replace(r"\ ", r"\s?") for a in _GENE_ALIASES],
            key=len,
            reverse=True,
        )
    )
    + r")(?:\s*1/2(?:/3)?|\s*1/2/3|/2)?(m\b)?(?![a-z])",
    re.I,
)
_SPLIT_GENES = {
    "BRCA": ("BRCA1", "BRCA2"),
    "NTRK": ("NTRK1", "NTRK2", "NTRK3"),
    "FGFR": ("FGFR1", "FGFR2", "FGFR3"),
}
_FUSION_GENES = {
    "ALK",
    "ROS1",
    "RET",
    "NTRK1",
    "NTRK2",
    "NTRK3",
    "NRG1",
    "BCR-ABL1",
    "FGFR2",
}

_CHANGE = re.compile(
    r"^[\s^:-]*(?:p\.)?\(?([ACDEFGHIKLMNPQRSTVWY])(\d{1,4})([ACDEFGHIKLMNPQRSTVWY]|X\b)(?!\d)"
)
_EXON = re.compile(
    r"\bex(?:on)?s?\s?(\d{1,2})(?:\s*(?:,|or|and|/)\s*(\d{1,2}))?\s*(del\w*|ins\w*|skip\w*|mutat\w*|alter\w*)?",
    re.I,
)
_KINDS = (
    (
        re.compile(r"wild[- ]?type|\bwt\b|negative for (?:\w+ )?mutation", re.I),
        "wild-type",
    ),
    (
        re.compile(r"fusions?|rearrange\w*|translocat\w*|\bpositive\b|\+", re.I),
        "fusion",
    ),
    (re.compile(r"amplif\w*", re.I), "amplification"),
    (re.compile(r"sensiti[sz]ing|activating|common", re.I), "sensitizing"),
    (re.compile(r"overexpress\w*|express\w*|\bIHC\b", re.I), "expression"),
    (
        re.compile(
            r"point mutations?|kinase domain mutations?|resistance mutations?", re.I
        ),
        "point mutation",
    ),
    (
        re.compile(
            r"mutat\w*|mutant|variant\w*|alteration\w*|aberration\w*|altered|driver|pathogenic|deleterious|"
            r"deficien\w*|loss",
            re.I,
        ),
        "mutation",
    ),
)

STATUS_RULES: tuple[tuple[str, str, str], ...] = (
    (
        r"low HER[- ]?2 expression|HER[- ]?2[- ]?(?:low)|HER2-?low|IHC\s*1\+\s*(?:or|/)\s*(?:IHC\s*)?2\+\s*/?\s*ISH[- ]?(?:negative|-)",
        "HER2",
        "low",
    ),
    (r"HER[- ]?2[- ]?(?:ultra[- ]?low)", "HER2", "ultralow"),
    (
        r"HER[- ]?2\)?[- ]?(?:positive|pos\b|\+(?!\w)|over[- ]?expressi\w+|amplified)|HER[- ]?2\s*IHC\s*3\+",
        "HER2",
        "positive",
    ),
    (
        r"HER[- ]?2\)?[- ]?(?:negative|neg\b|-(?![\w]))|HER[- ]?2\s+non[- ]?amplified",
        "HER2",
        "negative",
    ),
    (r"HER[- ]?2[- ]?(?:expressing|expression)", "HER2", "expression"),
    (r"triple[- ]negative|\bTNBC\b", "HR", "triple-negative"),
    (
        r"(?:hormone[- ]receptor|\bHR|\bER|estrogen[- ]receptor|oestrogen[- ]receptor)[- ]?(?:positive|\+)",
        "HR",
        "positive",
    ),
    (
        r"MSI[- ]?H(?:igh)?\b|microsatellite[- ]instability[- ]high|high[- ]microsatellite|\bdMMR\b|mismatch[- ]repair[- ]deficien\w+",
        "MSI",
        "high",
    ),
    (
        r"\bMSS\b|microsatellite[- ]stable|\bpMMR\b|mismatch[- ]repair[- ]proficient",
        "MSI",
        "stable",
    ),
    (
        r"TMB[- ]?H(?:igh)?\b|high tumou?r mutational burden|tumou?r mutational burden[- ]high",
        "TMB",
        "high",
    ),
    (
        r"(?:CLDN\s?18\.2|claudin[- ]?18(?:\.2| isoform 2))[- ]?(?:positive|positivity|\+|express\w*)|"
        r"positive (?:CLDN\s?18\.2|claudin[- ]?18\.2)",
        "CLDN18.2",
        "positive",
    ),
    (
        r"homologous recombination repair|\bHRRm?\b|\bHRD\b|homologous recombination deficien\w+",
        "HRR",
        "mutation",
    ),
)
_STATUS_PATTERNS = tuple((re.compile(p, re.I), g, a) for p, g, a in STATUS_RULES)
_PDL1 = re.compile(
    r"PD-?L1(?:[^.;]{0,60}?\b(TPS|CPS|tumou?r proportion score|combined positive score|TC|expression|"
    r"positive|high|negative|known|status)\b)?(?:[^.;\d]{0,30}?(≥|>=|>|≤|<=|<|greater than or equal to|"
    r"at least|less than)\s*\(?(?:≥|>=)?\)?\s*(\d{1,3})\s*(?:%|percent)?)?",
    re.I,
)


# -- extraction -------------------------------------------------------------------------


def _clauses(sentence: str) -> list[tuple[int, str]]:
    """Clauses of a sentence with their offsets (split at ; : and ". ")."""
    out, start = [], 0
    for m in re.finditer(r";|:|\.\s|\bbut\b", sentence):
        out.append((start, sentence[start : m.start()]))
        start = m.end()
    out.append((start, sentence[start:]))
    return out


def _negated(clause: str, pos: int) -> bool:
    return bool(_NEG.search(clause[max(0, pos - NEGATION_WINDOW) : pos]))


def _effect(section: Section, negated: bool) -> Effect:
    return "excluded" if (section == "exclusion") != negated else "required"


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _prior_therapy(section: Section, sentence: str) -> tuple[list[Criterion], str]:
    found: list[Criterion] = []
    text = sentence
    for pattern, klass in _PRIOR_PATTERNS:
        for m in pattern.finditer(text):
            text = _blank(text, m.start(), m.end())
            near = sentence[max(0, m.start() - PRIOR_WINDOW) : m.start()]
            in_phrase = re.match(r"treatment|therap", m.group(0), re.I)
            if section in ("keywords", "conditions") or not (
                _PRIOR_CONTEXT.search(near) or in_phrase
            ):
                continue
            if (
                section != "exclusion"
                and _PRIOR_ALLOWED.search(sentence)
                and not re.search(r"\bnot\b", sentence, re.I)
            ):
                continue
            negated = bool(
                re.search(
                    r"\b(no|not|without|naive|naïve|never|must not)\b", near, re.I
                )
            ) or bool(
                re.search(
                    r"\bnot (?:be )?(?:allowed|permitted)|\bexcluded\b|\bnaive|\bnaïve",
                    sentence,
                    re.I,
                )
            )
            found.append(
                Criterion(
                    "prior_therapy",
                    _effect(section, negated),
                    klass,
                    "received",
                    section,
                    sentence,
                )
            )
    return found, text


def _statuses(
    section: Section, sentence: str, text: str
) -> tuple[list[Criterion], str]:
    found: list[Criterion] = []
    for clause_start, clause in _clauses(text):
        for pattern, gene, alteration in _STATUS_PATTERNS:
            if gene == "HR" and re.search(
                r"\bHR[- ]?(?:positive|\+)\s*or\s*(?:HR[- ]?)?negative", clause, re.I
            ):
                continue  # "HR-positive or HR-negative": either
            for m in pattern.finditer(clause):
                negated = _negated(clause, m.start()) and alteration not in (
                    "negative",
                    "stable",
                )
                found.append(
                    Criterion(
                        "biomarker",
                        _effect(section, negated),
                        gene,
                        alteration,
                        section,
                        sentence,
                    )
                )
                a, b = clause_start + m.start(), clause_start + m.end()
                text = _blank(text, a, b)
                clause = _blank(clause, m.start(), m.end())
    for m in _PDL1.finditer(text):
        kind, op, value = m.group(1), m.group(2), m.group(3)
        if value is not None:
            metric = (
                "CPS"
                if kind and kind.upper().startswith(("CPS", "COMBINED"))
                else "TPS"
            )
            low = op.lower() in ("<", "≤", "<=", "less than")
            alteration = f"{metric}{'<' if low else '>='}{int(value)}"
        elif kind and kind.lower() in ("negative",):
            alteration = "TPS<1"
        elif kind and kind.lower() in ("positive", "high"):
            alteration = "positive"
        elif kind and kind.lower() in ("known", "status", "expression"):
            alteration = "tested"
        else:
            continue
        clause_neg = _negated(text[max(0, m.start() - 60) : m.start()], 10**6)
        found.append(
            Criterion(
                "biomarker",
                _effect(section, clause_neg and alteration != "TPS<1"),
                "PD-L1",
                alteration,
                section,
                sentence,
            )
        )
        text = _blank(text, m.start(), m.end())
    return found, text


def _gene_alteration(gene: str, after: str, before: str) -> str:
    nxt = _GENE_RE.search(after)
    if nxt:
        after = after[: nxt.start()]
    change = _CHANGE.match(after)
    if change and gene not in _FUSION_GENES:
        return "".join(change.groups())
    window = after[:45]
    exon = _EXON.search(window)
    if exon and gene in ("EGFR", "ERBB2", "MET", "KIT", "BRAF"):
        kind = (exon.group(3) or "").lower()
        word = (
            "deletion"
            if kind.startswith("del")
            else "insertion"
            if kind.startswith("ins")
            else (
                "skipping" if kind.startswith("skip") or gene == "MET" else "mutation"
            )
        )
        exons = [e for e in exon.groups()[:2] if e]
        return "/".join(f"exon {e} {word}" for e in exons)
    if gene == "EGFR" and (
        re.search(r"L858R|ex(?:on)?\s?19\s?del", window, re.I)
        or re.search(r"(common|sensiti[sz]ing|activating)\s*$", before, re.I)
    ):
        return "sensitizing"
    for pattern, kind in _KINDS:
        hit = pattern.search(window[:30])
        if hit:
            if kind == "fusion" and gene not in _FUSION_GENES:
                if hit.group(0).lower() in ("positive", "+"):
                    return "mutation"
                continue
            return kind
    return ""


_AFTER_NEG = re.compile(
    r"[\w\s-]{0,25}?\b(negative|wild[- ]?type|not detected)\b", re.I
)


def _genes(section: Section, sentence: str, text: str) -> list[Criterion]:
    found: list[Criterion] = []
    for _, clause in _clauses(text):
        groups: dict[tuple[Effect, str], list[str]] = {}
        for m in _GENE_RE.finditer(clause):
            raw = re.sub(r"\s+", " ", m.group(1)).upper()
            gene = _GENE_ALIASES.get(raw, raw)
            alteration = (
                "mutation"
                if m.group(2)
                else _gene_alteration(gene, clause[m.end() :], clause[: m.start()])
            )
            if not alteration:
                # A gene in a list ("EGFR, ALK, or ROS1 alterations"): the list's word follows later.
                tail = re.match(
                    r"[\w\s,/()-]{0,200}?\b(alterations?|mutations?|fusions?|rearrangements?|"
                    r"aberrations?|drivers?|wild[- ]?type)\b",
                    clause[m.end() :],
                    re.I,
                )
                alteration = _gene_alteration(gene, tail.group(1), "") if tail else ""
                if not alteration and re.search(
                    r"(alteration|mutation|driver|aberration)s?[^.;]{0,250}$",
                    clause[: m.start()],
                    re.I,
                ):
                    alteration = "mutation"
            if not alteration:
                continue
            negated = (
                _negated(clause, m.start())
                or alteration == "wild-type"
                or bool(_AFTER_NEG.match(clause[m.end() :]))
            )
            if alteration == "wild-type":
                alteration = "mutation"
            effect = _effect(section, negated)
            group = groups.setdefault((effect, alteration), [])
            group.extend(g for g in _SPLIT_GENES.get(gene, (gene,)) if g not in group)
        for (effect, alteration), members in groups.items():
            if effect == "required":
                found.append(
                    Criterion(
                        "biomarker",
                        effect,
                        "/".join(members),
                        alteration,
                        section,
                        sentence,
                    )
                )
            else:
                found.extend(
                    Criterion("biomarker", effect, g, alteration, section, sentence)
                    for g in members
                )
    return found


def _ecog(section: Section, sentence: str) -> list[Criterion]:
    m = re.search(
        r"\b(?:ECOG|Eastern Cooperative Oncology Group)\b([^.;]{0,60})", sentence, re.I
    )
    if not m or section != "inclusion":
        return []
    tail = m.group(1)
    nums = [int(n) for n in re.findall(r"(?<![\d.])([0-4])(?![\d.%])", tail)]
    if not nums:
        return []
    top = max(nums)
    if re.search(r"<\s*" + str(top), tail) and not re.search(r"<=|≤", tail):
        top -= 1
    return [Criterion("ecog", "required", "ECOG", str(top), section, sentence)]


_COHORT = re.compile(
    r"^\W*(phase \d\w*|cohorts?|parts?|arms?|group)\b[^:]{0,30}:", re.I
)
_STRATIFIED = re.compile(
    r"\b(vs\.?|versus|regardless|irrespective|stratif\w*)\b|\bunknown\)", re.I
)


def extract(record: TrialRecord) -> tuple[Criterion, ...]:
    """The structured criteria of one trial, each with its sentence; first mention wins."""
    out: dict[tuple[str, str, str, str], Criterion] = {}
    for section, sentence in sentences(record):
        priors, text = _prior_therapy(section, sentence)
        statuses, text = _statuses(section, sentence, text)
        genes = _genes(section, sentence, text)
        if any(c.gene == "HER2" for c in statuses):
            # "HER2-positive (IHC 3+ or ISH amplified)": the status says it all
            genes = [c for c in genes if c.gene != "ERBB2" or "exon" in c.alteration]
        biomarkers = statuses + genes
        if section in ("inclusion", "exclusion") and _STRATIFIED.search(sentence):
            biomarkers = []  # "ESR1m versus ESR1nmd", "regardless of PD-L1": not a requirement
        elif _STRATIFIED.search(sentence):
            biomarkers = [c for c in biomarkers if c.gene != "PD-L1"]
        if _COHORT.match(
            sentence
        ):  # "Phase 3: ... PD-L1 TPS >= 50%": one cohort's cut-off
            biomarkers = [c for c in biomarkers if c.gene != "PD-L1"]
        criteria = priors + biomarkers + _ecog(section, sentence)
        for c in criteria:
            out.setdefault((c.kind, c.effect, c.gene, c.alteration), c)
    return tuple(out.values())
