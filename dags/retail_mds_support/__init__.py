"""Support code of the `retail_mds` DAG: settings, the steps it runs and its failure alerts."""
