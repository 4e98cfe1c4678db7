# Runs setup statements and queries on fakesnow (Snowflake SQL translated onto DuckDB); prints row counts as JSON.
import json, sys, fakesnow, snowflake.connector
job = json.load(sys.stdin)
out = {}
with fakesnow.patch():
    conn = snowflake.connector.connect(database="QDB", schema="PUBLIC")
    cur = conn.cursor()
    for sql in job["setup"]:
        cur.execute(sql)
    for name, sql in job["queries"].items():
        try:
            cur.execute(sql)
            out[name] = len(cur.fetchall())
        except Exception as e:
            out[name] = {"error": str(e)[:300]}
print(json.dumps(out))
