"""Genomic profiles in: VCF, MAF, panel tables and case-file alterations become
one list of normalised alterations the matcher can trust.

Public API (others code against these names):

* :class:`NormalisedAlteration`, :class:`ProfileFlag`, :class:`Her2Assessment`,
  :class:`Profile`, :class:`VariantImport`
* :func:`build_profile`, :func:`read_variant_file`, :func:`import_variant_file`
* :func:`normalise_gene`, :func:`parse_protein_change`, :func:`assess_her2`
* :func:`vaf_series`, :func:`liquid_biopsy_flags`
* :func:`tumor_samples`, :func:`case_alterations` (variant file -> case alterations)

The rules, recognised column names and thresholds are in ``docs/profiles.md``.
"""

from __future__ import annotations

from oncoboard.core.profiles.ctdna import liquid_biopsy_flags, vaf_series
from oncoboard.core.profiles.genes import normalise_gene
from oncoboard.core.profiles.her2 import assess_her2
from oncoboard.core.profiles.model import (
    Her2Assessment,
    NormalisedAlteration,
    Profile,
    ProfileFlag,
    SampleInfo,
    VariantImport,
)
from oncoboard.core.profiles.profile import (
    build_profile,
    import_variant_file,
    read_variant_file,
)
from oncoboard.core.profiles.protein import (
    ProteinChange,
    ProteinParseError,
    parse_protein_change,
)
from oncoboard.core.profiles.to_case import (
    CaseAlterations,
    TumorSamples,
    case_alterations,
    tumor_samples,
)

__all__ = [
    "CaseAlterations",
    "TumorSamples",
    "case_alterations",
    "tumor_samples",
    "Her2Assessment",
    "NormalisedAlteration",
    "Profile",
    "ProfileFlag",
    "ProteinChange",
    "ProteinParseError",
    "SampleInfo",
    "VariantImport",
    "assess_her2",
    "build_profile",
    "import_variant_file",
    "liquid_biopsy_flags",
    "normalise_gene",
    "parse_protein_change",
    "read_variant_file",
    "vaf_series",
]
