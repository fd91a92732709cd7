"""Generated corpora and the benchmark that measures the pipeline on them."""
