"""The lab: the course's questions answered with numbers and figures, written out as docs/REPORT.md.

A wing beside the library, not part of it: it reads the trained zoo and MNIST and only calls the
library (zoo.training.metrics, zoo.analysis.explore, zoo.training.engine through zoo.training.workers); nothing in zoo/ imports it back.

    experiments  the small models the lab trains itself (the course's model, the sparse trade-off)
    measures     small measures: PSNR, fixed digit picks, unit-image statistics, the parameter formula, bytes
    probes       linear classifiers on pixels, PCA codes and h (why learn a representation)
    tables       each question's rows of numbers
    figures      each question's figures (matplotlib, nothing saved)
    literature   the published figures the zoo is measured against, each cited once
    seeds        numbers over several seeds (mean ± sd); a report checked against a fresh run
    report       the writer: sections, prose built from the numbers, `python -m zoo.report`
"""
