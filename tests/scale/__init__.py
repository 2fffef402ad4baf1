"""Scale: catalog, incremental scans, a real Dask cluster, object storage."""
