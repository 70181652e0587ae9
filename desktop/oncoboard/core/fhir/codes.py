"""The codes OncoBoard writes and reads in FHIR Genomics Reporting bundles.

Every code here is taken from the HL7 FHIR Genomics Reporting IG examples in
``../shared/data/examples/fhir_genomics_reporting`` (``IG:`` below names the file and
instance), or, where those examples lack one, from a published profile or example
that builds on the IG (``seen:`` names it).  Nothing is made up: a concept with no
code found stays text only (see ``docs/fhir.md``).
"""

from __future__ import annotations

LOINC = "http://loinc.org"
HGNC = "http://www.genenames.org/geneId"  # IG: oncology-report-example.json
HGVS = "http://varnomen.hgvs.org"  # IG: oncology-report-example.json
SEQUENCE_ONTOLOGY = (
    "http://www.sequenceontology.org"  # IG: somaticReportPDFexamples.fsh
)
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DIAGNOSTIC_SERVICE = "http://terminology.hl7.org/CodeSystem/v2-0074"  # GE "Genetics"
SPECIMEN_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0487"  # TUMOR (JSON example)
TBD_CODES = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs"
RELATED_ARTIFACT = "http://hl7.org/fhir/StructureDefinition/workflow-relatedArtifact"
# seen: the IG's derived MII profiles (medizininformatik-initiative/kerndatensatzmodul-
# GenetischeTests) write citations with this extension URL; the IG FSH names the slice.

_IG = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/"
PROFILE_GENOMIC_REPORT = _IG + "genomic-report"  # IG: somatics.md, GenomicReport
PROFILE_VARIANT = _IG + "variant"  # IG: EGFR-L858R-var meta.profile
PROFILE_BIOMARKER = _IG + "molecular-biomarker"  # IG: TMBExample meta.profile
PROFILE_THERAPEUTIC = _IG + "therapeutic-implication"  # IG: ROS1-Fusion-therapuTrial

# Report and observation codes (LOINC)
GENETIC_ANALYSIS_REPORT = ("51969-4", "Genetic analysis report")  # IG: somaticReport
MASTER_VARIANT_PANEL = ("81247-9", "Master HL7 genetic variant reporting panel")  # JSON
VARIANT_ASSESSMENT = ("69548-6", "Genetic variant assessment")  # IG: EGFR-L858R-var
PRESENT = ("LA9633-4", "Present")  # IG: EGFR-L858R-var valueCodeableConcept
SEQUENCING = ("LA26398-0", "Sequencing")  # IG: EGFR-L858R-var method
TMB = ("94076-7", "Mutations/Megabase [# Ratio] in Tumor")  # IG: TMBExample
MSI = (
    "81695-9",
    "Microsatellite instability [Interpretation] in Cancer specimen Qualitative",
)  # IG: MSIExample
MSI_HIGH = ("LA26203-2", "MSI-H")  # IG: MSIExample
MSI_STABLE = ("LA14122-8", "Stable")  # seen: MII mikrosatelliteninstabilitaet-1
PDL1 = (
    "85147-7",
    "PD-L1 by clone 22C3 in Tissue by Immune stain Report",
)  # IG: PDL1Example
CD274 = ("HGNC:17635", "CD274")  # IG: PDL1Example gene-studied

# Variant components (LOINC), IG: EGFR-L858R-var and oncology-report-example.json
GENE_STUDIED = ("48018-6", "Gene studied [ID]")
GENOMIC_SOURCE_CLASS = ("48002-0", "Genomic source class")
SOMATIC = ("LA6684-0", "Somatic")
GERMLINE = ("LA6683-2", "Germline")  # seen: IG family examples, mCODE genomics examples
CODING_HGVS = ("48004-6", "DNA change (c.HGVS)")
PROTEIN_HGVS = ("48005-3", "Amino acid change (pHGVS)")
CHANGE_TYPE = ("48019-4", "DNA change type")
VAF = ("81258-6", "Sample VAF")
READ_DEPTH = ("82121-5", "Allelic read depth")
VARIATION_CODE = ("81252-9", "Discrete genetic variant")  # seen: MII variante-1
COPY_NUMBER = ("82155-3", "Genomic structural variant copy number")
# seen: the IG's variant profile source (component[copy-number].code = LNC#82155-3)
GENE_FUSION = (
    "95123-6",
    "Gene fusion transcript details",
)  # seen: MII variante, read only

