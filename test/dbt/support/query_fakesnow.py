"""Prints the rows of one query on a fakesnow server as JSON: instants as ISO text (milliseconds,
Z), dates as ISO text, numbers as numbers (fakesnow returns decimals as floats).

usage: query_fakesnow.py <port> <sql>
"""
import datetime, decimal, json, sys, snowflake.connector
conn = snowflake.connector.connect(user="fake", password="snow", account="fakesnow", host="localhost", port=int(sys.argv[1]), protocol="http", database="RETAIL", schema="SILVER")
cur = conn.cursor()
cur.execute(sys.argv[2])
names = [d[0].lower() for d in cur.description]
def value(v):
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond // 1000:03d}Z"
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return float(v)
    return v
print(json.dumps([{n: value(v) for n, v in zip(names, row)} for row in cur.fetchall()]))
