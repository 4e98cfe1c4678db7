"""Copies the RAW tables of a DuckDB file into a fakesnow server, as RETAIL.RAW.<table>.

usage: seed_fakesnow.py <duckdb file> <port>
"""
import sys, duckdb, snowflake.connector
duck_path, port = sys.argv[1], int(sys.argv[2])
conn = snowflake.connector.connect(user="fake", password="snow", account="fakesnow", host="localhost", port=port, protocol="http", database="RETAIL", schema="RAW")
cur = conn.cursor()
cur.execute("create database if not exists RETAIL")
cur.execute("use database RETAIL")
cur.execute("create schema if not exists RAW")
cur.execute("use schema RAW")
src = duckdb.connect(duck_path, read_only=True)
tables = [r[0] for r in src.sql("select table_name from information_schema.tables where table_schema='raw'").fetchall()]
for t in tables:
    cols = src.sql(f"select column_name, data_type from information_schema.columns where table_schema='raw' and table_name='{t}' order by ordinal_position").fetchall()
    ddl = ", ".join(f"{c} {ty.replace('TIMESTAMP', 'TIMESTAMP_NTZ')}" for c, ty in cols)
    cur.execute(f"create or replace table RAW.{t} ({ddl})")
    rows = src.sql(f"select * from raw.{t}").fetchall()
    if rows:
        ph = ", ".join(["%s"] * len(cols))
        cur.executemany(f"insert into RAW.{t} values ({ph})", [tuple(str(v) if v is not None and not isinstance(v, (int, bool)) else v for v in r) for r in rows])
    print(t, len(rows))