# Sequence Ontology change types
COPY_NUMBER_GAIN = ("SO:0001742", "copy_number_gain")  # seen: MII variante-cnv-4
COPY_NUMBER_LOSS = ("SO:0001743", "copy_number_loss")  # seen: Sequence Ontology tables
TRANSCRIPT_FUSION = ("SO:0001886", "transcript_fusion")  # IG: ROS1-Fusion

# Therapeutic implication (IG: EGFR-L858R-therapuDrug1, ROS1-Fusion-therapuDrug)
THERAPEUTIC_IMPLICATION = ("therapeutic-implication", "Therapeutic Implication")
CONCLUSION_STRING = ("conclusion-string", "Conclusion")
RESPONSIVE = ("LA6677-4", "Responsive")
TREATMENT_CONTEXT = ("81259-4", "Phenotypic treatment context")
MEDICATION_ASSESSED = ("51963-7", "Medication assessed")
EVIDENCE_LEVEL = ("93044-6", "Level of evidence")
DIAGNOSTIC_IMPLICATION = "diagnostic-implication"
MOLECULAR_CONSEQUENCE = "molecular-consequence"

# HGNC ids as the IG examples (and the shared vcf2maf example MAF) give them; any other
# gene is written as text (its HGNC symbol) rather than with a guessed id.
HGNC_IDS: dict[str, str] = {
    "EGFR": "HGNC:3236",  # IG: EGFR-L858R-var
    "ROS1": "HGNC:10261",  # IG: ROS1-Fusion-var
    "MSH2": "HGNC:7235",  # IG: MSH2-del-var
    "CD274": "HGNC:17635",  # IG: PDL1Example
    "PIK3CA": "HGNC:8975",  # IG: oncology-report-example.json
    "FBXW7": "HGNC:16712",  # IG: oncology-report-example.json
    "CDKN2A": "HGNC:1787",  # IG: bundle-oncology-report-example.fsh
    "ALK": "HGNC:427",  # IG: analysisTumorNormalDNA
    "APC": "HGNC:583",  # IG: analysisTumorNormalDNA
    "ABL1": "HGNC:76",  # IG: analysisTumorNormalDNA
    "NRAS": "HGNC:7989",  # IG: oncology-report-example.json
    "SMARCA4": "HGNC:11100",  # IG: oncology-report-example.json
    "KMT2D": "HGNC:7133",  # IG: oncology-report-example.json
    "IRS2": "HGNC:6126",  # IG: oncology-report-example.json
    "NOTCH1": "HGNC:7881",  # IG: NOTCH1-uncertain-var
    "STAG2": "HGNC:11355",  # IG: STAG2-insertion-var
    "ATR": "HGNC:882",  # IG: ATR-insertion-var
    "NTHL1": "HGNC:8028",  # IG: NTHL1-snv-var
    "ZFHX3": "HGNC:777",  # IG: ZFHX3-uncertain-var
    "BRAF": "HGNC:1097",  # seen: MII variante-1
    "BRCA1": "HGNC:1100",  # seen: MII variante-brca1
    "CCNE1": "HGNC:1589",  # seen: genomics-reporting CNV examples
    "ERG": "HGNC:3446",  # shared examples/vcf2maf/test_b38_output.maf
    "RUNX1": "HGNC:10471",
    "TMPRSS2": "HGNC:11876",
    "U2AF1": "HGNC:12453",
}
