"""HL7 FHIR Genomics Reporting: export of an analysed case, import of a lab's report.

``export.build_bundle`` writes a transaction Bundle (``docs/fhir.md`` lists what is
mapped); ``read.read_bundle`` turns a genomics-report Bundle into an
``oncoboard.case/1`` case.  ``fhir.resources`` is imported only when one of them runs.
"""
